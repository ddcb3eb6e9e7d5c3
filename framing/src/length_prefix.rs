//! Scheme 3, length prefix: every message is preceded by its length, as a 4-byte big-endian
//! unsigned number — exactly Python's `struct.pack('!I', len(body)) + body`.
//!
//! ```text
//!  ┌──── 4 bytes ────┬──────────── n bytes ───────────┬──
//!  │ n (big-endian)  │ message 1                      │ next prefix …
//!  └─────────────────┴────────────────────────────────┴──
//!   b"hi" → 00 00 00 02 68 69
//! ```
//!
//! The receiver reads 4 bytes, then exactly `n` more. Any byte may appear in a message, and the
//! receiver knows the size before the body arrives — which lets it refuse a size over its limit
//! at once, instead of buffering whatever a peer claims it will send.

use std::mem;

use crate::FrameError;
use crate::Message;
use crate::decoder::{Parse, Parsed, Progress, fill};

/// Bytes in the length prefix: `struct.calcsize('!I')`.
pub(crate) const PREFIX_LEN: usize = 4;

/// The frame is the 4-byte length then the message.
pub(crate) fn encode(max_len: usize, body: &[u8]) -> Result<Vec<u8>, FrameError> {
    let too_large = || FrameError::MessageTooLarge { len: body.len() as u64, max: max_len as u64 };
    if body.len() > max_len {
        return Err(too_large());
    }
    // `Scheme::validate` keeps `max_len` within a u32, so a message under it fits in 4 bytes.
    let len = u32::try_from(body.len()).map_err(|_| too_large())?;
    let mut frame = Vec::with_capacity(PREFIX_LEN + body.len());
    // '!' = network byte order (big-endian: most significant byte first), 'I' = unsigned 32-bit.
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(body);
    Ok(frame)
}

/// The 4 prefix bytes, which can themselves arrive split across reads.
#[derive(Debug, Default)]
pub(crate) struct Prefix {
    bytes: [u8; PREFIX_LEN],
    have: usize,
}

impl Prefix {
    /// Takes prefix bytes from `input`; once all 4 are in, returns the length they announce:
    /// `struct.unpack('!I', prefix)`.
    pub(crate) fn read(&mut self, input: &mut &[u8]) -> Option<u32> {
        let (now, rest) = input.split_at((PREFIX_LEN - self.have).min(input.len()));
        self.bytes[self.have..][..now.len()].copy_from_slice(now);
        self.have += now.len();
        *input = rest;
        (self.have == PREFIX_LEN).then_some(u32::from_be_bytes(self.bytes))
    }

    pub(crate) fn have(&self) -> usize {
        self.have
    }
}

#[derive(Debug)]
pub(crate) struct Parser {
    max_len: usize,
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    /// Reading the prefix.
    Prefix(Prefix),
    /// The prefix announced `len` bytes (within the limit); reading them.
    Body { len: usize, bytes: Vec<u8> },
}

impl Parser {
    pub(crate) fn new(max_len: usize) -> Self {
        Self { max_len, stage: Stage::Prefix(Prefix::default()) }
    }
}

impl Parse for Parser {
    fn parse(&mut self, input: &mut &[u8]) -> Result<Option<Parsed>, FrameError> {
        loop {
            match &mut self.stage {
                Stage::Prefix(prefix) => {
                    let Some(announced) = prefix.read(input) else {
                        return Ok(None);
                    };
                    // The defence against a peer announcing 4 GiB: refuse now, before
                    // buffering a single byte of the body.
                    let len = usize::try_from(announced)
                        .ok()
                        .filter(|&len| len <= self.max_len)
                        .ok_or(FrameError::PrefixTooLarge {
                            len: announced.into(),
                            max: self.max_len as u64,
                        })?;
                    self.stage = Stage::Body { len, bytes: Vec::new() };
                }
                Stage::Body { len, bytes } => {
                    if !fill(bytes, *len, input) {
                        return Ok(None);
                    }
                    let message = Message::new(mem::take(bytes));
                    self.stage = Stage::Prefix(Prefix::default());
                    return Ok(Some(Parsed { header_len: PREFIX_LEN, message, trailer_len: 0 }));
                }
            }
        }
    }

    fn buffered(&self) -> usize {
        match &self.stage {
            Stage::Prefix(prefix) => prefix.have(),
            Stage::Body { bytes, .. } => PREFIX_LEN + bytes.len(),
        }
    }

    fn progress(&self) -> Progress {
        match &self.stage {
            Stage::Prefix(prefix) => Progress::NeedHeader { have: prefix.have(), need: PREFIX_LEN },
            Stage::Body { len, bytes } => Progress::NeedBody { have: bytes.len(), need: *len },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::decoder::testing::{bodies, decode};
    use crate::{FrameError, Message, Progress, Scheme};

    const MIB: Scheme = Scheme::LengthPrefix { max_len: 1 << 20 };

    #[test]
    fn golden_bytes_match_python_struct_pack() {
        // struct.pack('!I', 2) + b"hi"
        assert_eq!(MIB.encode(&Message::new(b"hi")), Ok(b"\x00\x00\x00\x02hi".to_vec()));
        assert_eq!(MIB.encode(&Message::new(b"")), Ok(b"\x00\x00\x00\x00".to_vec()));
        // struct.pack('!I', 258): big-endian, most significant byte first.
        let frame = MIB.encode(&Message::new(vec![7; 258])).unwrap();
        assert_eq!(frame[..4], [0, 0, 1, 2]);
        assert_eq!(frame.len(), 262);
    }

    #[test]
    fn refuses_a_message_over_the_limit() {
        let small = Scheme::LengthPrefix { max_len: 3 };
        let error = small.encode(&Message::new(b"four"));
        assert_eq!(error, Err(FrameError::MessageTooLarge { len: 4, max: 3 }));
    }

    #[test]
    fn decodes_with_the_prefix_itself_split() {
        let (frames, error) = decode(&MIB, &[b"\x00", b"\x00\x00", b"\x02h", b"i\x00\x00\x00\x00"]);
        assert_eq!(bodies(&frames), [&b"hi"[..], b""]);
        assert_eq!(error, None);
        assert_eq!((frames[1].span.start, frames[1].span.header_len), (6, 4));
    }

    #[test]
    fn refuses_an_oversized_length_as_soon_as_the_prefix_is_in() {
        let mut decoder = MIB.decoder().unwrap();
        decoder.push(&5_000_000u32.to_be_bytes()[..3]);
        assert_eq!(decoder.next_frame(), Ok(None));
        decoder.push(&5_000_000u32.to_be_bytes()[3..]); // not one body byte sent yet
        let error = decoder.next_frame().unwrap_err();
        assert_eq!(error, FrameError::PrefixTooLarge { len: 5_000_000, max: 1 << 20 });
        assert_eq!(
            error.to_string(),
            "length prefix announces 5000000 bytes, over the 1048576-byte limit"
        );
    }

    #[test]
    fn a_4_gib_announcement_buffers_nothing() {
        let mut decoder = MIB.decoder().unwrap();
        decoder.push(b"\xff\xff\xff\xffthe rest of 4 GiB");
        assert_eq!(decoder.buffered(), 0);
        assert!(matches!(decoder.next_frame(), Err(FrameError::PrefixTooLarge { .. })));
    }

    #[test]
    fn reports_header_then_body_progress() {
        let mut decoder = MIB.decoder().unwrap();
        decoder.push(b"\x00\x00");
        assert_eq!(decoder.progress(), Progress::NeedHeader { have: 2, need: 4 });
        decoder.push(b"\x00\x0aabc");
        assert_eq!(decoder.progress(), Progress::NeedBody { have: 3, need: 10 });
        assert_eq!(decoder.buffered(), 7);
    }
}
