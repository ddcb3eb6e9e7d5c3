//! One relayed socket, as a lab holds it: the top layer of [`super`].

use wire::{ClientMsg, Endpoint, Payload, ServerMsg, SessionId};
use yew::Callback;

use super::Relay;

/// What a session's owner hears.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionEvent {
    /// A report from the relay about this session (`opened`, `wrote`, `read`, …).
    Msg(ServerMsg),
    /// The page's line to the relay went down, and the session with it.
    Lost(String),
}

/// A socket the relay holds for this page, connected to one of its endpoints. Dropping it
/// closes it.
#[derive(Debug)]
pub struct Session {
    relay: Relay,
    id: SessionId,
}

impl Session {
    /// Ask the relay to connect a socket to `endpoint`. Its reports — first `opened`, or an
    /// error — arrive on `on_event`. Fails at once if the relay is not connected.
    pub fn open(
        endpoint: Endpoint,
        on_event: Callback<SessionEvent>,
    ) -> Result<Session, NotConnected> {
        let relay = Relay::get();
        let id = relay.register(on_event).ok_or(NotConnected)?;
        relay.send(ClientMsg::Open { session: id, endpoint });
        Ok(Session { relay, id })
    }

    /// TCP: one `write_all`. UDP: one datagram.
    pub fn send(&self, data: Vec<u8>) {
        self.relay.send(ClientMsg::Send { session: self.id, data: Payload::from_bytes(data) });
    }

    /// TCP: these writes back to back, without waiting between them.
    pub fn send_batch(&self, writes: Vec<Vec<u8>>) {
        let writes = writes.into_iter().map(Payload::from_bytes).collect();
        self.relay.send(ClientMsg::SendBatch { session: self.id, writes });
    }

    /// TCP: `TCP_NODELAY` on (Nagle's algorithm off) or off.
    pub fn set_nodelay(&self, on: bool) {
        self.relay.send(ClientMsg::SetNoDelay { session: self.id, on });
    }

    /// TCP: `shutdown(SHUT_WR)`.
    pub fn shutdown(&self) {
        self.relay.send(ClientMsg::Shutdown { session: self.id });
    }

    /// TCP: ask for a `TCP_INFO` snapshot.
    pub fn tcp_info(&self) {
        self.relay.send(ClientMsg::TcpInfo { session: self.id });
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.relay.send(ClientMsg::Close { session: self.id });
        self.relay.unregister(self.id);
    }
}

/// The page has no working line to the relay right now (see [`super::Status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotConnected;
