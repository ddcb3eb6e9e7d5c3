//! The virtual wire between the two hosts.
//!
//! A packet put on the link arrives at the other host `delay` later. Packets are kept in a
//! heap ordered by arrival time, with a sequence number as tie-break so that two packets due
//! at the same instant arrive in the order they were sent — the heap alone would not promise
//! that, and determinism depends on it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use smoltcp::time::{Duration, Instant};

use crate::trace::Side;

#[derive(Debug)]
pub struct Link {
    delay: Duration,
    sent: u64,
    in_flight: BinaryHeap<Reverse<InFlight>>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct InFlight {
    arrives: Instant,
    order: u64,
    to: Side,
    packet: Vec<u8>,
}

impl Link {
    pub fn new(delay: Duration) -> Self {
        Link {
            delay,
            sent: 0,
            in_flight: BinaryHeap::new(),
        }
    }

    /// Put a packet on the wire at `now`, heading for `to`.
    pub fn send(&mut self, now: Instant, to: Side, packet: Vec<u8>) {
        self.sent += 1;
        let arrives = now + self.delay;
        self.in_flight.push(Reverse(InFlight {
            arrives,
            order: self.sent,
            to,
            packet,
        }));
    }

    /// When the next packet arrives, if any is in flight.
    pub fn next_arrival(&self) -> Option<Instant> {
        self.in_flight.peek().map(|Reverse(p)| p.arrives)
    }

    /// Take the next packet that has arrived by `now`.
    pub fn pop_arrived(&mut self, now: Instant) -> Option<(Side, Vec<u8>)> {
        if self.next_arrival()? > now {
            return None;
        }
        self.in_flight.pop().map(|Reverse(p)| (p.to, p.packet))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_arrive_after_the_delay_in_send_order() {
        let mut link = Link::new(Duration::from_millis(10));
        let t0 = Instant::from_millis(0);
        link.send(t0, Side::Server, vec![1]);
        link.send(t0, Side::Client, vec![2]);
        assert_eq!(link.pop_arrived(Instant::from_millis(9)), None);
        assert_eq!(link.next_arrival(), Some(Instant::from_millis(10)));
        let now = Instant::from_millis(10);
        assert_eq!(link.pop_arrived(now), Some((Side::Server, vec![1])));
        assert_eq!(link.pop_arrived(now), Some((Side::Client, vec![2])));
        assert_eq!(link.pop_arrived(now), None);
    }
}
