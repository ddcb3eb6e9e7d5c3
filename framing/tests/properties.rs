//! Property tests: for every scheme, however TCP splits the stream, the receiver gets exactly
//! the messages that were sent; and no input, however hostile, makes a decoder panic or
//! buffer past its limit.

use framing::{Frame, FrameError, Message, Scheme};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

/// A scheme with small limits, and messages for it. Delimiter messages are drawn from a
/// three-byte alphabet so that delimiters — overlapping ones like b"aa" too — turn up inside
/// them often; the test keeps only the ones the encoder accepts.
fn scheme_and_messages() -> impl Strategy<Value = (Scheme, Vec<Message>)> {
    let fixed = (1usize..6).prop_flat_map(|len| {
        let messages = vec(vec(any::<u8>(), len).prop_map(Message::new), 0..8);
        (Just(Scheme::FixedLength { len }), messages)
    });
    let delimiter = (vec(0u8..3, 1..4), 0usize..12).prop_flat_map(|(delimiter, max_len)| {
        let messages = vec(vec(0u8..3, 0..=max_len + 1).prop_map(Message::new), 0..8);
        (Just(Scheme::Delimiter { delimiter, max_len }), messages)
    });
    let prefix = (0usize..40).prop_flat_map(|max_len| {
        let messages = vec(vec(any::<u8>(), 0..=max_len).prop_map(Message::new), 0..8);
        (Just(Scheme::LengthPrefix { max_len }), messages)
    });
    let json = (0usize..40).prop_flat_map(|max_body| {
        let file = ("(?s).{0,8}", vec(any::<u8>(), 0..=max_body));
        let messages = vec(file.prop_map(|(name, body)| Message::file(name, body)), 0..6);
        (Just(Scheme::JsonHeader { max_header: 256, max_body }), messages)
    });
    prop_oneof![fixed, delimiter, prefix, json]
}

/// Any usable scheme, with limits small enough that inputs hit them.
fn any_scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![
        (1usize..10).prop_map(|len| Scheme::FixedLength { len }),
        (vec(any::<u8>(), 1..4), 0usize..20)
            .prop_map(|(delimiter, max_len)| Scheme::Delimiter { delimiter, max_len }),
        (0usize..50).prop_map(|max_len| Scheme::LengthPrefix { max_len }),
        (0usize..100, 0usize..50)
            .prop_map(|(max_header, max_body)| Scheme::JsonHeader { max_header, max_body }),
    ]
}

/// `bytes` cut at the given points, as TCP might deliver it: repeated points give empty
/// chunks, adjacent ones 1-byte chunks.
fn split<'a>(bytes: &'a [u8], cuts: &[Index]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
    points.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for point in points {
        chunks.push(&bytes[start..point]);
        start = point;
    }
    chunks.push(&bytes[start..]);
    chunks
}

/// What a receiver gets from `chunks`: every frame, and the error that stopped the stream.
#[derive(Debug, PartialEq)]
struct Received {
    frames: Vec<Frame>,
    error: Option<FrameError>,
    /// `buffered()` at the end.
    leftover: usize,
}

/// Pushes `chunks` one by one, taking all frames after each, and checks on the way that the
/// decoder stays within its bound, that frames tile the stream from byte 0, and that an error,
/// once reported, is reported forever.
fn receive(scheme: &Scheme, chunks: &[&[u8]]) -> Received {
    let mut decoder = scheme.decoder().expect("valid scheme");
    let mut received = Received { frames: Vec::new(), error: None, leftover: 0 };
    let mut offset = 0;
    for chunk in chunks {
        decoder.push(chunk);
        assert!(
            decoder.buffered() <= scheme.max_buffered(),
            "{} > {}",
            decoder.buffered(),
            scheme.max_buffered()
        );
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => {
                    assert!(received.error.is_none(), "a frame after an error");
                    assert_eq!(frame.span.start, offset);
                    assert_eq!(frame.span.body_len, frame.message.body.len());
                    offset = frame.span.end();
                    received.frames.push(frame);
                }
                Ok(None) => {
                    assert!(received.error.is_none(), "an error forgotten");
                    break;
                }
                Err(error) => {
                    assert!(received.error.as_ref().is_none_or(|first| *first == error));
                    received.error = Some(error);
                    break;
                }
            }
        }
        assert_eq!(decoder.partial_start(), offset);
    }
    received.leftover = decoder.buffered();
    received
}

proptest! {
    #[test]
    fn any_split_of_valid_frames_decodes_to_the_messages_sent(
        (scheme, messages) in scheme_and_messages(),
        cuts in vec(any::<Index>(), 0..16),
    ) {
        let (messages, frames): (Vec<Message>, Vec<Vec<u8>>) = messages
            .into_iter()
            .filter_map(|message| scheme.encode(&message).ok().map(|frame| (message, frame)))
            .unzip();
        let stream = frames.concat();

        let received = receive(&scheme, &split(&stream, &cuts));
        prop_assert_eq!(&received.error, &None);
        prop_assert_eq!(received.leftover, 0);
        let decoded: Vec<&Message> = received.frames.iter().map(|frame| &frame.message).collect();
        prop_assert_eq!(decoded, messages.iter().collect::<Vec<_>>());
        let mut start = 0;
        for (frame, bytes) in received.frames.iter().zip(&frames) {
            let span = frame.span;
            prop_assert_eq!((span.start, span.end()), (start, start + bytes.len() as u64));
            let body = span.body_start() as usize..span.body_start() as usize + span.body_len;
            prop_assert_eq!(&stream[body], &frame.message.body[..]);
            start = span.end();
        }

        let byte_by_byte: Vec<&[u8]> = stream.chunks(1).collect();
        prop_assert_eq!(receive(&scheme, &byte_by_byte), received);
    }

    #[test]
    fn garbage_never_panics_and_decodes_the_same_however_split(
        scheme in any_scheme(),
        bytes in prop_oneof![vec(any::<u8>(), 0..300), vec(0u8..4, 0..300)],
        cuts in vec(any::<Index>(), 0..16),
    ) {
        let whole = receive(&scheme, &[&bytes]);
        prop_assert_eq!(receive(&scheme, &split(&bytes, &cuts)), whole);
    }

    #[test]
    fn corrupted_streams_never_panic_and_decode_the_same_however_split(
        (scheme, messages) in scheme_and_messages(),
        damage in vec((any::<Index>(), any::<u8>()), 1..4),
        truncate in any::<Index>(),
        cuts in vec(any::<Index>(), 0..16),
    ) {
        let mut stream: Vec<u8> =
            messages.iter().filter_map(|message| scheme.encode(message).ok()).flatten().collect();
        prop_assume!(!stream.is_empty());
        for (at, byte) in damage {
            let at = at.index(stream.len());
            stream[at] = byte;
        }
        stream.truncate(truncate.index(stream.len() + 1));
        let whole = receive(&scheme, &[&stream]);
        prop_assert_eq!(receive(&scheme, &split(&stream, &cuts)), whole);
    }
}
