//! The echo lab: type a message, the relay writes it into a real TCP socket connected to its
//! echo server, and every `read()` the relay made on that socket is listed — so the reader sees
//! the real chunk boundaries, not the message they typed.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use wire::{Endpoint, ServerMsg};
use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::relay::{Session, SessionEvent, Status, use_relay_status};

#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    pub lang: Lang,
}

/// One line in the lab's log.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    class: &'static str,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Log {
    /// `connect()`'s duration, once the session is open.
    connect_us: Option<u64>,
    entries: Vec<Entry>,
}

/// Keeps the log from growing without bound on a page left open for hours.
const MAX_LOG: usize = 200;

impl Reducible for Log {
    type Action = SessionEvent;

    fn reduce(self: Rc<Self>, event: SessionEvent) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut log = |class, text| next.entries.push(Entry { class, text });
        match event {
            SessionEvent::Msg(ServerMsg::Opened { connect_us, .. }) => {
                next.connect_us = Some(connect_us)
            }
            SessionEvent::Msg(ServerMsg::Wrote { len, at_us, .. }) => {
                log("wrote", format!("{} write({len} bytes)", ms(at_us)))
            }
            SessionEvent::Msg(ServerMsg::Read { len, at_us, data, .. }) => log(
                "read",
                format!(
                    "{} read() → {len} bytes: {}",
                    ms(at_us),
                    String::from_utf8_lossy(data.as_bytes())
                ),
            ),
            SessionEvent::Msg(ServerMsg::PeerClosed { at_us, .. }) => {
                log("peer-closed", format!("{} read() → 0: FIN", ms(at_us)))
            }
            SessionEvent::Msg(ServerMsg::PeerReset { at_us, .. }) => {
                log("error", format!("{} read() → connection reset (RST)", ms(at_us)))
            }
            SessionEvent::Msg(ServerMsg::Error { code, message, .. }) => {
                log("error", format!("{}: {message}", code.as_str()))
            }
            SessionEvent::Lost(reason) => {
                next.connect_us = None;
                log("error", reason);
            }
            // This lab never asks for anything else.
            SessionEvent::Msg(_) => {}
        }
        let excess = next.entries.len().saturating_sub(MAX_LOG);
        next.entries.drain(..excess);
        Rc::new(next)
    }
}

fn ms(us: u64) -> String {
    format!("{:>4}.{:03} ms", us / 1000, us % 1000)
}

#[function_component]
pub fn Echo(Props { lang }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let status = use_relay_status();
    let log = use_reducer(Log::default);
    let session: Rc<RefCell<Option<Session>>> = use_mut_ref(|| None);
    let input = use_node_ref();

    // A session to the echo endpoint while the relay is reachable; the relay's reconnection
    // brings a new one.
    {
        let (session, log) = (session.clone(), log.clone());
        use_effect_with(status.clone(), move |status| {
            if *status == Status::Connected && session.borrow().is_none() {
                let on_event = Callback::from(move |event| log.dispatch(event));
                *session.borrow_mut() = Session::open(Endpoint::TcpEcho, on_event).ok();
            } else if *status != Status::Connected {
                session.borrow_mut().take();
            }
        });
    }
    {
        let session = session.clone();
        use_effect_with((), move |_| move || drop(session.borrow_mut().take()));
    }

    let send = {
        let (session, input) = (session.clone(), input.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            let text = field.value();
            if text.is_empty() {
                return;
            }
            if let Some(session) = session.borrow().as_ref() {
                session.send(text.into_bytes());
                field.set_value("");
            }
        })
    };

    let ready = status == Status::Connected && log.connect_us.is_some();
    let (status_class, status_text) = match (&status, log.connect_us) {
        (Status::Connected, Some(us)) => {
            ("connected", format!("{} · connect() {}", t.connected, ms(us).trim_start()))
        }
        (Status::Unreachable { reason, retry_in_s }, _) => (
            "disconnected",
            format!("{}: {reason} ({})", t.disconnected, (t.retrying)(*retry_in_s)),
        ),
        _ => ("connecting", t.connecting.to_string()),
    };
    html! {
        <figure class="widget echo">
            <figcaption>{ t.echo_caption }</figcaption>
            <p class={classes!("status", status_class)} data-testid="echo-status" role="status">{ status_text }</p>
            <form onsubmit={send}>
                <input ref={input} type="text" maxlength="4096" placeholder={t.placeholder_message}
                    aria-label={t.placeholder_message} disabled={!ready} data-testid="echo-input" />
                <button type="submit" class="primary" disabled={!ready} data-testid="echo-send">{ t.send }</button>
            </form>
            <ol class="echo-log" data-testid="echo-log" aria-live="polite">
                { for log.entries.iter().map(|e| html! { <li class={e.class}>{ &e.text }</li> }) }
            </ol>
        </figure>
    }
}
