//! The page↔relay protocol: every message that crosses SockLab's WebSocket, typed once.
//!
//! The page (compiled to wasm) and the relay (native) both depend on this crate, so a message
//! cannot be spelled differently on the two sides. Messages travel as JSON text frames:
//!
//! ```text
//!  page                                   relay                      real sockets
//!  ── WebSocket (subprotocol socklab.v1) ──▶  ClientMsg::Open{tcp-echo} ──connect()──▶ echo
//!  ◀── ServerMsg::Opened{connect_us} ───────
//!  ── ClientMsg::Send{text} ───────────────▶  write() ───────────────────────────────▶
//!  ◀── ServerMsg::Read{len, data} ──────────  one message per read() that returned ◀──
//! ```
//!
//! **Versioning.** The version is negotiated by the WebSocket subprotocol ([`SUBPROTOCOL`]):
//! a client that does not offer it is refused before the upgrade. A future incompatible
//! version gets a new subprotocol name, so old pages fail loudly instead of misreading frames.
//!
//! **No addresses.** A client names an [`Endpoint`] — never a host or port — so the relay can
//! only ever connect to its own listeners. That is what keeps it from being an open proxy.
//!
//! The full description, with examples of every message, is in `docs/PROTOCOL.md`.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// WebSocket subprotocol naming this version of the protocol.
pub const SUBPROTOCOL: &str = "socklab.v1";

/// Path of the relay's WebSocket endpoint.
pub const WS_PATH: &str = "/ws";

/// Chosen by the page, unique within one WebSocket; lets one socket carry several sessions.
pub type SessionId = u32;

/// The relay's own listeners: the only things a session can be connected to.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Endpoint {
    /// RFC 862 echo over TCP: every byte written is sent back.
    TcpEcho,
    /// RFC 862 echo over UDP: every datagram is sent back, unchanged.
    UdpEcho,
    /// A small HTTP/1.1 server: type a request, read the response as the kernel delivers it.
    HttpDemo,
}

impl Endpoint {
    /// Every endpoint, in the order the relay announces them.
    pub const ALL: [Endpoint; 3] = [Endpoint::TcpEcho, Endpoint::UdpEcho, Endpoint::HttpDemo];

    /// The name used on the wire and in the docs, e.g. `tcp-echo`.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::TcpEcho => "tcp-echo",
            Endpoint::UdpEcho => "udp-echo",
            Endpoint::HttpDemo => "http-demo",
        }
    }

    /// Whether sessions to this endpoint are TCP streams (else UDP datagrams).
    pub fn is_stream(self) -> bool {
        matches!(self, Endpoint::TcpEcho | Endpoint::HttpDemo)
    }
}

/// Bytes as they appear in JSON: readable text where possible, base64 where not.
///
/// A TCP read can end in the middle of a multi-byte UTF-8 character (the stream has no idea
/// where characters end), so the relay cannot always send text; it falls back to base64.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    Text(String),
    Base64(#[serde(with = "base64_bytes")] Vec<u8>),
}

impl Payload {
    /// Text if the bytes are valid UTF-8, base64 otherwise.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Payload::Text(text),
            Err(err) => Payload::Base64(err.into_bytes()),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Payload::Text(text) => text.as_bytes(),
            Payload::Base64(bytes) => bytes,
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Payload::Text(text) => text.into_bytes(),
            Payload::Base64(bytes) => bytes,
        }
    }
}

/// Messages from the page to the relay.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// Open a session to one of the relay's endpoints.
    Open { session: SessionId, endpoint: Endpoint },
    /// TCP: write these bytes (one `write_all`). UDP: send them as one datagram.
    Send { session: SessionId, data: Payload },
    /// TCP: write each of these back to back, without waiting in between — the way to make a
    /// kernel coalesce small writes (with Nagle on) into fewer segments and fewer reads.
    SendBatch { session: SessionId, writes: Vec<Payload> },
    /// TCP: set `TCP_NODELAY` (`on: true` turns Nagle's algorithm off).
    SetNoDelay { session: SessionId, on: bool },
    /// TCP: `shutdown(SHUT_WR)`, a half-close: send FIN, keep reading.
    Shutdown { session: SessionId },
    /// TCP, Linux relays: a snapshot of the kernel's `TCP_INFO` for the session's socket.
    TcpInfo { session: SessionId },
    /// Close the session's socket.
    Close { session: SessionId },
    /// Start (`on: true`) or stop watching every connection the echo endpoints serve, from
    /// any client — a learner's own Python script included.
    Tap { on: bool },
}

/// Messages from the relay to the page.
///
/// Pages ignore fields they do not know (unlike the relay, which refuses them in
/// [`ClientMsg`]): a relay may add a field to a report within this protocol version without
/// breaking the pages already loaded.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// First message on every WebSocket: what this relay offers, and where its endpoints
    /// listen — so a page can tell a learner which address their own script should use.
    Hello {
        protocol: String,
        endpoints: Vec<Endpoint>,
        /// Added within v1: a page from before it finds no addresses.
        #[serde(default)]
        listeners: Vec<Listener>,
    },
    /// The session's socket is connected; `connect_us` is how long `connect()` took.
    Opened { session: SessionId, endpoint: Endpoint, connect_us: u64 },
    /// A `write_all` of `len` bytes finished, `at_us` after the session opened.
    Wrote { session: SessionId, len: usize, at_us: u64 },
    /// One `read()` returned these bytes, `at_us` after the session opened. One message per
    /// read, never merged or split: the boundaries are the kernel's.
    Read { session: SessionId, len: usize, at_us: u64, data: Payload },
    /// `read()` returned 0: the peer sent FIN and will send no more.
    PeerClosed { session: SessionId, at_us: u64 },
    /// The connection was reset (the peer sent RST); the session is finished.
    PeerReset { session: SessionId, at_us: u64 },
    /// One datagram arrived on a UDP session, `at_us` after the session opened.
    Datagram { session: SessionId, len: usize, at_us: u64, data: Payload },
    /// `TCP_NODELAY` is now `on`.
    NoDelay { session: SessionId, on: bool },
    /// The kernel's view of the session's connection, answering `tcp_info`.
    TcpInfo { session: SessionId, info: TcpInfo },
    /// `shutdown(SHUT_WR)` done: our FIN is on its way.
    ShutDown { session: SessionId, at_us: u64 },
    /// The session is over and its id may be reused.
    Closed { session: SessionId },
    /// Something the echo endpoints did, for a WebSocket that turned the tap on.
    Tap { event: TapEvent },
    /// This WebSocket read tap events too slowly and `missed` of them were dropped.
    TapLagged { missed: u64 },
    /// Something went wrong. `session` is set when one session is affected; the WebSocket
    /// stays open either way.
    Error { session: Option<SessionId>, code: ErrorCode, message: String },
}

/// Where an endpoint listens, as the relay bound it: `127.0.0.1:7007`, or `0.0.0.0:7007` for
/// every address of its machine.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub endpoint: Endpoint,
    pub address: String,
}

/// What the relay prints on stdout, one JSON object per line, for the tools that start it (the
/// end-to-end tests, the load generator, `./dev run`'s test) — they read this, not the sentence
/// for people that follows it. Not part of the WebSocket protocol, but typed here for the same
/// reason: the relay writes it and the load generator reads it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StartupEvent {
    /// Every listener is bound (port 0 resolved to the port actually taken), e.g.
    /// `{"event":"listening","site":"http://127.0.0.1:8080","tcp_echo":"127.0.0.1:7007",…}`.
    Listening {
        site: String,
        tcp_echo: std::net::SocketAddr,
        udp_echo: std::net::SocketAddr,
        http_demo: std::net::SocketAddr,
    },
}

/// Linux's `TCP_INFO` for one socket: the fields a lesson discusses.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct TcpInfo {
    /// The connection's state.
    pub state: TcpState,
    /// Smoothed round-trip time and its variation (RFC 6298), microseconds.
    pub rtt_us: u32,
    pub rttvar_us: u32,
    /// Congestion window, in segments.
    pub snd_cwnd: u32,
    /// Maximum segment sizes for sending and receiving.
    pub snd_mss: u32,
    pub rcv_mss: u32,
    /// Retransmissions of the current unacknowledged data, and over the connection's life.
    pub retransmits: u8,
    pub total_retrans: u32,
    /// Segments sent and not yet acknowledged.
    pub unacked: u32,
}

/// A TCP connection's state (RFC 9293, section 3.3.2), as Linux reports it in `TCP_INFO`.
///
/// On the wire each state is spelled as the RFC spells it (`"ESTABLISHED"`, `"SYN-SENT"`), so a
/// page can show it as it is. A state this version does not know (a newer kernel's) arrives as
/// [`TcpState::Unknown`] instead of making the whole report unreadable.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpState {
    #[serde(rename = "ESTABLISHED")]
    Established,
    #[serde(rename = "SYN-SENT")]
    SynSent,
    #[serde(rename = "SYN-RECEIVED")]
    SynReceived,
    #[serde(rename = "FIN-WAIT-1")]
    FinWait1,
    #[serde(rename = "FIN-WAIT-2")]
    FinWait2,
    #[serde(rename = "TIME-WAIT")]
    TimeWait,
    #[serde(rename = "CLOSED")]
    Closed,
    #[serde(rename = "CLOSE-WAIT")]
    CloseWait,
    #[serde(rename = "LAST-ACK")]
    LastAck,
    #[serde(rename = "LISTEN")]
    Listen,
    #[serde(rename = "CLOSING")]
    Closing,
    #[serde(rename = "UNKNOWN", other)]
    Unknown,
}

impl TcpState {
    /// Every state, for tests and documentation.
    pub const ALL: [TcpState; 12] = [
        TcpState::Established,
        TcpState::SynSent,
        TcpState::SynReceived,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::TimeWait,
        TcpState::Closed,
        TcpState::CloseWait,
        TcpState::LastAck,
        TcpState::Listen,
        TcpState::Closing,
        TcpState::Unknown,
    ];

    /// The name on the wire and on the page, e.g. `ESTABLISHED`.
    pub fn as_str(self) -> &'static str {
        match self {
            TcpState::Established => "ESTABLISHED",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::TimeWait => "TIME-WAIT",
            TcpState::Closed => "CLOSED",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::LastAck => "LAST-ACK",
            TcpState::Listen => "LISTEN",
            TcpState::Closing => "CLOSING",
            TcpState::Unknown => "UNKNOWN",
        }
    }
}

impl std::fmt::Display for TcpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing an echo endpoint did with one client, as the live tap reports it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct TapEvent {
    pub endpoint: Endpoint,
    /// The client's address and port, e.g. `127.0.0.1:51234`.
    pub peer: String,
    /// Milliseconds since the relay started.
    pub at_ms: u64,
    #[serde(flatten)]
    pub kind: TapKind,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum TapKind {
    /// `accept()` returned this client's connection.
    Accepted,
    /// One `read()` (TCP) or one datagram (UDP) returned `len` bytes; `data` holds the first
    /// [`TAP_DATA_MAX`] of them.
    Read { len: usize, data: Payload },
    /// The endpoint wrote `len` bytes back.
    Wrote { len: usize },
    /// The client closed (FIN) and the endpoint closed too.
    Closed,
    /// The connection ended with an error (a reset, or the idle timeout).
    Ended { reason: String },
}

/// The most bytes of one read a tap event carries.
pub const TAP_DATA_MAX: usize = 1024;

/// Stable, machine-readable error codes. The accompanying message is for humans.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not a valid [`ClientMsg`] (bad JSON, unknown type or endpoint, wrong field types).
    BadMessage,
    /// A binary frame arrived; this protocol uses text frames only.
    BinaryNotSupported,
    /// `open` named a session id that is already open on this WebSocket.
    SessionExists,
    /// The message named a session that is not open.
    UnknownSession,
    /// This WebSocket already has the maximum number of sessions open.
    TooManySessions,
    /// The relay could not connect to its own endpoint.
    ConnectFailed,
    /// A read or write on the session's socket failed; the session is closed.
    SocketError,
    /// The operation does not apply to this session's kind (e.g. `shutdown` on UDP).
    WrongSessionKind,
    /// A UDP datagram over the relay's size limit; nothing was sent.
    DatagramTooLarge,
    /// The session used up its byte or message budget; it is closed.
    BudgetExceeded,
    /// Messages arrive faster than the relay's per-WebSocket rate; this one was dropped.
    RateLimited,
    /// The session had no traffic for the idle timeout; it is closed.
    IdleTimeout,
    /// The live tap is off on this relay (it is bound to a public address; see `--tap`).
    TapDisabled,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadMessage => "bad_message",
            ErrorCode::BinaryNotSupported => "binary_not_supported",
            ErrorCode::SessionExists => "session_exists",
            ErrorCode::UnknownSession => "unknown_session",
            ErrorCode::TooManySessions => "too_many_sessions",
            ErrorCode::ConnectFailed => "connect_failed",
            ErrorCode::SocketError => "socket_error",
            ErrorCode::WrongSessionKind => "wrong_session_kind",
            ErrorCode::DatagramTooLarge => "datagram_too_large",
            ErrorCode::BudgetExceeded => "budget_exceeded",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::IdleTimeout => "idle_timeout",
            ErrorCode::TapDisabled => "tap_disabled",
        }
    }
}

mod base64_bytes {
    use super::*;

    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_messages_have_the_documented_json_shape() {
        let open = ClientMsg::Open { session: 1, endpoint: Endpoint::TcpEcho };
        assert_eq!(
            serde_json::to_value(&open).unwrap(),
            json!({"type": "open", "session": 1, "endpoint": "tcp-echo"})
        );
        let send = ClientMsg::Send { session: 1, data: Payload::Text("hi".into()) };
        assert_eq!(
            serde_json::to_value(&send).unwrap(),
            json!({"type": "send", "session": 1, "data": {"text": "hi"}})
        );
    }

    #[test]
    fn binary_payloads_travel_as_base64() {
        let read = ServerMsg::Read {
            session: 7,
            len: 3,
            at_us: 42,
            data: Payload::from_bytes(vec![0xff, 0x00, 0x41]),
        };
        let value = serde_json::to_value(&read).unwrap();
        assert_eq!(value["data"], json!({"base64": "/wBB"}));
        let back: ServerMsg = serde_json::from_value(value).unwrap();
        assert_eq!(back, read);
    }

    #[test]
    fn a_utf8_character_split_by_a_read_falls_back_to_base64() {
        let snowman = "☃".as_bytes();
        assert!(matches!(Payload::from_bytes(snowman[..2].to_vec()), Payload::Base64(_)));
        assert_eq!(Payload::from_bytes(snowman.to_vec()), Payload::Text("☃".into()));
    }

    #[test]
    fn addresses_and_unknown_fields_are_rejected() {
        for bad in [
            json!({"type": "open", "session": 1, "endpoint": "127.0.0.1:22"}),
            json!({"type": "open", "session": 1, "endpoint": "tcp-echo", "host": "10.0.0.1"}),
            json!({"type": "open", "session": -1, "endpoint": "tcp-echo"}),
            json!({"type": "connect", "session": 1}),
            json!({"type": "send", "session": 1, "data": {"base64": "not base64!"}}),
        ] {
            assert!(serde_json::from_value::<ClientMsg>(bad.clone()).is_err(), "accepted {bad}");
        }
    }

    #[test]
    fn tcp_states_travel_as_the_rfc_spells_them() {
        for state in TcpState::ALL {
            assert_eq!(serde_json::to_value(state).unwrap(), json!(state.as_str()));
            assert_eq!(serde_json::from_value::<TcpState>(json!(state.as_str())).unwrap(), state);
        }
        assert_eq!(serde_json::to_value(TcpState::FinWait1).unwrap(), json!("FIN-WAIT-1"));
        // A state from a newer relay does not make the report unreadable.
        let newer: TcpState = serde_json::from_value(json!("NEW-SYN-RECV")).unwrap();
        assert_eq!(newer, TcpState::Unknown);
    }

    #[test]
    fn error_code_names_match_their_serde_names() {
        for code in [
            ErrorCode::BadMessage,
            ErrorCode::BinaryNotSupported,
            ErrorCode::SessionExists,
            ErrorCode::UnknownSession,
            ErrorCode::TooManySessions,
            ErrorCode::ConnectFailed,
            ErrorCode::SocketError,
            ErrorCode::WrongSessionKind,
            ErrorCode::DatagramTooLarge,
            ErrorCode::BudgetExceeded,
            ErrorCode::RateLimited,
            ErrorCode::IdleTimeout,
            ErrorCode::TapDisabled,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
        }
    }
}
