//! The applications' script: calls scheduled at moments of virtual time, carried out against
//! the sockets the way a program would make them, and recorded with what they returned.

use super::*;

/// Something an application does with a socket. Scripts are lists of these with times.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum Call {
    Listen {
        port: u16,
    },
    /// Connect to `port` on the other host.
    Connect {
        port: u16,
    },
    /// Queue bytes to send. Like a blocking `sendall`, the application keeps calling `send`
    /// until the stack has accepted all of them; each call is recorded with what it accepted.
    Write {
        data: Vec<u8>,
    },
    /// From now on, call `recv(bufsize)` whenever data is waiting — at most once every
    /// `interval_ms` (0: as soon as data arrives). A slow reader is a large interval.
    Read {
        bufsize: usize,
        interval_ms: u64,
    },
    /// When `recv` returns 0 (the peer's FIN), close this socket too — what a server does.
    CloseOnEof,
    /// When this socket is CLOSED again, listen on `port` again: an accept loop.
    Relisten {
        port: u16,
    },
    /// Give up on a half-open connection (SYN-RECEIVED) after `ms` without an answer, as
    /// Linux does after `net.ipv4.tcp_synack_retries` retransmissions. Established
    /// connections are not affected.
    HalfOpenTimeout {
        ms: u64,
    },
    /// Turn Nagle's algorithm on or off (`TCP_NODELAY` is "off").
    Nagle {
        on: bool,
    },
    /// `shutdown(SHUT_WR)` once everything queued by `Write` has been accepted: FIN after the
    /// data, and the socket goes on reading.
    Shutdown,
    /// `close()` once everything queued by `Write` has been accepted: FIN after the data, and
    /// the application reads no more.
    Close,
    /// Close with an RST at once, discarding unsent data.
    Abort,
    UdpBind {
        port: u16,
    },
    UdpSend {
        port: u16,
        data: Vec<u8>,
    },
    /// The attacker sends `count` SYNs to the server's `port` from forged addresses.
    ForgeSyns {
        count: usize,
        port: u16,
    },
    /// From now on, one loop serves every server socket: it waits the way `kind` says and
    /// calls `recv(bufsize)` on what it is told is ready — once, or until empty if `drain`.
    /// It replaces `Read` on those sockets (see [`crate::readiness`]).
    ServeLoop {
        kind: LoopKind,
        bufsize: usize,
        drain: bool,
    },
}

/// A call to make at a moment of virtual time.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub at_ms: u64,
    pub socket: SocketId,
    #[serde(flatten)]
    pub call: Call,
}

impl World {
    /// Make `call` on `socket` at virtual time `at_ms` (or as soon as possible, if that has passed).
    pub fn schedule(&mut self, at_ms: u64, socket: SocketId, call: Call) {
        let position = self.script.partition_point(|s| s.at_ms <= at_ms);
        self.script.insert(position, Scheduled { at_ms, socket, call });
    }

    pub(super) fn run_due_calls(&mut self) -> bool {
        let mut ran = false;
        while self.script.front().is_some_and(|s| Instant::from_millis(s.at_ms as i64) <= self.now)
        {
            let Scheduled { socket, call, .. } = self.script.pop_front().expect("front exists");
            self.call(socket, call);
            ran = true;
        }
        ran
    }

    pub(super) fn call(&mut self, id: SocketId, call: Call) {
        if let Call::ForgeSyns { count, port } = call {
            return self.forge_syns(count, port);
        }
        let local_port = match call {
            Call::Connect { .. } => {
                self.next_ephemeral += 1;
                self.next_ephemeral - 1
            }
            _ => 0,
        };
        let remote = match id.side {
            Side::Server => Self::CLIENT_ADDR,
            _ => Self::SERVER_ADDR,
        };
        let host = &mut self.hosts[host_index(id.side)];
        let sock = &mut host.socks[id.index];
        let recorded = match call {
            Call::Listen { port } => {
                let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
                socket.listen(port).expect("scenarios listen on fresh sockets and non-zero ports");
                // A new connection will arrive on this socket: new streams, new offsets.
                (sock.sent, sock.received, sock.established_once, sock.eof_reported) =
                    (0, 0, false, false);
                Some(AppCall::Listen { port })
            }
            Call::Connect { port } => {
                let socket = host.sockets.get_mut::<tcp::Socket>(sock.handle);
                socket
                    .connect(host.iface.context(), (IpAddress::Ipv4(remote), port), local_port)
                    .expect("scenarios connect closed sockets to non-zero ports");
                Some(AppCall::Connect { port })
            }
            Call::Write { data } => {
                sock.app.outbox.extend(data);
                None
            }
            Call::Read { bufsize, interval_ms } => {
                sock.app.reader = Some((bufsize, Duration::from_millis(interval_ms)));
                None
            }
            Call::CloseOnEof => {
                sock.app.close_on_eof = true;
                None
            }
            Call::Relisten { port } => {
                sock.app.relisten = Some(port);
                None
            }
            Call::HalfOpenTimeout { ms } => {
                sock.app.half_open_timeout = Some(Duration::from_millis(ms));
                None
            }
            Call::Nagle { on } => {
                host.sockets.get_mut::<tcp::Socket>(sock.handle).set_nagle_enabled(on);
                None
            }
            Call::Shutdown => {
                sock.app.close_when_sent = Some(AppCall::Shutdown);
                None
            }
            Call::Close => {
                sock.app.close_when_sent = Some(AppCall::Close);
                None
            }
            Call::Abort => {
                sock.app.outbox.clear();
                host.sockets.get_mut::<tcp::Socket>(sock.handle).abort();
                Some(AppCall::Abort)
            }
            Call::UdpBind { port } => {
                let socket = host.sockets.get_mut::<udp::Socket>(sock.handle);
                socket.bind(port).expect("scenarios bind fresh UDP sockets to non-zero ports");
                Some(AppCall::UdpBind { port })
            }
            Call::UdpSend { port, data } => {
                let socket = host.sockets.get_mut::<udp::Socket>(sock.handle);
                let len = data.len();
                // A full send buffer drops the datagram, as UDP may; the trace shows no packet.
                let _ = socket.send_slice(&data, (IpAddress::Ipv4(remote), port));
                Some(AppCall::UdpSend { port, len })
            }
            Call::ServeLoop { kind, bufsize, drain } => {
                self.server_loop = Some(ServerLoop::new(kind, bufsize, drain));
                None
            }
            Call::ForgeSyns { .. } => unreachable!("handled above"),
        };
        if let Some(call) = recorded {
            self.record(EventKind::App { socket: id, call });
        }
        self.record_state(id);
    }
}
