//! Protocol features beyond a plain round trip, each through a real WebSocket to real sockets.

mod common;

use common::{open, recv, round_trip, send};
use wire::{ClientMsg, Endpoint, ErrorCode, Payload, ServerMsg};

#[tokio::test]
async fn udp_sessions_carry_whole_datagrams_and_refuse_oversize_ones() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::UdpEcho).await;
    for text in ["ping", "a longer datagram", "x"] {
        send(&mut ws, &ClientMsg::Send { session: 1, data: Payload::Text(text.into()) }).await;
        assert!(matches!(recv(&mut ws).await, ServerMsg::Wrote { len, .. } if len == text.len()));
        match recv(&mut ws).await {
            ServerMsg::Datagram { session: 1, len, data, .. } => {
                assert_eq!(
                    (len, data.as_bytes()),
                    (text.len(), text.as_bytes()),
                    "one datagram, whole"
                )
            }
            other => panic!("expected a datagram, got {other:?}"),
        }
    }
    let too_big = "x".repeat(relay::echo::MAX_DATAGRAM + 1);
    send(&mut ws, &ClientMsg::Send { session: 1, data: Payload::Text(too_big) }).await;
    match recv(&mut ws).await {
        ServerMsg::Error { session: Some(1), code: ErrorCode::DatagramTooLarge, message } => {
            assert!(message.contains("2048"), "names the limit: {message}")
        }
        other => panic!("{other:?}"),
    }
    send(&mut ws, &ClientMsg::Shutdown { session: 1 }).await;
    assert!(matches!(
        recv(&mut ws).await,
        ServerMsg::Error { code: ErrorCode::WrongSessionKind, .. }
    ));
    // Still usable after both refusals.
    send(&mut ws, &ClientMsg::Send { session: 1, data: Payload::Text("again".into()) }).await;
    assert!(matches!(recv(&mut ws).await, ServerMsg::Wrote { .. }));
    assert!(matches!(recv(&mut ws).await, ServerMsg::Datagram { len: 5, .. }));
    relay.stop().await;
}

#[tokio::test]
async fn a_batch_of_writes_comes_back_in_reads_whose_reports_match_the_bytes() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::TcpEcho).await;
    let writes: Vec<String> = (0..50).map(|i| format!("msg{i:03};")).collect();
    let sent: String = writes.concat();
    let batch = ClientMsg::SendBatch {
        session: 1,
        writes: writes.iter().map(|w| Payload::Text(w.clone())).collect(),
    };
    send(&mut ws, &batch).await;
    let (mut wrote, mut echoed, mut reads) = (0, Vec::new(), 0);
    while wrote < writes.len() || echoed.len() < sent.len() {
        match recv(&mut ws).await {
            ServerMsg::Wrote { len, .. } => {
                assert_eq!(len, writes[wrote].len());
                wrote += 1;
            }
            ServerMsg::Read { len, data, .. } => {
                assert_eq!(len, data.as_bytes().len());
                echoed.extend(data.into_bytes());
                reads += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    // The reads' boundaries are the kernel's: how many there are depends on timing (with Nagle
    // on, writes often coalesce), so only what they carried is checked, byte for byte.
    assert_eq!(String::from_utf8(echoed).unwrap(), sent);
    eprintln!("50 writes came back in {reads} reads");
    relay.stop().await;
}

#[tokio::test]
async fn nodelay_and_half_close_behave_like_the_socket_calls() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::TcpEcho).await;
    send(&mut ws, &ClientMsg::SetNoDelay { session: 1, on: true }).await;
    assert_eq!(recv(&mut ws).await, ServerMsg::NoDelay { session: 1, on: true });
    round_trip(&mut ws, 1, "with Nagle off").await;
    send(&mut ws, &ClientMsg::TcpInfo { session: 1 }).await;
    match recv(&mut ws).await {
        ServerMsg::TcpInfo { session: 1, info } => {
            assert_eq!(info.state, wire::TcpState::Established);
            assert!(info.rtt_us > 0, "a round trip has been measured: {info:?}");
            assert!(info.snd_cwnd >= 1 && info.snd_mss > 0, "{info:?}");
            // Loopback's MTU is 65536, so the MSS is far above Ethernet's 1460.
            assert!(info.snd_mss > 1460, "{info:?}");
        }
        other => panic!("{other:?}"),
    }

    // Half-close: our FIN goes out after "bye"; the echo server still echoes it, then closes.
    send(&mut ws, &ClientMsg::Send { session: 1, data: Payload::Text("bye".into()) }).await;
    send(&mut ws, &ClientMsg::Shutdown { session: 1 }).await;
    let mut seen = Vec::new();
    loop {
        match recv(&mut ws).await {
            ServerMsg::Wrote { .. } => seen.push("wrote"),
            ServerMsg::ShutDown { .. } => seen.push("shutdown"),
            ServerMsg::Read { data, .. } => {
                assert_eq!(data.as_bytes(), b"bye");
                seen.push("read")
            }
            ServerMsg::PeerClosed { .. } => break seen.push("peer_closed"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(seen.first(), Some(&"wrote"));
    assert_eq!(seen.last(), Some(&"peer_closed"));
    assert!(seen.contains(&"shutdown") && seen.contains(&"read"), "{seen:?}");
    relay.stop().await;
}

#[tokio::test]
async fn a_session_that_spends_its_byte_budget_is_closed_with_a_reason() {
    let relay = common::start_with(|c| c.limits.session_bytes = 100).await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::TcpEcho).await;
    round_trip(&mut ws, 1, &"a".repeat(60)).await;
    send(&mut ws, &ClientMsg::Send { session: 1, data: Payload::Text("b".repeat(60)) }).await;
    match recv(&mut ws).await {
        ServerMsg::Error { session: Some(1), code: ErrorCode::BudgetExceeded, message } => {
            assert!(message.contains("40 more bytes"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(recv(&mut ws).await, ServerMsg::Closed { session: 1 });
    // The WebSocket goes on: a new session has a fresh budget.
    open(&mut ws, 2, Endpoint::TcpEcho).await;
    round_trip(&mut ws, 2, "fresh").await;
    relay.stop().await;
}

#[tokio::test]
async fn metrics_count_sessions_bytes_and_errors() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::TcpEcho).await;
    round_trip(&mut ws, 1, "count me").await;
    send(&mut ws, &ClientMsg::Close { session: 9 }).await;
    assert!(matches!(
        recv(&mut ws).await,
        ServerMsg::Error { code: ErrorCode::UnknownSession, .. }
    ));
    let text = relay.metrics().await;
    for line in [
        "socklab_sessions_open{endpoint=\"tcp-echo\"} 1",
        "socklab_websockets_open 1",
        "socklab_endpoint_bytes_written_total 8",
        "socklab_endpoint_bytes_read_total 8",
        "socklab_errors_total{code=\"unknown_session\"} 1",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    send(&mut ws, &ClientMsg::Close { session: 1 }).await;
    assert_eq!(recv(&mut ws).await, ServerMsg::Closed { session: 1 });
    assert!(relay.metrics().await.contains("socklab_sessions_open{endpoint=\"tcp-echo\"} 0"));
    relay.stop().await;
}

#[tokio::test]
async fn a_write_that_gets_no_answer_is_still_reported() {
    // The relay holds a `wrote` report back briefly, hoping to send it with the `read` that
    // usually follows. Half an HTTP request gets no answer, so nothing follows: the report
    // must still come on its own (`recv` gives up after 5 s).
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::HttpDemo).await;
    let half = "GET / HTTP/1.1\r\n";
    send(&mut ws, &ClientMsg::Send { session: 1, data: Payload::Text(half.into()) }).await;
    match recv(&mut ws).await {
        ServerMsg::Wrote { session: 1, len, .. } => assert_eq!(len, half.len()),
        other => panic!("{other:?}"),
    }
    relay.stop().await;
}
