//! A network interface card made of two queues.
//!
//! smoltcp talks to hardware through the [`Device`] trait: it asks for a receive token when it
//! wants the next incoming packet and a transmit token when it has one to send. Our "hardware"
//! is a pair of queues that the [`World`](crate::World) fills and empties, which is what lets
//! the simulation see — and later drop, delay or duplicate — every packet.

use std::collections::VecDeque;

use smoltcp::phy::{self, Device, DeviceCapabilities, Medium};
use smoltcp::time::Instant;

/// Raw IPv4 packets waiting to be read by the stack (`rx`) or taken off by the wire (`tx`).
#[derive(Debug)]
pub struct Nic {
    pub rx: VecDeque<Vec<u8>>,
    pub tx: Vec<Vec<u8>>,
    mtu: usize,
}

impl Nic {
    pub fn new(mtu: usize) -> Self {
        Nic { rx: VecDeque::new(), tx: Vec::new(), mtu }
    }
}

impl Device for Nic {
    type RxToken<'a> = RxToken;
    type TxToken<'a> = TxToken<'a>;

    fn receive(&mut self, _now: Instant) -> Option<(RxToken, TxToken<'_>)> {
        let packet = self.rx.pop_front()?;
        Some((RxToken(packet), TxToken(&mut self.tx)))
    }

    fn transmit(&mut self, _now: Instant) -> Option<TxToken<'_>> {
        Some(TxToken(&mut self.tx))
    }

    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        // Raw IP: no Ethernet header and no ARP, so every byte on the wire is IP or above.
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = self.mtu;
        caps
    }
}

#[derive(Debug)]
pub struct RxToken(Vec<u8>);

impl phy::RxToken for RxToken {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(&self.0)
    }
}

#[derive(Debug)]
pub struct TxToken<'a>(&'a mut Vec<Vec<u8>>);

impl phy::TxToken for TxToken<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut packet = vec![0; len];
        let result = f(&mut packet);
        self.0.push(packet);
        result
    }
}
