//! Hostile and careless clients. Each gets the specified error or close code, and a
//! well-behaved session running alongside finishes with every byte intact.

mod common;

use std::time::Duration;

use common::{Ws, open, recv, round_trip, send};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{Frame, FrameHeader};
use wire::{ClientMsg, Endpoint, ErrorCode, Payload, ServerMsg, TapKind};

/// A WebSocket with one open tcp-echo session (id 1): the bystander every test checks on.
async fn bystander(relay: &common::TestRelay) -> Ws {
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::TcpEcho).await;
    ws
}

async fn expect_close(ws: &mut Ws, code: CloseCode) -> String {
    match common::next_frame(ws).await {
        Message::Close(Some(frame)) => {
            assert_eq!(frame.code, code, "{}", frame.reason);
            frame.reason.to_string()
        }
        other => panic!("expected close {code}, got {other:?}"),
    }
}

#[tokio::test]
async fn nothing_but_the_relays_own_endpoints_can_be_named() {
    let relay = common::start().await;
    let mut good = bystander(&relay).await;
    let mut ws = relay.ws().await;
    let tricks = [
        r#""127.0.0.1:22""#,
        r#""[::1]:7007""#,
        r#""localhost:7007""#,
        r#""169.254.169.254:80""#,
        r#""example.com:80""#,
        r#""TCP-ECHO""#,
        r#"" tcp-echo""#,
        r#""tcp-echo\u0000""#,
        r#""tcp-echo/../ssh""#,
        r#""tcp_echo""#,
        r#"{"host": "10.0.0.1", "port": 22}"#,
        r#"["tcp-echo"]"#,
        "7007",
        "null",
    ];
    for endpoint in tricks {
        let text = format!(r#"{{"type":"open","session":1,"endpoint":{endpoint}}}"#);
        ws.send(Message::text(text)).await.unwrap();
        assert!(
            matches!(recv(&mut ws).await, ServerMsg::Error { code: ErrorCode::BadMessage, .. }),
            "{endpoint}"
        );
    }
    // Extra fields that try to smuggle an address are refused too, not ignored.
    for extra in [r#""host":"127.0.0.1""#, r#""port":22"#, r#""address":"10.0.0.1:80""#] {
        let text = format!(r#"{{"type":"open","session":1,"endpoint":"tcp-echo",{extra}}}"#);
        ws.send(Message::text(text)).await.unwrap();
        assert!(matches!(
            recv(&mut ws).await,
            ServerMsg::Error { code: ErrorCode::BadMessage, .. }
        ));
    }
    round_trip(&mut good, 1, "unbothered").await;
    relay.stop().await;
}

#[tokio::test]
async fn an_oversize_message_is_closed_with_1009_and_others_carry_on() {
    let relay = common::start_with(|c| c.limits.max_message = 4096).await;
    let mut good = bystander(&relay).await;
    let mut ws = relay.ws().await;
    let huge = serde_json::to_string(&ClientMsg::Send {
        session: 1,
        data: Payload::Text("x".repeat(10_000)),
    })
    .unwrap();
    ws.send(Message::text(huge)).await.unwrap();
    let reason = expect_close(&mut ws, CloseCode::Size).await;
    assert!(reason.contains("4096"), "names the limit: {reason}");
    round_trip(&mut good, 1, &"y".repeat(3000)).await;
    assert!(relay.metrics().await.contains("socklab_limit_hits_total{limit=\"message_size\"} 1"));
    relay.stop().await;
}

#[tokio::test]
async fn invalid_utf8_in_a_text_frame_is_closed_with_1007() {
    let relay = common::start().await;
    let mut good = bystander(&relay).await;
    let mut ws = relay.ws().await;
    let header =
        FrameHeader { is_final: true, opcode: OpCode::Data(Data::Text), ..FrameHeader::default() };
    ws.send(Message::Frame(Frame::from_payload(header, vec![0x7b, 0xff, 0xfe, 0x7d].into())))
        .await
        .unwrap();
    expect_close(&mut ws, CloseCode::Invalid).await;
    round_trip(&mut good, 1, "still fine").await;
    relay.stop().await;
}

#[tokio::test]
async fn pages_from_other_origins_are_refused_before_the_upgrade() {
    let relay =
        common::start_with(|c| c.limits.allow_origins = vec!["https://course.example".into()])
            .await;
    let site = relay.addrs.site.to_string();
    let protocol = ("sec-websocket-protocol", wire::SUBPROTOCOL);
    for origin in [
        "https://evil.example",
        "http://localhost.evil.example",
        "null",
        &format!("http://{site}.evil"),
    ] {
        match relay.ws_with_headers(&[protocol, ("origin", origin)]).await {
            Err(common::WsError::Http(response)) => {
                assert_eq!(response.status(), 403, "{origin}");
                let body = String::from_utf8(response.into_body().unwrap_or_default()).unwrap();
                assert!(body.contains(origin) && body.contains("--allow-origin"), "{body}");
            }
            other => panic!("{origin}: expected 403, got {other:?}"),
        }
    }
    for origin in [format!("http://{site}"), "https://course.example".into()] {
        let ws = relay.ws_with_headers(&[protocol, ("origin", &origin)]).await;
        assert!(ws.is_ok(), "{origin}: {ws:?}");
    }
    relay.stop().await;
}

#[tokio::test]
async fn one_address_cannot_hold_more_than_its_websockets() {
    let relay = common::start_with(|c| c.limits.max_ws_per_ip = 3).await;
    let mut open_sockets = vec![bystander(&relay).await, relay.ws().await, relay.ws().await];
    match relay.ws_with_protocol(Some(wire::SUBPROTOCOL)).await {
        Err(common::WsError::Http(response)) => assert_eq!(response.status(), 429),
        other => panic!("expected 429, got {other:?}"),
    }
    // Closing one gives its place back.
    let mut leaving = open_sockets.pop().unwrap();
    leaving.close(None).await.unwrap();
    while leaving.next().await.is_some() {}
    let mut retry = None;
    for _ in 0..50 {
        if let Ok(ws) = relay.ws_with_protocol(Some(wire::SUBPROTOCOL)).await {
            retry = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(retry.is_some(), "the slot was not given back");
    round_trip(&mut open_sockets[0], 1, "unbothered").await;
    relay.stop().await;
}

#[tokio::test]
async fn idle_websockets_and_idle_echo_clients_are_closed() {
    let relay = common::start_with(|c| {
        c.limits.ws_idle_secs = 1;
        c.limits.tcp_idle_secs = 1;
    })
    .await;
    let mut ws = relay.ws().await;
    let mut raw = tokio::net::TcpStream::connect(relay.addrs.tcp_echo).await.unwrap();
    let reason = expect_close(&mut ws, CloseCode::Normal).await;
    assert!(reason.contains("no message for 1 s"), "{reason}");
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(5), raw.read(&mut buf))
        .await
        .expect("closed in time");
    assert_eq!(read.unwrap(), 0, "the echo server closed the idle connection");
    relay.stop().await;
}

#[tokio::test]
async fn a_slow_reader_is_held_back_not_buffered_and_loses_nothing() {
    let relay = common::start().await;
    let mut good = bystander(&relay).await;
    let mut slow = relay.ws().await;
    open(&mut slow, 1, Endpoint::TcpEcho).await;
    // 4 MiB echoed back to a page that does not read: the relay must stop reading the echo
    // socket instead of queueing megabytes for the page.
    let chunk = "z".repeat(32 * 1024);
    let total = 128 * chunk.len();
    for _ in 0..128 {
        send(&mut slow, &ClientMsg::Send { session: 1, data: Payload::Text(chunk.clone()) }).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    round_trip(&mut good, 1, "others are served meanwhile").await;
    // Now read everything: every byte arrives, in order.
    let mut echoed = 0;
    while echoed < total {
        match recv(&mut slow).await {
            ServerMsg::Read { data, .. } => {
                assert!(data.as_bytes().iter().all(|b| *b == b'z'));
                echoed += data.as_bytes().len();
            }
            ServerMsg::Wrote { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(echoed, total);
    relay.stop().await;
}

#[tokio::test]
async fn an_upstream_reset_mid_stream_is_reported_and_others_carry_on() {
    const BIG: usize = 32 * 1024 * 1024;
    let relay = common::start_with(|c| {
        c.limits.tcp_idle_secs = 2;
        c.limits.max_message = BIG + 1024;
        c.limits.session_bytes = BIG as u64;
    })
    .await;
    // A watcher sees the echo server's side of things through the live tap.
    let mut watcher = relay.ws().await;
    send(&mut watcher, &ClientMsg::Tap { on: true }).await;
    send(&mut watcher, &ClientMsg::Close { session: 99 }).await; // answered once tapping
    assert!(matches!(recv(&mut watcher).await, ServerMsg::Error { session: Some(99), .. }));

    let mut ws = relay.ws().await;
    open(&mut ws, 2, Endpoint::TcpEcho).await;
    // One 32 MiB write to the echo server from a page that reads nothing: more than every
    // buffer on the way back holds, so the echo server's write blocks; after its 2 s limit it
    // gives up on this client and aborts the connection with RST. (The JSON is built by hand:
    // serde_json's escaping loop, unoptimised in a test build, takes seconds over 32 MiB.)
    let empty = ClientMsg::Send { session: 2, data: Payload::Text(String::new()) };
    let empty = serde_json::to_string(&empty).unwrap();
    let big = empty.replace(r#""text":"""#, &format!(r#""text":"{}""#, "r".repeat(BIG)));
    assert!(big.len() > BIG, "{empty}");
    ws.send(Message::text(big)).await.unwrap();
    loop {
        match recv(&mut watcher).await {
            ServerMsg::Tap { event }
                if event.kind == TapKind::Ended { reason: "not reading".into() } =>
            {
                break;
            }
            ServerMsg::Tap { event } if matches!(event.kind, TapKind::Ended { .. }) => {
                panic!("the echo server let go for another reason: {event:?}")
            }
            ServerMsg::Tap { .. } | ServerMsg::TapLagged { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    // (Opened only now: the echo server's 2 s limit would end an idle bystander too.)
    let mut good = bystander(&relay).await;
    round_trip(&mut good, 1, "a stalled page elsewhere is no concern of mine").await;
    // Now the page reads: the bytes echoed before the reset, in order, then the reset; the
    // unfinished write fails with a socket error (before or after, as the two tasks race).
    // Neither ends the WebSocket.
    let (mut echoed, mut write_failed) = (0, false);
    loop {
        match recv(&mut ws).await {
            ServerMsg::Read { session: 2, data, .. } => {
                assert!(data.as_bytes().iter().all(|b| *b == b'r'));
                echoed += data.as_bytes().len();
            }
            ServerMsg::Error { session: Some(2), code: ErrorCode::SocketError, message } => {
                assert!(message.contains("write failed"), "{message}");
                write_failed = true;
            }
            ServerMsg::PeerReset { session: 2, .. } => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(echoed > 0 && echoed < BIG, "echoed {echoed} bytes before the reset");
    if !write_failed {
        match recv(&mut ws).await {
            ServerMsg::Error { session: Some(2), code: ErrorCode::SocketError, .. } => {}
            other => panic!("{other:?}"),
        }
    }
    // The page closes the dead session and opens a fresh one.
    send(&mut ws, &ClientMsg::Close { session: 2 }).await;
    assert_eq!(recv(&mut ws).await, ServerMsg::Closed { session: 2 });
    open(&mut ws, 3, Endpoint::TcpEcho).await;
    round_trip(&mut ws, 3, "fresh").await;
    relay.stop().await;
}

#[tokio::test]
async fn connection_churn_leaves_nothing_behind() {
    let relay = common::start_with(|c| c.limits.max_ws_per_ip = 64).await;
    let mut good = bystander(&relay).await;
    // Raw TCP connect/close against the echo port…
    for _ in 0..1000 {
        let mut stream = tokio::net::TcpStream::connect(relay.addrs.tcp_echo).await.unwrap();
        stream.write_all(b"x").await.unwrap();
        drop(stream);
    }
    // …and WebSockets that open a session and vanish without closing anything.
    for round in 0..20 {
        let mut sockets = Vec::new();
        for _ in 0..25 {
            let mut ws = relay.ws().await;
            open(&mut ws, round, Endpoint::TcpEcho).await;
            sockets.push(ws);
        }
        drop(sockets);
    }
    round_trip(&mut good, 1, "unbothered").await;
    // Give the relay a moment to notice the dropped connections, then only the bystander's
    // WebSocket and session remain.
    let mut text = String::new();
    for _ in 0..100 {
        text = relay.metrics().await;
        if text.contains("socklab_websockets_open 1\n") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(text.contains("socklab_websockets_open 1\n"), "{text}");
    assert!(text.contains("socklab_sessions_open{endpoint=\"tcp-echo\"} 1\n"), "{text}");
    relay.stop().await;
}

#[tokio::test]
async fn a_flooding_page_is_rate_limited_and_keeps_its_websocket() {
    let relay = common::start_with(|c| c.limits.ws_msgs_per_sec = 5).await;
    let mut ws = bystander(&relay).await;
    for _ in 0..40 {
        send(&mut ws, &ClientMsg::Close { session: 99 }).await;
    }
    let (mut limited, mut answered) = (0, 0);
    for _ in 0..40 {
        match recv(&mut ws).await {
            ServerMsg::Error { code: ErrorCode::RateLimited, .. } => limited += 1,
            ServerMsg::Error { code: ErrorCode::UnknownSession, .. } => answered += 1,
            other => panic!("{other:?}"),
        }
    }
    // A burst of 10 (twice the rate; the bystander's `open` took one) got through, plus what
    // refilled meanwhile.
    assert!((9..=13).contains(&answered), "answered {answered}, limited {limited}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    round_trip(&mut ws, 1, "after the flood").await;
    relay.stop().await;
}

#[tokio::test]
async fn a_silent_session_is_closed_after_the_idle_timeout() {
    let relay = common::start_with(|c| c.limits.session_idle_secs = 1).await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::TcpEcho).await;
    match recv(&mut ws).await {
        ServerMsg::Error { session: Some(1), code: ErrorCode::IdleTimeout, .. } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(recv(&mut ws).await, ServerMsg::Closed { session: 1 });
    relay.stop().await;
}

#[tokio::test]
async fn udp_echo_never_amplifies_and_limits_each_source() {
    let relay = common::start_with(|c| c.limits.udp_per_sec = 5).await;
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for n in 0..50u8 {
        socket.send_to(&[n; 100], relay.addrs.udp_echo).await.unwrap();
    }
    let mut buf = [0u8; 4096];
    let mut replies = 0;
    while let Ok(Ok((len, _))) =
        tokio::time::timeout(Duration::from_millis(300), socket.recv_from(&mut buf)).await
    {
        assert_eq!(len, 100, "a reply is never larger than its request");
        replies += 1;
    }
    assert!((10..=12).contains(&replies), "{replies} replies to 50 datagrams");
    // Another source is not affected by the first one's limit.
    let other = tokio::net::UdpSocket::bind("127.0.0.2:0").await.unwrap();
    other.send_to(b"hi", relay.addrs.udp_echo).await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(2), other.recv_from(&mut buf)).await;
    assert_eq!(reply.expect("an answer").unwrap().0, 2);
    assert!(relay.metrics().await.contains("socklab_limit_hits_total{limit=\"udp_rate\"}"));
    relay.stop().await;
}

/// Behind a trusted proxy the per-address limit counts the address the proxy names; from
/// anyone else the same headers change nothing, so a client cannot pick its own address.
#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    let protocol = ("sec-websocket-protocol", wire::SUBPROTOCOL);
    let status = |result: Result<common::Ws, common::WsError>| match result {
        Ok(_) => 101,
        Err(common::WsError::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("{other:?}"),
    };

    // The test's own connections come from 127.0.0.1: here that is a trusted proxy.
    let relay = common::start_with(|c| {
        c.limits.max_ws_per_ip = 1;
        c.limits.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    let learner = |address| [protocol, ("x-forwarded-for", address)];
    let first = relay.ws_with_headers(&learner("198.51.100.7")).await.unwrap();
    assert_eq!(status(relay.ws_with_headers(&learner("198.51.100.7")).await), 429);
    // A client's forged entry on the left does not help it: the proxy appended the real one.
    assert_eq!(status(relay.ws_with_headers(&learner("203.0.113.1, 198.51.100.7")).await), 429);
    let second = relay.ws_with_headers(&[protocol, ("forwarded", "for=198.51.100.8")]).await;
    assert!(second.is_ok(), "another learner behind the same proxy: {second:?}");
    drop((first, second));
    relay.stop().await;

    // No trusted proxies: the headers are ignored, and 127.0.0.1 is one client.
    let relay = common::start_with(|c| c.limits.max_ws_per_ip = 1).await;
    let _first = relay.ws_with_headers(&learner("198.51.100.7")).await.unwrap();
    assert_eq!(status(relay.ws_with_headers(&learner("198.51.100.8")).await), 429);
    relay.stop().await;
}

/// Send 60 KB messages on session `id` and never read, until the relay stops reading this
/// WebSocket: every buffer between page, relay and echo server is full, the session's writer
/// is blocked and its command queue too. Returns the bytes whose `send` went through.
async fn flood_until_stalled(ws: &mut Ws, id: u32) -> usize {
    let chunk = "z".repeat(60_000);
    let msg = serde_json::to_string(&ClientMsg::Send { session: id, data: Payload::Text(chunk) })
        .unwrap();
    let mut sent = 0;
    // Loopback buffers hold a few tens of MB at most; 1 GB would mean the relay never stopped.
    for _ in 0..16_000 {
        let sending = ws.send(Message::text(msg.clone()));
        match tokio::time::timeout(Duration::from_millis(500), sending).await {
            Ok(done) => done.unwrap(),
            Err(_) => return sent,
        }
        sent += 60_000;
    }
    panic!("the relay read 1 GB from a page that reads nothing back");
}

/// Polls `/metrics` until the counter of `limit` has been hit (or 20 s have passed).
async fn wait_for_limit_hit(relay: &common::TestRelay, limit: &str) {
    let line = format!("socklab_limit_hits_total{{limit=\"{limit}\"}}");
    for _ in 0..200 {
        if relay.metrics().await.contains(&line) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{limit} was never hit");
}

#[tokio::test]
async fn a_stalled_session_is_still_closed_when_idle() {
    let relay = common::start_with(|c| {
        c.limits.session_idle_secs = 1;
        c.limits.ws_msgs_per_sec = 1_000_000;
        c.limits.session_bytes = u64::MAX;
    })
    .await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::TcpEcho).await;
    let sent = flood_until_stalled(&mut ws, 1).await;
    // The WebSocket reads nothing more from this page until session 1 has room, but the idle
    // sweep must go on: the session has moved no byte for a second.
    wait_for_limit_hit(&relay, "session_idle").await;
    let mut other = relay.ws().await;
    open(&mut other, 1, Endpoint::TcpEcho).await;
    round_trip(&mut other, 1, "others are served meanwhile").await;
    let mut echoed = 0;
    loop {
        match recv(&mut ws).await {
            ServerMsg::Read { data, .. } => echoed += data.as_bytes().len(),
            ServerMsg::Wrote { .. } => {}
            ServerMsg::Error { session: Some(1), code: ErrorCode::IdleTimeout, .. } => break,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(recv(&mut ws).await, ServerMsg::Closed { session: 1 });
    assert!(echoed < sent, "closed while stalled, yet all {sent} bytes came back");
    drop(ws);
    relay.stop().await;
}

#[tokio::test]
async fn shutdown_is_not_held_up_by_a_stalled_page() {
    let relay = common::start_with(|c| {
        c.limits.ws_msgs_per_sec = 1_000_000;
        c.limits.session_bytes = u64::MAX;
    })
    .await;
    let mut reading = bystander(&relay).await;
    let mut stalled = relay.ws().await;
    open(&mut stalled, 1, Endpoint::TcpEcho).await;
    flood_until_stalled(&mut stalled, 1).await;
    // `stop` fails if any WebSocket task outlives the drain: the stalled page (which will never
    // read its close frame) must be dropped in time, and the reading one closed properly.
    relay.stop().await;
    expect_close(&mut reading, CloseCode::Away).await;
}
