//! Scheme 1, fixed length: every message is exactly `len` bytes, so the boundaries are at
//! `len`, `2·len`, … and the receiver just counts.
//!
//! ```text
//!  ┌── len bytes ──┬── len bytes ──┬──
//!  │   message 1   │   message 2   │ …
//!  └───────────────┴───────────────┴──
//! ```
//!
//! The simplest fix and the least flexible: shorter messages must be padded by the
//! application, longer ones do not fit at all.

use std::mem;

use crate::FrameError;
use crate::Message;
use crate::decoder::{Parse, Parsed, Progress, fill};

/// The frame is the message itself. A message of another length is refused rather than padded
/// or cut: either would silently change what the receiver gets.
pub(crate) fn encode(len: usize, body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() != len {
        return Err(FrameError::WrongLength { expected: len, actual: body.len() });
    }
    Ok(body.to_vec())
}

#[derive(Debug)]
pub(crate) struct Parser {
    len: usize,
    /// The message so far.
    body: Vec<u8>,
}

impl Parser {
    pub(crate) fn new(len: usize) -> Self {
        Self { len, body: Vec::new() }
    }
}

impl Parse for Parser {
    fn parse(&mut self, input: &mut &[u8]) -> Result<Option<Parsed>, FrameError> {
        if !fill(&mut self.body, self.len, input) {
            return Ok(None);
        }
        let message = Message::new(mem::take(&mut self.body));
        Ok(Some(Parsed { header_len: 0, message, trailer_len: 0 }))
    }

    fn buffered(&self) -> usize {
        self.body.len()
    }

    fn progress(&self) -> Progress {
        Progress::NeedBody { have: self.body.len(), need: self.len }
    }
}

#[cfg(test)]
mod tests {
    use crate::decoder::testing::{bodies, decode};
    use crate::{FrameError, Message, Progress, Scheme};

    const FIXED: Scheme = Scheme::FixedLength { len: 4 };

    #[test]
    fn encodes_the_message_unchanged() {
        assert_eq!(FIXED.encode(&Message::new(b"ping")), Ok(b"ping".to_vec()));
    }

    #[test]
    fn refuses_other_lengths_instead_of_padding() {
        let short = FIXED.encode(&Message::new(b"hi"));
        assert_eq!(short, Err(FrameError::WrongLength { expected: 4, actual: 2 }));
        let long = FIXED.encode(&Message::new(b"hello"));
        assert_eq!(long, Err(FrameError::WrongLength { expected: 4, actual: 5 }));
    }

    #[test]
    fn splits_stuck_together_messages_every_len_bytes() {
        let (frames, error) = decode(&FIXED, &[b"pi", b"ngpo", b"ngab"]);
        assert_eq!(bodies(&frames), [b"ping", b"pong"]);
        assert_eq!(error, None);
        let starts: Vec<u64> = frames.iter().map(|frame| frame.span.start).collect();
        assert_eq!(starts, [0, 4]);
    }

    #[test]
    fn reports_a_partial_message() {
        let mut decoder = FIXED.decoder().unwrap();
        decoder.push(b"pingpo");
        assert_eq!(decoder.progress(), Progress::NeedBody { have: 2, need: 4 });
        assert_eq!(decoder.buffered(), 2);
    }
}
