//! One relayed TCP connection: the page's end of a real socket.
//!
//! A session is two tasks around one `TcpStream`:
//! - the **reader** calls `read()` in a loop and reports every return as one
//!   [`ServerMsg::Read`] — never merged with the next, never split — so the page sees the
//!   real chunk boundaries the kernel produced;
//! - the **writer** takes the page's `send`s in order and `write_all`s each.
//!
//! They must be separate. With one task that writes and then reads, a large write to an echo
//! server deadlocks: the echo server stops reading because its replies are not being read,
//! so our write never finishes and we never get to read. (The same trap awaits a Python
//! client that `sendall`s a megabyte before its first `recv` — a lesson of its own.)

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::ws::Message;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use wire::{Endpoint, ErrorCode, Payload, ServerMsg, SessionId};

use crate::ws::frame;

/// Size of one `read()` buffer: the most bytes a single Read report can carry.
pub const READ_CHUNK: usize = 16 * 1024;
/// Writes queued for one session before the page's messages wait.
const WRITE_QUEUE: usize = 16;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub struct Session {
    writes: mpsc::Sender<Vec<u8>>,
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

/// What a session reports with: its id, the WebSocket's outgoing queue, its start time.
#[derive(Debug, Clone)]
struct Reporter {
    id: SessionId,
    out: mpsc::Sender<Message>,
    opened: Instant,
}

impl Reporter {
    fn since_open_us(&self) -> u64 {
        self.opened.elapsed().as_micros() as u64
    }

    /// Queue a report; `false` once the WebSocket is gone and the session should stop.
    async fn send(&self, msg: ServerMsg) -> bool {
        self.out.send(frame(&msg)).await.is_ok()
    }

    async fn error(&self, err: std::io::Error, doing: &str) {
        let message = format!("{doing} failed: {err}; the session is closed");
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
        out: mpsc::Sender<Message>,
    ) -> Result<Session, ServerMsg> {
        let opened = Instant::now();
        let connect_failed = |message: String| ServerMsg::Error {
            session: Some(id),
            code: ErrorCode::ConnectFailed,
            message: format!("could not connect to {}: {message}", endpoint.name()),
        };
        let stream = match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(target)).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(err)) => return Err(connect_failed(err.to_string())),
            Err(_) => {
                return Err(connect_failed(format!("no answer within {CONNECT_TIMEOUT:?}")));
            }
        };
        let connect_us = opened.elapsed().as_micros() as u64;
        let report = Reporter { id, out, opened };
        report.send(ServerMsg::Opened { session: id, endpoint, connect_us }).await;

        let (read_half, write_half) = stream.into_split();
        let (writes, queued) = mpsc::channel(WRITE_QUEUE);
        Ok(Session {
            writes,
            reader: tokio::spawn(read_loop(read_half, report.clone())),
            writer: tokio::spawn(write_loop(write_half, queued, report)),
        })
    }

    /// Queue bytes for the writer; waits while the queue is full (backpressure to the page).
    /// `false` if the socket has already failed.
    pub async fn write(&self, bytes: Vec<u8>) -> bool {
        self.writes.send(bytes).await.is_ok()
    }

    /// Stop both tasks and close the socket. Waits for the tasks to finish, so no report of
    /// this session can follow the `Closed` the caller sends next.
    pub async fn close(self) {
        self.reader.abort();
        self.writer.abort();
        let _ = self.reader.await;
        let _ = self.writer.await;
    }
}

async fn read_loop(mut socket: OwnedReadHalf, report: Reporter) {
    let mut buf = vec![0; READ_CHUNK];
    loop {
        let msg = match socket.read(&mut buf).await {
            Ok(0) => {
                report
                    .send(ServerMsg::PeerClosed {
                        session: report.id,
                        at_us: report.since_open_us(),
                    })
                    .await;
                return;
            }
            Ok(len) => ServerMsg::Read {
                session: report.id,
                len,
                at_us: report.since_open_us(),
                data: Payload::from_bytes(buf[..len].to_vec()),
            },
            Err(err) => return report.error(err, "read").await,
        };
        // Waiting here when the page reads slowly is deliberate: we stop reading, the kernel's
        // receive buffer fills, and TCP flow control slows the sender. Nothing piles up here.
        if !report.send(msg).await {
            return;
        }
    }
}

async fn write_loop(
    mut socket: OwnedWriteHalf,
    mut queued: mpsc::Receiver<Vec<u8>>,
    report: Reporter,
) {
    while let Some(bytes) = queued.recv().await {
        if let Err(err) = socket.write_all(&bytes).await {
            return report.error(err, "write").await;
        }
        let wrote = ServerMsg::Wrote {
            session: report.id,
            len: bytes.len(),
            at_us: report.since_open_us(),
        };
        if !report.send(wrote).await {
            return;
        }
    }
}
