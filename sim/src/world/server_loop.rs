//! One server loop serving every server socket, the way a single-threaded server does: wait
//! until the kernel says something is ready, read, wait again (see [`crate::readiness`]).
//!
//! Readiness comes from the stacks' real receive buffers: a socket *can be read* while its
//! buffer holds data or its peer's FIN is unread. Level-triggered waits (`select`, `poll`,
//! `epoll` without `EPOLLET`) report exactly that. Edge-triggered `epoll` reports a socket only
//! when something *new* arrived since the previous wait — so the loop remembers how much had
//! arrived on each socket when it last waited.

use super::*;

#[derive(Debug)]
pub(super) struct ServerLoop {
    kind: LoopKind,
    bufsize: usize,
    drain: bool,
    /// Per server socket: bytes that had arrived (read or waiting) and whether the FIN had,
    /// at the last wait — what edge triggering compares against.
    seen: Vec<(u64, bool)>,
    /// The blocking server's current client (socket index).
    current: usize,
}

impl ServerLoop {
    pub(super) fn new(kind: LoopKind, bufsize: usize, drain: bool) -> ServerLoop {
        ServerLoop { kind, bufsize, drain, seen: Vec::new(), current: 0 }
    }
}

/// What the kernel could tell the loop about one connected server socket.
struct Readiness {
    index: usize,
    /// Bytes that have arrived so far, read or not.
    arrived: u64,
    fin: bool,
    can_read: bool,
}

impl World {
    /// Wake, read, wait again, until the loop would block. `true` if it did anything.
    pub(super) fn run_server_loop(&mut self) -> bool {
        let Some(mut server) = self.server_loop.take() else {
            return false;
        };
        let mut progress = false;
        loop {
            let sockets = self.readiness();
            server.seen.resize(self.hosts[1].socks.len(), (0, false));
            let ready: Vec<usize> = match server.kind {
                // Sitting in recv() on the current client: the others are not even looked at.
                LoopKind::Blocking => sockets
                    .iter()
                    .filter(|s| s.index == server.current && s.can_read)
                    .map(|s| s.index)
                    .collect(),
                LoopKind::Select | LoopKind::EpollLevel => {
                    sockets.iter().filter(|s| s.can_read).map(|s| s.index).collect()
                }
                LoopKind::EpollEdge => sockets
                    .iter()
                    .filter(|s| {
                        let (arrived, fin) = server.seen[s.index];
                        s.arrived > arrived || (s.fin && !fin)
                    })
                    .map(|s| s.index)
                    .collect(),
            };
            for s in &sockets {
                server.seen[s.index] = (s.arrived, s.fin);
            }
            if ready.is_empty() {
                break;
            }
            if server.kind != LoopKind::Blocking {
                let call = AppCall::Wait {
                    kind: server.kind,
                    ready: ready.clone(),
                    watched: sockets.len(),
                };
                let socket = SocketId { side: Side::Server, index: 0 };
                self.record(EventKind::App { socket, call });
            }
            // A blocking server calls recv() again and again on its client; the others read
            // once per wake-up unless told to drain.
            let drain = server.drain || server.kind == LoopKind::Blocking;
            for index in ready {
                if self.serve_read(index, server.bufsize, drain) && index == server.current {
                    server.current += 1;
                }
            }
            progress = true;
        }
        self.server_loop = Some(server);
        progress
    }

    /// Every connected server socket, as a wait sees it.
    fn readiness(&mut self) -> Vec<Readiness> {
        let host = &mut self.hosts[host_index(Side::Server)];
        host.socks
            .iter()
            .enumerate()
            .filter(|(_, sock)| !sock.udp && sock.established_once)
            .map(|(index, sock)| {
                let socket = host.sockets.get::<tcp::Socket>(sock.handle);
                // The peer's FIN has arrived (smoltcp's `may_recv` says so only once the data
                // before it has been read too).
                let fin = !matches!(
                    socket.state(),
                    tcp::State::Established | tcp::State::FinWait1 | tcp::State::FinWait2
                );
                Readiness {
                    index,
                    arrived: sock.received + socket.recv_queue() as u64,
                    fin,
                    can_read: socket.can_recv() || (!socket.may_recv() && !sock.eof_reported),
                }
            })
            .collect()
    }

    /// `recv(bufsize)` on server socket `index`, once or until it would block; on end of stream,
    /// close it. `true` if the connection ended.
    fn serve_read(&mut self, index: usize, bufsize: usize, drain: bool) -> bool {
        let id = SocketId { side: Side::Server, index };
        loop {
            let host = &mut self.hosts[host_index(Side::Server)];
            let sock = &mut host.socks[index];
            let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
            if socket.can_recv() {
                let mut data = vec![0; bufsize];
                let len = socket.recv_slice(&mut data).unwrap_or(0);
                data.truncate(len);
                let call = AppCall::Recv { bufsize, offset: sock.received, data };
                sock.received += len as u64;
                self.record(EventKind::App { socket: id, call });
                if !drain {
                    return false;
                }
            } else if !socket.may_recv() && !sock.eof_reported {
                sock.eof_reported = true;
                socket.close();
                self.record(EventKind::App { socket: id, call: AppCall::Eof });
                self.record(EventKind::App { socket: id, call: AppCall::Close });
                return true;
            } else {
                // EAGAIN: nothing to read.
                return false;
            }
        }
    }
}
