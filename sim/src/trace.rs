//! What a simulation run produces: a list of typed, timestamped events.
//!
//! Events are plain data (serde) so the page, the tests and a CLI can all consume the same
//! trace. Packets are recorded as the raw bytes the stack emitted *and* as parsed header fields,
//! so a view can show "SYN seq=0" while a pcap export can write the real bytes.

use serde::{Deserialize, Serialize};
use smoltcp::socket::tcp;
use smoltcp::wire::{IpProtocol, Ipv4Packet, TcpOption, TcpPacket};

/// Which of the two hosts.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::Client, Side::Server];

    pub fn other(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
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
        let set: Vec<&str> = names
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect();
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
}

impl Segment {
    /// Parse a raw IPv4 packet; `None` if it is not a well-formed TCP/IPv4 packet.
    pub fn parse(packet: &[u8]) -> Option<Segment> {
        let ip = Ipv4Packet::new_checked(packet).ok()?;
        if ip.next_header() != IpProtocol::Tcp {
            return None;
        }
        let tcp = TcpPacket::new_checked(ip.payload()).ok()?;
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
        Some(Segment {
            src_port: tcp.src_port(),
            dst_port: tcp.dst_port(),
            seq: tcp.seq_number().0 as u32,
            ack: tcp.ack().then(|| tcp.ack_number().0 as u32),
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

/// A call an application made on its socket.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum AppCall {
    Listen { port: u16 },
    Connect { port: u16 },
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
    /// A host put a packet on the wire.
    Packet {
        from: Side,
        segment: Segment,
        /// Sequence and acknowledgment numbers relative to each direction's initial sequence
        /// number, as Wireshark shows them by default (the SYN is seq 0).
        rel_seq: u32,
        rel_ack: Option<u32>,
        /// The whole IPv4 packet.
        bytes: Vec<u8>,
    },
    /// A host's TCP socket changed state.
    State {
        side: Side,
        from: TcpState,
        to: TcpState,
    },
    /// An application called into its socket.
    App { side: Side, call: AppCall },
}
