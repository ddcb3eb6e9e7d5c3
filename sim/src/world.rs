//! The event loop: two hosts, one wire, one clock, and the applications' calls.
//!
//! Like smoltcp itself, the world never reads a real clock. [`World::step`] asks each stack
//! when it next needs attention (`poll_at`: a retransmission timer, TIME-WAIT expiry…), the
//! link when its next packet lands, and the script when the next application call is due;
//! it jumps the virtual clock straight to the earliest of those and runs. A 10-second
//! TIME-WAIT therefore costs no real time at all.
//!
//! Applications are not Rust code here but data: a [`Call`] script (listen, connect, write,
//! read with a given buffer size, close…) that the world executes against the sockets the way
//! a program would, recording every call and what it returned.

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

/// Something an application does with a socket. Scripts are lists of these with times.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum Call {
    Listen {
        port: u16,
    },
    /// Connect to `port` on the other host.
    Connect {
        port: u16,
    },
    /// Queue bytes to send. Like a blocking `sendall`, the application keeps calling `send`
    /// until the stack has accepted all of them; each call is recorded with what it accepted.
    Write {
        data: Vec<u8>,
    },
    /// From now on, call `recv(bufsize)` whenever data is waiting — at most once every
    /// `interval_ms` (0: as soon as data arrives). A slow reader is a large interval.
    Read {
        bufsize: usize,
        interval_ms: u64,
    },
    /// When `recv` returns 0 (the peer's FIN), close this socket too — what a server does.
    CloseOnEof,
    /// When this socket is CLOSED again, listen on `port` again: an accept loop.
    Relisten {
        port: u16,
    },
    /// Give up on a half-open connection (SYN-RECEIVED) after `ms` without an answer, as
    /// Linux does after `net.ipv4.tcp_synack_retries` retransmissions. Established
    /// connections are not affected.
    HalfOpenTimeout {
        ms: u64,
    },
    /// Turn Nagle's algorithm on or off (`TCP_NODELAY` is "off").
    Nagle {
        on: bool,
    },
    /// `shutdown(SHUT_WR)` once everything queued by `Write` has been accepted: FIN after the
    /// data, and the socket goes on reading.
    Shutdown,
    /// `close()` once everything queued by `Write` has been accepted: FIN after the data, and
    /// the application reads no more.
    Close,
    /// Close with an RST at once, discarding unsent data.
    Abort,
    UdpBind {
        port: u16,
    },
    UdpSend {
        port: u16,
        data: Vec<u8>,
    },
    /// The attacker sends `count` SYNs to the server's `port` from forged addresses.
    ForgeSyns {
        count: usize,
        port: u16,
    },
}

/// A call to make at a moment of virtual time.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub at_ms: u64,
    pub socket: SocketId,
    #[serde(flatten)]
    pub call: Call,
}

/// Everything a socket's application has queued or decided.
#[derive(Debug)]
struct App {
    outbox: VecDeque<u8>,
    /// `Shutdown` or `Close`, waiting for the outbox to drain.
    close_when_sent: Option<AppCall>,
    reader: Option<(usize, Duration)>,
    next_read: Instant,
    close_on_eof: bool,
    relisten: Option<u16>,
    half_open_timeout: Option<Duration>,
}

impl Default for App {
    fn default() -> App {
        App {
            outbox: VecDeque::new(),
            close_when_sent: None,
            reader: None,
            next_read: Instant::ZERO,
            close_on_eof: false,
            relisten: None,
            half_open_timeout: None,
        }
    }
}

#[derive(Debug)]
struct Sock {
    handle: SocketHandle,
    udp: bool,
    state: TcpState,
    /// Bytes accepted by `send` / returned by `recv` so far: offsets into the two streams.
    sent: u64,
    received: u64,
    established_once: bool,
    eof_reported: bool,
    app: App,
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

    /// Make `call` on `socket` at virtual time `at_ms` (or as soon as possible, if that has passed).
    pub fn schedule(&mut self, at_ms: u64, socket: SocketId, call: Call) {
        let position = self.script.partition_point(|s| s.at_ms <= at_ms);
        self.script.insert(position, Scheduled { at_ms, socket, call });
    }

    /// Run until something new happens, and return the new events; `None` once neither
    /// stack, the wire nor the script has anything left to do.
    pub fn step(&mut self) -> Option<&[Event]> {
        let before = self.trace.len();
        for _ in 0..MAX_IDLE_WAKEUPS {
            self.settle();
            if self.trace.len() > before {
                return Some(&self.trace[before..]);
            }
            self.advance_clock()?;
        }
        None
    }

    /// Run until `duration_ms` of virtual time has passed (or nothing is left to happen), and
    /// return the events of that span.
    pub fn advance(&mut self, duration_ms: u64) -> &[Event] {
        let before = self.trace.len();
        let until = self.now + Duration::from_millis(duration_ms);
        loop {
            self.settle();
            match self.next_wakeup() {
                Some(next) if next <= until => self.deliver_until(next.max(self.now)),
                _ => break,
            }
        }
        self.now = self.now.max(until);
        &self.trace[before..]
    }

    /// Step until nothing is left to happen or `max_events` events have been recorded; `true`
    /// if the run finished.
    pub fn run(&mut self, max_events: usize) -> bool {
        while self.trace.len() < max_events {
            if self.step().is_none() {
                return true;
            }
        }
        false
    }

    fn advance_clock(&mut self) -> Option<()> {
        let next = self.next_wakeup()?;
        self.deliver_until(next.max(self.now));
        Some(())
    }

    fn deliver_until(&mut self, now: Instant) {
        self.now = now;
        while let Some((to, packet)) = self.link.pop_arrived(self.now) {
            self.host_mut(to).nic.rx.push_back(packet);
        }
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

    /// Run due calls, applications and stacks until nothing more happens at this instant.
    fn settle(&mut self) {
        loop {
            let mut progress = self.run_due_calls();
            for side in Side::HOSTS {
                progress |= self.run_apps(side);
                progress |= self.poll(side);
                progress |= self.run_apps(side);
            }
            if !progress {
                return;
            }
        }
    }

    /// The earliest moment at which a stack timer fires, a packet arrives, a call is due, or a
    /// rate-limited reader may read again.
    fn next_wakeup(&mut self) -> Option<Instant> {
        let now = self.now;
        let mut next = self.link.next_arrival();
        let mut consider = |t: Option<Instant>| {
            if let Some(t) = t {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        };
        consider(self.script.front().map(|s| Instant::from_millis(s.at_ms as i64)));
        for host in &mut self.hosts {
            consider(host.iface.poll_at(now, &host.sockets));
            for sock in &host.socks {
                let waiting = !sock.udp && sock.app.reader.is_some() && {
                    let socket = host.sockets.get::<tcp::Socket>(sock.handle);
                    socket.can_recv()
                };
                if waiting && sock.app.next_read > now {
                    consider(Some(sock.app.next_read));
                }
            }
        }
        next
    }

    fn run_due_calls(&mut self) -> bool {
        let mut ran = false;
        while self.script.front().is_some_and(|s| Instant::from_millis(s.at_ms as i64) <= self.now)
        {
            let Scheduled { socket, call, .. } = self.script.pop_front().expect("front exists");
            self.call(socket, call);
            ran = true;
        }
        ran
    }

    fn call(&mut self, id: SocketId, call: Call) {
        if let Call::ForgeSyns { count, port } = call {
            return self.forge_syns(count, port);
        }
        let local_port = match call {
            Call::Connect { .. } => {
                self.next_ephemeral += 1;
                self.next_ephemeral - 1
            }
            _ => 0,
        };
        let remote = match id.side {
            Side::Server => Self::CLIENT_ADDR,
            _ => Self::SERVER_ADDR,
        };
        let host = &mut self.hosts[host_index(id.side)];
        let sock = &mut host.socks[id.index];
        let recorded = match call {
            Call::Listen { port } => {
                let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
                socket.listen(port).expect("scenarios listen on fresh sockets and non-zero ports");
                // A new connection will arrive on this socket: new streams, new offsets.
                (sock.sent, sock.received, sock.established_once, sock.eof_reported) =
                    (0, 0, false, false);
                Some(AppCall::Listen { port })
            }
            Call::Connect { port } => {
                let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
                socket
                    .connect(host.iface.context(), (IpAddress::Ipv4(remote), port), local_port)
                    .expect("scenarios connect closed sockets to non-zero ports");
                Some(AppCall::Connect { port })
            }
            Call::Write { data } => {
                sock.app.outbox.extend(data);
                None
            }
            Call::Read { bufsize, interval_ms } => {
                sock.app.reader = Some((bufsize, Duration::from_millis(interval_ms)));
                None
            }
            Call::CloseOnEof => {
                sock.app.close_on_eof = true;
                None
            }
            Call::Relisten { port } => {
                sock.app.relisten = Some(port);
                None
            }
            Call::HalfOpenTimeout { ms } => {
                sock.app.half_open_timeout = Some(Duration::from_millis(ms));
                None
            }
            Call::Nagle { on } => {
                host.sockets.get_mut::<tcp::Socket>(sock.handle).set_nagle_enabled(on);
                None
            }
            Call::Shutdown => {
                sock.app.close_when_sent = Some(AppCall::Shutdown);
                None
            }
            Call::Close => {
                sock.app.close_when_sent = Some(AppCall::Close);
                None
            }
            Call::Abort => {
                sock.app.outbox.clear();
                host.sockets.get_mut::<tcp::Socket>(sock.handle).abort();
                Some(AppCall::Abort)
            }
            Call::UdpBind { port } => {
                let socket = host.sockets.get_mut::<udp::Socket>(sock.handle);
                socket.bind(port).expect("scenarios bind fresh UDP sockets to non-zero ports");
                Some(AppCall::UdpBind { port })
            }
            Call::UdpSend { port, data } => {
                let socket = host.sockets.get_mut::<udp::Socket>(sock.handle);
                let len = data.len();
                // A full send buffer drops the datagram, as UDP may; the trace shows no packet.
                let _ = socket.send_slice(&data, (IpAddress::Ipv4(remote), port));
                Some(AppCall::UdpSend { port, len })
            }
            Call::ForgeSyns { .. } => unreachable!("handled above"),
        };
        if let Some(call) = recorded {
            self.record(EventKind::App { socket: id, call });
        }
        self.record_state(id);
    }

    /// Let each application on `side` do what its queued calls ask, as far as the stack allows.
    fn run_apps(&mut self, side: Side) -> bool {
        let now = self.now;
        let mut calls = Vec::new();
        let host = &mut self.hosts[host_index(side)];
        for (index, sock) in host.socks.iter_mut().enumerate() {
            let id = SocketId { side, index };
            if sock.udp {
                let socket = host.sockets.get_mut::<udp::Socket>(sock.handle);
                let mut buf = [0u8; 1500];
                while let Ok((len, meta)) = socket.recv_slice(&mut buf) {
                    let data = buf[..len].to_vec();
                    calls.push((id, AppCall::UdpRecv { from_port: meta.endpoint.port, data }));
                }
                continue;
            }
            let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
            if !sock.app.outbox.is_empty() && socket.can_send() {
                let (front, _) = sock.app.outbox.as_slices();
                let requested = sock.app.outbox.len();
                let accepted = socket.send_slice(front).unwrap_or(0);
                if accepted > 0 {
                    sock.app.outbox.drain(..accepted);
                    calls.push((id, AppCall::Send { requested, accepted, offset: sock.sent }));
                    sock.sent += accepted as u64;
                }
            }
            if sock.app.outbox.is_empty()
                && let Some(call) = sock.app.close_when_sent.take()
            {
                // smoltcp's close() is a half close; a full close() also stops reading.
                socket.close();
                if call == AppCall::Close {
                    sock.app.reader = None;
                }
                calls.push((id, call));
            }
            if let Some((bufsize, interval)) = sock.app.reader {
                if socket.can_recv() && now >= sock.app.next_read {
                    let mut buf = vec![0; bufsize];
                    let len = socket.recv_slice(&mut buf).unwrap_or(0);
                    buf.truncate(len);
                    calls.push((id, AppCall::Recv { bufsize, offset: sock.received, data: buf }));
                    sock.received += len as u64;
                    sock.app.next_read = now + interval;
                } else if sock.established_once && !socket.may_recv() && !sock.eof_reported {
                    sock.eof_reported = true;
                    calls.push((id, AppCall::Eof));
                    if sock.app.close_on_eof {
                        socket.close();
                        sock.app.reader = None;
                        calls.push((id, AppCall::Close));
                    }
                }
            }
        }
        let progress = !calls.is_empty();
        for (socket, call) in calls {
            self.record(EventKind::App { socket, call });
        }
        progress
    }

    /// Poll one stack; put what it sent on the wire. `true` if anything happened.
    fn poll(&mut self, side: Side) -> bool {
        let now = self.now;
        let host = self.host_mut(side);
        host.iface.poll(now, &mut host.nic, &mut host.sockets);
        let packets = std::mem::take(&mut host.nic.tx);
        let mut changed = false;
        for index in 0..self.hosts[host_index(side)].socks.len() {
            changed |= self.record_state(SocketId { side, index });
        }
        for bytes in &packets {
            self.transmit(side, bytes);
        }
        changed || !packets.is_empty()
    }

    fn transmit(&mut self, from: Side, bytes: &[u8]) {
        let Some(mut packet) = Packet::parse(bytes) else {
            // Only TCP and UDP are enabled in these stacks, so anything else is a bug worth seeing.
            debug_assert!(false, "unexpected packet on the wire: {bytes:02x?}");
            return;
        };
        let (src, dst) = (packet.ip.src, packet.ip.dst);
        if let crate::trace::Transport::Tcp(segment) = &mut packet.transport {
            let forward = (src, segment.src_port, dst, segment.dst_port);
            let reverse = (dst, segment.dst_port, src, segment.src_port);
            if segment.flags.syn {
                self.isn.insert(forward, segment.seq);
            }
            if let Some(isn) = self.isn.get(&forward) {
                segment.rel_seq = segment.seq.wrapping_sub(*isn);
            }
            if let (Some(ack), Some(isn)) = (segment.ack, self.isn.get(&reverse)) {
                segment.rel_ack = Some(ack.wrapping_sub(*isn));
            }
        }
        let to = match Ipv4Address::from(dst) {
            Self::CLIENT_ADDR => Some(Side::Client),
            Self::SERVER_ADDR => Some(Side::Server),
            _ => None,
        };
        let fate = self.link.send(self.now, from, to, bytes, &packet);
        self.record(EventKind::Packet { from, packet, fate, bytes: bytes.to_vec() });
    }

    /// Craft `count` SYNs from addresses in 10.0.1.0/24 that no host owns.
    fn forge_syns(&mut self, count: usize, port: u16) {
        for _ in 0..count {
            let host = 1 + (self.rng.next_u64() % 254) as u8;
            let src = Ipv4Address::new(10, 0, 1, host);
            let tcp = TcpRepr {
                src_port: 1024 + (self.rng.next_u64() % 60000) as u16,
                dst_port: port,
                control: TcpControl::Syn,
                seq_number: TcpSeqNumber(self.rng.next_u64() as i32),
                ack_number: None,
                window_len: 64240,
                window_scale: None,
                max_seg_size: Some(1460),
                sack_permitted: false,
                sack_ranges: [None; 3],
                timestamp: None,
                payload: &[],
            };
            let ip = Ipv4Repr {
                src_addr: src,
                dst_addr: Self::SERVER_ADDR,
                next_header: IpProtocol::Tcp,
                payload_len: tcp.buffer_len(),
                hop_limit: 64,
            };
            let mut bytes = vec![0; ip.buffer_len() + tcp.buffer_len()];
            let caps = ChecksumCapabilities::default();
            let mut ip_packet = Ipv4Packet::new_unchecked(&mut bytes[..]);
            ip.emit(&mut ip_packet, &caps);
            let mut tcp_packet = TcpPacket::new_unchecked(ip_packet.payload_mut());
            tcp.emit(
                &mut tcp_packet,
                &IpAddress::Ipv4(src),
                &IpAddress::Ipv4(Self::SERVER_ADDR),
                &caps,
            );
            self.transmit(Side::Attacker, &bytes);
        }
    }

    fn record(&mut self, kind: EventKind) {
        self.trace.push(Event { at_us: self.now_us(), kind });
    }

    /// Record a TCP socket's state change, if any; re-listen if its accept loop asks to.
    fn record_state(&mut self, id: SocketId) -> bool {
        if id.side == Side::Attacker {
            return false;
        }
        let host = &mut self.hosts[host_index(id.side)];
        let sock = &mut host.socks[id.index];
        if sock.udp {
            return false;
        }
        let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
        let to = TcpState::from(socket.state());
        let from = std::mem::replace(&mut sock.state, to);
        if from == to {
            return false;
        }
        // A passively opened connection is complete: this is what accept() would return.
        let accepted = (from == TcpState::SynReceived && to == TcpState::Established)
            .then(|| socket.remote_endpoint().map(|peer| peer.port))
            .flatten();
        sock.established_once |= to == TcpState::Established;
        // smoltcp's timeout covers any silence; arm it only while the connection is half open.
        if let Some(timeout) = sock.app.half_open_timeout {
            socket.set_timeout((to == TcpState::SynReceived).then_some(timeout));
        }
        self.record(EventKind::State { socket: id, from, to });
        if let Some(peer_port) = accepted {
            self.record(EventKind::App { socket: id, call: AppCall::Accept { peer_port } });
        }
        let sock = &self.hosts[host_index(id.side)].socks[id.index];
        if to == TcpState::Closed
            && let Some(port) = sock.app.relisten
        {
            self.call(id, Call::Listen { port });
        }
        true
    }
}

fn host_index(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
        Side::Attacker => panic!("the attacker has no stack"),
    }
}
