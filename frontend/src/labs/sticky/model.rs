//! The sticky-packet lab's model, free of the DOM: messages framed (or not) by the `framing`
//! crate, written over one connection on the engine, cut by the stack into segments and by the
//! receiver into `recv()` chunks — and the receiver's decoder, fed chunk by chunk, recovering
//! the messages again. Tested natively, with proptest, in `tests` below.

use framing::{Frame, FrameError, Message, Progress, Scheme};
use serde::{Deserialize, Serialize};
use sim::link::LinkConfig;
use sim::scenario::SERVER;
use sim::sticky::{StickyParams, StreamMap, TimedMessage};
use sim::trace::{AppCall, Fate};
use sim::world::Call;
use sim::{Event, EventKind, Scenario, Side, World, WorldConfig};

/// How the sender marks where each message ends (`framing::Scheme`, or nothing).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Framing {
    /// Raw messages, back to back: the problem itself.
    #[default]
    None,
    /// Every message padded to the length of the longest.
    FixedLength,
    /// Every message followed by `\n`.
    Delimiter,
    /// A 4-byte big-endian length (Python's `struct.pack("!I", n)`), then the message.
    LengthPrefix,
    /// A length, a JSON header (`name`, `size`, `md5`), then the message as a file.
    JsonHeader,
}

impl Framing {
    pub const ALL: [Framing; 5] = [
        Framing::None,
        Framing::FixedLength,
        Framing::Delimiter,
        Framing::LengthPrefix,
        Framing::JsonHeader,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Framing::None => "none",
            Framing::FixedLength => "fixed_length",
            Framing::Delimiter => "delimiter",
            Framing::LengthPrefix => "length_prefix",
            Framing::JsonHeader => "json_header",
        }
    }

    pub fn from_name(name: &str) -> Option<Framing> {
        Framing::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The scheme for these messages; `None` for no framing.
    pub fn scheme(self, messages: &[String]) -> Option<Scheme> {
        let longest = messages.iter().map(String::len).max().unwrap_or(0).max(1);
        match self {
            Framing::None => None,
            Framing::FixedLength => Some(Scheme::FixedLength { len: longest }),
            Framing::Delimiter => {
                Some(Scheme::Delimiter { delimiter: b"\n".to_vec(), max_len: 4096 })
            }
            Framing::LengthPrefix => Some(Scheme::LengthPrefix { max_len: 65_536 }),
            Framing::JsonHeader => Some(Scheme::JsonHeader { max_header: 1024, max_body: 65_536 }),
        }
    }

    /// Message `n` as the sending application hands it to its framing: padded with spaces to
    /// the fixed length (padding is the application's job), named `msg-N.txt` for the JSON
    /// header.
    pub fn message(self, n: usize, text: &str, messages: &[String]) -> Message {
        match self {
            Framing::FixedLength => {
                // Lengths are in bytes: "你" is three.
                let len = messages.iter().map(String::len).max().unwrap_or(0).max(1);
                Message::new(format!("{text}{}", " ".repeat(len - text.len())))
            }
            Framing::JsonHeader => Message::file(format!("msg-{}.txt", n + 1), text),
            _ => Message::new(text),
        }
    }
}

/// Everything the reader can change.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub messages: Vec<String>,
    /// Milliseconds between two writes (0: all at the same instant).
    pub gap_ms: u64,
    pub nagle: bool,
    /// Largest segment payload; the wire's MTU is this plus 40 bytes of headers.
    pub mss: usize,
    /// The receiver's `recv(bufsize)`.
    pub recv_size: usize,
    /// The receiver starts reading this long after the writes begin…
    pub read_start_ms: u64,
    /// …and reads at most once per this many milliseconds (0: as soon as data is there).
    pub read_interval_ms: u64,
    pub framing: Framing,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        let sim = StickyParams::default();
        Settings {
            messages: ["hello", "how are you?", "bye"].map(String::from).to_vec(),
            gap_ms: 1,
            nagle: sim.nagle,
            mss: LinkConfig::default().mtu - 40,
            recv_size: sim.recv_bufsize,
            read_start_ms: sim.read_start_ms - 100,
            read_interval_ms: sim.read_interval_ms,
            framing: Framing::None,
            seed: 42,
        }
    }
}

/// What the decoder had after one `recv()` chunk was pushed into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// Frames completed by this chunk.
    pub frames: Vec<Frame>,
    /// What it waits for now.
    pub progress: Progress,
    pub error: Option<FrameError>,
}

/// One run of the lab.
#[derive(Debug)]
pub struct StickyRun {
    /// Each message's bytes on the stream (with its framing).
    pub framed: Vec<Vec<u8>>,
    /// Per message, how many of its leading bytes are framing header (the rest body, then a
    /// trailer for the delimiter).
    pub header_len: Vec<usize>,
    pub trace: Vec<Event>,
    pub map: StreamMap,
    /// What each `recv()` returned, in order.
    pub chunks: Vec<Vec<u8>>,
    /// The decoder after each chunk (empty without framing).
    pub decoded: Vec<Decoded>,
}

impl PartialEq for StickyRun {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// When message `n` is written: the writes start at 100 ms, `gap_ms` apart.
fn write_at(n: usize, gap_ms: u64) -> u64 {
    100 + n as u64 * gap_ms
}

impl StickyRun {
    /// Frame, run, decode. Fails if a message does not fit its framing (a `\n` inside a
    /// delimited message, say), naming the message.
    pub fn new(settings: &Settings) -> Result<StickyRun, String> {
        let scheme = settings.framing.scheme(&settings.messages);
        let mut framed = Vec::new();
        let mut header_len = Vec::new();
        for (n, text) in settings.messages.iter().enumerate() {
            let message = settings.framing.message(n, text, &settings.messages);
            let bytes = match &scheme {
                Some(scheme) => {
                    scheme.encode(&message).map_err(|e| format!("message {}: {e}", n + 1))?
                }
                None => message.body.clone(),
            };
            let header = match settings.framing {
                Framing::LengthPrefix | Framing::JsonHeader => bytes.len() - message.body.len(),
                _ => 0,
            };
            header_len.push(header);
            framed.push(bytes);
        }
        let params = StickyParams {
            messages: framed
                .iter()
                .enumerate()
                .map(|(n, data)| TimedMessage {
                    at_ms: write_at(n, settings.gap_ms),
                    data: data.clone(),
                })
                .collect(),
            nagle: settings.nagle,
            recv_bufsize: settings.recv_size.max(1),
            read_interval_ms: settings.read_interval_ms,
            read_start_ms: 100 + settings.read_start_ms,
        };
        let mut world = Scenario::Sticky(params.clone()).start(config(settings, 0.0));
        world.run(50_000);
        let trace = world.into_trace();
        let map = StreamMap::from_trace(&params, &trace);
        let chunks: Vec<Vec<u8>> = trace
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::App { socket, call: AppCall::Recv { data, .. } }
                    if *socket == SERVER && !data.is_empty() =>
                {
                    Some(data.clone())
                }
                _ => None,
            })
            .collect();
        let decoded = scheme.map(|scheme| decode(&scheme, &chunks)).unwrap_or_default();
        Ok(StickyRun { framed, header_len, trace, map, chunks, decoded })
    }

    /// The message bodies the decoder recovered, in order.
    pub fn recovered(&self) -> Vec<Vec<u8>> {
        self.decoded.iter().flat_map(|d| d.frames.iter().map(|f| f.message.body.clone())).collect()
    }
}

fn config(settings: &Settings, loss: f64) -> WorldConfig {
    let link =
        LinkConfig { mtu: settings.mss.clamp(1, 65_495) + 40, loss, ..LinkConfig::default() };
    WorldConfig { seed: settings.seed, link, ..WorldConfig::default() }
}

/// Feed `chunks` to a decoder one at a time, as a receiving program would.
pub fn decode(scheme: &Scheme, chunks: &[Vec<u8>]) -> Vec<Decoded> {
    let Ok(mut decoder) = scheme.decoder() else { return Vec::new() };
    chunks
        .iter()
        .map(|chunk| {
            decoder.push(chunk);
            let mut frames = Vec::new();
            let mut error = None;
            loop {
                match decoder.next_frame() {
                    Ok(Some(frame)) => frames.push(frame),
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            Decoded { frames, progress: decoder.progress(), error }
        })
        .collect()
}

/// The same messages as UDP datagrams over a wire that loses `loss` of them: which arrived.
/// Each datagram arrives whole or not at all — boundaries kept, delivery not promised.
pub fn udp(settings: &Settings, loss: f64) -> Vec<bool> {
    let mut world = World::new(config(settings, loss));
    let client = world.add_udp(Side::Client);
    let server = world.add_udp(Side::Server);
    world.schedule(0, server, Call::UdpBind { port: sim::scenario::UDP_PORT });
    world.schedule(0, client, Call::UdpBind { port: 50_000 });
    for (n, text) in settings.messages.iter().enumerate() {
        let data = text.as_bytes().to_vec();
        world.schedule(
            write_at(n, settings.gap_ms),
            client,
            Call::UdpSend { port: sim::scenario::UDP_PORT, data },
        );
    }
    world.run(10_000);
    world
        .trace()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Packet { from: Side::Client, fate, .. } => {
                Some(matches!(fate, Fate::Delivered { .. }))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn without_framing_the_messages_stick_together() {
        let run = StickyRun::new(&Settings::default()).unwrap();
        assert_eq!(run.chunks, [b"hellohow are you?bye".to_vec()]);
        assert_eq!(run.map.messages_per_recv(), [vec![0, 1, 2]]);
        assert!(run.decoded.is_empty());
    }

    #[test]
    fn every_scheme_recovers_the_messages() {
        for framing in Framing::ALL.into_iter().skip(1) {
            let settings = Settings { framing, recv_size: 5, ..Settings::default() };
            let run = StickyRun::new(&settings).unwrap();
            let expected: Vec<Vec<u8>> = settings
                .messages
                .iter()
                .enumerate()
                .map(|(n, text)| framing.message(n, text, &settings.messages).body)
                .collect();
            assert_eq!(run.recovered(), expected, "{framing:?}");
            assert!(run.chunks.len() > 3, "{framing:?}: small reads cut the stream");
        }
    }

    #[test]
    fn a_delimiter_inside_a_message_is_refused_by_name() {
        let settings = Settings {
            messages: vec!["one".into(), "two\nlines".into()],
            framing: Framing::Delimiter,
            ..Settings::default()
        };
        let err = StickyRun::new(&settings).unwrap_err();
        assert!(err.starts_with("message 2:"), "{err}");
    }

    #[test]
    fn datagrams_keep_their_boundaries_and_may_be_lost() {
        assert_eq!(udp(&Settings::default(), 0.0), [true, true, true]);
        let lossy = udp(&Settings { messages: vec!["x".into(); 20], ..Settings::default() }, 0.5);
        assert!(lossy.iter().any(|d| *d) && lossy.iter().any(|d| !d), "{lossy:?}");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(96))]

            /// Whatever the sender's timing, Nagle, the MSS and the receiver's reads, the
            /// decoder gets the sender's messages back, for every framing scheme.
            #[test]
            fn the_decoder_always_recovers_the_messages(
                messages in prop::collection::vec("[a-zA-Z0-9 ,.!?é你]{1,40}", 1..6),
                gap_ms in 0u64..40,
                nagle: bool,
                mss in 16usize..1460,
                recv_size in 1usize..600,
                read_start_ms in 0u64..200,
                read_interval_ms in 0u64..30,
                framing in prop::sample::select(Framing::ALL[1..].to_vec()),
            ) {
                let settings = Settings { messages, gap_ms, nagle, mss, recv_size, read_start_ms, read_interval_ms, framing, seed: 7 };
                let run = StickyRun::new(&settings).unwrap();
                let expected: Vec<Vec<u8>> = settings.messages.iter().enumerate()
                    .map(|(n, text)| framing.message(n, text, &settings.messages).body)
                    .collect();
                prop_assert_eq!(run.recovered(), expected);
                let stream: Vec<u8> = run.chunks.concat();
                prop_assert_eq!(stream, run.framed.concat(), "every byte arrived, in order");
            }
        }
    }
}
