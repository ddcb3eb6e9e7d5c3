//! Everything that can go wrong while framing, each with a message a learner can act on.

use std::fmt;

/// Why a message could not be encoded, a stream could not be decoded, or a [`Scheme`] is unusable.
///
/// Decoding errors are final for that stream: see [`Decoder`](crate::Decoder).
///
/// [`Scheme`]: crate::Scheme
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// The scheme itself cannot frame anything, e.g. an empty delimiter.
    InvalidScheme(&'static str),
    /// Encoding: a fixed-length message of the wrong length.
    WrongLength { expected: usize, actual: usize },
    /// Encoding: a message over the scheme's limit.
    MessageTooLarge { len: u64, max: u64 },
    /// Encoding: the receiver would find a delimiter at byte `at` of the message, ending it early.
    ContainsDelimiter { at: usize },
    /// Encoding: the JSON-header scheme needs a file name and the message has none.
    MissingName,
    /// Encoding: the message has a file name but the scheme has nowhere to put it.
    UnexpectedName,
    /// Decoding: a length prefix announced a body over the limit.
    PrefixTooLarge { len: u64, max: u64 },
    /// Decoding: `searched` bytes arrived without a delimiter, so the message is over `max_len`.
    NoDelimiter { searched: usize, max_len: usize },
    /// A JSON header over the limit (announced by its length prefix, or produced by the encoder).
    HeaderTooLarge { len: u64, max: u64 },
    /// Decoding: the JSON header is not a valid `{"name", "size", "md5"}` object.
    BadHeader(String),
    /// Decoding: the JSON header announced a body over the limit.
    BodyTooLarge { len: u64, max: u64 },
    /// Decoding: the body's MD5 is not the one the JSON header promised.
    Md5Mismatch { expected: String, actual: String },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidScheme(why) => write!(f, "invalid framing scheme: {why}"),
            Self::WrongLength { expected, actual } => write!(
                f,
                "message is {actual} bytes, but every fixed-length message must be exactly {expected}"
            ),
            Self::MessageTooLarge { len, max } => {
                write!(f, "message of {len} bytes is over the {max}-byte limit")
            }
            Self::ContainsDelimiter { at } => write!(
                f,
                "the receiver would see a delimiter at byte {at} of the message and cut it short"
            ),
            Self::MissingName => {
                write!(f, "the JSON-header scheme needs a file name for every message")
            }
            Self::UnexpectedName => write!(f, "only the JSON-header scheme can carry a file name"),
            Self::PrefixTooLarge { len, max } => {
                write!(f, "length prefix announces {len} bytes, over the {max}-byte limit")
            }
            Self::NoDelimiter { searched, max_len } => write!(
                f,
                "no delimiter in the first {searched} bytes: the message is over the {max_len}-byte limit"
            ),
            Self::HeaderTooLarge { len, max } => {
                write!(f, "JSON header of {len} bytes is over the {max}-byte limit")
            }
            Self::BadHeader(why) => write!(f, "bad JSON header: {why}"),
            Self::BodyTooLarge { len, max } => {
                write!(f, "JSON header announces a {len}-byte body, over the {max}-byte limit")
            }
            Self::Md5Mismatch { expected, actual } => {
                write!(f, "body has MD5 {actual}, but the JSON header says {expected}")
            }
        }
    }
}

impl std::error::Error for FrameError {}
