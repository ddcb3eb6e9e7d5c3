//! What a simulation run produces: a list of typed, timestamped events.
//!
//! Events are plain data (serde) so the page, the tests and a CLI can all consume the same
//! trace. Packets are recorded as the raw bytes the stack emitted *and* as parsed header fields,
//! so a view can show "SYN seq=0" while a pcap export can write the real bytes.

use serde::{Deserialize, Serialize};
use smoltcp::socket::tcp;
use smoltcp::wire::{IpProtocol, Ipv4Packet, TcpOption, TcpPacket, UdpPacket};

use crate::readiness::LoopKind;

/// Where a packet comes from: one of the two hosts, or (in the SYN-flood scenario) an attacker
/// on the wire that forges packets from addresses nobody owns.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Client,
    Server,
    Attacker,
}

impl Side {
    /// The two hosts that run a TCP/IP stack.
    pub const HOSTS: [Side; 2] = [Side::Client, Side::Server];

    pub fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
            Side::Attacker => "attacker",
        }
    }
}

/// One socket on one host, e.g. `server#0`. Sockets are numbered per host in creation order.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SocketId {
    pub side: Side,
    pub index: usize,
}

impl std::fmt::Display for SocketId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.side.name(), self.index)
    }
}

/// The eleven states of RFC 9293 §3.3.2, spelled as the RFC spells them.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum TcpState {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl TcpState {
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }
}

impl From<tcp::State> for TcpState {
    fn from(state: tcp::State) -> Self {
        match state {
            tcp::State::Closed => TcpState::Closed,
            tcp::State::Listen => TcpState::Listen,
            tcp::State::SynSent => TcpState::SynSent,
            tcp::State::SynReceived => TcpState::SynReceived,
            tcp::State::Established => TcpState::Established,
            tcp::State::FinWait1 => TcpState::FinWait1,
            tcp::State::FinWait2 => TcpState::FinWait2,
            tcp::State::CloseWait => TcpState::CloseWait,
            tcp::State::Closing => TcpState::Closing,
            tcp::State::LastAck => TcpState::LastAck,
            tcp::State::TimeWait => TcpState::TimeWait,
        }
    }
}

/// The TCP control bits a lesson talks about.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
}

impl Flags {
    /// Wireshark-style label, e.g. `SYN, ACK`.
    pub fn label(self) -> String {
        let names = [
            (self.syn, "SYN"),
            (self.fin, "FIN"),
            (self.rst, "RST"),
            (self.psh, "PSH"),
            (self.ack, "ACK"),
        ];
        let set: Vec<&str> = names.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect();
        set.join(", ")
    }
}

/// A TCP segment's header fields as they were on the wire.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub src_port: u16,
    pub dst_port: u16,
    /// Absolute sequence number, as in the header.
    pub seq: u32,
    /// Absolute acknowledgment number; `None` unless the ACK flag is set.
    pub ack: Option<u32>,
    pub flags: Flags,
    pub window: u16,
    /// The MSS option, carried only by SYN segments.
    pub mss: Option<u16>,
    pub payload_len: usize,
    /// `seq` and `ack` relative to each direction's initial sequence number, as Wireshark
    /// shows them by default (the SYN is 0, the first data byte 1).
    pub rel_seq: u32,
    pub rel_ack: Option<u32>,
}

/// How sequence numbers are shown: relative to each direction's initial sequence number (as
/// Wireshark shows them by default: the SYN is 0) or as they are on the wire.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    #[default]
    Relative,
    Raw,
}

impl Segment {
    /// Sequence and acknowledgment numbers, numbered as asked.
    pub fn seq_ack(&self, numbering: Numbering) -> (u32, Option<u32>) {
        match numbering {
            Numbering::Relative => (self.rel_seq, self.rel_ack),
            Numbering::Raw => (self.seq, self.ack),
        }
    }

    /// Sequence numbers the segment occupies: its data, plus one each for SYN and FIN.
    pub fn seq_len(&self) -> u32 {
        self.payload_len as u32 + u32::from(self.flags.syn) + u32::from(self.flags.fin)
    }

    /// The one way SockLab writes a segment — in the CLI, the labs and their narration:
    /// `[SYN, ACK] seq=0 ack=1 win=8192 len=0 MSS=1460`.
    pub fn summary(&self, numbering: Numbering) -> String {
        let (seq, ack) = self.seq_ack(numbering);
        let mut text = format!("[{}] seq={seq}", self.flags.label());
        if let Some(ack) = ack {
            text += &format!(" ack={ack}");
        }
        text += &format!(" win={} len={}", self.window, self.payload_len);
        if let Some(mss) = self.mss {
            text += &format!(" MSS={mss}");
        }
        text
    }

    /// Parse a TCP header (the IP payload). Relative numbers start out equal to the absolute
    /// ones; the world, which knows each connection's ISN, fills them in.
    fn parse(payload: &[u8]) -> Option<Segment> {
        let tcp = TcpPacket::new_checked(payload).ok()?;
        let mut mss = None;
        let mut options = tcp.options();
        while !options.is_empty() {
            let (rest, option) = TcpOption::parse(options).ok()?;
            if let TcpOption::MaxSegmentSize(value) = option {
                mss = Some(value);
            }
            if option == TcpOption::EndOfList {
                break;
            }
            options = rest;
        }
        let seq = tcp.seq_number().0 as u32;
        let ack = tcp.ack().then(|| tcp.ack_number().0 as u32);
        Some(Segment {
            src_port: tcp.src_port(),
            dst_port: tcp.dst_port(),
            seq,
            ack,
            rel_seq: seq,
            rel_ack: ack,
            flags: Flags {
                syn: tcp.syn(),
                ack: tcp.ack(),
                fin: tcp.fin(),
                rst: tcp.rst(),
                psh: tcp.psh(),
            },
            window: tcp.window_len(),
            mss,
            payload_len: tcp.payload().len(),
        })
    }
}

/// The IPv4 header fields a lesson shows.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct IpHeader {
    pub src: [u8; 4],
    pub dst: [u8; 4],
    pub ident: u16,
    pub ttl: u8,
    pub total_len: u16,
}

/// What the packet carries above IP.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "protocol", rename_all = "snake_case")]
pub enum Transport {
    Tcp(Segment),
    Udp { src_port: u16, dst_port: u16, payload_len: usize },
}

/// A parsed IPv4 packet.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub ip: IpHeader,
    pub transport: Transport,
}

impl Packet {
    /// Parse a raw IPv4 packet carrying TCP or UDP; `None` for anything else.
    pub fn parse(bytes: &[u8]) -> Option<Packet> {
        let ip = Ipv4Packet::new_checked(bytes).ok()?;
        let header = IpHeader {
            src: ip.src_addr().octets(),
            dst: ip.dst_addr().octets(),
            ident: ip.ident(),
            ttl: ip.hop_limit(),
            total_len: ip.total_len(),
        };
        let transport = match ip.next_header() {
            IpProtocol::Tcp => Transport::Tcp(Segment::parse(ip.payload())?),
            IpProtocol::Udp => {
                let udp = UdpPacket::new_checked(ip.payload()).ok()?;
                let (src_port, dst_port) = (udp.src_port(), udp.dst_port());
                Transport::Udp { src_port, dst_port, payload_len: udp.payload().len() }
            }
            _ => return None,
        };
        Some(Packet { ip: header, transport })
    }

    pub fn tcp(&self) -> Option<&Segment> {
        match &self.transport {
            Transport::Tcp(segment) => Some(segment),
            Transport::Udp { .. } => None,
        }
    }
}

/// What the wire did with a packet. Decided when the packet is sent, so the trace can draw
/// its arrow (or its cross) straight away.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum Fate {
    /// Arrives at `at_us`; a duplicated packet arrives a second time at `duplicate_at_us`.
    Delivered { at_us: u64, duplicate_at_us: Option<u64> },
    /// Lost at random (the link's loss rate).
    Lost,
    /// Dropped by the scenario's rule number `rule` (e.g. "drop the first SYN-ACK").
    DroppedByRule { rule: usize },
    /// Larger than the link's MTU.
    TooBig,
    /// Addressed to a host that does not exist (replies to forged SYNs).
    NoSuchHost,
}

/// A call an application made on a socket, with what the call returned.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum AppCall {
    Listen {
        port: u16,
    },
    Connect {
        port: u16,
    },
    /// `accept()` returned the connection from the client's `peer_port`: the handshake on
    /// this listening socket completed.
    Accept {
        peer_port: u16,
    },
    /// `send(requested)` accepted `accepted` bytes into the send buffer; they are bytes
    /// `offset..offset+accepted` of this socket's outgoing stream.
    Send {
        requested: usize,
        accepted: usize,
        offset: u64,
    },
    /// `recv(bufsize)` returned `data`: bytes `offset..offset+data.len()` of the incoming stream.
    Recv {
        bufsize: usize,
        offset: u64,
        data: Vec<u8>,
    },
    /// `recv` returned 0 bytes: the peer's FIN has been read; no more data will come.
    Eof,
    /// `shutdown(SHUT_WR)`: no more sending (a FIN follows the queued data); reading goes on.
    Shutdown,
    /// `close()`: no more sending *or* reading; a FIN follows the queued data.
    Close,
    /// `close()` with SO_LINGER 0: the connection is reset (RST) at once.
    Abort,
    UdpBind {
        port: u16,
    },
    UdpSend {
        port: u16,
        len: usize,
    },
    UdpRecv {
        from_port: u16,
        data: Vec<u8>,
    },
    /// The server's loop woke up: `select()`/`epoll_wait()` returned the server sockets
    /// `ready` (by index), having been asked about `watched` sockets. (A blocking server makes
    /// no such call: it sits in `recv()`.)
    Wait {
        kind: LoopKind,
        ready: Vec<usize>,
        watched: usize,
    },
}

/// Something that happened at a moment of virtual time.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Virtual time in microseconds since the run started.
    pub at_us: u64,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A packet was put on the wire.
    Packet {
        from: Side,
        packet: Packet,
        fate: Fate,
        /// The whole IPv4 packet, exactly as emitted.
        bytes: Vec<u8>,
    },
    /// A TCP socket changed state.
    State { socket: SocketId, from: TcpState, to: TcpState },
    /// An application called into a socket.
    App { socket: SocketId, call: AppCall },
}

impl Event {
    /// The TCP segment, if this event is a TCP packet.
    pub fn segment(&self) -> Option<&Segment> {
        match &self.kind {
            EventKind::Packet { packet, .. } => packet.tcp(),
            _ => None,
        }
    }
}

/// One line per event, as the CLI prints it: time, who, what.
impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:>11.3} ms  ", self.at_us as f64 / 1000.0)?;
        match &self.kind {
            EventKind::Packet { from, packet, fate, .. } => {
                let [a, b, c, d] = packet.ip.dst;
                write!(f, "{:<8} → {a}.{b}.{c}.{d:<4} ", from.name())?;
                match &packet.transport {
                    Transport::Tcp(s) => {
                        let summary = s.summary(Numbering::Relative);
                        write!(f, "TCP {}→{} {summary}", s.src_port, s.dst_port)?
                    }
                    Transport::Udp { src_port, dst_port, payload_len } => {
                        write!(f, "UDP {src_port}→{dst_port} len={payload_len}")?
                    }
                }
                match fate {
                    Fate::Delivered { at_us, duplicate_at_us } => {
                        write!(f, "  (arrives {:.3} ms", *at_us as f64 / 1000.0)?;
                        if let Some(again) = duplicate_at_us {
                            write!(f, ", duplicate at {:.3} ms", *again as f64 / 1000.0)?;
                        }
                        write!(f, ")")
                    }
                    Fate::Lost => write!(f, "  ✗ lost"),
                    Fate::DroppedByRule { rule } => write!(f, "  ✗ dropped by rule {rule}"),
                    Fate::TooBig => write!(f, "  ✗ larger than the MTU"),
                    Fate::NoSuchHost => write!(f, "  ✗ no such host"),
                }
            }
            EventKind::State { socket, from, to } => {
                write!(f, "{socket:<10} {} → {}", from.name(), to.name())
            }
            EventKind::App { socket, call } => write!(f, "{socket:<10} {call}"),
        }
    }
}

/// The call as a programmer would write it, with its result: `recv(1024) → 5 bytes "hello"`.
impl std::fmt::Display for AppCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppCall::Listen { port } => write!(f, "listen({port})"),
            AppCall::Connect { port } => write!(f, "connect(:{port})"),
            AppCall::Accept { peer_port } => write!(f, "accept() → connection from :{peer_port}"),
            AppCall::Send { requested, accepted, .. } => {
                write!(f, "send({requested}) → {accepted}")
            }
            AppCall::Recv { bufsize, data, .. } => {
                write!(f, "recv({bufsize}) → {} bytes {:?}", data.len(), preview(data))
            }
            AppCall::Eof => write!(f, "recv() → 0 (end of stream)"),
            AppCall::Shutdown => write!(f, "shutdown(SHUT_WR)"),
            AppCall::Close => write!(f, "close()"),
            AppCall::Abort => write!(f, "close() with linger 0 → RST"),
            AppCall::UdpBind { port } => write!(f, "bind(:{port}) UDP"),
            AppCall::UdpSend { port, len } => write!(f, "sendto(:{port}, {len} bytes)"),
            AppCall::UdpRecv { from_port, data } => {
                write!(f, "recvfrom() → {} bytes {:?} from :{from_port}", data.len(), preview(data))
            }
            AppCall::Wait { kind, ready, watched } => {
                let ready: Vec<String> = ready.iter().map(|i| format!("server#{i}")).collect();
                match kind {
                    LoopKind::Select => write!(f, "select({watched} sockets)")?,
                    _ => write!(f, "{}()", kind.call_name())?,
                }
                write!(f, " → {} ready: {}", ready.len(), ready.join(", "))
            }
        }
    }
}

/// For each event of `trace`, whether it is a TCP segment that resends sequence numbers its
/// sender had already sent on that connection: a retransmission.
pub fn retransmissions(trace: &[Event]) -> Vec<bool> {
    // Per direction of each connection: the first sequence number not sent yet.
    let mut next = std::collections::HashMap::new();
    trace
        .iter()
        .map(|event| {
            let EventKind::Packet { packet, .. } = &event.kind else { return false };
            let Transport::Tcp(segment) = &packet.transport else { return false };
            if segment.seq_len() == 0 {
                return false;
            }
            let key = (packet.ip.src, segment.src_port, packet.ip.dst, segment.dst_port);
            let end = segment.rel_seq.wrapping_add(segment.seq_len());
            match next.get_mut(&key) {
                Some(sent) if segment.rel_seq < *sent => true,
                Some(sent) => {
                    *sent = end;
                    false
                }
                None => {
                    next.insert(key, end);
                    false
                }
            }
        })
        .collect()
}

/// Up to 40 bytes of data as (lossy) text.
fn preview(data: &[u8]) -> String {
    let shown = String::from_utf8_lossy(&data[..data.len().min(40)]).into_owned();
    if data.len() > 40 { shown + "…" } else { shown }
}
