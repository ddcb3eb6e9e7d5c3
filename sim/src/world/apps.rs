//! What each socket's application does between calls: sending what it queued, reading when data
//! waits, closing when told to — and noticing the socket's state changes.

use super::*;

/// Everything a socket's application has queued or decided.
#[derive(Debug)]
pub(super) struct App {
    pub(super) outbox: VecDeque<u8>,
    /// `Shutdown` or `Close`, waiting for the outbox to drain.
    pub(super) close_when_sent: Option<AppCall>,
    pub(super) reader: Option<(usize, Duration)>,
    pub(super) next_read: Instant,
    pub(super) close_on_eof: bool,
    pub(super) relisten: Option<u16>,
    pub(super) half_open_timeout: Option<Duration>,
}

impl Default for App {
    fn default() -> App {
        App {
            outbox: VecDeque::new(),
            close_when_sent: None,
            reader: None,
            next_read: Instant::ZERO,
            close_on_eof: false,
            relisten: None,
            half_open_timeout: None,
        }
    }
}

#[derive(Debug)]
pub(super) struct Sock {
    pub(super) handle: SocketHandle,
    pub(super) udp: bool,
    pub(super) state: TcpState,
    /// Bytes accepted by `send` / returned by `recv` so far: offsets into the two streams.
    pub(super) sent: u64,
    pub(super) received: u64,
    pub(super) established_once: bool,
    pub(super) eof_reported: bool,
    pub(super) app: App,
}

impl World {
    /// Let each application on `side` do what its queued calls ask, as far as the stack allows.
    pub(super) fn run_apps(&mut self, side: Side) -> bool {
        let now = self.now;
        let mut calls = Vec::new();
        let host = &mut self.hosts[host_index(side)];
        for (index, sock) in host.socks.iter_mut().enumerate() {
            let id = SocketId { side, index };
            if sock.udp {
                let socket = host.sockets.get_mut::<udp::Socket>(sock.handle);
                let mut buf = [0u8; 1500];
                while let Ok((len, meta)) = socket.recv_slice(&mut buf) {
                    let data = buf[..len].to_vec();
                    calls.push((id, AppCall::UdpRecv { from_port: meta.endpoint.port, data }));
                }
                continue;
            }
            let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
            if !sock.app.outbox.is_empty() && socket.can_send() {
                let (front, _) = sock.app.outbox.as_slices();
                let requested = sock.app.outbox.len();
                let accepted = socket.send_slice(front).unwrap_or(0);
                if accepted > 0 {
                    sock.app.outbox.drain(..accepted);
                    calls.push((id, AppCall::Send { requested, accepted, offset: sock.sent }));
                    sock.sent += accepted as u64;
                }
            }
            if sock.app.outbox.is_empty()
                && let Some(call) = sock.app.close_when_sent.take()
            {
                // smoltcp's close() is a half close; a full close() also stops reading.
                socket.close();
                if call == AppCall::Close {
                    sock.app.reader = None;
                }
                calls.push((id, call));
            }
            if let Some((bufsize, interval)) = sock.app.reader {
                if socket.can_recv() && now >= sock.app.next_read {
                    let mut buf = vec![0; bufsize];
                    let len = socket.recv_slice(&mut buf).unwrap_or(0);
                    buf.truncate(len);
                    calls.push((id, AppCall::Recv { bufsize, offset: sock.received, data: buf }));
                    sock.received += len as u64;
                    sock.app.next_read = now + interval;
                } else if sock.established_once && !socket.may_recv() && !sock.eof_reported {
                    sock.eof_reported = true;
                    calls.push((id, AppCall::Eof));
                    if sock.app.close_on_eof {
                        socket.close();
                        sock.app.reader = None;
                        calls.push((id, AppCall::Close));
                    }
                }
            }
        }
        let progress = !calls.is_empty();
        for (socket, call) in calls {
            self.record(EventKind::App { socket, call });
        }
        progress
    }

    /// Record a TCP socket's state change, if any; re-listen if its accept loop asks to.
    pub(super) fn record_state(&mut self, id: SocketId) -> bool {
        if id.side == Side::Attacker {
            return false;
        }
        let host = &mut self.hosts[host_index(id.side)];
        let sock = &mut host.socks[id.index];
        if sock.udp {
            return false;
        }
        let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
        let to = TcpState::from(socket.state());
        let from = std::mem::replace(&mut sock.state, to);
        if from == to {
            return false;
        }
        // A passively opened connection is complete: this is what accept() would return.
        let accepted = (from == TcpState::SynReceived && to == TcpState::Established)
            .then(|| socket.remote_endpoint().map(|peer| peer.port))
            .flatten();
        sock.established_once |= to == TcpState::Established;
        // smoltcp's timeout covers any silence; arm it only while the connection is half open.
        if let Some(timeout) = sock.app.half_open_timeout {
            socket.set_timeout((to == TcpState::SynReceived).then_some(timeout));
        }
        self.record(EventKind::State { socket: id, from, to });
        if let Some(peer_port) = accepted {
            self.record(EventKind::App { socket: id, call: AppCall::Accept { peer_port } });
        }
        let sock = &self.hosts[host_index(id.side)].socks[id.index];
        if to == TcpState::Closed
            && let Some(port) = sock.app.relisten
        {
            self.call(id, Call::Listen { port });
        }
        true
    }
}
