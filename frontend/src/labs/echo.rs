//! The echo widget: type a message, the relay writes it into a real TCP socket connected to
//! its echo server, and every `read()` the relay made on that socket is listed — so the reader
//! sees the real chunk boundaries, not the message they typed.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use wire::{ClientMsg, Endpoint, Payload, ServerMsg, SessionId};
use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::relay_client::{Incoming, RelayClient};

/// This widget uses one session on its WebSocket.
const SESSION: SessionId = 1;

#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Connecting,
    Connected { connect_us: u64 },
    Disconnected(String),
}

/// One line in the widget's log.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    class: &'static str,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
struct State {
    status: Status,
    log: Vec<Entry>,
}

/// Keeps the log from growing without bound on a page left open for hours.
const MAX_LOG: usize = 200;

impl Reducible for State {
    type Action = Incoming;

    fn reduce(self: Rc<Self>, action: Incoming) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut log = |class, text| next.log.push(Entry { class, text });
        match action {
            Incoming::Msg(ServerMsg::Opened { connect_us, .. }) => {
                next.status = Status::Connected { connect_us }
            }
            Incoming::Msg(ServerMsg::Wrote { len, at_us, .. }) => {
                log("wrote", format!("{} write({len} bytes)", ms(at_us)))
            }
            Incoming::Msg(ServerMsg::Read { len, at_us, data, .. }) => log(
                "read",
                format!(
                    "{} read() → {len} bytes: {}",
                    ms(at_us),
                    String::from_utf8_lossy(data.as_bytes())
                ),
            ),
            Incoming::Msg(ServerMsg::PeerClosed { at_us, .. }) => {
                log("peer-closed", format!("{} read() → 0: FIN", ms(at_us)))
            }
            Incoming::Msg(ServerMsg::Error { code, message, .. }) => {
                log("error", format!("{}: {message}", code.as_str()))
            }
            Incoming::Msg(ServerMsg::PeerReset { at_us, .. }) => {
                log("error", format!("{} read() → connection reset (RST)", ms(at_us)))
            }
            Incoming::Msg(ServerMsg::Datagram { len, at_us, data, .. }) => log(
                "read",
                format!(
                    "{} recvfrom() → {len} bytes: {}",
                    ms(at_us),
                    String::from_utf8_lossy(data.as_bytes())
                ),
            ),
            // This widget never asks for these.
            Incoming::Msg(
                ServerMsg::Hello { .. }
                | ServerMsg::Closed { .. }
                | ServerMsg::NoDelay { .. }
                | ServerMsg::ShutDown { .. }
                | ServerMsg::TcpInfo { .. }
                | ServerMsg::Tap { .. }
                | ServerMsg::TapLagged { .. },
            ) => {}
            Incoming::Closed(reason) => next.status = Status::Disconnected(reason),
        }
        let excess = next.log.len().saturating_sub(MAX_LOG);
        next.log.drain(..excess);
        Rc::new(next)
    }
}

fn ms(us: u64) -> String {
    format!("{:>8.3} ms", us as f64 / 1000.0)
}

#[function_component]
pub fn Echo(Props { lang }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let state = use_reducer(|| State { status: Status::Connecting, log: Vec::new() });
    let client: Rc<RefCell<Option<RelayClient>>> = use_mut_ref(|| None);
    let generation = use_state(|| 0u32);
    let input = use_node_ref();

    {
        // (Re)connect whenever `generation` changes; dropping the client closes the socket.
        let (client, state) = (client.clone(), state.clone());
        use_effect_with(*generation, move |_| {
            let open_session = client.clone();
            let on_incoming = Callback::from(move |incoming: Incoming| {
                if let Incoming::Msg(ServerMsg::Hello { .. }) = incoming
                    && let Some(c) = open_session.borrow().as_ref()
                {
                    c.send(ClientMsg::Open { session: SESSION, endpoint: Endpoint::TcpEcho });
                }
                state.dispatch(incoming);
            });
            match RelayClient::connect(on_incoming.clone()) {
                Ok(connected) => *client.borrow_mut() = Some(connected),
                Err(err) => on_incoming.emit(Incoming::Closed(err)),
            }
            move || drop(client.borrow_mut().take())
        });
    }

    let send = {
        let (client, input) = (client.clone(), input.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let text = field.value();
            if text.is_empty() {
                return;
            }
            if let Some(c) = client.borrow().as_ref() {
                c.send(ClientMsg::Send { session: SESSION, data: Payload::Text(text) });
                field.set_value("");
            }
        })
    };
    let reconnect = {
        let generation = generation.clone();
        Callback::from(move |_| generation.set(*generation + 1))
    };

    let (status_class, status) = match &state.status {
        Status::Connecting => ("connecting", t.connecting.to_string()),
        Status::Connected { connect_us } => (
            "connected",
            format!("{} · connect() {:.3} ms", t.connected, *connect_us as f64 / 1000.0),
        ),
        Status::Disconnected(reason) => ("disconnected", format!("{}: {reason}", t.disconnected)),
    };
    let connected = matches!(state.status, Status::Connected { .. });
    html! {
        <figure class="widget echo">
            <figcaption>{ t.echo_caption }</figcaption>
            <p class={classes!("status", status_class)} data-testid="echo-status">{ status }</p>
            <form onsubmit={send}>
                <input ref={input} type="text" maxlength="4096" placeholder={t.placeholder_message}
                    disabled={!connected} data-testid="echo-input" />
                <button type="submit" disabled={!connected} data-testid="echo-send">{ t.send }</button>
                if matches!(state.status, Status::Disconnected(_)) {
                    <button type="button" onclick={reconnect}>{ t.reconnect }</button>
                }
            </form>
            <ol class="echo-log" data-testid="echo-log">
                { for state.log.iter().map(|e| html! { <li class={e.class}>{ &e.text }</li> }) }
            </ol>
        </figure>
    }
}
