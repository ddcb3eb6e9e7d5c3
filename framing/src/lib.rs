//! Message framing over a TCP byte stream: the four fixes for "sticky packets" that SockLab
//! teaches, as encoders and streaming decoders.
//!
//! # The problem
//!
//! TCP delivers bytes, not messages. A sender that calls `send(b"hello")` then `send(b"world")`
//! may see the receiver's `recv()` return `b"hellowor"` and then `b"ld"`: the two messages
//! stuck together, the second one cut in half. The boundaries the sender had in mind are not
//! on the wire, so both ends must agree on a *framing* rule that writes them into the bytes:
//!
//! | scheme | a message on the wire | module |
//! |---|---|---|
//! | [`Scheme::FixedLength`] | exactly `len` bytes | `fixed_length.rs` |
//! | [`Scheme::Delimiter`] | the bytes, then e.g. `\n` | `delimiter.rs` |
//! | [`Scheme::LengthPrefix`] | 4-byte big-endian length, then the bytes | `length_prefix.rs` |
//! | [`Scheme::JsonHeader`] | 4-byte length, JSON `{"name","size","md5"}`, then the bytes | `json_header.rs` |
//!
//! # Data flow
//!
//! ```text
//!  sender                                                  receiver
//!  Message ─Scheme::encode─▶ bytes ═══ TCP: any split ═══▶ Decoder::push(chunk)
//!                                                              │
//!                              Frame { span, message } ◀── Decoder::next_frame()
//! ```
//!
//! - [`Scheme`]: a framing rule as serialisable data; makes the bytes for a [`Message`]
//!   ([`Scheme::encode`]) and a [`Decoder`] for a stream ([`Scheme::decoder`]).
//! - [`Decoder`]: takes the stream in whatever pieces `recv()` returned and gives back whole
//!   [`Frame`]s, one at a time. Each scheme module supplies only the rule for where a frame ends.
//! - [`Frame`]: a decoded [`Message`] and its [`Span`], where its bytes lay in the stream, so
//!   the page can colour which bytes belonged to which message.
//! - [`Progress`]: what the decoder is waiting for ("partial frame: 3 of 10 bytes").
//! - [`FrameError`]: every way a message or a stream can break a rule, in words.
//!
//! Decoders are **bounded** — a peer announcing a 4 GiB message is refused as soon as the
//! announcement arrives, not after buffering it — and **fail-stop**: after a framing error
//! nobody knows where the next message starts, so the stream is over.
//!
//! The crate is pure logic — no I/O, threads, clocks or async — so the same code runs in native
//! tests and, compiled to wasm, in the page.
//!
//! # Example
//!
//! ```
//! use framing::{Message, Scheme};
//!
//! let scheme = Scheme::LengthPrefix { max_len: 1024 };
//! let mut wire = scheme.encode(&Message::new(b"hello"))?;
//! wire.extend(scheme.encode(&Message::new(b"world"))?);
//! assert_eq!(wire, b"\x00\x00\x00\x05hello\x00\x00\x00\x05world");
//!
//! // The receiver's first recv() returns 11 bytes: one message and the start of the next.
//! let mut decoder = scheme.decoder()?;
//! decoder.push(&wire[..11]);
//! let first = decoder.next_frame()?.expect("a whole frame arrived");
//! assert_eq!(first.message.body, b"hello");
//! assert_eq!((first.span.start, first.span.end()), (0, 9));
//! assert_eq!(decoder.next_frame()?, None); // only 2 bytes of the second: wait for more
//!
//! decoder.push(&wire[11..]);
//! assert_eq!(decoder.next_frame()?.expect("the rest arrived").message.body, b"world");
//! # Ok::<(), framing::FrameError>(())
//! ```

mod decoder;
mod delimiter;
mod error;
mod fixed_length;
mod frame;
mod json_header;
mod length_prefix;
mod scheme;

pub use decoder::{Decoder, Progress};
pub use error::FrameError;
pub use frame::{Frame, Message, Span};
pub use scheme::Scheme;
