//! Hundreds of sessions at once, each checking every byte it gets back.

mod common;

use common::{Ws, open, recv, send};
use wire::{ClientMsg, Endpoint, Payload, ServerMsg};

const WEBSOCKETS: u32 = 40;
const SESSIONS_PER_WS: u32 = 8; // the default --max-sessions
const MESSAGES: usize = 10;

/// Deterministic bytes for one session: every session sends something different, binary
/// included, so a mix-up between sessions or a corrupted byte changes the checksum.
fn payload(ws: u32, session: u32, message: usize) -> Vec<u8> {
    let seed = (ws * 1000 + session) as usize * 31 + message;
    (0..1000 + seed % 3000).map(|i| ((i * 7 + seed * 13) % 256) as u8).collect()
}

fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

/// Run 8 sessions on one WebSocket, interleaved; return how many verified.
async fn one_websocket(mut ws: Ws, index: u32) -> u32 {
    let mut expected = [0xcbf2_9ce4_8422_2325u64; SESSIONS_PER_WS as usize];
    let mut remaining = [0usize; SESSIONS_PER_WS as usize];
    for session in 0..SESSIONS_PER_WS {
        open(&mut ws, session, Endpoint::TcpEcho).await;
    }
    for session in 0..SESSIONS_PER_WS {
        for message in 0..MESSAGES {
            let bytes = payload(index, session, message);
            expected[session as usize] = fnv1a(expected[session as usize], &bytes);
            remaining[session as usize] += bytes.len();
            send(&mut ws, &ClientMsg::Send { session, data: Payload::Base64(bytes) }).await;
        }
    }
    let mut got = [0xcbf2_9ce4_8422_2325u64; SESSIONS_PER_WS as usize];
    while remaining.iter().any(|r| *r > 0) {
        match recv(&mut ws).await {
            ServerMsg::Read { session, data, .. } => {
                let bytes = data.into_bytes();
                remaining[session as usize] -= bytes.len();
                got[session as usize] = fnv1a(got[session as usize], &bytes);
            }
            ServerMsg::Wrote { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    for session in 0..SESSIONS_PER_WS {
        send(&mut ws, &ClientMsg::Close { session }).await;
    }
    let mut closed = 0;
    while closed < SESSIONS_PER_WS {
        match recv(&mut ws).await {
            ServerMsg::Closed { .. } => closed += 1,
            ServerMsg::Wrote { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    got.iter().zip(&expected).filter(|(g, e)| g == e).count() as u32
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_sessions_echo_every_byte_to_the_right_session() {
    let relay = common::start_with(|c| c.limits.max_ws_per_ip = WEBSOCKETS as usize).await;
    let mut clients = tokio::task::JoinSet::new();
    for index in 0..WEBSOCKETS {
        let ws = relay.ws().await;
        clients.spawn(one_websocket(ws, index));
    }
    let verified: u32 = clients.join_all().await.into_iter().sum();
    assert_eq!(verified, WEBSOCKETS * SESSIONS_PER_WS, "sessions whose checksum matched");
    let metrics = relay.metrics().await;
    assert!(metrics.contains("socklab_sessions_open{endpoint=\"tcp-echo\"} 0\n"), "{metrics}");
    assert!(metrics.contains(&format!(
        "socklab_sessions_total{{endpoint=\"tcp-echo\"}} {}\n",
        WEBSOCKETS * SESSIONS_PER_WS
    )));
    relay.stop().await;
}
