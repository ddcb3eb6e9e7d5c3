//! The world: two hosts, one wire, one clock, and the applications' calls.
//!
//! Applications are not Rust code here but data: a [`Call`] script (listen, connect, write,
//! read with a given buffer size, close…) that the world executes against the sockets the way
//! a program would, recording every call and what it returned.
//!
//! [`World`] is one type whose `impl` is spread over child modules by concern, as smoltcp
//! spreads its `Interface`:
//! - [`clock`]: the event loop — stepping, the virtual clock, polling the stacks, the wire;
//! - [`script`]: the scheduled calls and how each is carried out;
//! - [`apps`]: what each socket's application does between calls;
//! - [`attacker`]: forged packets;
//! - [`server_loop`]: one server loop waiting on many sockets (blocking, select, epoll).

mod apps;
mod attacker;
mod clock;
mod script;
mod server_loop;

use apps::{App, Sock};
pub use script::{Call, Scheduled};
use server_loop::ServerLoop;

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};
use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::socket::{tcp, udp};
use smoltcp::time::{Duration, Instant};
use smoltcp::wire::{
    HardwareAddress, IpAddress, IpCidr, IpProtocol, Ipv4Address, Ipv4Packet, Ipv4Repr, TcpControl,
    TcpPacket, TcpRepr, TcpSeqNumber,
};

use crate::link::{Link, LinkConfig, micros};
use crate::nic::Nic;
use crate::readiness::LoopKind;
use crate::rng::Rng;
use crate::trace::{AppCall, Event, EventKind, Packet, Side, SocketId, TcpState};

/// How the hosts and the wire between them are set up.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default)]
pub struct WorldConfig {
    /// Seeds every random choice: initial sequence numbers, ephemeral ports, the link's dice.
    pub seed: u64,
    pub link: LinkConfig,
    /// Each TCP socket's send buffer, in bytes.
    pub tx_buffer: usize,
    /// Each TCP socket's receive buffer, in bytes; it bounds the window a receiver announces.
    pub rx_buffer: usize,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig { seed: 1, link: LinkConfig::default(), tx_buffer: 8192, rx_buffer: 8192 }
    }
}

/// One virtual host: a stack, its NIC and its sockets.
struct Host {
    iface: Interface,
    nic: Nic,
    sockets: SocketSet<'static>,
    socks: Vec<Sock>,
}

/// Two hosts on a wire, and everything that has happened between them.
pub struct World {
    config: WorldConfig,
    now: Instant,
    rng: Rng,
    link: Link,
    hosts: [Host; 2],
    script: VecDeque<Scheduled>,
    /// Initial sequence number per direction of each connection, keyed by
    /// (source address, source port, destination address, destination port).
    isn: BTreeMap<([u8; 4], u16, [u8; 4], u16), u32>,
    first_ephemeral: u16,
    next_ephemeral: u16,
    /// The server's readiness loop, once a `ServeLoop` call has started it.
    server_loop: Option<ServerLoop>,
    trace: Vec<Event>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("now", &self.now)
            .field("events", &self.trace.len())
            .finish_non_exhaustive()
    }
}

impl World {
    pub const CLIENT_ADDR: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);

    pub const SERVER_ADDR: Ipv4Address = Ipv4Address::new(10, 0, 0, 2);

    pub fn new(config: WorldConfig) -> World {
        let mut rng = Rng::new(config.seed);
        let mut host = |addr| {
            let mut nic = Nic::new(config.link.mtu);
            let mut iface_config = Config::new(HardwareAddress::Ip);
            iface_config.random_seed = rng.next_u64();
            let mut iface = Interface::new(iface_config, &mut nic, Instant::ZERO);
            // A /16, so that the forged 10.0.x.y sources of a SYN flood count as on-link and
            // the server answers them (into the void), as a real server would.
            iface.update_ip_addrs(|addrs| {
                addrs
                    .push(IpCidr::new(IpAddress::Ipv4(addr), 16))
                    .expect("a fresh interface has room for one address");
            });
            Host { iface, nic, sockets: SocketSet::new(Vec::new()), socks: Vec::new() }
        };
        let hosts = [host(Self::CLIENT_ADDR), host(Self::SERVER_ADDR)];
        // IANA's dynamic range, 49152–65535 (RFC 6335), like a real client's ephemeral ports.
        let next_ephemeral = 49152 + (rng.next_u64() % 8192) as u16;
        let link = Link::new(config.link.clone(), Rng::new(rng.next_u64()));
        World {
            config,
            now: Instant::ZERO,
            rng,
            link,
            hosts,
            script: VecDeque::new(),
            isn: BTreeMap::new(),
            first_ephemeral: next_ephemeral,
            next_ephemeral,
            server_loop: None,
            trace: Vec::new(),
        }
    }

    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    /// Virtual time since the run started.
    pub fn now_us(&self) -> u64 {
        micros(self.now)
    }

    pub fn trace(&self) -> &[Event] {
        &self.trace
    }

    pub fn into_trace(self) -> Vec<Event> {
        self.trace
    }

    /// The TCP state of a socket (UDP sockets report CLOSED).
    pub fn state(&self, socket: SocketId) -> TcpState {
        self.sock(socket).state
    }

    /// The first ephemeral port a `Connect` will use.
    pub fn first_ephemeral_port(&self) -> u16 {
        self.first_ephemeral
    }

    /// A new TCP socket on `side`.
    pub fn add_tcp(&mut self, side: Side) -> SocketId {
        let buffer = |size| tcp::SocketBuffer::new(vec![0; size]);
        let socket = tcp::Socket::new(buffer(self.config.rx_buffer), buffer(self.config.tx_buffer));
        let host = self.host_mut(side);
        let handle = host.sockets.add(socket);
        self.push_sock(side, handle, false)
    }

    /// A new UDP socket on `side`, holding up to 64 datagrams each way.
    pub fn add_udp(&mut self, side: Side) -> SocketId {
        let buffer =
            || udp::PacketBuffer::new(vec![udp::PacketMetadata::EMPTY; 64], vec![0; 64 * 1500]);
        let handle = self.host_mut(side).sockets.add(udp::Socket::new(buffer(), buffer()));
        self.push_sock(side, handle, true)
    }

    /// The attacker's pseudo-socket: forged packets are "sent" from it.
    pub fn attacker() -> SocketId {
        SocketId { side: Side::Attacker, index: 0 }
    }

    fn sock(&self, id: SocketId) -> &Sock {
        &self.hosts[host_index(id.side)].socks[id.index]
    }

    fn host_mut(&mut self, side: Side) -> &mut Host {
        &mut self.hosts[host_index(side)]
    }

    fn push_sock(&mut self, side: Side, handle: SocketHandle, udp: bool) -> SocketId {
        let socks = &mut self.host_mut(side).socks;
        socks.push(Sock {
            handle,
            udp,
            state: TcpState::Closed,
            sent: 0,
            received: 0,
            established_once: false,
            eof_reported: false,
            app: App::default(),
        });
        SocketId { side, index: socks.len() - 1 }
    }

    fn record(&mut self, kind: EventKind) {
        self.trace.push(Event { at_us: self.now_us(), kind });
    }
}

fn host_index(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
        Side::Attacker => panic!("the attacker has no stack"),
    }
}
