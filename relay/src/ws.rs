//! One WebSocket connection from a page: parse each frame, dispatch it to a session, and
//! funnel every report back through a single bounded queue.
//!
//! ```text
//!  frames in ─▶ dispatch ─▶ Session::{open, write, close}
//!                               │ reader/writer tasks
//!  frames out ◀─ writer ◀─ out queue (bounded) ◀┘
//! ```
//!
//! The out queue is bounded on purpose: if the page stops reading, sessions block on it, stop
//! reading their sockets, and TCP flow control pushes back to the echo server.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::mpsc;
use tracing::Instrument as _;
use wire::{ClientMsg, Endpoint, ErrorCode, ServerMsg, SessionId};

use crate::AppState;
use crate::session::Session;

/// Reports queued for one WebSocket before sessions wait.
const OUT_QUEUE: usize = 64;

/// Serialise a report as a text frame.
pub fn frame(msg: &ServerMsg) -> Message {
    Message::Text(serde_json::to_string(msg).expect("ServerMsg always serialises").into())
}

/// `GET /ws`: refuse clients that do not speak our protocol version, upgrade the rest.
pub async fn upgrade(
    ws: WebSocketUpgrade,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State(state): State<Arc<AppState>>,
) -> Response {
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|protocol| protocol.trim() == wire::SUBPROTOCOL);
    if !offered {
        let reason = format!(
            "this relay speaks the WebSocket subprotocol {0}; offer it in Sec-WebSocket-Protocol \
             (new WebSocket(url, \"{0}\"))\n",
            wire::SUBPROTOCOL
        );
        return (StatusCode::BAD_REQUEST, reason).into_response();
    }
    let max = state.limits.max_message;
    ws.protocols([wire::SUBPROTOCOL]).max_message_size(max).max_frame_size(max).on_upgrade(
        move |socket| {
            let span = tracing::info_span!("ws", %peer);
            let tasks = state.tasks.clone();
            tasks.track_future(serve(socket, state).instrument(span))
        },
    )
}

async fn serve(socket: WebSocket, state: Arc<AppState>) {
    tracing::info!("connected");
    let (mut sink, mut stream) = socket.split();
    let (out, mut queued) = mpsc::channel::<Message>(OUT_QUEUE);

    let writer = async move {
        while let Some(msg) = queued.recv().await {
            let last = matches!(msg, Message::Close(_));
            if sink.send(msg).await.is_err() || last {
                break;
            }
        }
    };

    let reader = async move {
        let mut conn = Connection { state: state.clone(), out, sessions: HashMap::new() };
        let hello = ServerMsg::Hello {
            protocol: wire::SUBPROTOCOL.into(),
            endpoints: Endpoint::ALL.to_vec(),
        };
        conn.send(hello).await;
        loop {
            let msg = tokio::select! {
                _ = state.shutdown.cancelled() => {
                    let close = CloseFrame { code: close_code::AWAY, reason: "relay shutting down".into() };
                    let _ = conn.out.send(Message::Close(Some(close))).await;
                    break;
                }
                msg = stream.next() => msg,
            };
            match msg {
                Some(Ok(Message::Text(text))) => conn.dispatch(&text).await,
                Some(Ok(Message::Binary(_))) => {
                    let message =
                        "binary frames are not part of this protocol; send JSON text frames";
                    conn.error(None, ErrorCode::BinaryNotSupported, message.into()).await;
                }
                // Pings are answered by the WebSocket library itself.
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None => break,
                Some(Err(err)) => {
                    tracing::info!(%err, "WebSocket error");
                    break;
                }
            }
        }
        conn.close_all().await;
    };

    tokio::join!(writer, reader);
    tracing::info!("disconnected");
}

/// The sessions of one WebSocket and the queue their reports go out on.
struct Connection {
    state: Arc<AppState>,
    out: mpsc::Sender<Message>,
    sessions: HashMap<SessionId, Session>,
}

impl Connection {
    async fn send(&self, msg: ServerMsg) {
        // Fails only once the writer has stopped, i.e. the page is gone: nothing to tell it.
        let _ = self.out.send(frame(&msg)).await;
    }

    async fn error(&self, session: Option<SessionId>, code: ErrorCode, message: String) {
        self.send(ServerMsg::Error { session, code, message }).await;
    }

    async fn dispatch(&mut self, text: &str) {
        let msg = match serde_json::from_str::<ClientMsg>(text) {
            Ok(msg) => msg,
            Err(err) => {
                let message = format!("not a valid message: {err} (see docs/PROTOCOL.md)");
                return self.error(None, ErrorCode::BadMessage, message).await;
            }
        };
        match msg {
            ClientMsg::Open { session, endpoint } => self.open(session, endpoint).await,
            ClientMsg::Send { session, data } => {
                let Some(target) = self.sessions.get(&session) else {
                    return self.unknown(session).await;
                };
                if !target.write(data.into_bytes()).await {
                    let message =
                        format!("session {session}'s socket has failed; close the session");
                    self.error(Some(session), ErrorCode::SocketError, message).await;
                }
            }
            ClientMsg::Close { session } => match self.sessions.remove(&session) {
                Some(open) => {
                    open.close().await;
                    self.send(ServerMsg::Closed { session }).await;
                }
                None => self.unknown(session).await,
            },
        }
    }

    async fn open(&mut self, session: SessionId, endpoint: Endpoint) {
        let max = self.state.limits.max_sessions;
        if self.sessions.len() >= max && !self.sessions.contains_key(&session) {
            let message =
                format!("at most {max} sessions may be open on one WebSocket; close one first");
            return self.error(Some(session), ErrorCode::TooManySessions, message).await;
        }
        let Entry::Vacant(slot) = self.sessions.entry(session) else {
            let message =
                format!("session {session} is already open; pick another id or close it first");
            return self.error(Some(session), ErrorCode::SessionExists, message).await;
        };
        // The only place a session's address is chosen: from the relay's own endpoints.
        let target = match endpoint {
            Endpoint::TcpEcho => self.state.tcp_echo,
        };
        match Session::open(session, endpoint, target, self.out.clone()).await {
            Ok(opened) => {
                slot.insert(opened);
            }
            Err(report) => self.send(report).await,
        }
    }

    async fn unknown(&self, session: SessionId) {
        let message = format!("no session {session} is open on this WebSocket");
        self.error(Some(session), ErrorCode::UnknownSession, message).await;
    }

    async fn close_all(&mut self) {
        for (_, session) in self.sessions.drain() {
            session.close().await;
        }
    }
}
