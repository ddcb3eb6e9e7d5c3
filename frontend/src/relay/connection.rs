//! One WebSocket to the relay, typed messages in and out: the bottom layer of [`super`].
//!
//! Messages are the `wire` crate's types — the very ones the relay compiles against — so the
//! two sides cannot drift apart. Dropping the [`Connection`] closes the WebSocket.

use futures::channel::mpsc;
use futures::future::{Either, select};
use futures::{SinkExt as _, StreamExt as _};
use gloo_net::websocket::{Message, State, futures::WebSocket};
use wire::{ClientMsg, ServerMsg};
use yew::Callback;

/// What the relay connection tells its owner.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Msg(ServerMsg),
    /// The WebSocket is gone; the text says why.
    Closed(String),
}

#[derive(Debug)]
pub struct Connection {
    outgoing: mpsc::UnboundedSender<ClientMsg>,
}

impl Connection {
    /// Open a WebSocket to the relay that served this page.
    pub fn connect(on_incoming: Callback<Incoming>) -> Result<Connection, String> {
        let url = ws_url().ok_or("this page has no location to derive the relay's address from")?;
        let ws =
            WebSocket::open_with_protocol(&url, wire::SUBPROTOCOL).map_err(|e| e.to_string())?;
        let (outgoing, queued) = mpsc::unbounded();
        wasm_bindgen_futures::spawn_local(pump(ws, queued, on_incoming));
        Ok(Connection { outgoing })
    }

    pub fn send(&self, msg: ClientMsg) {
        // Fails only when the socket is already closed, which `Incoming::Closed` reported.
        let _ = self.outgoing.unbounded_send(msg);
    }
}

/// `ws://host/ws` for a page loaded over http, `wss://host/ws` over https.
fn ws_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}{}", location.host().ok()?, wire::WS_PATH))
}

/// Move frames both ways until either side ends.
async fn pump(
    mut ws: WebSocket,
    mut queued: mpsc::UnboundedReceiver<ClientMsg>,
    on_incoming: Callback<Incoming>,
) {
    loop {
        match select(ws.next(), queued.next()).await {
            Either::Left((Some(Ok(Message::Text(text))), _)) => match serde_json::from_str(&text) {
                Ok(msg) => on_incoming.emit(Incoming::Msg(msg)),
                Err(err) => on_incoming
                    .emit(Incoming::Closed(format!("unreadable message from relay: {err}"))),
            },
            Either::Left((Some(Ok(Message::Bytes(_))), _)) => {}
            Either::Left((Some(Err(err)), _)) => {
                return on_incoming.emit(Incoming::Closed(err.to_string()));
            }
            Either::Left((None, _)) => {
                return on_incoming.emit(Incoming::Closed("connection closed".into()));
            }
            Either::Right((Some(msg), _)) => {
                // The relay has begun closing (a restart sends 1001) but the close has not come
                // out of `ws.next()` yet: it does only once the TCP connection is gone, and until
                // then the browser refuses every frame, with a console error. Nothing sent now
                // could reach a session, and the close that follows tells every session so.
                if matches!(ws.state(), State::Closing | State::Closed) {
                    continue;
                }
                let text = serde_json::to_string(&msg).expect("ClientMsg always serialises");
                if let Err(err) = ws.send(Message::Text(text)).await {
                    return on_incoming.emit(Incoming::Closed(err.to_string()));
                }
            }
            // The owner dropped the client: leave politely.
            Either::Right((None, _)) => {
                let _ = ws.close(Some(1000), Some("page closed the lab"));
                return;
            }
        }
    }
}
