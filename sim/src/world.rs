//! The event loop: two hosts, one wire, one clock.
//!
//! Like smoltcp itself, the world never reads a real clock. [`World::step`] asks each stack
//! when it next needs attention (`poll_at`: a retransmission timer, TIME-WAIT expiry…) and the
//! link when its next packet lands, jumps the virtual clock straight to the earliest of those,
//! and polls. A 10-second TIME-WAIT therefore costs no real time at all.

use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::socket::tcp;
use smoltcp::time::{Duration, Instant};
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr, Ipv4Address};

use crate::link::Link;
use crate::nic::Nic;
use crate::trace::{AppCall, Event, EventKind, Segment, Side, TcpState};

/// How the two hosts and the wire between them are set up.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WorldConfig {
    /// Seeds the stacks' random choices (initial sequence numbers, ephemeral port).
    pub seed: u64,
    /// One-way delay of the wire, in milliseconds.
    pub delay_ms: u64,
    /// Largest IP packet the wire carries.
    pub mtu: usize,
    /// Size of each socket's send and receive buffer.
    pub buffer: usize,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 1,
            delay_ms: 10,
            mtu: 1500,
            buffer: 4096,
        }
    }
}

/// One virtual host: a stack, its NIC and a single TCP socket.
struct Host {
    iface: Interface,
    nic: Nic,
    sockets: SocketSet<'static>,
    tcp: SocketHandle,
    /// The socket state last recorded in the trace, to notice changes.
    state: TcpState,
}

impl Host {
    fn new(addr: Ipv4Address, seed: u64, config: &WorldConfig) -> Host {
        let mut nic = Nic::new(config.mtu);
        let mut iface_config = Config::new(HardwareAddress::Ip);
        iface_config.random_seed = seed;
        let mut iface = Interface::new(iface_config, &mut nic, Instant::ZERO);
        iface.update_ip_addrs(|addrs| {
            addrs
                .push(IpCidr::new(IpAddress::Ipv4(addr), 24))
                .expect("a fresh interface has room for one address");
        });
        let buffer = || tcp::SocketBuffer::new(vec![0; config.buffer]);
        let mut sockets = SocketSet::new(Vec::new());
        let tcp = sockets.add(tcp::Socket::new(buffer(), buffer()));
        Host {
            iface,
            nic,
            sockets,
            tcp,
            state: TcpState::Closed,
        }
    }

    fn socket(&mut self) -> &mut tcp::Socket<'static> {
        self.sockets.get_mut::<tcp::Socket>(self.tcp)
    }
}

/// Two hosts on a wire, and everything that has happened between them.
pub struct World {
    now: Instant,
    link: Link,
    hosts: [Host; 2],
    /// Each side's initial sequence number, once its SYN has been seen.
    isn: [Option<u32>; 2],
    ephemeral_port: u16,
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

/// Upper bound on idle wake-ups in one [`World::step`]; a stack that keeps asking to be polled
/// without doing anything would otherwise spin forever.
const MAX_IDLE_WAKEUPS: usize = 10_000;

impl World {
    pub const CLIENT_ADDR: Ipv4Address = Ipv4Address::new(10, 0, 0, 1);
    pub const SERVER_ADDR: Ipv4Address = Ipv4Address::new(10, 0, 0, 2);

    pub fn new(config: &WorldConfig) -> World {
        let mut rng = SplitMix64(config.seed);
        let client = Host::new(Self::CLIENT_ADDR, rng.next(), config);
        let server = Host::new(Self::SERVER_ADDR, rng.next(), config);
        // IANA's dynamic range, 49152–65535 (RFC 6335), like a real client's ephemeral port.
        let ephemeral_port = 49152 + (rng.next() % 16384) as u16;
        World {
            now: Instant::ZERO,
            link: Link::new(Duration::from_millis(config.delay_ms)),
            hosts: [client, server],
            isn: [None, None],
            ephemeral_port,
            trace: Vec::new(),
        }
    }

    /// Virtual time since the run started.
    pub fn now_us(&self) -> u64 {
        self.now.total_micros() as u64
    }

    pub fn trace(&self) -> &[Event] {
        &self.trace
    }

    pub fn state(&self, side: Side) -> TcpState {
        self.hosts[side.index()].state
    }

    pub fn ephemeral_port(&self) -> u16 {
        self.ephemeral_port
    }

    /// The application on `side` listens on `port` (server side of the handshake).
    pub fn listen(&mut self, side: Side, port: u16) {
        self.record(EventKind::App {
            side,
            call: AppCall::Listen { port },
        });
        self.host(side)
            .socket()
            .listen(port)
            .expect("a fresh socket can listen on a non-zero port");
        self.record_state(side);
    }

    /// The application on `side` connects to `port` on the other host.
    pub fn connect(&mut self, side: Side, port: u16) {
        self.record(EventKind::App {
            side,
            call: AppCall::Connect { port },
        });
        let remote = match side {
            Side::Client => Self::SERVER_ADDR,
            Side::Server => Self::CLIENT_ADDR,
        };
        let local_port = self.ephemeral_port;
        let host = self.host(side);
        let socket = host.sockets.get_mut::<tcp::Socket>(host.tcp);
        socket
            .connect(
                host.iface.context(),
                (IpAddress::Ipv4(remote), port),
                local_port,
            )
            .expect("a fresh socket can connect to a non-zero port");
        self.record_state(side);
    }

    /// Run until something new happens, and return the new events; `None` once neither
    /// stack has anything left to do and no packet is in flight.
    pub fn step(&mut self) -> Option<&[Event]> {
        let before = self.trace.len();
        for _ in 0..MAX_IDLE_WAKEUPS {
            self.poll_hosts();
            if self.trace.len() > before {
                return Some(&self.trace[before..]);
            }
            self.now = self.next_wakeup()?.max(self.now);
            while let Some((to, packet)) = self.link.pop_arrived(self.now) {
                self.host(to).nic.rx.push_back(packet);
            }
        }
        None
    }

    /// Step until nothing is left to happen or `max_events` events have been recorded.
    pub fn run(&mut self, max_events: usize) {
        while self.trace.len() < max_events && self.step().is_some() {}
    }

    fn host(&mut self, side: Side) -> &mut Host {
        &mut self.hosts[side.index()]
    }

    /// Poll both stacks until neither has anything more to send right now.
    fn poll_hosts(&mut self) {
        loop {
            let mut sent_any = false;
            for side in Side::BOTH {
                let now = self.now;
                let host = self.host(side);
                host.iface.poll(now, &mut host.nic, &mut host.sockets);
                let packets = std::mem::take(&mut host.nic.tx);
                self.record_state(side);
                for packet in packets {
                    self.record_packet(side, &packet);
                    self.link.send(now, side.other(), packet);
                    sent_any = true;
                }
            }
            if !sent_any {
                return;
            }
        }
    }

    /// The earliest moment at which a stack timer fires or a packet arrives.
    fn next_wakeup(&mut self) -> Option<Instant> {
        let now = self.now;
        let timers = self
            .hosts
            .iter_mut()
            .filter_map(|h| h.iface.poll_at(now, &h.sockets));
        timers.chain(self.link.next_arrival()).min()
    }

    fn record(&mut self, kind: EventKind) {
        self.trace.push(Event {
            at_us: self.now_us(),
            kind,
        });
    }

    fn record_state(&mut self, side: Side) {
        let host = self.host(side);
        let to = TcpState::from(host.socket().state());
        let from = std::mem::replace(&mut host.state, to);
        if from != to {
            self.record(EventKind::State { side, from, to });
        }
    }

    fn record_packet(&mut self, from: Side, packet: &[u8]) {
        let Some(segment) = Segment::parse(packet) else {
            // Only TCP is enabled in these stacks, so anything else would be a bug worth seeing.
            debug_assert!(false, "non-TCP packet on the wire: {packet:02x?}");
            return;
        };
        if segment.flags.syn {
            self.isn[from.index()] = Some(segment.seq);
        }
        let relative = |value: u32, isn: Option<u32>| value.wrapping_sub(isn.unwrap_or(value));
        let rel_seq = relative(segment.seq, self.isn[from.index()]);
        let rel_ack = segment
            .ack
            .map(|ack| relative(ack, self.isn[from.other().index()]));
        self.record(EventKind::Packet {
            from,
            segment,
            rel_seq,
            rel_ack,
            bytes: packet.to_vec(),
        });
    }
}

/// A tiny, well-known deterministic generator (Steele, Lea & Flood, 2014), used only to derive
/// per-host seeds and the ephemeral port from the scenario's seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
