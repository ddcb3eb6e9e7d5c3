//! One relayed socket, as a lab holds it: the top layer of [`super`].
//!
//! A session hides the choreography every lab would otherwise repeat: ask the relay to open a
//! socket, wait for `opened`, only then write. Anything sent before `opened` waits in the
//! session and goes out, in order, the moment the socket is there.

use std::cell::RefCell;
use std::rc::Rc;

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
    /// Messages waiting for `opened`; `None` once it came.
    waiting: Rc<RefCell<Option<Vec<ClientMsg>>>>,
}

impl Session {
    /// Ask the relay to connect a socket to `endpoint`. Its reports — first `opened`, or an
    /// error — arrive on `on_event`. While the page's line to the relay is still being opened
    /// the request waits for it; while the relay is unreachable this fails at once.
    pub fn open(
        endpoint: Endpoint,
        on_event: Callback<SessionEvent>,
    ) -> Result<Session, NotConnected> {
        let relay = Relay::get();
        let waiting = Rc::new(RefCell::new(Some(Vec::new())));
        let flush = {
            let (waiting, hub) = (waiting.clone(), Rc::downgrade(&relay.0));
            Callback::from(move |event: SessionEvent| {
                let opened = matches!(event, SessionEvent::Msg(ServerMsg::Opened { .. }));
                on_event.emit(event);
                if opened {
                    let queued = waiting.borrow_mut().take().unwrap_or_default();
                    if let Some(hub) = hub.upgrade() {
                        queued.into_iter().for_each(|msg| hub.borrow().send(msg));
                    }
                }
            })
        };
        let id = relay.register(flush).ok_or(NotConnected)?;
        relay.send(ClientMsg::Open { session: id, endpoint });
        Ok(Session { relay, id, waiting })
    }

    /// TCP: one `write_all`. UDP: one datagram.
    pub fn send(&self, data: Vec<u8>) {
        self.post(ClientMsg::Send { session: self.id, data: Payload::from_bytes(data) });
    }

    /// TCP: these writes back to back, without waiting between them.
    pub fn send_batch(&self, writes: Vec<Vec<u8>>) {
        let writes = writes.into_iter().map(Payload::from_bytes).collect();
        self.post(ClientMsg::SendBatch { session: self.id, writes });
    }

    /// TCP: `TCP_NODELAY` on (Nagle's algorithm off) or off.
    pub fn set_nodelay(&self, on: bool) {
        self.post(ClientMsg::SetNoDelay { session: self.id, on });
    }

    /// TCP: `shutdown(SHUT_WR)`.
    pub fn shutdown(&self) {
        self.post(ClientMsg::Shutdown { session: self.id });
    }

    /// TCP: ask for a `TCP_INFO` snapshot.
    pub fn tcp_info(&self) {
        self.post(ClientMsg::TcpInfo { session: self.id });
    }

    /// Now if the socket is open, else once it is.
    fn post(&self, msg: ClientMsg) {
        match self.waiting.borrow_mut().as_mut() {
            Some(queue) => queue.push(msg),
            None => self.relay.send(msg),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.relay.send(ClientMsg::Close { session: self.id });
        self.relay.unregister(self.id);
    }
}

/// The relay cannot be reached right now (see [`super::Status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotConnected;
