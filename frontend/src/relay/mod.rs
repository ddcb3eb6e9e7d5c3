//! The page's line to the relay: one WebSocket per page, shared by every live lab.
//!
//! Three layers, the way mini-redis puts a `Client` over its `Connection` over its `Frame`:
//!
//! - [`Session`] — what a lab holds: one relayed socket. `Session::open(endpoint, …)`, then
//!   `send`, `send_batch`, `set_nodelay`, `shutdown`, `tcp_info`; dropping it closes it. Its
//!   events arrive on the callback it was opened with.
//! - the page's [`Relay`] (this module) — one WebSocket for all sessions: it gives each session
//!   its id, routes the relay's reports to their session, watches the tap for the labs that
//!   ask, reports its [`Status`], and when the WebSocket is lost tells every session so and
//!   reconnects with backoff (1, 2, 4, 8, then every 15 s). A page opens it only when a live
//!   lab first needs it.
//! - [`connection`] — the WebSocket itself, carrying `wire` messages as JSON text frames.
//!
//! Everything here runs on the page's one thread; the shared state is an `Rc<RefCell<…>>`.

pub mod connection;
mod session;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wire::{ClientMsg, Endpoint, ErrorCode, Listener, ServerMsg, SessionId, TapEvent};
use yew::prelude::*;

use self::connection::{Connection, Incoming};
pub use self::session::{Session, SessionEvent};

/// How the page's line to the relay is doing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Status {
    /// No live lab has asked for the relay yet.
    #[default]
    Idle,
    /// Opening the WebSocket for the first time.
    Connecting,
    /// Opening it again after a failure: attempt `attempt` since the line was last up.
    Reconnecting {
        attempt: u32,
    },
    Connected,
    /// The relay could not be reached or the line was lost; trying again in `retry_in_s`.
    Unreachable {
        reason: String,
        retry_in_s: u32,
    },
}

/// What the live tap reports to its watchers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TapUpdate {
    Event(TapEvent),
    /// The page read too slowly and the relay dropped this many events.
    Lagged(u64),
    /// This relay does not tap (it is not on loopback; see its `--tap`): the relay's words.
    Disabled(String),
}

/// The relay's status, kept current (connecting the page's relay on first use). The first
/// render — on the server and in hydration — sees [`Status::Idle`].
#[hook]
pub fn use_relay_status() -> Status {
    let status = use_state(Status::default);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            let watch = Relay::get().watch(Callback::from(move |new| status.set(new)));
            move || drop(watch)
        });
    }
    (*status).clone()
}

/// Seconds to wait before reconnection attempt `attempt` (from 1).
fn backoff_s(attempt: u32) -> u32 {
    (1u32 << attempt.saturating_sub(1).min(4)).min(15)
}

/// The page's relay: a handle to the one shared line.
#[derive(Debug, Clone)]
pub struct Relay(Rc<RefCell<Hub>>);

#[derive(Debug, Default)]
struct Hub {
    connection: Option<Connection>,
    connected: bool,
    status: Status,
    /// Failed attempts since the last success.
    attempt: u32,
    watchers: Vec<(u64, Callback<Status>)>,
    tap_watchers: Vec<(u64, Callback<TapUpdate>)>,
    sessions: HashMap<SessionId, Callback<SessionEvent>>,
    next_session: SessionId,
    next_watch: u64,
    /// Where the relay's endpoints listen, from its `hello`.
    listeners: Vec<Listener>,
}

thread_local! {
    static RELAY: Relay = Relay(Rc::default());
}

/// Stops a watch when dropped.
#[derive(Debug)]
pub struct Watch {
    relay: Relay,
    id: u64,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut hub = self.relay.0.borrow_mut();
        hub.watchers.retain(|(id, _)| *id != self.id);
        let had_tap = !hub.tap_watchers.is_empty();
        hub.tap_watchers.retain(|(id, _)| *id != self.id);
        if had_tap && hub.tap_watchers.is_empty() && hub.connected {
            hub.send(ClientMsg::Tap { on: false });
        }
    }
}

impl Relay {
    /// The page's relay, connecting it if no lab has yet.
    pub fn get() -> Relay {
        let relay = RELAY.with(Relay::clone);
        if relay.0.borrow().status == Status::Idle {
            relay.connect();
        }
        relay
    }

    pub fn status(&self) -> Status {
        self.0.borrow().status.clone()
    }

    /// Where `endpoint` listens, as a learner's program on this machine would reach it: the
    /// relay's own address, or this page's host name where the relay listens on every address.
    pub fn address(&self, endpoint: Endpoint) -> Option<String> {
        let hub = self.0.borrow();
        let listener = hub.listeners.iter().find(|l| l.endpoint == endpoint)?;
        let address: std::net::SocketAddr = listener.address.parse().ok()?;
        if !address.ip().is_unspecified() {
            return Some(address.to_string());
        }
        let host = web_sys::window()?.location().hostname().ok()?;
        Some(format!("{host}:{}", address.port()))
    }

    /// Call `on_status` with every change of status (and once now), until the watch is dropped.
    pub fn watch(&self, on_status: Callback<Status>) -> Watch {
        let id = {
            let mut hub = self.0.borrow_mut();
            hub.next_watch += 1;
            let id = hub.next_watch;
            hub.watchers.push((id, on_status.clone()));
            id
        };
        on_status.emit(self.status());
        Watch { relay: self.clone(), id }
    }

    /// Call `on_event` with everything the echo endpoints do, from any client, until the watch
    /// is dropped.
    pub fn watch_tap(&self, on_event: Callback<TapUpdate>) -> Watch {
        let mut hub = self.0.borrow_mut();
        hub.next_watch += 1;
        let id = hub.next_watch;
        hub.tap_watchers.push((id, on_event));
        if hub.tap_watchers.len() == 1 && hub.connected {
            hub.send(ClientMsg::Tap { on: true });
        }
        Watch { relay: self.clone(), id }
    }

    fn connect(&self) {
        let weak = Rc::downgrade(&self.0);
        let on_incoming = Callback::from(move |incoming| {
            if let Some(hub) = weak.upgrade() {
                Relay(hub).incoming(incoming);
            }
        });
        let attempt = self.0.borrow().attempt;
        self.set_status(if attempt == 0 {
            Status::Connecting
        } else {
            Status::Reconnecting { attempt: attempt + 1 }
        });
        match Connection::connect(on_incoming) {
            Ok(connection) => self.0.borrow_mut().connection = Some(connection),
            Err(reason) => self.lost(reason),
        }
    }

    fn set_status(&self, status: Status) {
        let watchers: Vec<Callback<Status>> = {
            let mut hub = self.0.borrow_mut();
            hub.status = status.clone();
            hub.watchers.iter().map(|(_, w)| w.clone()).collect()
        };
        for watcher in watchers {
            watcher.emit(status.clone());
        }
    }

    fn incoming(&self, incoming: Incoming) {
        match incoming {
            Incoming::Msg(ServerMsg::Hello { listeners, .. }) => {
                {
                    let mut hub = self.0.borrow_mut();
                    hub.listeners = listeners;
                    hub.connected = true;
                    hub.attempt = 0;
                    if !hub.tap_watchers.is_empty() {
                        hub.send(ClientMsg::Tap { on: true });
                    }
                }
                self.set_status(Status::Connected);
            }
            Incoming::Msg(ServerMsg::Tap { event }) => self.tap(TapUpdate::Event(event)),
            Incoming::Msg(ServerMsg::TapLagged { missed }) => self.tap(TapUpdate::Lagged(missed)),
            Incoming::Msg(ServerMsg::Error {
                session: None,
                code: ErrorCode::TapDisabled,
                message,
            }) => self.tap(TapUpdate::Disabled(message)),
            Incoming::Msg(msg) => {
                let target =
                    session_of(&msg).and_then(|id| self.0.borrow().sessions.get(&id).cloned());
                match target {
                    Some(session) => session.emit(SessionEvent::Msg(msg)),
                    // An error about no session in particular (a rate limit, say) concerns them all.
                    None => {
                        let sessions: Vec<_> = self.0.borrow().sessions.values().cloned().collect();
                        for session in sessions {
                            session.emit(SessionEvent::Msg(msg.clone()));
                        }
                    }
                }
            }
            Incoming::Closed(reason) => self.lost(reason),
        }
    }

    fn tap(&self, update: TapUpdate) {
        let watchers: Vec<_> =
            self.0.borrow().tap_watchers.iter().map(|(_, w)| w.clone()).collect();
        for watcher in watchers {
            watcher.emit(update.clone());
        }
    }

    /// The line is gone: tell every session, and try again after a while.
    fn lost(&self, reason: String) {
        let (sessions, retry_in_s) = {
            let mut hub = self.0.borrow_mut();
            hub.connection = None;
            hub.connected = false;
            hub.attempt += 1;
            (std::mem::take(&mut hub.sessions), backoff_s(hub.attempt))
        };
        for session in sessions.into_values() {
            session.emit(SessionEvent::Lost(reason.clone()));
        }
        self.set_status(Status::Unreachable { reason, retry_in_s });
        let relay = self.clone();
        gloo_timers::callback::Timeout::new(retry_in_s * 1000, move || relay.connect()).forget();
    }

    /// A new session id, routed to `on_event`; `None` while the line is down and waiting to
    /// retry. While it is being opened, what the session sends waits in the connection's queue.
    fn register(&self, on_event: Callback<SessionEvent>) -> Option<SessionId> {
        let mut hub = self.0.borrow_mut();
        hub.connection.as_ref()?;
        hub.next_session = hub.next_session.wrapping_add(1).max(1);
        let id = hub.next_session;
        hub.sessions.insert(id, on_event);
        Some(id)
    }

    fn unregister(&self, id: SessionId) {
        self.0.borrow_mut().sessions.remove(&id);
    }

    fn send(&self, msg: ClientMsg) {
        self.0.borrow().send(msg);
    }
}

impl Hub {
    fn send(&self, msg: ClientMsg) {
        if let Some(connection) = &self.connection {
            connection.send(msg);
        }
    }
}

/// The session a report is about, if it is about one.
fn session_of(msg: &ServerMsg) -> Option<SessionId> {
    match msg {
        ServerMsg::Opened { session, .. }
        | ServerMsg::Wrote { session, .. }
        | ServerMsg::Read { session, .. }
        | ServerMsg::PeerClosed { session, .. }
        | ServerMsg::PeerReset { session, .. }
        | ServerMsg::Datagram { session, .. }
        | ServerMsg::NoDelay { session, .. }
        | ServerMsg::TcpInfo { session, .. }
        | ServerMsg::ShutDown { session, .. }
        | ServerMsg::Closed { session } => Some(*session),
        ServerMsg::Error { session, .. } => *session,
        ServerMsg::Hello { .. } | ServerMsg::Tap { .. } | ServerMsg::TapLagged { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn reconnection_backs_off_to_fifteen_seconds() {
        let waits: Vec<u32> = (1..=7).map(backoff_s).collect();
        assert_eq!(waits, [1, 2, 4, 8, 15, 15, 15]);
    }
}
