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
pub type WsError = tokio_tungstenite::tungstenite::Error;

/// A hashed asset name in Trunk's style.
pub const WASM_ASSET: &str = "labs-sim-0123456789abcdef_bg.wasm";
pub const INDEX_HTML: &str = "<!doctype html><title>SockLab test</title>";
/// Stands in for the build's `index.html.gz`: the relay must send these bytes untouched.
pub const INDEX_HTML_GZ: &[u8] = b"precompressed stand-in";
/// A prerendered chapter, at `en/handshake.html`.
pub const CHAPTER_HTML: &str = "<!doctype html><title>The three-way handshake</title>";
pub const NOT_FOUND_HTML: &str = "<!doctype html><title>Page not found</title>";
pub const NOT_FOUND_ZH_HTML: &str = "<!doctype html><title>页面不存在</title>";

pub struct TestRelay {
    pub addrs: Addrs,
    shutdown: CancellationToken,
    serving: tokio::task::JoinHandle<anyhow::Result<()>>,
    _site: tempfile::TempDir,
}

pub async fn start() -> TestRelay {
    start_with(|_| {}).await
}

/// A relay whose configuration `adjust` may change (limits, mostly).
pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestRelay {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(site.path().join("index.html.gz"), INDEX_HTML_GZ).unwrap();
    std::fs::write(site.path().join("404.html"), NOT_FOUND_HTML).unwrap();
    for lang in ["en", "zh"] {
        std::fs::create_dir(site.path().join(lang)).unwrap();
    }
    std::fs::write(site.path().join("en/handshake.html"), CHAPTER_HTML).unwrap();
    std::fs::write(site.path().join("zh/404.html"), NOT_FOUND_ZH_HTML).unwrap();
    // Big and repetitive enough to be worth compressing.
    std::fs::write(site.path().join(WASM_ASSET), b"\0asm\x01\0\0\0".repeat(512)).unwrap();
    let mut config = Config::ephemeral(site.path());
    adjust(&mut config);
    let relay = Relay::bind(config).await.unwrap();
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

    pub async fn ws_with_protocol(&self, protocol: Option<&str>) -> Result<Ws, WsError> {
        let headers: Vec<_> = protocol.map(|p| ("sec-websocket-protocol", p)).into_iter().collect();
        self.ws_with_headers(&headers).await
    }

    pub async fn ws_with_headers(&self, headers: &[(&'static str, &str)]) -> Result<Ws, WsError> {
        let mut request =
            format!("ws://{}{}", self.addrs.site, wire::WS_PATH).into_client_request()?;
        for (name, value) in headers {
            request.headers_mut().insert(*name, HeaderValue::from_str(value).unwrap());
        }
        tokio_tungstenite::connect_async(request).await.map(|(ws, _)| ws)
    }

    /// `/metrics` as text.
    pub async fn metrics(&self) -> String {
        reqwest::get(self.url("/metrics")).await.unwrap().text().await.unwrap()
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

/// Open session `id` to `endpoint` and wait for `opened`.
pub async fn open(ws: &mut Ws, id: u32, endpoint: wire::Endpoint) {
    send(ws, &ClientMsg::Open { session: id, endpoint }).await;
    match recv(ws).await {
        ServerMsg::Opened { session, .. } if session == id => {}
        other => panic!("expected opened {id}, got {other:?}"),
    }
}

/// Send `text` on TCP session `id` and collect reads until all of it is back. Returns the
/// reads' lengths: the chunk boundaries the kernel produced.
pub async fn round_trip(ws: &mut Ws, id: u32, text: &str) -> Vec<usize> {
    send(ws, &ClientMsg::Send { session: id, data: wire::Payload::Text(text.into()) }).await;
    let (mut echoed, mut reads, mut wrote) = (Vec::new(), Vec::new(), false);
    while echoed.len() < text.len() || !wrote {
        match recv(ws).await {
            ServerMsg::Wrote { session, len, .. } => {
                assert_eq!((session, len), (id, text.len()));
                wrote = true;
            }
            ServerMsg::Read { session, len, data, .. } => {
                assert_eq!(session, id);
                assert_eq!(len, data.as_bytes().len(), "len must count the bytes carried");
                reads.push(len);
                echoed.extend(data.into_bytes());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(String::from_utf8(echoed).unwrap(), text);
    reads
}
