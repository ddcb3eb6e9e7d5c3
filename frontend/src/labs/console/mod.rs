//! The relay console: a real socket, opened by the relay to one of its endpoints (TCP echo, UDP
//! echo, the HTTP demo), driven from the page — and every real event on it, timed: each
//! `write`, each `read()` with its exact bytes, FIN, RST; the kernel's `TCP_INFO`, refreshed;
//! raw HTTP taken apart; and the live tap, where a learner's own script shows up.
//!
//! It uses the page's one relay connection ([`crate::relay`]): when the relay cannot be
//! reached the console says so, and when it comes back the console opens its socket again.

mod http;
mod tap;

pub use self::http::Body as HttpBody;

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast as _;
use wire::{Endpoint, ServerMsg, TcpInfo, TcpState};
use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::labs::deep_link::{self, Params};
use crate::labs::relay_status::RelayStatus;
use crate::relay::{Session, SessionEvent, Status, use_relay_status};

/// The lab as a chapter embeds it:
///
/// ```toml
/// lab = "console"
/// endpoint = "tcp-echo"   # udp-echo, http-demo
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Spec {
    pub endpoint: Endpoint,
}

impl Default for Spec {
    fn default() -> Self {
        Spec { endpoint: Endpoint::TcpEcho }
    }
}

/// What the lab is given: its place on the page and its spec.
pub type Props = super::Props<Spec>;

/// One line of the timeline: something that really happened on the socket.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// Microseconds since the socket was opened, as the relay measured.
    at_us: Option<u64>,
    what: What,
}

#[derive(Debug, Clone, PartialEq)]
enum What {
    Opened {
        connect_us: u64,
    },
    Wrote(usize),
    Read(Vec<u8>),
    Datagram(Vec<u8>),
    /// `read()` returned 0: the peer's FIN.
    Fin,
    Rst,
    ShutDown,
    NoDelay(bool),
    Error(String),
    /// The page's line to the relay went down.
    Lost(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Log {
    open: bool,
    /// The reader wants a socket: after a lost line, open it again.
    wanted: bool,
    entries: Vec<Entry>,
    /// Everything read, for the HTTP view.
    received: Vec<u8>,
    info: Option<TcpInfo>,
    nodelay: bool,
    peer_closed: bool,
}

/// Keeps the timeline from growing without bound on a page left open for hours.
const MAX_ENTRIES: usize = 300;

#[derive(Debug)]
enum Action {
    Opening,
    Event(SessionEvent),
    Closed,
}

impl Reducible for Log {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut push = |at_us, what| next.entries.push(Entry { at_us, what });
        match action {
            Action::Opening => {
                next = Log { wanted: true, nodelay: next.nodelay, ..Log::default() };
            }
            Action::Closed => {
                next.open = false;
                next.wanted = false;
            }
            Action::Event(SessionEvent::Lost(reason)) => {
                push(None, What::Lost(reason));
                next.open = false;
            }
            Action::Event(SessionEvent::Msg(msg)) => match msg {
                ServerMsg::Opened { connect_us, .. } => {
                    push(Some(0), What::Opened { connect_us });
                    next.open = true;
                }
                ServerMsg::Wrote { len, at_us, .. } => push(Some(at_us), What::Wrote(len)),
                ServerMsg::Read { at_us, data, .. } => {
                    let data = data.into_bytes();
                    next.received.extend_from_slice(&data);
                    push(Some(at_us), What::Read(data));
                }
                ServerMsg::Datagram { at_us, data, .. } => {
                    push(Some(at_us), What::Datagram(data.into_bytes()))
                }
                ServerMsg::PeerClosed { at_us, .. } => {
                    push(Some(at_us), What::Fin);
                    next.peer_closed = true;
                }
                ServerMsg::PeerReset { at_us, .. } => {
                    push(Some(at_us), What::Rst);
                    next.open = false;
                }
                ServerMsg::ShutDown { at_us, .. } => push(Some(at_us), What::ShutDown),
                ServerMsg::NoDelay { on, .. } => {
                    next.nodelay = on;
                    push(None, What::NoDelay(on));
                }
                ServerMsg::TcpInfo { info, .. } => next.info = Some(info),
                ServerMsg::Error { message, .. } => push(None, What::Error(message)),
                ServerMsg::Closed { .. } => next.open = false,
                ServerMsg::Hello { .. } | ServerMsg::Tap { .. } | ServerMsg::TapLagged { .. } => {}
            },
        }
        let excess = next.entries.len().saturating_sub(MAX_ENTRIES);
        next.entries.drain(..excess);
        Rc::new(next)
    }
}

/// The console's inputs, as the deep link carries them.
#[derive(Debug, Clone, PartialEq)]
struct Inputs {
    endpoint: Endpoint,
    message: String,
    request: String,
    batch: usize,
}

impl Inputs {
    fn params(&self) -> Params {
        let mut params = Params::new();
        params.push("e", self.endpoint.name());
        params.push("m", &self.message);
        if self.endpoint == Endpoint::HttpDemo {
            params.push("r", &self.request);
        }
        params.push("n", self.batch);
        params
    }
}

fn endpoint_from(name: &str) -> Option<Endpoint> {
    Endpoint::ALL.into_iter().find(|e| e.name() == name)
}

/// The request the HTTP view starts with: a path on the demo server.
fn request_for(path: &str) -> String {
    format!("GET {path} HTTP/1.1\nHost: localhost\nConnection: close\n\n")
}

fn field_value(event: &Event) -> String {
    let target = event.target();
    if let Some(input) = target.clone().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        return input.value();
    }
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

#[function_component]
pub fn ConsoleLab(Props { lang, id, spec, .. }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let status = use_relay_status();
    let log = use_reducer(Log::default);
    let session: Rc<RefCell<Option<Session>>> = use_mut_ref(|| None);
    let inputs = use_state(|| Inputs {
        endpoint: spec.endpoint,
        message: "hello".into(),
        request: request_for("/hello"),
        batch: 5,
    });
    let touched = use_state(|| false);

    // After hydration: a deep link's inputs.
    {
        let (inputs, id) = (inputs.clone(), id.clone());
        use_effect_with((), move |_| {
            if let Some(link) = deep_link::read(&id) {
                let mut next = (*inputs).clone();
                next.endpoint = link.get("e").and_then(endpoint_from).unwrap_or(next.endpoint);
                next.message = link.get("m").map(str::to_string).unwrap_or(next.message);
                next.request = link.get("r").map(str::to_string).unwrap_or(next.request);
                next.batch = link
                    .parsed::<usize>("n")
                    .filter(|n| (2..=50).contains(n))
                    .unwrap_or(next.batch);
                inputs.set(next);
            }
        });
    }
    deep_link::use_deep_link(id, inputs.params(), *touched);

    let open = {
        let (session, log, endpoint) = (session.clone(), log.clone(), inputs.endpoint);
        Callback::from(move |_: ()| {
            log.dispatch(Action::Opening);
            let log = log.clone();
            let on_event = Callback::from(move |event| log.dispatch(Action::Event(event)));
            *session.borrow_mut() = Session::open(endpoint, on_event).ok();
        })
    };
    // Reopen after the line to the relay came back, if the reader had a socket open.
    {
        let (open, session, wanted) = (open.clone(), session.clone(), log.wanted);
        use_effect_with(status.clone(), move |status| {
            if *status == Status::Connected && wanted && session.borrow().is_none() {
                open.emit(());
            } else if *status != Status::Connected {
                session.borrow_mut().take();
            }
        });
    }
    // TCP_INFO, refreshed every second while a TCP socket is open.
    {
        let session = session.clone();
        let refresh = log.open && inputs.endpoint.is_stream();
        use_effect_with(refresh, move |&refresh| {
            let timer = refresh.then(|| {
                gloo_timers::callback::Interval::new(1000, move || {
                    if let Some(session) = session.borrow().as_ref() {
                        session.tcp_info();
                    }
                })
            });
            move || drop(timer)
        });
    }
    {
        let session = session.clone();
        use_effect_with((), move |_| move || drop(session.borrow_mut().take()));
    }

    let with_session = |act: fn(&Session, &Inputs)| {
        let (session, inputs, touched) = (session.clone(), inputs.clone(), touched.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(session) = session.borrow().as_ref() {
                act(session, &inputs);
                touched.set(true);
            }
        })
    };
    let on_message = {
        let (inputs, touched) = (inputs.clone(), touched.clone());
        Callback::from(move |event: InputEvent| {
            inputs.set(Inputs { message: field_value(&event), ..(*inputs).clone() });
            touched.set(true);
        })
    };
    let on_submit = {
        let (session, inputs, touched) = (session.clone(), inputs.clone(), touched.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(session) = session.borrow().as_ref() {
                session.send(inputs.message.clone().into_bytes());
                touched.set(true);
            }
        })
    };
    let on_endpoint = {
        let (inputs, session, log, touched) =
            (inputs.clone(), session.clone(), log.clone(), touched.clone());
        Callback::from(move |event: Event| {
            if let Some(endpoint) = endpoint_from(&field_value(&event)) {
                session.borrow_mut().take();
                log.dispatch(Action::Closed);
                inputs.set(Inputs { endpoint, ..(*inputs).clone() });
                touched.set(true);
            }
        })
    };
    let close = {
        let (session, log) = (session.clone(), log.clone());
        Callback::from(move |_: MouseEvent| {
            session.borrow_mut().take();
            log.dispatch(Action::Closed);
        })
    };
    let connected = status == Status::Connected;
    let is_open = log.open && session.borrow().is_some();
    let stream = inputs.endpoint.is_stream();
    let endpoint = inputs.endpoint;

    html! {
        <figure class="widget lab-console">
            <figcaption>{ t.console_caption }</figcaption>
            <RelayStatus lang={*lang} status={status.clone()} />
            <div class="lab-toolbar">
                <label class="field"><span>{ t.endpoint }</span>
                    <select onchange={on_endpoint} data-testid="endpoint">
                        { for Endpoint::ALL.iter().map(|e| html! {
                            <option value={e.name()} selected={*e == endpoint}>{ (t.endpoint_name)(*e) }</option>
                        }) }
                    </select>
                </label>
                if is_open {
                    <button type="button" onclick={close} data-testid="close">{ t.close_socket }</button>
                } else {
                    <button type="button" class="primary" disabled={!connected} data-testid="connect"
                        onclick={{ let open = open.clone(); Callback::from(move |_| open.emit(())) }}>{ t.connect }</button>
                }
            </div>
            if endpoint == Endpoint::HttpDemo {
                <http::HttpPanel lang={*lang} request={inputs.request.clone()} received={log.received.clone()}
                    closed={log.peer_closed} can_send={connected}
                    on_request={{ let (inputs, touched) = (inputs.clone(), touched.clone()); Callback::from(move |request: String| {
                        inputs.set(Inputs { request, ..(*inputs).clone() }); touched.set(true);
                    }) }}
                    on_send={{
                        let (session, inputs, open, peer_closed) = (session.clone(), inputs.clone(), open.clone(), log.peer_closed);
                        // One request per connection (the templates say `Connection: close`):
                        // a new request gets a new socket once the server has closed the last.
                        Callback::from(move |_| {
                            if session.borrow().is_none() || peer_closed {
                                open.emit(());
                            }
                            if let Some(s) = session.borrow().as_ref() { s.send(http::wire_request(&inputs.request)); }
                        })
                    }} />
            } else {
                // A form, so Enter in the message field sends it.
                <form class="controls console-send" onsubmit={on_submit}>
                    <label class="field message"><span>{ t.message }</span>
                        <input type="text" value={inputs.message.clone()} maxlength="4096" data-testid="console-input"
                            oninput={on_message} /></label>
                    <button type="submit" class="primary" disabled={!is_open} data-testid="console-send">{ t.send }</button>
                    if stream {
                        <button type="button" disabled={!is_open} data-testid="console-batch"
                            onclick={with_session(|s, i| s.send_batch(vec![i.message.clone().into_bytes(); i.batch]))}>
                            { (t.send_batch)(inputs.batch) }</button>
                        <label class="field checkbox"><span>{ t.nagle }</span>
                            <input type="checkbox" checked={!log.nodelay} disabled={!is_open} data-testid="console-nagle"
                                onchange={{ let (session, nodelay) = (session.clone(), log.nodelay); Callback::from(move |_| {
                                    if let Some(s) = session.borrow().as_ref() { s.set_nodelay(!nodelay); }
                                }) }} /></label>
                        <button type="button" disabled={!is_open} data-testid="console-shutdown"
                            onclick={with_session(|s, _| s.shutdown())}>{ t.half_close }</button>
                    }
                </form>
            }
            <ol class="timeline" aria-live="polite" data-testid="timeline">
                { for log.entries.iter().map(|entry| timeline_entry(*lang, entry)) }
            </ol>
            if stream {
                if let Some(info) = &log.info {
                    <dl class="tcp-info" data-testid="tcp-info">
                        <div><dt>{ "state" }</dt><dd>{ info.state.as_str() }</dd></div>
                        <div><dt>{ "rtt" }</dt><dd data-testid="rtt">{ format!("{} µs", info.rtt_us) }</dd></div>
                        <div><dt>{ "rttvar" }</dt><dd>{ format!("{} µs", info.rttvar_us) }</dd></div>
                        <div><dt>{ "cwnd" }</dt><dd>{ format!("{} {}", info.snd_cwnd, t.segments) }</dd></div>
                        <div><dt>{ "mss" }</dt><dd>{ format!("{} / {}", info.snd_mss, info.rcv_mss) }</dd></div>
                        <div><dt>{ t.retransmits }</dt><dd>{ format!("{} ({})", info.retransmits, info.total_retrans) }</dd></div>
                        <div><dt>{ t.unacked }</dt><dd>{ info.unacked }</dd></div>
                    </dl>
                    <p class="note">{ t.tcp_info_note }</p>
                    if info.state == TcpState::Closed && log.peer_closed {
                        <p class="note" data-testid="tcp-info-closed">{ t.tcp_info_closed }</p>
                    }
                }
            }
            if endpoint != Endpoint::HttpDemo {
                <tap::TapPanel lang={*lang} {endpoint} connected={connected} />
            }
        </figure>
    }
}

/// One timeline line: when, what, and for reads the exact bytes.
fn timeline_entry(lang: Lang, entry: &Entry) -> Html {
    let t = i18n::labs(lang);
    let time =
        entry.at_us.map(|us| format!("{:>4}.{:03} ms", us / 1000, us % 1000)).unwrap_or_default();
    let (class, text) = match &entry.what {
        What::Opened { connect_us } => ("opened", (t.opened)(connect_us / 1000, connect_us % 1000)),
        What::Wrote(len) => ("wrote", format!("write() → {len} {}", t.bytes_word)),
        What::Read(data) => {
            ("read", format!("read() → {} {}: {}", data.len(), t.bytes_word, shown(data)))
        }
        What::Datagram(data) => {
            ("read", format!("recv() → {} {}: {}", data.len(), t.bytes_word, shown(data)))
        }
        What::Fin => ("fin", t.got_fin.to_string()),
        What::Rst => ("rst", t.got_rst.to_string()),
        What::ShutDown => ("shutdown", t.sent_fin.to_string()),
        What::NoDelay(on) => ("note", if *on { t.nagle_off } else { t.nagle_on }.to_string()),
        What::Error(message) => ("error", message.clone()),
        What::Lost(reason) => ("error", format!("{}: {reason}", t.disconnected)),
    };
    html! { <li class={class}><span class="time">{ time }</span>{ " " }{ text }</li> }
}

/// Bytes as text where printable, escaped where not: exactly what was read.
fn shown(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    text.chars()
        .map(|c| match c {
            '\r' => "\\r".to_string(),
            '\n' => "\\n".to_string(),
            c if c.is_control() => format!("\\x{:02x}", c as u32),
            c => c.to_string(),
        })
        .collect()
}
