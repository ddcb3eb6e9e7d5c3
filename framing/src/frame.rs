//! What goes in (a [`Message`]) and what comes out (a [`Frame`]: the message and where its
//! bytes were in the stream).

use serde::{Deserialize, Serialize};

/// One application message: what the sender passed to one `send_msg()` call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Message {
    /// The file name. Only the JSON-header scheme carries one; with the others it is `None`.
    pub name: Option<String>,
    /// The message's bytes.
    pub body: Vec<u8>,
}

impl Message {
    /// A message with no name, for the fixed-length, delimiter and length-prefix schemes.
    pub fn new(body: impl Into<Vec<u8>>) -> Self {
        Self { name: None, body: body.into() }
    }

    /// A named file, for the JSON-header scheme.
    pub fn file(name: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self { name: Some(name.into()), body: body.into() }
    }
}

/// Where one frame's bytes lie in the stream, so the page can colour which bytes belong to
/// which message.
///
/// ```text
///  start
///  │ header_len   │ body_len            │ trailer_len │
///  ├──────────────┼─────────────────────┼─────────────┤ end()
///   length prefix   the message's bytes    delimiter
///   (+ JSON header)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Offset of the frame's first byte, counted from the first byte of the stream.
    pub start: u64,
    /// Bytes before the body: 4 for a length prefix, 4 + the JSON for a JSON header, else 0.
    pub header_len: usize,
    /// Bytes of the message itself.
    pub body_len: usize,
    /// Bytes after the body: the delimiter's length for the delimiter scheme, else 0.
    pub trailer_len: usize,
}

impl Span {
    /// Offset of the body's first byte.
    pub fn body_start(&self) -> u64 {
        self.start + self.header_len as u64
    }

    /// Offset just past the frame: where the next frame starts.
    pub fn end(&self) -> u64 {
        self.body_start() + (self.body_len + self.trailer_len) as u64
    }
}

/// A message recovered from the stream, with the bytes it was made of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Frame {
    /// Where the frame was in the stream.
    pub span: Span,
    /// The message it carried.
    pub message: Message,
}
