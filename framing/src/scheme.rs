//! [`Scheme`]: a framing rule as data, so a scenario can say which one it uses.

use serde::{Deserialize, Serialize};

use crate::decoder::Parse;
use crate::length_prefix::PREFIX_LEN;
use crate::{Decoder, FrameError, Message};
use crate::{delimiter, fixed_length, json_header, length_prefix};

/// One of the four framing rules, with its parameters. Both ends of a stream must use the same.
///
/// Serialises as e.g. `{"kind":"length_prefix","max_len":1048576}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scheme {
    /// Every message is exactly `len` bytes.
    FixedLength { len: usize },
    /// Every message ends with `delimiter` and is at most `max_len` bytes without it.
    Delimiter { delimiter: Vec<u8>, max_len: usize },
    /// A 4-byte big-endian length, then a message of at most `max_len` bytes.
    LengthPrefix { max_len: usize },
    /// A 4-byte big-endian length, a JSON header `{"name", "size", "md5"}` of at most
    /// `max_header` bytes, then a body of at most `max_body` bytes.
    JsonHeader { max_header: usize, max_body: usize },
}

impl Scheme {
    /// Checks that the scheme can frame anything at all. [`encode`](Self::encode) and
    /// [`decoder`](Self::decoder) call it too, so a scheme read from data cannot make them panic.
    pub fn validate(&self) -> Result<(), FrameError> {
        let problem = match self {
            // Zero-byte frames would mean infinitely many messages in no bytes at all.
            Self::FixedLength { len: 0 } => "a fixed-length message must be at least 1 byte",
            Self::Delimiter { delimiter, .. } if delimiter.is_empty() => "the delimiter is empty",
            Self::LengthPrefix { max_len } if u32::try_from(*max_len).is_err() => {
                "max_len is over 4294967295, the largest length 4 bytes can announce"
            }
            Self::JsonHeader { max_header, .. } if u32::try_from(*max_header).is_err() => {
                "max_header is over 4294967295, the largest length 4 bytes can announce"
            }
            _ => return Ok(()),
        };
        Err(FrameError::InvalidScheme(problem))
    }

    /// The bytes to send for `message`. Fails, rather than send something the receiver would
    /// decode differently, if the message does not fit the scheme.
    pub fn encode(&self, message: &Message) -> Result<Vec<u8>, FrameError> {
        self.validate()?;
        let body = &message.body;
        match (self, &message.name) {
            (Self::JsonHeader { max_header, max_body }, Some(name)) => {
                json_header::encode(*max_header, *max_body, name, body)
            }
            (Self::JsonHeader { .. }, None) => Err(FrameError::MissingName),
            (_, Some(_)) => Err(FrameError::UnexpectedName),
            (Self::FixedLength { len }, None) => fixed_length::encode(*len, body),
            (Self::Delimiter { delimiter, max_len }, None) => {
                delimiter::encode(delimiter, *max_len, body)
            }
            (Self::LengthPrefix { max_len }, None) => length_prefix::encode(*max_len, body),
        }
    }

    /// A decoder for one stream framed with this scheme.
    pub fn decoder(&self) -> Result<Decoder, FrameError> {
        self.validate()?;
        let parser: Box<dyn Parse> = match self {
            Self::FixedLength { len } => Box::new(fixed_length::Parser::new(*len)),
            Self::Delimiter { delimiter, max_len } => {
                Box::new(delimiter::Parser::new(delimiter.clone(), *max_len))
            }
            Self::LengthPrefix { max_len } => Box::new(length_prefix::Parser::new(*max_len)),
            Self::JsonHeader { max_header, max_body } => {
                Box::new(json_header::Parser::new(*max_header, *max_body))
            }
        };
        Ok(Decoder::new(parser))
    }

    /// The most a decoder for this scheme ever buffers ([`Decoder::buffered`]): the largest
    /// frame the limits allow.
    pub fn max_buffered(&self) -> usize {
        match self {
            Self::FixedLength { len } => *len,
            Self::Delimiter { delimiter, max_len } => max_len.saturating_add(delimiter.len()),
            Self::LengthPrefix { max_len } => PREFIX_LEN.saturating_add(*max_len),
            Self::JsonHeader { max_header, max_body } => {
                PREFIX_LEN.saturating_add(*max_header).saturating_add(*max_body)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_schemes_are_refused_not_panicked_on() {
        let schemes = [
            Scheme::FixedLength { len: 0 },
            Scheme::Delimiter { delimiter: Vec::new(), max_len: 10 },
        ];
        for scheme in schemes {
            assert!(matches!(scheme.validate(), Err(FrameError::InvalidScheme(_))));
            assert!(scheme.decoder().is_err());
            assert!(matches!(scheme.encode(&Message::new(b"")), Err(FrameError::InvalidScheme(_))));
        }
    }

    #[test]
    fn only_the_json_header_scheme_carries_names() {
        let named = Message::file("a.txt", b"abcd");
        for scheme in [
            Scheme::FixedLength { len: 4 },
            Scheme::Delimiter { delimiter: b"\n".to_vec(), max_len: 10 },
            Scheme::LengthPrefix { max_len: 10 },
        ] {
            assert_eq!(scheme.encode(&named), Err(FrameError::UnexpectedName));
        }
    }

    #[test]
    fn reads_and_writes_as_tagged_json() {
        let scheme = Scheme::LengthPrefix { max_len: 1_048_576 };
        let json = r#"{"kind":"length_prefix","max_len":1048576}"#;
        assert_eq!(serde_json::to_string(&scheme).unwrap(), json);
        let delimiter: Scheme =
            serde_json::from_str(r#"{"kind":"delimiter","delimiter":[13,10],"max_len":80}"#)
                .unwrap();
        assert_eq!(delimiter, Scheme::Delimiter { delimiter: b"\r\n".to_vec(), max_len: 80 });
        let typo = serde_json::from_str::<Scheme>(r#"{"kind":"length_prefix","maxlen":1}"#);
        assert!(typo.is_err());
    }

    #[test]
    fn max_buffered_is_the_largest_frame() {
        assert_eq!(Scheme::LengthPrefix { max_len: 10 }.max_buffered(), 14);
        assert_eq!(Scheme::JsonHeader { max_header: 100, max_body: 10 }.max_buffered(), 114);
        let delimiter = Scheme::Delimiter { delimiter: b"\r\n".to_vec(), max_len: usize::MAX };
        assert_eq!(delimiter.max_buffered(), usize::MAX);
    }
}
