//! The streaming decoder every scheme shares: bytes in, in whatever pieces `recv()` returned
//! them; whole frames out, one at a time.
//!
//! The bookkeeping common to all schemes lives here — the stream offset, frames waiting to be
//! taken, the error that stopped the stream. What differs, how to find the end of a frame, is
//! each scheme's [`Parse`] implementation in its own module.

use std::collections::VecDeque;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Frame, FrameError, Message, Span};

/// What the decoder is waiting for, e.g. for the page to show "partial frame: 3 of 10 bytes".
///
/// Between frames a decoder waits for the first byte of the next one: `have` is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "waiting_for", rename_all = "snake_case")]
pub enum Progress {
    /// Receiving the header: the 4-byte length prefix, then for the JSON-header scheme the JSON
    /// itself. `need` is 4 until the prefix is in, then 4 + the JSON length it announced.
    NeedHeader { have: usize, need: usize },
    /// Receiving the body: `have` of the `need` bytes the scheme or header announced.
    NeedBody { have: usize, need: usize },
    /// Delimiter scheme: `have` bytes and no delimiter yet. Reaching `max` without one is an
    /// error ([`FrameError::NoDelimiter`]).
    NeedDelimiter { have: usize, max: usize },
    /// Stopped by a framing error; nothing more will be decoded.
    Failed,
}

/// Decodes one byte stream with one [`Scheme`](crate::Scheme); made by
/// [`Scheme::decoder`](crate::Scheme::decoder).
///
/// Feed it every byte read from the socket with [`push`](Self::push), in order, then take
/// frames with [`next_frame`](Self::next_frame) until it returns `Ok(None)`:
///
/// ```
/// # use framing::{Message, Scheme};
/// let scheme = Scheme::Delimiter { delimiter: b"\n".to_vec(), max_len: 100 };
/// let mut decoder = scheme.decoder()?;
/// for chunk in [&b"hel"[..], b"lo\nwor", b"ld\n"] {   // what three recv() calls returned
///     decoder.push(chunk);
///     while let Some(frame) = decoder.next_frame()? {
///         println!("{:?} at byte {}", frame.message.body, frame.span.start);
///     }
/// }
/// # Ok::<(), framing::FrameError>(())
/// ```
///
/// **Bounded.** `push` decodes as it goes, so the decoder holds at most one incomplete frame:
/// never more than [`Scheme::max_buffered`](crate::Scheme::max_buffered) bytes, however much
/// arrives at once. Complete frames wait in a queue until `next_frame` takes them.
///
/// **Fail-stop.** After a framing error the decoder reports the frames that were complete
/// before it, then the error, on every call from then on, and discards further bytes. Once one
/// boundary is wrong there is no telling where the next message starts — the only sound thing
/// to do with the connection is to close it.
#[derive(Debug)]
pub struct Decoder {
    parser: Box<dyn Parse>,
    /// Stream offset of the incomplete frame's first byte: the end of the last complete frame.
    partial_start: u64,
    /// Frames complete but not yet taken by `next_frame`.
    ready: VecDeque<Frame>,
    /// The error that stopped the stream, reported once `ready` is empty.
    error: Option<FrameError>,
}

impl Decoder {
    pub(crate) fn new(parser: Box<dyn Parse>) -> Self {
        Self { parser, partial_start: 0, ready: VecDeque::new(), error: None }
    }

    /// Hands the decoder the next bytes of the stream: whatever one `recv()` returned, which
    /// may be part of a message, several messages, or nothing at all.
    pub fn push(&mut self, mut bytes: &[u8]) {
        while self.error.is_none() {
            match self.parser.parse(&mut bytes) {
                Ok(Some(parsed)) => {
                    let span = Span {
                        start: self.partial_start,
                        header_len: parsed.header_len,
                        body_len: parsed.message.body.len(),
                        trailer_len: parsed.trailer_len,
                    };
                    self.partial_start = span.end();
                    self.ready.push_back(Frame { span, message: parsed.message });
                }
                // Every byte is taken and the frame is still incomplete: wait for more.
                Ok(None) => break,
                Err(error) => self.error = Some(error),
            }
        }
    }

    /// The next complete frame, `Ok(None)` if the next frame has not fully arrived yet, or the
    /// error that stopped the stream (again on every later call).
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        match (self.ready.pop_front(), &self.error) {
            (Some(frame), _) => Ok(Some(frame)),
            (None, Some(error)) => Err(error.clone()),
            (None, None) => Ok(None),
        }
    }

    /// Bytes received of the incomplete frame (0 between frames, and once failed).
    pub fn buffered(&self) -> usize {
        if self.error.is_some() { 0 } else { self.parser.buffered() }
    }

    /// Stream offset where the incomplete frame starts: the end of the last complete frame.
    /// Its bytes so far are `partial_start() .. partial_start() + buffered()`.
    pub fn partial_start(&self) -> u64 {
        self.partial_start
    }

    /// What the decoder is waiting for.
    pub fn progress(&self) -> Progress {
        if self.error.is_some() { Progress::Failed } else { self.parser.progress() }
    }
}

/// One scheme's rule for where a frame ends. Each scheme module implements it once.
pub(crate) trait Parse: fmt::Debug {
    /// Takes bytes from the front of `input`, advancing it, until a frame is complete, and
    /// returns that frame. Never takes a byte past the frame's end: it belongs to the next one.
    /// Returns `Ok(None)` only once all of `input` is taken and the frame is still incomplete.
    fn parse(&mut self, input: &mut &[u8]) -> Result<Option<Parsed>, FrameError>;

    /// Bytes of the incomplete frame taken so far, header included.
    fn buffered(&self) -> usize;

    /// What the incomplete frame is waiting for.
    fn progress(&self) -> Progress;
}

/// A complete frame as a parser sees it; the [`Decoder`] adds where it starts in the stream.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub header_len: usize,
    pub message: Message,
    pub trailer_len: usize,
}

/// Moves bytes from the front of `input` into `buf` until `buf` holds `want`; true once it does.
///
/// This is the course's `recv_exact(sock, n)` turned inside out: instead of looping on
/// `recv()` until `n` bytes are in, it takes what has arrived and says whether that was enough.
pub(crate) fn fill(buf: &mut Vec<u8>, want: usize, input: &mut &[u8]) -> bool {
    let (now, rest) = input.split_at(want.saturating_sub(buf.len()).min(input.len()));
    buf.extend_from_slice(now);
    *input = rest;
    buf.len() == want
}

/// Shared by the schemes' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::{Frame, FrameError, Scheme};

    /// Pushes `chunks` in order, then takes every frame: the frames, and the error if the
    /// stream failed.
    pub(crate) fn decode(scheme: &Scheme, chunks: &[&[u8]]) -> (Vec<Frame>, Option<FrameError>) {
        let mut decoder = scheme.decoder().expect("valid scheme");
        for chunk in chunks {
            decoder.push(chunk);
        }
        let mut frames = Vec::new();
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => return (frames, None),
                Err(error) => return (frames, Some(error)),
            }
        }
    }

    /// The bodies of `frames`.
    pub(crate) fn bodies(frames: &[Frame]) -> Vec<&[u8]> {
        frames.iter().map(|frame| &frame.message.body[..]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scheme;

    const PREFIX: Scheme = Scheme::LengthPrefix { max_len: 10 };

    #[test]
    fn partial_frame_is_reported_and_offsets_run_on() {
        let mut decoder = PREFIX.decoder().unwrap();
        assert_eq!(decoder.progress(), Progress::NeedHeader { have: 0, need: 4 });

        decoder.push(b"\x00\x00\x00\x03ab");
        assert_eq!(decoder.next_frame(), Ok(None));
        assert_eq!(decoder.progress(), Progress::NeedBody { have: 2, need: 3 });
        assert_eq!((decoder.partial_start(), decoder.buffered()), (0, 6));

        decoder.push(b"c\x00\x00");
        assert_eq!(decoder.progress(), Progress::NeedHeader { have: 2, need: 4 });
        assert_eq!((decoder.partial_start(), decoder.buffered()), (7, 2));
        let frame = decoder.next_frame().unwrap().unwrap();
        assert_eq!(frame.message, Message::new(b"abc"));
        let span = Span { start: 0, header_len: 4, body_len: 3, trailer_len: 0 };
        assert_eq!(frame.span, span);
        assert_eq!(frame.span.body_start(), 4);

        decoder.push(b"\x00\x01z");
        let frame = decoder.next_frame().unwrap().unwrap();
        assert_eq!((frame.span.start, frame.span.end()), (7, 12));
        assert_eq!(decoder.next_frame(), Ok(None));
    }

    #[test]
    fn many_frames_in_one_push_come_out_one_at_a_time() {
        let mut decoder = PREFIX.decoder().unwrap();
        decoder.push(b"\x00\x00\x00\x01a\x00\x00\x00\x00\x00\x00\x00\x02bc");
        let mut starts = Vec::new();
        while let Some(frame) = decoder.next_frame().unwrap() {
            starts.push(frame.span.start);
        }
        assert_eq!(starts, [0, 5, 9]);
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn error_comes_after_the_frames_before_it_and_sticks() {
        let mut decoder = PREFIX.decoder().unwrap();
        decoder.push(b"\x00\x00\x00\x01a\x00\x00\x00\xff");
        decoder.push(b"\x00\x00\x00\x01b"); // a valid frame after the error is not decoded
        assert_eq!(decoder.next_frame().unwrap().unwrap().message.body, b"a");
        let error = FrameError::PrefixTooLarge { len: 255, max: 10 };
        assert_eq!(decoder.next_frame(), Err(error.clone()));
        assert_eq!(decoder.next_frame(), Err(error));
        assert_eq!(decoder.progress(), Progress::Failed);
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn fill_takes_only_what_is_missing() {
        let mut buf = b"ab".to_vec();
        let mut input = &b"cdef"[..];
        assert!(fill(&mut buf, 3, &mut input));
        assert_eq!((&buf[..], input), (&b"abc"[..], &b"def"[..]));
        let mut input = &b"xy"[..];
        assert!(!fill(&mut buf, 10, &mut input));
        assert_eq!((buf.len(), input.len()), (5, 0));
    }
}
