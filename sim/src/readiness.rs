//! Readiness: how one server thread waits for many clients — blocking calls, `select`/`poll`,
//! or `epoll`, level- or edge-triggered — driven by the stacks' real receive buffers.
//!
//! Several clients connect and write at scripted moments. The server's loop (run by the world,
//! `world/server_loop.rs`) wakes when its kind of wait says a socket is ready and calls
//! `recv(bufsize)` on it. What it cannot see, it does not read: with edge triggering and a read
//! smaller than what arrived, the rest stays in the kernel's buffer until *new* data arrives,
//! which is the classic epoll bug this scenario exists to show.

use serde::{Deserialize, Serialize};

use crate::scenario::SERVER_PORT;
use crate::trace::{AppCall, Event, EventKind, Side, SocketId};
use crate::world::{Call, World};

/// How the server waits.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum LoopKind {
    /// Blocking sockets, one thread: serve one client until it closes, then the next. The
    /// others' data waits in their buffers however long that takes.
    Blocking,
    /// `select()` or `poll()`: every wait asks about every socket and returns those that can be
    /// read (level-triggered: "has data", as often as it has).
    Select,
    /// `epoll_wait()`, level-triggered: returns just the sockets that can be read.
    EpollLevel,
    /// `epoll_wait()`, edge-triggered (`EPOLLET`): returns a socket only when new data has
    /// arrived since the last wait, whether or not the old data was read.
    EpollEdge,
}

impl LoopKind {
    pub const ALL: [LoopKind; 4] =
        [LoopKind::Blocking, LoopKind::Select, LoopKind::EpollLevel, LoopKind::EpollEdge];

    /// The name in data and links: `epoll_edge`.
    pub fn name(self) -> &'static str {
        match self {
            LoopKind::Blocking => "blocking",
            LoopKind::Select => "select",
            LoopKind::EpollLevel => "epoll_level",
            LoopKind::EpollEdge => "epoll_edge",
        }
    }

    pub fn from_name(name: &str) -> Option<LoopKind> {
        LoopKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The call a program makes for this kind of wait.
    pub fn call_name(self) -> &'static str {
        match self {
            LoopKind::Blocking => "recv",
            LoopKind::Select => "select",
            LoopKind::EpollLevel | LoopKind::EpollEdge => "epoll_wait",
        }
    }
}

/// One client's writes, `bytes` at `at_ms` each, and when it closes.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ClientScript {
    pub writes: Vec<TimedWrite>,
    pub close_at_ms: Option<u64>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedWrite {
    pub at_ms: u64,
    pub bytes: usize,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(default)]
pub struct ReadinessParams {
    pub server: LoopKind,
    /// The server's `recv(bufsize)`.
    pub bufsize: usize,
    /// After a wake-up, read each ready socket until it has nothing left (`EAGAIN`), as
    /// edge-triggered code must; otherwise read once.
    pub drain: bool,
    pub clients: Vec<ClientScript>,
}

impl Default for ReadinessParams {
    /// Three clients. The first sends more than one read takes, then a little more much later,
    /// and stays connected; the others send once or twice in between and close.
    fn default() -> Self {
        let write = |at_ms, bytes| TimedWrite { at_ms, bytes };
        ReadinessParams {
            server: LoopKind::EpollEdge,
            bufsize: 512,
            drain: false,
            clients: vec![
                ClientScript { writes: vec![write(100, 1200), write(700, 100)], close_at_ms: None },
                ClientScript { writes: vec![write(200, 300)], close_at_ms: Some(1000) },
                ClientScript {
                    writes: vec![write(300, 200), write(310, 200)],
                    close_at_ms: Some(1100),
                },
            ],
        }
    }
}

impl ReadinessParams {
    /// One listening socket per client (in smoltcp a listening socket becomes its connection,
    /// so a server with N clients listens N times) and the clients' scripts.
    pub(crate) fn schedule(&self, world: &mut World, client: SocketId, server: SocketId) {
        let mut pairs = vec![(client, server)];
        for _ in 1..self.clients.len() {
            pairs.push((world.add_tcp(Side::Client), world.add_tcp(Side::Server)));
        }
        for (n, ((client, server), script)) in pairs.into_iter().zip(&self.clients).enumerate() {
            if n > 0 {
                world.schedule(0, server, Call::Listen { port: SERVER_PORT });
                world.schedule(n as u64, client, Call::Connect { port: SERVER_PORT });
            }
            for write in &script.writes {
                // Numbered bytes, so a reader can tell whose they are: client n sends 'a' + n.
                let data = vec![b'a' + (n % 26) as u8; write.bytes];
                world.schedule(write.at_ms, client, Call::Write { data });
            }
            if let Some(at) = script.close_at_ms {
                world.schedule(at, client, Call::Close);
            }
        }
        let serve = Call::ServeLoop { kind: self.server, bufsize: self.bufsize, drain: self.drain };
        world.schedule(0, server, serve);
    }
}

/// Bytes each server socket had received but its application had not read when the run ended:
/// what the loop never saw.
pub fn unread(params: &ReadinessParams, trace: &[Event]) -> Vec<u64> {
    let mut sent = vec![0u64; params.clients.len()];
    let mut read = vec![0u64; params.clients.len()];
    for event in trace {
        if let EventKind::App { socket, call } = &event.kind {
            match call {
                AppCall::Send { accepted, .. } if socket.side == Side::Client => {
                    sent[socket.index] += *accepted as u64;
                }
                AppCall::Recv { data, .. } if socket.side == Side::Server => {
                    read[socket.index] += data.len() as u64;
                }
                _ => {}
            }
        }
    }
    sent.iter().zip(&read).map(|(s, r)| s - r).collect()
}
