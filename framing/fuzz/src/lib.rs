//! What every fuzz target checks, for its own scheme: whatever bytes arrive, split however,
//! the decoder does not panic, stays within its bound, and decodes the same as if the bytes
//! had arrived in one piece.

use framing::{Frame, FrameError, Scheme};

/// Decodes `data`'s stream whole and in chunks and compares. `data` is `[seed, stream…]`; the
/// seed picks the chunk sizes, from 0 (an empty read) to 16 bytes.
pub fn check(scheme: &Scheme, data: &[u8]) {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };
    let whole = decode(scheme, [stream]);
    let chunked = decode(scheme, chunks(seed, stream));
    assert_eq!(whole, chunked, "the result depended on how the stream was split");
}

/// `stream` in pieces whose sizes follow a little generator seeded by `seed`.
fn chunks(seed: u8, mut stream: &[u8]) -> Vec<&[u8]> {
    let mut state = seed;
    let mut chunks = Vec::new();
    while !stream.is_empty() {
        state = state.wrapping_mul(37).wrapping_add(11);
        let (chunk, rest) = stream.split_at(usize::from(state % 17).min(stream.len()));
        chunks.push(chunk);
        stream = rest;
    }
    chunks
}

/// Every frame, and the error if the stream failed; checks the invariants after every push.
fn decode<'a>(
    scheme: &Scheme,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<Frame>, Option<FrameError>) {
    let mut decoder = scheme.decoder().expect("the targets' schemes are valid");
    let mut frames: Vec<Frame> = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        assert!(decoder.buffered() <= scheme.max_buffered());
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => {
                    let expected_start = frames.last().map_or(0, |last| last.span.end());
                    assert_eq!(frame.span.start, expected_start, "frames must tile the stream");
                    frames.push(frame);
                }
                Ok(None) => break,
                Err(error) => {
                    assert_eq!(decoder.next_frame(), Err(error.clone()), "errors must stick");
                    return (frames, Some(error));
                }
            }
        }
    }
    (frames, None)
}
