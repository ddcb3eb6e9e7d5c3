//! The live tap: a learner's own Python client talks to the echo ports, the page watches.

mod common;

use common::recv;
use tokio::process::Command;
use wire::{ClientMsg, Endpoint, ErrorCode, ServerMsg, TapEvent, TapKind};

/// Run a Python snippet (the learner's script); return what it printed.
async fn python(code: &str) -> String {
    let out = Command::new("python3").args(["-c", code]).output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

async fn next_tap(ws: &mut common::Ws) -> TapEvent {
    match recv(ws).await {
        ServerMsg::Tap { event } => event,
        other => panic!("expected a tap event, got {other:?}"),
    }
}

#[tokio::test]
async fn the_page_watches_a_python_client_at_the_echo_ports() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    common::send(&mut ws, &ClientMsg::Tap { on: true }).await;

    let port = relay.addrs.tcp_echo.port();
    let peer = python(&format!(
        "import socket\n\
         with socket.create_connection(('127.0.0.1', {port})) as s:\n\
         \x20   s.sendall(b'hello from python')\n\
         \x20   assert s.recv(100) == b'hello from python'\n\
         \x20   print('%s:%d' % s.getsockname())"
    ))
    .await;
    let events: Vec<TapEvent> = [
        next_tap(&mut ws).await,
        next_tap(&mut ws).await,
        next_tap(&mut ws).await,
        next_tap(&mut ws).await,
    ]
    .into();
    assert!(
        events.iter().all(|e| e.endpoint == Endpoint::TcpEcho && e.peer == peer),
        "{events:#?}"
    );
    assert_eq!(events[0].kind, TapKind::Accepted);
    match &events[1].kind {
        TapKind::Read { len: 17, data } => assert_eq!(data.as_bytes(), b"hello from python"),
        other => panic!("{other:?}"),
    }
    assert_eq!(events[2].kind, TapKind::Wrote { len: 17 });
    assert_eq!(events[3].kind, TapKind::Closed);

    let udp = relay.addrs.udp_echo.port();
    python(&format!(
        "import socket\n\
         with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:\n\
         \x20   s.settimeout(2)\n\
         \x20   s.sendto(b'ping', ('127.0.0.1', {udp}))\n\
         \x20   assert s.recvfrom(100)[0] == b'ping'"
    ))
    .await;
    let read = next_tap(&mut ws).await;
    assert_eq!(read.endpoint, Endpoint::UdpEcho);
    assert!(matches!(read.kind, TapKind::Read { len: 4, .. }));
    assert_eq!(next_tap(&mut ws).await.kind, TapKind::Wrote { len: 4 });

    // Turned off, the page hears nothing more.
    common::send(&mut ws, &ClientMsg::Tap { on: false }).await;
    python(&format!("import socket\nsocket.create_connection(('127.0.0.1', {port})).close()"))
        .await;
    common::send(&mut ws, &ClientMsg::Close { session: 42 }).await;
    assert!(matches!(
        recv(&mut ws).await,
        ServerMsg::Error { code: ErrorCode::UnknownSession, .. }
    ));
    relay.stop().await;
}

#[tokio::test]
async fn the_tap_can_be_switched_off_by_the_operator() {
    let relay = common::start_with(|c| c.limits.tap = relay::config::TapMode::Off).await;
    let mut ws = relay.ws().await;
    common::send(&mut ws, &ClientMsg::Tap { on: true }).await;
    match recv(&mut ws).await {
        ServerMsg::Error { code: ErrorCode::TapDisabled, message, .. } => {
            assert!(message.contains("--tap on"), "{message}");
            // The sentence is built over several source lines; none of their indentation
            // may reach the page.
            assert!(!message.contains("  "), "a run of spaces: {message:?}");
        }
        other => panic!("{other:?}"),
    }
    relay.stop().await;
}
