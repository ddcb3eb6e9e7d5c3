//! Scheme 4, JSON header + body: the file-transfer pattern. A length-prefixed JSON header
//! describes the body that follows it.
//!
//! ```text
//!  ┌──── 4 bytes ────┬──────────── h bytes ─────────────┬──── size bytes ────┬──
//!  │ h (big-endian)  │ {"name":…,"size":…,"md5":"…"}    │ body               │ …
//!  └─────────────────┴──────────────────────────────────┴────────────────────┴──
//! ```
//!
//! It is scheme 3 twice over: the header travels as a length-prefixed frame, and the header's
//! `size` is the length prefix of the body. The JSON can carry anything else the receiver
//! needs — here the file name, and an MD5 so the receiver can check it got the right bytes.
//! Unknown extra fields are ignored, so a sender can add fields without breaking receivers.

use std::mem;

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::FrameError;
use crate::Message;
use crate::decoder::{Parse, Parsed, Progress, fill};
use crate::length_prefix::{self, PREFIX_LEN};

/// The JSON header.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    /// The file's name.
    name: String,
    /// The body's length in bytes.
    size: u64,
    /// The body's MD5, as 32 lowercase hex digits (Python's `hashlib.md5(body).hexdigest()`).
    md5: String,
}

impl Header {
    fn parse(json: &[u8]) -> Result<Self, FrameError> {
        let bad = |error: serde_json::Error| FrameError::BadHeader(error.to_string());
        // Parse as an object first: deserialising straight into the struct would also accept a
        // JSON array such as ["a.txt", 2, "…"].
        let object: Map<String, Value> = serde_json::from_slice(json).map_err(bad)?;
        let header: Self = serde_json::from_value(Value::Object(object)).map_err(bad)?;
        // Check the digest's form now, not after waiting for the whole body.
        if !is_md5_hex(&header.md5) {
            return Err(FrameError::BadHeader(format!(
                "md5 must be 32 lowercase hex digits, got {:?}",
                header.md5
            )));
        }
        Ok(header)
    }
}

/// Whether `digest` looks like `hexdigest()`'s output: 32 lowercase hex digits.
fn is_md5_hex(digest: &str) -> bool {
    digest.len() == 32 && digest.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `hashlib.md5(body).hexdigest()`.
fn md5_hex(body: &[u8]) -> String {
    Md5::digest(body).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The frame is the length-prefixed JSON header, then the body.
pub(crate) fn encode(
    max_header: usize,
    max_body: usize,
    name: &str,
    body: &[u8],
) -> Result<Vec<u8>, FrameError> {
    if body.len() > max_body {
        return Err(FrameError::MessageTooLarge { len: body.len() as u64, max: max_body as u64 });
    }
    let header = Header { name: name.to_owned(), size: body.len() as u64, md5: md5_hex(body) };
    let json =
        serde_json::to_vec(&header).map_err(|error| FrameError::BadHeader(error.to_string()))?;
    if json.len() > max_header {
        return Err(FrameError::HeaderTooLarge { len: json.len() as u64, max: max_header as u64 });
    }
    let mut frame = length_prefix::encode(max_header, &json)?;
    frame.extend_from_slice(body);
    Ok(frame)
}

#[derive(Debug)]
pub(crate) struct Parser {
    max_header: usize,
    max_body: usize,
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    /// Reading the header: a length-prefixed frame of its own.
    Header(length_prefix::Parser),
    /// The header (`header_len` bytes, prefix included) announced a body; reading it.
    Body { header_len: usize, header: Header, size: usize, bytes: Vec<u8> },
}

impl Parser {
    pub(crate) fn new(max_header: usize, max_body: usize) -> Self {
        Self { max_header, max_body, stage: Stage::Header(length_prefix::Parser::new(max_header)) }
    }
}

impl Parse for Parser {
    fn parse(&mut self, input: &mut &[u8]) -> Result<Option<Parsed>, FrameError> {
        loop {
            match &mut self.stage {
                Stage::Header(prefixed) => {
                    // Over the limit, the header's length prefix announces too large a header.
                    let parsed = prefixed.parse(input).map_err(|error| match error {
                        FrameError::PrefixTooLarge { len, max } => {
                            FrameError::HeaderTooLarge { len, max }
                        }
                        other => other,
                    });
                    let Some(json) = parsed? else { return Ok(None) };
                    let header = Header::parse(&json.message.body)?;
                    // As with the length prefix: refuse an oversized body before receiving it.
                    let size = usize::try_from(header.size)
                        .ok()
                        .filter(|&size| size <= self.max_body)
                        .ok_or(FrameError::BodyTooLarge {
                            len: header.size,
                            max: self.max_body as u64,
                        })?;
                    let header_len = PREFIX_LEN + json.message.body.len();
                    self.stage = Stage::Body { header_len, header, size, bytes: Vec::new() };
                }
                Stage::Body { header_len, header, size, bytes } => {
                    if !fill(bytes, *size, input) {
                        return Ok(None);
                    }
                    let actual = md5_hex(bytes);
                    if actual != header.md5 {
                        return Err(FrameError::Md5Mismatch {
                            expected: header.md5.clone(),
                            actual,
                        });
                    }
                    let message = Message::file(mem::take(&mut header.name), mem::take(bytes));
                    let header_len = *header_len;
                    self.stage = Stage::Header(length_prefix::Parser::new(self.max_header));
                    return Ok(Some(Parsed { header_len, message, trailer_len: 0 }));
                }
            }
        }
    }

    fn buffered(&self) -> usize {
        match &self.stage {
            Stage::Header(prefixed) => prefixed.buffered(),
            Stage::Body { header_len, bytes, .. } => header_len + bytes.len(),
        }
    }

    fn progress(&self) -> Progress {
        match &self.stage {
            // The whole length-prefixed JSON is the header: count the prefix in.
            Stage::Header(prefixed) => match prefixed.progress() {
                Progress::NeedBody { have, need } => {
                    Progress::NeedHeader { have: PREFIX_LEN + have, need: PREFIX_LEN + need }
                }
                other => other,
            },
            Stage::Body { size, bytes, .. } => {
                Progress::NeedBody { have: bytes.len(), need: *size }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::md5_hex;
    use crate::decoder::testing::decode;
    use crate::{FrameError, Message, Progress, Scheme, Span};

    const FILES: Scheme = Scheme::JsonHeader { max_header: 1024, max_body: 1 << 20 };

    /// A frame with `json` as the header, followed by `body`.
    fn frame(json: &str, body: &[u8]) -> Vec<u8> {
        let mut frame = (json.len() as u32).to_be_bytes().to_vec();
        frame.extend_from_slice(json.as_bytes());
        frame.extend_from_slice(body);
        frame
    }

    fn decode_one(bytes: &[u8]) -> Result<Message, FrameError> {
        let (mut frames, error) = decode(&FILES, &[bytes]);
        match error {
            Some(error) => Err(error),
            None => Ok(frames.pop().expect("one frame").message),
        }
    }

    #[test]
    fn golden_bytes() {
        let json = r#"{"name":"a.txt","size":2,"md5":"49f68a5c8493ec2c0bf489821c21fc3b"}"#;
        assert_eq!(FILES.encode(&Message::file("a.txt", b"hi")), Ok(frame(json, b"hi")));
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn decodes_with_python_style_spacing_and_extra_fields() {
        let json = r#"{"name": "a.txt", "size": 2, "md5": "49f68a5c8493ec2c0bf489821c21fc3b", "mtime": 1}"#;
        let (frames, error) = decode(&FILES, &[&frame(json, b"hi")]);
        assert_eq!(error, None);
        assert_eq!(frames[0].message, Message::file("a.txt", b"hi"));
        let span = Span { start: 0, header_len: 4 + json.len(), body_len: 2, trailer_len: 0 };
        assert_eq!(frames[0].span, span);
    }

    #[test]
    fn refuses_malformed_headers() {
        let md5 = "49f68a5c8493ec2c0bf489821c21fc3b";
        let cases = [
            (r#"{"name":"a.txt","size":2"#.to_owned(), "EOF while parsing an object"),
            (format!(r#"{{"name":"a.txt","md5":"{md5}"}}"#), "missing field `size`"),
            (format!(r#"{{"name":"a.txt","size":"2","md5":"{md5}"}}"#), "invalid type: string"),
            (
                format!(r#"{{"name":"a.txt","size":-2,"md5":"{md5}"}}"#),
                "invalid value: integer `-2`",
            ),
            (format!(r#"{{"name":7,"size":2,"md5":"{md5}"}}"#), "invalid type: integer `7`"),
            (format!(r#"["a.txt",2,"{md5}"]"#), "invalid type: sequence, expected a map"),
            (r#"{"name":"a.txt","size":2,"md5":"49F68A5C"}"#.to_owned(), "32 lowercase hex"),
        ];
        for (json, why) in cases {
            match decode_one(&frame(&json, b"hi")) {
                Err(FrameError::BadHeader(message)) => {
                    assert!(message.contains(why), "{json}: {message}")
                }
                other => panic!("{json}: {other:?}"),
            }
        }
        let empty = decode_one(&frame("", b"")).map(drop);
        assert!(
            matches!(empty, Err(FrameError::BadHeader(m)) if m.contains("EOF while parsing a value"))
        );
        let mut not_utf8 =
            frame(r#"{"name":"a?","size":0,"md5":"d41d8cd98f00b204e9800998ecf8427e"}"#, b"");
        let question_mark = 4 + not_utf8[4..].iter().position(|&byte| byte == b'?').unwrap();
        not_utf8[question_mark] = 0xff;
        let not_utf8 = decode_one(&not_utf8).map(drop);
        assert!(matches!(not_utf8, Err(FrameError::BadHeader(m)) if m.contains("invalid unicode")));
    }

    #[test]
    fn refuses_a_body_whose_md5_differs() {
        let mut bytes = FILES.encode(&Message::file("a.txt", b"hi")).unwrap();
        *bytes.last_mut().unwrap() = b'o';
        let error = FrameError::Md5Mismatch {
            expected: "49f68a5c8493ec2c0bf489821c21fc3b".to_owned(),
            actual: md5_hex(b"ho"),
        };
        assert_eq!(decode_one(&bytes), Err(error));
    }

    #[test]
    fn refuses_oversized_header_and_body_before_receiving_them() {
        let (_, error) = decode(&FILES, &[b"\x00\x00\x04\x01"]);
        assert_eq!(error, Some(FrameError::HeaderTooLarge { len: 1025, max: 1024 }));

        let json = r#"{"name":"big","size":5000000,"md5":"00000000000000000000000000000000"}"#;
        let (_, error) = decode(&FILES, &[&frame(json, b"")]);
        let error = error.expect("refused");
        assert_eq!(error, FrameError::BodyTooLarge { len: 5_000_000, max: 1 << 20 });
        assert_eq!(
            error.to_string(),
            "JSON header announces a 5000000-byte body, over the 1048576-byte limit"
        );
    }

    #[test]
    fn encoder_needs_a_name_and_respects_limits() {
        assert_eq!(FILES.encode(&Message::new(b"hi")), Err(FrameError::MissingName));
        let tiny = Scheme::JsonHeader { max_header: 20, max_body: 2 };
        let error = FrameError::MessageTooLarge { len: 3, max: 2 };
        assert_eq!(tiny.encode(&Message::file("a", b"abc")), Err(error));
        assert!(matches!(
            tiny.encode(&Message::file("a", b"ab")),
            Err(FrameError::HeaderTooLarge { max: 20, .. })
        ));
    }

    #[test]
    fn reports_progress_through_prefix_header_and_body() {
        let bytes = FILES.encode(&Message::file("a.txt", b"hi")).unwrap();
        let header_len = bytes.len() - 2;
        let mut decoder = FILES.decoder().unwrap();
        decoder.push(&bytes[..3]);
        assert_eq!(decoder.progress(), Progress::NeedHeader { have: 3, need: 4 });
        decoder.push(&bytes[3..10]);
        assert_eq!(decoder.progress(), Progress::NeedHeader { have: 10, need: header_len });
        decoder.push(&bytes[10..header_len + 1]);
        assert_eq!(decoder.progress(), Progress::NeedBody { have: 1, need: 2 });
        assert_eq!(decoder.buffered(), header_len + 1);
        decoder.push(&bytes[header_len + 1..]);
        assert_eq!(decoder.next_frame().unwrap().unwrap().message, Message::file("a.txt", b"hi"));
    }

    #[test]
    fn an_empty_file_completes_with_its_header() {
        let bytes = FILES.encode(&Message::file("empty", b"")).unwrap();
        assert_eq!(decode_one(&bytes), Ok(Message::file("empty", b"")));
    }
}
