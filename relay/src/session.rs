//! One relayed connection: the page's end of a real socket.
//!
//! A **TCP session** is two tasks around one `TcpStream`:
//! - the **reader** calls `read()` in a loop and reports every return as one
//!   [`ServerMsg::Read`] — never merged with the next, never split — so the page sees the
//!   real chunk boundaries the kernel produced;
//! - the **writer** takes the page's commands in order: writes, batches of writes,
//!   `TCP_NODELAY`, `shutdown(SHUT_WR)`.
//!
//! They must be separate. With one task that writes and then reads, a large write to an echo
//! server deadlocks: the echo server stops reading because its replies are not being read,
//! so our write never finishes and we never get to read. (The same trap awaits a Python
//! client that `sendall`s a megabyte before its first `recv` — a lesson of its own.)
//!
//! A **UDP session** is a connected UDP socket: each `send` is one datagram, each datagram
//! that comes back is one [`ServerMsg::Datagram`].

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;
use tokio::task::JoinHandle;
use tracing::Instrument as _;
use wire::{Endpoint, ErrorCode, Payload, ServerMsg, SessionId};

use crate::echo::MAX_DATAGRAM;
use crate::metrics::{Limit, Metrics};

/// Size of one `read()` buffer: the most bytes a single Read report can carry.
pub const READ_CHUNK: usize = 16 * 1024;
/// Commands queued for one session before the page's messages wait.
const COMMAND_QUEUE: usize = 16;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What sessions (and their WebSocket) queue for the page, in order.
#[derive(Debug)]
pub enum Outgoing {
    Report(ServerMsg),
    /// The last frame on this WebSocket: a close with this code and reason.
    Close(u16, String),
}

/// What the page asks a TCP session's writer to do, in order.
#[derive(Debug)]
pub enum Command {
    Write(Vec<u8>),
    /// Several writes back to back, with no waiting in between.
    Batch(Vec<Vec<u8>>),
    NoDelay(bool),
    Shutdown,
    TcpInfo,
}

#[derive(Debug)]
pub struct Session {
    kind: Kind,
    /// Bytes the page may still send through this session.
    budget: u64,
    tasks: Vec<JoinHandle<()>>,
    metrics: Arc<Metrics>,
    endpoint: Endpoint,
    report: Reporter,
    span: tracing::Span,
}

#[derive(Debug)]
enum Kind {
    Tcp(mpsc::Sender<Command>),
    Udp { socket: Arc<UdpSocket>, report: Reporter },
}

/// Why a command could not be carried out.
#[derive(Debug)]
pub struct Refused {
    pub code: ErrorCode,
    pub message: String,
    /// The session cannot go on and should be closed.
    pub fatal: bool,
}

impl Refused {
    fn socket_failed() -> Refused {
        Refused {
            code: ErrorCode::SocketError,
            message: "the session's socket has failed; close the session".into(),
            fatal: true,
        }
    }
}

/// A command whose session's queue was full: its writer is blocked on a socket the other end
/// is not draining. The WebSocket stops reading the page until there is room — backpressure,
/// as with a blocking `send()` — but it holds the command here rather than in a pending
/// `send().await`, so that meanwhile it can still answer shutdown and close idle sessions.
#[derive(Debug)]
pub struct Waiting {
    pub session: SessionId,
    command: Command,
    queue: mpsc::Sender<Command>,
}

impl Waiting {
    /// Wait until the session's queue has room. Dropping this future loses nothing (the
    /// command stays in `self`); `None` means the session's writer has stopped.
    pub async fn room(&self) -> Option<mpsc::OwnedPermit<Command>> {
        self.queue.clone().reserve_owned().await.ok()
    }

    /// Hand the command over, into the room [`Waiting::room`] found.
    pub fn deliver(self, room: Option<mpsc::OwnedPermit<Command>>) -> Result<(), Refused> {
        let room = room.ok_or_else(Refused::socket_failed)?;
        room.send(self.command);
        Ok(())
    }
}

/// What a session reports with: its id, the WebSocket's outgoing queue, its start time.
#[derive(Debug, Clone)]
struct Reporter {
    id: SessionId,
    out: mpsc::Sender<Outgoing>,
    opened: Instant,
    metrics: Arc<Metrics>,
    /// When the session last moved bytes either way, in µs since it opened.
    last_active_us: Arc<AtomicU64>,
}

impl Reporter {
    fn since_open_us(&self) -> u64 {
        self.opened.elapsed().as_micros() as u64
    }

    fn active(&self) {
        self.last_active_us.store(self.since_open_us(), Ordering::Relaxed);
    }

    /// Queue a report; `false` once the WebSocket is gone and the session should stop.
    async fn send(&self, msg: ServerMsg) -> bool {
        self.out.send(Outgoing::Report(msg)).await.is_ok()
    }

    async fn error(&self, err: std::io::Error, doing: &str) {
        tracing::info!(%err, doing, "socket error");
        let message = format!("{doing} failed: {err}; the session is finished");
        self.metrics.error(ErrorCode::SocketError);
        self.send(ServerMsg::Error {
            session: Some(self.id),
            code: ErrorCode::SocketError,
            message,
        })
        .await;
    }
}

impl Session {
    /// Connect to `target` (always one of the relay's own endpoints) and start relaying.
    pub async fn open(
        id: SessionId,
        endpoint: Endpoint,
        target: SocketAddr,
        budget: u64,
        out: mpsc::Sender<Outgoing>,
        metrics: Arc<Metrics>,
    ) -> Result<Session, ServerMsg> {
        let opened = Instant::now();
        let connect_failed = |message: String| ServerMsg::Error {
            session: Some(id),
            code: ErrorCode::ConnectFailed,
            message: format!("could not connect to {}: {message}", endpoint.name()),
        };
        // A child of the WebSocket's span: every log line of this session's tasks names the
        // page's address, the session and its endpoint.
        let span = tracing::info_span!("session", id, endpoint = endpoint.name());
        let last_active_us = Arc::default();
        let report = Reporter { id, out, opened, metrics: metrics.clone(), last_active_us };
        let (kind, tasks) = if endpoint.is_stream() {
            let connecting = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(target));
            let stream = match connecting.await {
                Ok(Ok(stream)) => stream,
                Ok(Err(err)) => return Err(connect_failed(err.to_string())),
                Err(_) => {
                    return Err(connect_failed(format!("no answer within {CONNECT_TIMEOUT:?}")));
                }
            };
            let (read_half, write_half) = stream.into_split();
            let (commands, queued) = mpsc::channel(COMMAND_QUEUE);
            let shut_down = Arc::new(AtomicBool::new(false));
            let tasks = vec![
                tokio::spawn(
                    read_stream(read_half, report.clone(), shut_down.clone())
                        .instrument(span.clone()),
                ),
                tokio::spawn(
                    write_stream(write_half, queued, report.clone(), shut_down)
                        .instrument(span.clone()),
                ),
            ];
            (Kind::Tcp(commands), tasks)
        } else {
            let socket = UdpSocket::bind((target.ip(), 0))
                .await
                .map_err(|e| connect_failed(e.to_string()))?;
            socket.connect(target).await.map_err(|e| connect_failed(e.to_string()))?;
            let socket = Arc::new(socket);
            let reader = read_datagrams(socket.clone(), report.clone());
            let tasks = vec![tokio::spawn(reader.instrument(span.clone()))];
            (Kind::Udp { socket, report: report.clone() }, tasks)
        };
        let connect_us = opened.elapsed().as_micros() as u64;
        span.in_scope(|| tracing::info!(connect_us, "opened"));
        // Built before the wait below: if the WebSocket gives up meanwhile (shutdown), dropping
        // the session stops its tasks.
        let session = Session { kind, budget, tasks, metrics, endpoint, report, span };
        session.report.send(ServerMsg::Opened { session: id, endpoint, connect_us }).await;
        session.metrics.session_opened(endpoint);
        Ok(session)
    }

    /// How long the session has moved no bytes either way.
    pub fn idle_for(&self) -> Duration {
        let last = self.report.last_active_us.load(Ordering::Relaxed);
        Duration::from_micros(self.report.since_open_us().saturating_sub(last))
    }

    /// Carry out a command, or hand it back as [`Waiting`] when the session's writer is behind.
    pub async fn command(&mut self, command: Command) -> Result<Option<Waiting>, Refused> {
        let bytes = match &command {
            Command::Write(data) => data.len() as u64,
            Command::Batch(writes) => writes.iter().map(|w| w.len() as u64).sum(),
            Command::NoDelay(_) | Command::Shutdown | Command::TcpInfo => 0,
        };
        if bytes > self.budget {
            let message = format!(
                "this session may send {} more bytes and this message has {bytes}; the session is \
                 closed (the limit is --session-bytes)",
                self.budget
            );
            self.metrics.limit_hit(Limit::SessionBytes);
            return Err(Refused { code: ErrorCode::BudgetExceeded, message, fatal: true });
        }
        self.budget -= bytes;
        self.report.active();
        match &self.kind {
            Kind::Tcp(commands) => match commands.try_send(command) {
                Ok(()) => Ok(None),
                Err(TrySendError::Full(command)) => {
                    Ok(Some(Waiting { session: self.report.id, command, queue: commands.clone() }))
                }
                Err(TrySendError::Closed(_)) => Err(Refused::socket_failed()),
            },
            Kind::Udp { socket, report } => match command {
                Command::Write(datagram) => {
                    send_datagram(socket, report, &datagram).await.map(|()| None)
                }
                _ => Err(Refused {
                    code: ErrorCode::WrongSessionKind,
                    message: format!(
                        "{} sessions carry datagrams: only send and close apply",
                        self.endpoint.name()
                    ),
                    fatal: false,
                }),
            },
        }
    }

    /// Stop the tasks and close the socket. Waits for the tasks to finish, so no report of
    /// this session can follow the `Closed` the caller sends next.
    pub async fn close(mut self) {
        let tasks = std::mem::take(&mut self.tasks);
        for task in &tasks {
            task.abort();
        }
        for task in tasks {
            let _ = task.await;
        }
        self.metrics.session_closed(self.endpoint);
        self.span.in_scope(|| tracing::info!("closed"));
    }
}

/// A session dropped without [`Session::close`] (its WebSocket's task was cut short) still
/// stops its tasks: nothing may go on reading a socket for a page that is gone.
impl Drop for Session {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn send_datagram(
    socket: &UdpSocket,
    report: &Reporter,
    datagram: &[u8],
) -> Result<(), Refused> {
    if datagram.len() > MAX_DATAGRAM {
        let message = format!(
            "a datagram of {} bytes is over the udp-echo limit of {MAX_DATAGRAM} bytes; nothing was sent",
            datagram.len()
        );
        return Err(Refused { code: ErrorCode::DatagramTooLarge, message, fatal: false });
    }
    match socket.send(datagram).await {
        Ok(len) => {
            report.metrics.bytes_up(len);
            let at_us = report.since_open_us();
            report.send(ServerMsg::Wrote { session: report.id, len, at_us }).await;
            Ok(())
        }
        Err(err) => Err(Refused {
            code: ErrorCode::SocketError,
            message: format!("sendto failed: {err}"),
            fatal: false,
        }),
    }
}

/// `shut_down`: the writer has called `shutdown(SHUT_WR)` (set before the call).
async fn read_stream(mut socket: OwnedReadHalf, report: Reporter, shut_down: Arc<AtomicBool>) {
    let mut buf = vec![0; READ_CHUNK];
    loop {
        let read = socket.read(&mut buf).await;
        let (session, at_us) = (report.id, report.since_open_us());
        let msg = match read {
            // The end of the stream — or a reset that our writer met first: the kernel reports
            // a reset to whichever call asks first, and read() then sees only the end. The
            // socket's state tells them apart: the peer's FIN leaves it in CLOSE-WAIT, a reset
            // in CLOSED (which both FINs also lead to, but only once we have shut down too).
            Ok(0) => {
                let reset = !shut_down.load(Ordering::Acquire)
                    && crate::tcp_info::is_closed(socket.as_ref());
                let msg = if reset {
                    ServerMsg::PeerReset { session, at_us }
                } else {
                    ServerMsg::PeerClosed { session, at_us }
                };
                report.send(msg).await;
                return;
            }
            Ok(len) => {
                report.metrics.bytes_down(len);
                report.active();
                ServerMsg::Read {
                    session,
                    len,
                    at_us,
                    data: Payload::from_bytes(buf[..len].to_vec()),
                }
            }
            Err(err) if err.kind() == ErrorKind::ConnectionReset => {
                report.send(ServerMsg::PeerReset { session, at_us }).await;
                return;
            }
            Err(err) => return report.error(err, "read").await,
        };
        // Waiting here when the page reads slowly is deliberate: we stop reading, the kernel's
        // receive buffer fills, and TCP flow control slows the sender. Nothing piles up here.
        if !report.send(msg).await {
            return;
        }
    }
}

async fn write_stream(
    mut socket: OwnedWriteHalf,
    mut queued: mpsc::Receiver<Command>,
    report: Reporter,
    shut_down: Arc<AtomicBool>,
) {
    while let Some(command) = queued.recv().await {
        let writes = match command {
            Command::Write(data) => vec![data],
            Command::Batch(writes) => writes,
            Command::NoDelay(on) => {
                if let Err(err) = socket.as_ref().set_nodelay(on) {
                    return report.error(err, "setsockopt(TCP_NODELAY)").await;
                }
                report.send(ServerMsg::NoDelay { session: report.id, on }).await;
                continue;
            }
            Command::TcpInfo => {
                match crate::tcp_info::snapshot(socket.as_ref()) {
                    Ok(info) => report.send(ServerMsg::TcpInfo { session: report.id, info }).await,
                    Err(err) => return report.error(err, "getsockopt(TCP_INFO)").await,
                };
                continue;
            }
            Command::Shutdown => {
                shut_down.store(true, Ordering::Release);
                if let Err(err) = socket.shutdown().await {
                    return report.error(err, "shutdown").await;
                }
                let at_us = report.since_open_us();
                report.send(ServerMsg::ShutDown { session: report.id, at_us }).await;
                continue;
            }
        };
        // Every write of a batch is issued before any is reported: reporting in between would
        // make each write wait for the WebSocket, and the kernel would never see them together.
        let mut done = Vec::with_capacity(writes.len());
        for data in &writes {
            if let Err(err) = socket.write_all(data).await {
                return report.error(err, "write").await;
            }
            report.metrics.bytes_up(data.len());
            done.push((data.len(), report.since_open_us()));
        }
        for (len, at_us) in done {
            if !report.send(ServerMsg::Wrote { session: report.id, len, at_us }).await {
                return;
            }
        }
    }
}

async fn read_datagrams(socket: Arc<UdpSocket>, report: Reporter) {
    let mut buf = vec![0; MAX_DATAGRAM];
    loop {
        let msg = match socket.recv(&mut buf).await {
            Ok(len) => {
                report.metrics.bytes_down(len);
                report.active();
                let data = Payload::from_bytes(buf[..len].to_vec());
                ServerMsg::Datagram { session: report.id, len, at_us: report.since_open_us(), data }
            }
            // ICMP port unreachable from an earlier send surfaces here; the socket lives on.
            Err(err) if err.kind() == ErrorKind::ConnectionRefused => continue,
            Err(err) => return report.error(err, "recv").await,
        };
        if !report.send(msg).await {
            return;
        }
    }
}
