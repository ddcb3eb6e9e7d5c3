//! "Sticky packets", for real: which message every byte belongs to, which segment carried it,
//! and which `recv()` handed it to the application — all read off a real smoltcp run.
//!
//! The sender writes messages; TCP only sees a stream of bytes. Nagle's algorithm, the MSS,
//! the receiver's buffer and how often and how much the receiver reads decide how those bytes
//! are cut into segments and into `recv()` results. None of those cuts need line up with the
//! messages — which is the whole lesson, and why applications need framing.

use serde::{Deserialize, Serialize};

use crate::trace::{AppCall, Event, EventKind, Side, SocketId};
use crate::world::{Call, World};

/// One message, written at `at_ms` with one `sendall`: its bytes as they go on the stream
/// (text, or a framed message with a binary header).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct TimedMessage {
    pub at_ms: u64,
    pub data: Vec<u8>,
}

impl TimedMessage {
    pub fn text(at_ms: u64, text: &str) -> TimedMessage {
        TimedMessage { at_ms, data: text.as_bytes().to_vec() }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(default)]
pub struct StickyParams {
    pub messages: Vec<TimedMessage>,
    /// Nagle's algorithm on the sender (on by default, as on every real stack).
    pub nagle: bool,
    /// The receiver's `recv(bufsize)`.
    pub recv_bufsize: usize,
    /// The receiver reads at most once per this many milliseconds…
    pub read_interval_ms: u64,
    /// …starting at this moment (a receiver busy with other work reads late).
    pub read_start_ms: u64,
}

impl Default for StickyParams {
    fn default() -> Self {
        let messages = ["hello", "how are you?", "bye"]
            .iter()
            .enumerate()
            .map(|(i, text)| TimedMessage::text(100 + i as u64, text))
            .collect();
        StickyParams {
            messages,
            nagle: true,
            recv_bufsize: 1024,
            read_interval_ms: 0,
            read_start_ms: 150,
        }
    }
}

impl StickyParams {
    pub(crate) fn schedule(&self, world: &mut World, client: SocketId, server: SocketId) {
        world.schedule(0, client, Call::Nagle { on: self.nagle });
        for message in &self.messages {
            world.schedule(message.at_ms, client, Call::Write { data: message.data.clone() });
        }
        let read = Call::Read { bufsize: self.recv_bufsize, interval_ms: self.read_interval_ms };
        world.schedule(self.read_start_ms, server, read);
    }

    /// Where each message sits in the byte stream: `[start, end)` offsets.
    pub fn message_ranges(&self) -> Vec<(u64, u64)> {
        let mut start = 0;
        self.messages
            .iter()
            .map(|m| {
                let range = (start, start + m.data.len() as u64);
                start = range.1;
                range
            })
            .collect()
    }
}

/// A run of stream bytes `[start, end)` and the trace event that moved them.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Index of the event in the trace.
    pub event: usize,
    pub start: u64,
    pub end: u64,
}

/// Everything the page needs to colour the stream: per message, per segment, per `recv`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct StreamMap {
    /// Each message's `[start, end)` in the client→server stream.
    pub messages: Vec<(u64, u64)>,
    /// Client→server data segments, in sending order (retransmissions included).
    pub segments: Vec<Span>,
    /// The server's `recv()` calls that returned data.
    pub recvs: Vec<Span>,
}

impl StreamMap {
    /// Derive the map from a trace of the sticky scenario.
    pub fn from_trace(params: &StickyParams, trace: &[Event]) -> StreamMap {
        let mut segments = Vec::new();
        let mut recvs = Vec::new();
        for (event, e) in trace.iter().enumerate() {
            match &e.kind {
                EventKind::Packet { from: Side::Client, .. } => {
                    if let Some(segment) = e.segment().filter(|s| s.payload_len > 0) {
                        // The SYN took sequence number 0, so data byte k has relative seq k + 1.
                        let start = u64::from(segment.rel_seq) - 1;
                        segments.push(Span {
                            event,
                            start,
                            end: start + segment.payload_len as u64,
                        });
                    }
                }
                EventKind::App { socket, call: AppCall::Recv { offset, data, .. } }
                    if socket.side == Side::Server && !data.is_empty() =>
                {
                    recvs.push(Span { event, start: *offset, end: offset + data.len() as u64 });
                }
                _ => {}
            }
        }
        StreamMap { messages: params.message_ranges(), segments, recvs }
    }

    /// The message that byte `offset` of the stream belongs to.
    pub fn message_of(&self, offset: u64) -> Option<usize> {
        self.messages.iter().position(|&(start, end)| (start..end).contains(&offset))
    }

    /// For each `recv()`, the messages (by index) whose bytes it returned — `[0, 1, 2]` is
    /// three messages stuck together, `[1]` twice in a row is one message split in two.
    pub fn messages_per_recv(&self) -> Vec<Vec<usize>> {
        self.recvs
            .iter()
            .map(|r| {
                let mut hit: Vec<usize> =
                    (r.start..r.end).filter_map(|b| self.message_of(b)).collect();
                hit.dedup();
                hit
            })
            .collect()
    }
}
