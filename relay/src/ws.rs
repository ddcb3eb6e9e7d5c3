//! One WebSocket connection from a page: admit it, parse each frame, dispatch it to a session,
//! and funnel every report back through a single bounded queue.
//!
//! ```text
//!  frames in ─▶ dispatch ─▶ Session::{open, command, close}
//!                               │ reader/writer tasks
//!  frames out ◀─ writer ◀─ out queue (bounded) ◀┘
//! ```
//!
//! The out queue is bounded on purpose: if the page stops reading, sessions block on it, stop
//! reading their sockets, and TCP flow control pushes back to the echo server. Each session's
//! command queue is bounded too, and when it is full the WebSocket stops reading the page.
//! Neither wait may keep a connection from hearing shutdown or its idle limits; how that is
//! kept is described at [`read_frames`].
//!
//! Who may connect at all is decided before the upgrade, in [`crate::admission`].

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::response::Response;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::mpsc::OwnedPermit;
use tokio::sync::{broadcast, mpsc};
use tracing::Instrument as _;
use wire::{ClientMsg, Endpoint, ErrorCode, Payload, ServerMsg, SessionId};

use crate::AppState;
use crate::admission::Admitted;
use crate::limits::{Bucket, Slot};
use crate::metrics::Limit;
use crate::session::{Command, Outgoing, Refused, Session, Waiting};

/// Reports queued for one WebSocket before sessions wait.
const OUT_QUEUE: usize = 64;
/// Initial read buffer of one WebSocket. The library's default, 128 KiB, is resident from the
/// first frame and was most of a session's memory; the page's messages are small, and the
/// buffer still grows (up to the message limit) for a large one.
const WS_READ_BUFFER: usize = 8 * 1024;

/// How long a closing WebSocket waits for a page that has stopped reading: first for room for
/// its close frame, then for the frames ahead of it to be written. Twice this stays under the
/// relay's drain timeout, so shutdown is never held up by a page.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// How long a `wrote` report may wait for company before it goes out alone (see
/// [`write_frames`]).
const WROTE_DEFER: Duration = Duration::from_millis(1);

fn close(code: u16, reason: &str) -> Outgoing {
    Outgoing::Close(code, reason.into())
}

/// The one task that writes to the page's WebSocket.
///
/// Frames are buffered (`feed`) while more are queued and written (`flush`) when the queue
/// runs dry: one system call, and usually one TCP segment, for a burst of reports — the same
/// trick a learner's framing code uses when it builds a whole message before calling send().
///
/// A `wrote` report alone waits up to [`WROTE_DEFER`] for company. On an echo the `read` with
/// the reply is right behind it, and the two then cost the relay and the page one write and
/// one read instead of two each (measured: 17,050 → 25,064 echoes/s through the relay, see
/// docs/BENCHMARKS.md). The report carries its own timestamp, so the wait distorts nothing
/// the page shows. Any other frame is written as soon as the queue is empty.
async fn write_frames(
    mut sink: SplitSink<WebSocket, Message>,
    mut queued: mpsc::Receiver<Outgoing>,
) {
    // Set while only `wrote` frames are buffered: when they must go out at the latest.
    let mut deadline = None;
    // A buffered frame may not wait: anything but `wrote`.
    let mut urgent = false;
    loop {
        let next = match deadline {
            None => queued.recv().await,
            Some(at) => match tokio::time::timeout_at(at, queued.recv()).await {
                Ok(next) => next,
                Err(_) => {
                    if sink.flush().await.is_err() {
                        return;
                    }
                    deadline = None;
                    continue;
                }
            },
        };
        let report = match next {
            Some(Outgoing::Report(report)) => report,
            Some(Outgoing::Close(code, reason)) => {
                let frame = CloseFrame { code, reason: reason.into() };
                let _ = sink.send(Message::Close(Some(frame))).await;
                return;
            }
            // Everyone who could queue a frame is gone.
            None => {
                let _ = sink.flush().await;
                return;
            }
        };
        urgent |= !matches!(report, ServerMsg::Wrote { .. });
        let text = serde_json::to_string(&report).expect("ServerMsg always serialises");
        if sink.feed(Message::Text(text.into())).await.is_err() {
            return;
        }
        if !queued.is_empty() {
            continue;
        }
        if urgent {
            if sink.flush().await.is_err() {
                return;
            }
            (deadline, urgent) = (None, false);
        } else {
            deadline.get_or_insert_with(|| tokio::time::Instant::now() + WROTE_DEFER);
        }
    }
}

/// `GET /ws`: upgrade an admitted client ([`Admitted`]; refusals never get here).
pub async fn upgrade(
    ws: WebSocketUpgrade,
    admitted: Admitted,
    State(state): State<Arc<AppState>>,
) -> Response {
    let max = state.limits.max_message;
    ws.protocols([wire::SUBPROTOCOL])
        .max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(WS_READ_BUFFER)
        .on_upgrade(move |socket| {
            let Admitted { client, peer, slot } = admitted;
            let span = tracing::info_span!("ws", %client, %peer);
            let tasks = state.tasks.clone();
            tasks.track_future(serve(socket, state, slot).instrument(span))
        })
}

async fn serve(socket: WebSocket, state: Arc<AppState>, slot: Slot) {
    tracing::info!("connected");
    state.metrics.websocket_opened();
    let (sink, stream) = socket.split();
    let (out, queued) = mpsc::channel(OUT_QUEUE);
    let writer = write_frames(sink, queued);
    let reader = read_frames(stream, Connection::new(state.clone(), out));
    tokio::pin!(writer, reader);
    tokio::select! {
        () = &mut writer => reader.await,
        () = &mut reader => {
            // Everything for the page is queued. A page that has stopped reading gets
            // CLOSE_GRACE to take it; then the connection is dropped, close frame or not.
            if tokio::time::timeout(CLOSE_GRACE, writer).await.is_err() {
                tracing::info!("the page is not reading; dropping the connection");
            }
        }
    }
    state.metrics.websocket_closed();
    drop(slot);
    tracing::info!("disconnected");
}

/// What the reader waits for; one is handled at a time.
enum Event {
    Frame(Option<Result<Message, axum::Error>>),
    /// Room for [`Connection::waiting`] in its session's queue.
    Room(Option<OwnedPermit<Command>>),
    Sweep,
    Shutdown,
    WsIdle,
}

/// Read the page's frames and act on them until the WebSocket ends; then close every session
/// and queue the close frame the page should get, if any.
///
/// Handling a frame can wait: for room in a session's queue, or in the out queue when the page
/// reads slowly. Neither wait may hold off shutdown or the idle limits, so the first is not an
/// `await` at all (see [`Waiting`]) and the second is raced against both.
async fn read_frames(mut stream: SplitStream<WebSocket>, mut conn: Connection) {
    let state = conn.state.clone();
    let limits = &state.limits;
    let idle = Duration::from_secs(limits.ws_idle_secs);
    let mut sweep = tokio::time::interval(conn.session_idle().min(Duration::from_secs(1)));
    // A deadline, not a timeout around each wait: only the page's messages push it back.
    let ws_deadline = tokio::time::sleep(idle);
    // One wait for shutdown per WebSocket, polled again for each frame: every connection
    // shares the token, and a fresh wait per frame would register and unregister a waiter on
    // its shared list each time.
    let shutdown = state.shutdown.cancelled();
    tokio::pin!(ws_deadline, shutdown);
    conn.send(conn.hello()).await;
    let farewell = loop {
        let event = tokio::select! {
            () = &mut shutdown => Event::Shutdown,
            _ = &mut ws_deadline => Event::WsIdle,
            _ = sweep.tick() => Event::Sweep,
            room = room(&conn.waiting) => Event::Room(room),
            frame = stream.next(), if conn.waiting.is_none() => {
                ws_deadline.as_mut().reset(tokio::time::Instant::now() + idle);
                Event::Frame(frame)
            }
        };
        // Handling nearly always finishes at its first poll; `biased` tries it first, so the
        // other two are only polled when it has to wait.
        let flow = tokio::select! {
            biased;
            flow = conn.handle(event) => flow,
            () = &mut shutdown => conn.handle(Event::Shutdown).await,
            _ = &mut ws_deadline => conn.handle(Event::WsIdle).await,
        };
        if let ControlFlow::Break(farewell) = flow {
            break farewell;
        }
    };
    // Sessions first: their reports would otherwise compete with the close frame for room.
    conn.close_all().await;
    if let Some(frame) = farewell {
        let _ = tokio::time::timeout(CLOSE_GRACE, conn.out.send(frame)).await;
    }
}

/// A page's text frame as a message, or the `bad_message` report's text saying why not. Public
/// for the fuzz target (relay/fuzz), which feeds it whatever a stranger could send.
pub fn parse(text: &str) -> Result<ClientMsg, String> {
    serde_json::from_str(text)
        .map_err(|err| format!("not a valid message: {err} (see docs/PROTOCOL.md)"))
}

/// Room for the waiting command, or never if none is waiting.
async fn room(waiting: &Option<Waiting>) -> Option<OwnedPermit<Command>> {
    match waiting {
        Some(waiting) => waiting.room().await,
        None => std::future::pending().await,
    }
}

/// The sessions of one WebSocket and the queue their reports go out on.
struct Connection {
    state: Arc<AppState>,
    out: mpsc::Sender<Outgoing>,
    sessions: HashMap<SessionId, Session>,
    /// A command for a session whose queue was full; no frame is read until it is delivered.
    waiting: Option<Waiting>,
    /// Forwards tap events while this page watches.
    tap: Option<tokio::task::JoinHandle<()>>,
    /// The page's message rate.
    rate: Bucket,
}

impl Connection {
    fn new(state: Arc<AppState>, out: mpsc::Sender<Outgoing>) -> Connection {
        let per_sec = state.limits.ws_msgs_per_sec;
        Connection {
            state,
            out,
            sessions: HashMap::new(),
            waiting: None,
            tap: None,
            rate: Bucket::new(per_sec, per_sec.saturating_mul(2)),
        }
    }

    fn hello(&self) -> ServerMsg {
        let listeners = [
            (Endpoint::TcpEcho, self.state.tcp_echo),
            (Endpoint::UdpEcho, self.state.udp_echo),
            (Endpoint::HttpDemo, self.state.http_demo),
        ]
        .map(|(endpoint, address)| wire::Listener { endpoint, address: address.to_string() })
        .to_vec();
        ServerMsg::Hello {
            protocol: wire::SUBPROTOCOL.into(),
            endpoints: Endpoint::ALL.to_vec(),
            listeners,
        }
    }

    fn session_idle(&self) -> Duration {
        Duration::from_secs(self.state.limits.session_idle_secs)
    }

    /// Act on one event; `Break` ends the WebSocket, with the close frame to send if any.
    async fn handle(&mut self, event: Event) -> ControlFlow<Option<Outgoing>> {
        let limits = &self.state.limits;
        match event {
            Event::Frame(Some(Ok(Message::Text(text)))) if self.rate.take() => {
                self.dispatch(&text).await;
            }
            Event::Frame(Some(Ok(Message::Text(_)))) => {
                self.state.metrics.limit_hit(Limit::WsRate);
                let message = format!(
                    "more than {} messages a second; this one was dropped (--ws-msgs-per-sec)",
                    limits.ws_msgs_per_sec
                );
                self.error(None, ErrorCode::RateLimited, message).await;
            }
            Event::Frame(Some(Ok(Message::Binary(_)))) => {
                let message = "binary frames are not part of this protocol; send JSON text frames";
                self.error(None, ErrorCode::BinaryNotSupported, message.into()).await;
            }
            // Pings are answered by the WebSocket library itself.
            Event::Frame(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => {}
            Event::Frame(Some(Ok(Message::Close(_))) | None) => return ControlFlow::Break(None),
            Event::Frame(Some(Err(err))) => return ControlFlow::Break(self.fail(err)),
            Event::Room(room) => {
                let waiting = self.waiting.take().expect("room is only awaited for a command");
                let session = waiting.session;
                if let Err(refused) = waiting.deliver(room) {
                    self.refused(session, refused).await;
                }
            }
            Event::Sweep => self.close_idle().await,
            Event::Shutdown => {
                return ControlFlow::Break(Some(close(close_code::AWAY, "relay shutting down")));
            }
            Event::WsIdle => {
                self.state.metrics.limit_hit(Limit::WsIdle);
                let reason = format!("no message for {} s", limits.ws_idle_secs);
                return ControlFlow::Break(Some(close(close_code::NORMAL, &reason)));
            }
        }
        ControlFlow::Continue(())
    }

    async fn send(&self, msg: ServerMsg) {
        // Fails only once the writer has stopped, i.e. the page is gone: nothing to tell it.
        let _ = self.out.send(Outgoing::Report(msg)).await;
    }

    async fn error(&self, session: Option<SessionId>, code: ErrorCode, message: String) {
        self.state.metrics.error(code);
        self.send(ServerMsg::Error { session, code, message }).await;
    }

    /// The WebSocket itself broke: the close frame that says why, if anyone is left to get it.
    fn fail(&self, err: axum::Error) -> Option<Outgoing> {
        let inner = err.into_inner();
        let (code, reason) = match inner.downcast_ref::<tungstenite::Error>() {
            Some(tungstenite::Error::Capacity(_)) => {
                self.state.metrics.limit_hit(Limit::MessageSize);
                let max = self.state.limits.max_message;
                (close_code::SIZE, format!("message over the {max}-byte limit"))
            }
            Some(tungstenite::Error::Utf8(_)) => {
                (close_code::INVALID, "text frame is not valid UTF-8".into())
            }
            // The connection itself is gone (reset, or closed without a close frame): there
            // is nobody left to send a close frame to.
            Some(
                tungstenite::Error::Io(_)
                | tungstenite::Error::ConnectionClosed
                | tungstenite::Error::AlreadyClosed,
            ) => {
                tracing::info!(error = %inner, "connection lost");
                return None;
            }
            _ => (close_code::PROTOCOL, format!("WebSocket protocol error: {inner}")),
        };
        tracing::info!(code, %reason, "closing");
        Some(close(code, &reason))
    }

    async fn dispatch(&mut self, text: &str) {
        let msg = match parse(text) {
            Ok(msg) => msg,
            Err(message) => return self.error(None, ErrorCode::BadMessage, message).await,
        };
        let (session, command) = match msg {
            ClientMsg::Open { session, endpoint } => return self.open(session, endpoint).await,
            ClientMsg::Close { session } => return self.close(session).await,
            ClientMsg::Tap { on } => return self.tap(on).await,
            ClientMsg::Send { session, data } => (session, Command::Write(data.into_bytes())),
            ClientMsg::SendBatch { session, writes } => {
                (session, Command::Batch(writes.into_iter().map(Payload::into_bytes).collect()))
            }
            ClientMsg::SetNoDelay { session, on } => (session, Command::NoDelay(on)),
            ClientMsg::Shutdown { session } => (session, Command::Shutdown),
            ClientMsg::TcpInfo { session } => (session, Command::TcpInfo),
        };
        let Some(target) = self.sessions.get_mut(&session) else {
            return self.unknown(session).await;
        };
        match target.command(command).await {
            Ok(waiting) => self.waiting = waiting,
            Err(refused) => self.refused(session, refused).await,
        }
    }

    async fn refused(&mut self, session: SessionId, refused: Refused) {
        let Refused { code, message, fatal } = refused;
        if fatal {
            self.end(session, Some((code, message))).await;
        } else {
            self.error(Some(session), code, message).await;
        }
    }

    async fn open(&mut self, session: SessionId, endpoint: Endpoint) {
        let max = self.state.limits.max_sessions;
        if self.sessions.len() >= max && !self.sessions.contains_key(&session) {
            self.state.metrics.limit_hit(Limit::SessionsPerWs);
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
            Endpoint::UdpEcho => self.state.udp_echo,
            Endpoint::HttpDemo => self.state.http_demo,
        };
        let (budget, metrics) = (self.state.limits.session_bytes, self.state.metrics.clone());
        match Session::open(session, endpoint, target, budget, self.out.clone(), metrics).await {
            Ok(opened) => {
                slot.insert(opened);
            }
            Err(report) => {
                self.state.metrics.error(ErrorCode::ConnectFailed);
                self.send(report).await;
            }
        }
    }

    async fn close(&mut self, session: SessionId) {
        self.end(session, None).await;
    }

    /// Close `session`, then tell the page: `why` (if given) and `closed`. The socket is
    /// closed before anything is queued, so a page that has stopped reading cannot keep it
    /// open by leaving no room for the reports.
    async fn end(&mut self, session: SessionId, why: Option<(ErrorCode, String)>) {
        let Some(open) = self.sessions.remove(&session) else {
            return self.unknown(session).await;
        };
        if self.waiting.as_ref().is_some_and(|waiting| waiting.session == session) {
            self.waiting = None;
        }
        open.close().await;
        if let Some((code, message)) = why {
            self.error(Some(session), code, message).await;
        }
        self.send(ServerMsg::Closed { session }).await;
    }

    async fn unknown(&self, session: SessionId) {
        let message = format!("no session {session} is open on this WebSocket");
        self.error(Some(session), ErrorCode::UnknownSession, message).await;
    }

    async fn tap(&mut self, on: bool) {
        if let Some(forwarding) = self.tap.take() {
            forwarding.abort();
        }
        if !on {
            return;
        }
        let Some(mut events) = self.state.tap.subscribe() else {
            let message = "the live tap is off on this relay: it is bound to a public address, \
                           where it would show other people's traffic (an operator can enable it \
                           with --tap on)";
            return self.error(None, ErrorCode::TapDisabled, message.into()).await;
        };
        let out = self.out.clone();
        self.tap = Some(tokio::spawn(async move {
            loop {
                let msg = match events.recv().await {
                    Ok(event) => ServerMsg::Tap { event },
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        ServerMsg::TapLagged { missed }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if out.send(Outgoing::Report(msg)).await.is_err() {
                    return;
                }
            }
        }));
    }

    async fn close_idle(&mut self) {
        let limit = self.session_idle();
        let idle: Vec<SessionId> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.idle_for() >= limit)
            .map(|(id, _)| *id)
            .collect();
        for session in idle {
            self.state.metrics.limit_hit(Limit::SessionIdle);
            let message = format!("no traffic for {} s; the session is closed", limit.as_secs());
            self.end(session, Some((ErrorCode::IdleTimeout, message))).await;
        }
    }

    async fn close_all(&mut self) {
        if let Some(forwarding) = self.tap.take() {
            forwarding.abort();
        }
        self.waiting = None;
        for (_, session) in self.sessions.drain() {
            session.close().await;
        }
    }
}
