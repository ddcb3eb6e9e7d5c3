//! Scheme 2, delimiter: every message ends with an agreed byte sequence, such as `b"\n"`, and
//! the receiver scans for it.
//!
//! ```text
//!  ┌───────────┬────┬───────────┬────┬──
//!  │ message 1 │ \n │ message 2 │ \n │ …
//!  └───────────┴────┴───────────┴────┴──
//! ```
//!
//! Good for text protocols (SMTP, HTTP headers, chat lines). Two costs: a message must never
//! contain the delimiter, and the receiver cannot know how long a message is until its end
//! arrives — so it needs a limit, or a peer that never sends `\n` fills its memory.

use std::mem;

use crate::FrameError;
use crate::Message;
use crate::decoder::{Parse, Parsed, Progress};

/// The frame is the message followed by the delimiter.
pub(crate) fn encode(delimiter: &[u8], max_len: usize, body: &[u8]) -> Result<Vec<u8>, FrameError> {
    if body.len() > max_len {
        return Err(FrameError::MessageTooLarge { len: body.len() as u64, max: max_len as u64 });
    }
    let frame = [body, delimiter].concat();
    // The receiver ends the frame at the *first* delimiter it finds, which must be the one we
    // appended. A delimiter inside the message breaks that, and so, less obviously, does a
    // message whose last bytes run into the delimiter: with delimiter b"aa", the message b"xa"
    // goes out as b"xaaa", which the receiver reads as b"x". Searching the whole frame catches
    // both.
    match find(&frame, delimiter) {
        Some(at) if at < body.len() => Err(FrameError::ContainsDelimiter { at }),
        _ => Ok(frame),
    }
}

/// Position of the first occurrence of `needle` (non-empty) in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[derive(Debug)]
pub(crate) struct Parser {
    delimiter: Vec<u8>,
    max_len: usize,
    /// The frame so far. It never grows past `limit()`: at that size without a delimiter, the
    /// message is over `max_len` and the stream is rejected.
    bytes: Vec<u8>,
}

impl Parser {
    pub(crate) fn new(delimiter: Vec<u8>, max_len: usize) -> Self {
        Self { delimiter, max_len, bytes: Vec::new() }
    }

    /// The largest frame allowed: a message of `max_len` bytes plus the delimiter.
    fn limit(&self) -> usize {
        self.max_len.saturating_add(self.delimiter.len())
    }
}

impl Parse for Parser {
    fn parse(&mut self, input: &mut &[u8]) -> Result<Option<Parsed>, FrameError> {
        let old_len = self.bytes.len();
        let take = input.len().min(self.limit() - old_len);
        self.bytes.extend_from_slice(&input[..take]);
        // Earlier calls found no delimiter in the old bytes, so search only where one could
        // newly be: one may have begun in the last `delimiter.len() - 1` old bytes (a delimiter
        // split across two reads, like b"\r" | b"\n").
        let from = old_len.saturating_sub(self.delimiter.len() - 1);
        let Some(at) = find(&self.bytes[from..], &self.delimiter) else {
            *input = &input[take..];
            if self.bytes.len() == self.limit() {
                let searched = self.bytes.len();
                return Err(FrameError::NoDelimiter { searched, max_len: self.max_len });
            }
            return Ok(None);
        };
        let body_len = from + at;
        let frame_len = body_len + self.delimiter.len();
        // We copied `take` bytes, but only those up to the delimiter's end are this frame's:
        // hand the rest back for the next frame.
        *input = &input[frame_len - old_len..];
        self.bytes.truncate(body_len);
        let message = Message::new(mem::take(&mut self.bytes));
        Ok(Some(Parsed { header_len: 0, message, trailer_len: self.delimiter.len() }))
    }

    fn buffered(&self) -> usize {
        self.bytes.len()
    }

    fn progress(&self) -> Progress {
        Progress::NeedDelimiter { have: self.bytes.len(), max: self.limit() }
    }
}

#[cfg(test)]
mod tests {
    use crate::decoder::testing::{bodies, decode};
    use crate::{FrameError, Message, Progress, Scheme, Span};

    fn lines(max_len: usize) -> Scheme {
        Scheme::Delimiter { delimiter: b"\n".to_vec(), max_len }
    }

    fn crlf() -> Scheme {
        Scheme::Delimiter { delimiter: b"\r\n".to_vec(), max_len: 8 }
    }

    #[test]
    fn appends_the_delimiter() {
        assert_eq!(lines(10).encode(&Message::new(b"hi")), Ok(b"hi\n".to_vec()));
        assert_eq!(lines(10).encode(&Message::new(b"")), Ok(b"\n".to_vec()));
    }

    #[test]
    fn refuses_a_message_the_receiver_would_cut_short() {
        let inside = lines(10).encode(&Message::new(b"a\nb"));
        assert_eq!(inside, Err(FrameError::ContainsDelimiter { at: 1 }));
        // b"xa" + b"aa" = b"xaaa": the receiver would find b"aa" at byte 1.
        let aa = Scheme::Delimiter { delimiter: b"aa".to_vec(), max_len: 10 };
        assert_eq!(aa.encode(&Message::new(b"xa")), Err(FrameError::ContainsDelimiter { at: 1 }));
        // b"a\r" + b"\r\n" is fine: the first b"\r\n" is still the appended one.
        assert_eq!(crlf().encode(&Message::new(b"a\r")), Ok(b"a\r\r\n".to_vec()));
    }

    #[test]
    fn refuses_a_message_over_the_limit() {
        let error = lines(3).encode(&Message::new(b"four"));
        assert_eq!(error, Err(FrameError::MessageTooLarge { len: 4, max: 3 }));
    }

    #[test]
    fn splits_at_each_delimiter() {
        let (frames, error) = decode(&lines(10), &[b"hel", b"lo\nwor", b"ld\n\n"]);
        assert_eq!(bodies(&frames), [&b"hello"[..], b"world", b""]);
        assert_eq!(error, None);
        let span = Span { start: 6, header_len: 0, body_len: 5, trailer_len: 1 };
        assert_eq!(frames[1].span, span);
    }

    #[test]
    fn finds_a_delimiter_split_across_reads() {
        let (frames, error) = decode(&crlf(), &[b"ab\r", b"\ncd\r\r", b"\n"]);
        assert_eq!(bodies(&frames), [&b"ab"[..], b"cd\r"]);
        assert_eq!(error, None);
    }

    #[test]
    fn accepts_a_message_of_exactly_max_len() {
        let (frames, error) = decode(&crlf(), &[b"12345678\r", b"\n"]);
        assert_eq!((bodies(&frames), error), (vec![&b"12345678"[..]], None));
    }

    #[test]
    fn gives_up_once_max_len_plus_delimiter_bytes_have_no_delimiter() {
        let mut decoder = crlf().decoder().unwrap();
        decoder.push(b"123456789");
        assert_eq!(decoder.next_frame(), Ok(None)); // b"12345678" + b"\r" could still be fine
        assert_eq!(decoder.progress(), Progress::NeedDelimiter { have: 9, max: 10 });
        decoder.push(b"0");
        let error = FrameError::NoDelimiter { searched: 10, max_len: 8 };
        assert_eq!(decoder.next_frame(), Err(error.clone()));
        assert_eq!(
            error.to_string(),
            "no delimiter in the first 10 bytes: the message is over the 8-byte limit"
        );
    }

    #[test]
    fn never_buffers_past_the_limit_however_much_arrives() {
        let mut decoder = lines(4).decoder().unwrap();
        decoder.push(b"ok\n");
        decoder.push(&[b'x'; 1000]);
        assert_eq!(decoder.next_frame().unwrap().unwrap().message.body, b"ok");
        assert_eq!(decoder.next_frame(), Err(FrameError::NoDelimiter { searched: 5, max_len: 4 }));
    }
}
