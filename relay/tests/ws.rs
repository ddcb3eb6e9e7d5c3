//! The page↔relay protocol through a real WebSocket to a real echo socket.

mod common;

use common::{recv, round_trip, send};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use wire::{ClientMsg, Endpoint, ErrorCode, Payload, ServerMsg};

#[tokio::test]
async fn hello_announces_the_protocol_endpoints_and_where_they_listen() {
    let relay = common::start().await;
    let mut ws = relay.ws_with_protocol(Some(wire::SUBPROTOCOL)).await.unwrap();
    let listener = |endpoint, address: std::net::SocketAddr| wire::Listener {
        endpoint,
        address: address.to_string(),
    };
    assert_eq!(
        recv(&mut ws).await,
        ServerMsg::Hello {
            protocol: "socklab.v1".into(),
            endpoints: vec![Endpoint::TcpEcho, Endpoint::UdpEcho, Endpoint::HttpDemo],
            listeners: vec![
                listener(Endpoint::TcpEcho, relay.addrs.tcp_echo),
                listener(Endpoint::UdpEcho, relay.addrs.udp_echo),
                listener(Endpoint::HttpDemo, relay.addrs.http_demo),
            ],
        }
    );
    relay.stop().await;
}

#[tokio::test]
async fn a_message_round_trips_through_the_real_echo_socket() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    send(&mut ws, &ClientMsg::Open { session: 1, endpoint: Endpoint::TcpEcho }).await;
    assert!(matches!(
        recv(&mut ws).await,
        ServerMsg::Opened { session: 1, endpoint: Endpoint::TcpEcho, .. }
    ));

    let reads = round_trip(&mut ws, 1, "hello, 世界").await;
    assert!(!reads.is_empty());
    // A second message on the same session, larger than one read buffer can hold.
    let big = "0123456789".repeat(5_000);
    let reads = round_trip(&mut ws, 1, &big).await;
    assert!(reads.iter().all(|&n| n <= relay::session::READ_CHUNK));

    send(&mut ws, &ClientMsg::Close { session: 1 }).await;
    assert_eq!(recv(&mut ws).await, ServerMsg::Closed { session: 1 });
    relay.stop().await;
}

#[tokio::test]
async fn sessions_are_independent_and_ids_are_checked() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    for id in [1, 2] {
        send(&mut ws, &ClientMsg::Open { session: id, endpoint: Endpoint::TcpEcho }).await;
        assert!(matches!(recv(&mut ws).await, ServerMsg::Opened { session, .. } if session == id));
    }
    send(&mut ws, &ClientMsg::Open { session: 1, endpoint: Endpoint::TcpEcho }).await;
    assert!(matches!(
        recv(&mut ws).await,
        ServerMsg::Error { session: Some(1), code: ErrorCode::SessionExists, .. }
    ));
    send(&mut ws, &ClientMsg::Send { session: 9, data: Payload::Text("x".into()) }).await;
    assert!(matches!(
        recv(&mut ws).await,
        ServerMsg::Error { session: Some(9), code: ErrorCode::UnknownSession, .. }
    ));
    round_trip(&mut ws, 2, "second").await;
    round_trip(&mut ws, 1, "first").await;
    relay.stop().await;
}

#[tokio::test]
async fn malformed_input_gets_a_typed_error_and_the_socket_stays_usable() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    let bad_frames = [
        Message::text("not json"),
        Message::text(r#"{"type":"open","session":1,"endpoint":"10.0.0.1:22"}"#),
        Message::text(r#"{"type":"open","session":"one","endpoint":"tcp-echo"}"#),
        Message::text(r#"{"type":"teleport"}"#),
    ];
    for frame in bad_frames {
        ws_send(&mut ws, frame).await;
        match recv(&mut ws).await {
            ServerMsg::Error { session: None, code: ErrorCode::BadMessage, message } => {
                assert!(message.contains("not a valid message"), "{message}")
            }
            other => panic!("expected bad_message, got {other:?}"),
        }
    }
    ws_send(&mut ws, Message::binary(vec![1, 2, 3])).await;
    assert!(matches!(
        recv(&mut ws).await,
        ServerMsg::Error { code: ErrorCode::BinaryNotSupported, .. }
    ));

    send(&mut ws, &ClientMsg::Open { session: 1, endpoint: Endpoint::TcpEcho }).await;
    assert!(matches!(recv(&mut ws).await, ServerMsg::Opened { .. }));
    round_trip(&mut ws, 1, "still here").await;
    relay.stop().await;
}

#[tokio::test]
async fn clients_without_the_subprotocol_are_refused_before_upgrade() {
    let relay = common::start().await;
    for offered in [None, Some("socklab.v0"), Some("chat")] {
        match relay.ws_with_protocol(offered).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 400, "{offered:?}");
                let body = String::from_utf8(response.into_body().unwrap_or_default()).unwrap();
                assert!(body.contains("socklab.v1"), "{body}");
            }
            other => panic!("{offered:?}: expected HTTP 400, got {other:?}"),
        }
    }
    relay.stop().await;
}

#[tokio::test]
async fn shutdown_closes_every_websocket_with_going_away() {
    let relay = common::start().await;
    let mut sockets = Vec::new();
    for _ in 0..3 {
        let mut ws = relay.ws().await;
        send(&mut ws, &ClientMsg::Open { session: 1, endpoint: Endpoint::TcpEcho }).await;
        assert!(matches!(recv(&mut ws).await, ServerMsg::Opened { .. }));
        sockets.push(ws);
    }
    relay.stop().await; // returns only once serve() has drained
    for mut ws in sockets {
        match common::next_frame(&mut ws).await {
            Message::Close(Some(frame)) => assert_eq!(frame.code, CloseCode::Away),
            other => panic!("expected close 1001, got {other:?}"),
        }
    }
}

async fn ws_send(ws: &mut common::Ws, frame: Message) {
    use futures_util::SinkExt as _;
    ws.send(frame).await.unwrap();
}
