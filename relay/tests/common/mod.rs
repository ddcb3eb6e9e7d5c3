//! A real relay on free loopback ports, and a real WebSocket client to talk to it.

#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use relay::{Addrs, Config, Relay};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;
use wire::{ClientMsg, ServerMsg};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A hashed asset name in Trunk's style.
pub const WASM_ASSET: &str = "frontend-0123456789abcdef_bg.wasm";
pub const INDEX_HTML: &str = "<!doctype html><title>SockLab test</title>";
/// Stands in for the build's `index.html.gz`: the relay must send these bytes untouched.
pub const INDEX_HTML_GZ: &[u8] = b"precompressed stand-in";

pub struct TestRelay {
    pub addrs: Addrs,
    shutdown: CancellationToken,
    serving: tokio::task::JoinHandle<anyhow::Result<()>>,
    _site: tempfile::TempDir,
}

pub async fn start() -> TestRelay {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(site.path().join("index.html.gz"), INDEX_HTML_GZ).unwrap();
    // Big and repetitive enough to be worth compressing.
    std::fs::write(site.path().join(WASM_ASSET), b"\0asm\x01\0\0\0".repeat(512)).unwrap();
    let relay = Relay::bind(Config::ephemeral(site.path())).await.unwrap();
    let addrs = relay.addrs();
    let shutdown = CancellationToken::new();
    let serving = tokio::spawn(relay.serve(shutdown.clone()));
    TestRelay { addrs, shutdown, serving, _site: site }
}

impl TestRelay {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addrs.site)
    }

    /// Cancel, and wait for `serve` to return cleanly.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let result = tokio::time::timeout(Duration::from_secs(10), self.serving).await;
        result.expect("relay drained in time").unwrap().unwrap();
    }

    /// A WebSocket speaking our protocol, past the relay's `hello`.
    pub async fn ws(&self) -> Ws {
        let mut ws = self.ws_with_protocol(Some(wire::SUBPROTOCOL)).await.unwrap();
        assert!(matches!(recv(&mut ws).await, ServerMsg::Hello { .. }));
        ws
    }

    pub async fn ws_with_protocol(
        &self,
        protocol: Option<&str>,
    ) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
        let mut request =
            format!("ws://{}{}", self.addrs.site, wire::WS_PATH).into_client_request()?;
        if let Some(protocol) = protocol {
            request
                .headers_mut()
                .insert("sec-websocket-protocol", HeaderValue::from_str(protocol).unwrap());
        }
        tokio_tungstenite::connect_async(request).await.map(|(ws, _)| ws)
    }
}

pub async fn send(ws: &mut Ws, msg: &ClientMsg) {
    ws.send(Message::text(serde_json::to_string(msg).unwrap())).await.unwrap();
}

/// The next frame, which must be a protocol message, within five seconds.
pub async fn recv(ws: &mut Ws) -> ServerMsg {
    match next_frame(ws).await {
        Message::Text(text) => {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        }
        other => panic!("expected a text frame, got {other:?}"),
    }
}

pub async fn next_frame(ws: &mut Ws) -> Message {
    tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .expect("a frame within 5 s")
        .expect("the WebSocket is still open")
        .expect("a valid frame")
}
