//! One client connection per target kind, each able to do one echo round trip.
//!
//! Every client socket has Nagle's algorithm off, so no target's numbers include a client-side
//! coalescing delay that another's do not.

use std::net::SocketAddr;

use anyhow::{Context as _, anyhow, bail};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use wire::{ClientMsg, Endpoint, Payload, ServerMsg, SessionId};

pub type Ws = WebSocketStream<TcpStream>;

/// The session id the throughput clients use: one session per WebSocket.
const SESSION: SessionId = 1;

/// Where each target listens.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The relay's tcp-echo port, over plain TCP.
    Direct(SocketAddr),
    /// The relay's site port; `/ws`, one tcp-echo session per WebSocket.
    Relay(SocketAddr),
    /// websockify's port, bridged to the same tcp-echo port.
    Websockify(SocketAddr),
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Direct(_) => "direct",
            Target::Relay(_) => "relay",
            Target::Websockify(_) => "websockify",
        }
    }

    /// Connect one client, ready for round trips (for the relay: past `hello` and `opened`).
    pub async fn connect(self) -> anyhow::Result<Client> {
        match self {
            Target::Direct(addr) => {
                let stream = TcpStream::connect(addr).await?;
                stream.set_nodelay(true)?;
                Ok(Client::Direct(stream))
            }
            Target::Relay(addr) => {
                let mut ws = relay_ws(addr).await?;
                send(&mut ws, &ClientMsg::Open { session: SESSION, endpoint: Endpoint::TcpEcho })
                    .await?;
                match recv(&mut ws).await? {
                    ServerMsg::Opened { session: SESSION, .. } => Ok(Client::Relay(ws)),
                    other => bail!("the relay answered `open` with {other:?}"),
                }
            }
            // websockify 0.10 speaks raw binary frames; it picks no subprotocol unless the
            // client offers "binary", so we offer none.
            Target::Websockify(addr) => Ok(Client::Websockify(websocket(addr, "/", None).await?)),
        }
    }
}

/// A connected client of one target.
#[derive(Debug)]
pub enum Client {
    Direct(TcpStream),
    Relay(Ws),
    Websockify(Ws),
}

impl Client {
    /// Send `payload` once and collect its echo into `echoed`, until at least as many bytes
    /// as were sent have come back. The caller compares the two.
    pub async fn round_trip(&mut self, payload: &[u8], echoed: &mut Vec<u8>) -> anyhow::Result<()> {
        echoed.clear();
        match self {
            Client::Direct(stream) => {
                stream.write_all(payload).await?;
                while echoed.len() < payload.len() {
                    echoed.reserve(payload.len());
                    if stream.read_buf(echoed).await? == 0 {
                        bail!("the echo server closed the connection");
                    }
                }
            }
            Client::Relay(ws) => {
                let text = std::str::from_utf8(payload).context("relay payloads are text")?;
                let data = Payload::Text(text.to_owned());
                send(ws, &ClientMsg::Send { session: SESSION, data }).await?;
                while echoed.len() < payload.len() {
                    match recv(ws).await? {
                        ServerMsg::Read { session: SESSION, data, .. } => {
                            echoed.extend_from_slice(data.as_bytes())
                        }
                        // Reports that write_all finished; it may come before, between or
                        // after the reads. The round trip is over when the echo is back.
                        ServerMsg::Wrote { session: SESSION, .. } => {}
                        other => bail!("unexpected message from the relay: {other:?}"),
                    }
                }
            }
            Client::Websockify(ws) => {
                ws.send(Message::binary(payload.to_vec())).await?;
                while echoed.len() < payload.len() {
                    match next_frame(ws).await? {
                        Message::Binary(bytes) => echoed.extend_from_slice(&bytes),
                        other => bail!("unexpected frame from websockify: {other:?}"),
                    }
                }
            }
        }
        Ok(())
    }

    /// Say goodbye properly, so the far side logs no errors. Best effort: the run's numbers
    /// are already taken, and a target that fails here still gets stopped by its owner.
    pub async fn close(self) {
        match self {
            Client::Direct(mut stream) => {
                let _ = stream.shutdown().await;
            }
            Client::Relay(mut ws) | Client::Websockify(mut ws) => {
                let _ = ws.close(None).await;
            }
        }
    }
}

/// A WebSocket to the relay's `/ws` speaking our protocol, past the relay's `hello`.
pub async fn relay_ws(addr: SocketAddr) -> anyhow::Result<Ws> {
    let mut ws = websocket(addr, wire::WS_PATH, Some(wire::SUBPROTOCOL)).await?;
    match recv(&mut ws).await? {
        ServerMsg::Hello { .. } => Ok(ws),
        other => bail!("the relay's first message was {other:?}, not hello"),
    }
}

async fn websocket(addr: SocketAddr, path: &str, protocol: Option<&str>) -> anyhow::Result<Ws> {
    let stream = TcpStream::connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
    stream.set_nodelay(true)?;
    let mut request = format!("ws://{addr}{path}").into_client_request()?;
    if let Some(protocol) = protocol {
        request.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_str(protocol)?);
    }
    let (ws, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .with_context(|| format!("WebSocket handshake with {addr}{path}"))?;
    Ok(ws)
}

pub async fn send(ws: &mut Ws, msg: &ClientMsg) -> anyhow::Result<()> {
    ws.send(Message::text(serde_json::to_string(msg)?)).await?;
    Ok(())
}

/// The relay's next protocol message.
pub async fn recv(ws: &mut Ws) -> anyhow::Result<ServerMsg> {
    match next_frame(ws).await? {
        Message::Text(text) => parse(&text),
        other => bail!("expected a text frame from the relay, got {other:?}"),
    }
}

/// One of the relay's text frames as a protocol message.
pub fn parse(text: &str) -> anyhow::Result<ServerMsg> {
    serde_json::from_str(text)
        .with_context(|| format!("the relay sent a message we cannot parse: {text}"))
}

/// The next data or close frame; pings are answered by tungstenite and skipped here.
pub async fn next_frame(ws: &mut Ws) -> anyhow::Result<Message> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(frame)) => return Ok(frame),
            Some(Err(err)) => return Err(err.into()),
            None => return Err(anyhow!("the WebSocket was closed")),
        }
    }
}
