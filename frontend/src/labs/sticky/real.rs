//! "Try it for real": the same framed writes, back to back, through the relay into its echo
//! server, with Nagle on or off as set — and the `read()` chunks the relay's kernel really
//! returned for the echo, beside the simulated ones, decoded the same way.

use std::cell::RefCell;
use std::rc::Rc;

use wire::{Endpoint, ServerMsg};
use yew::prelude::*;

use super::model::{Settings, StickyRun, decode};
use super::stream::waiting;
use crate::i18n::{self, Lang};
use crate::relay::{Relay, Session, SessionEvent, Status};

#[derive(Properties, PartialEq, Debug)]
pub(super) struct RealProps {
    pub lang: Lang,
    pub settings: Rc<Settings>,
}

#[derive(Debug, Clone, PartialEq, Default)]
enum Trial {
    #[default]
    NotYet,
    /// Waiting for the relay, the session or the echo.
    Running,
    /// The reads, and how many bytes were sent.
    Done {
        reads: Vec<Vec<u8>>,
        sent: usize,
    },
    Failed(String),
}

#[function_component]
pub(super) fn TryItForReal(RealProps { lang, settings }: &RealProps) -> Html {
    let t = i18n::labs(*lang);
    let trial = use_state(Trial::default);
    // The session, held while a trial runs.
    let held: Rc<RefCell<Option<Session>>> = use_mut_ref(Default::default);
    // A new setting makes the last result stale.
    {
        let (trial, held) = (trial.clone(), held.clone());
        use_effect_with(settings.clone(), move |_| {
            held.borrow_mut().take();
            trial.set(Trial::NotYet);
        });
    }

    let start = {
        let (trial, held, settings) = (trial.clone(), held.clone(), settings.clone());
        Callback::from(move |_| {
            let Ok(run) = StickyRun::new(&settings) else { return };
            let writes = run.framed.clone();
            let sent: usize = writes.iter().map(Vec::len).sum();
            let reads: Rc<RefCell<Vec<Vec<u8>>>> = Rc::default();
            let (slot, done) = (held.clone(), trial.clone());
            let on_event = Callback::from(move |event| match event {
                SessionEvent::Msg(ServerMsg::Read { data, .. }) => {
                    reads.borrow_mut().push(data.into_bytes());
                    let got: usize = reads.borrow().iter().map(Vec::len).sum();
                    if got >= sent {
                        done.set(Trial::Done { reads: reads.borrow().clone(), sent });
                        slot.borrow_mut().take();
                    }
                }
                SessionEvent::Msg(ServerMsg::Error { message, .. })
                | SessionEvent::Lost(message) => {
                    done.set(Trial::Failed(message));
                    slot.borrow_mut().take();
                }
                SessionEvent::Msg(_) => {}
            });
            // The session holds the writes until the relay has opened the socket.
            match Session::open(Endpoint::TcpEcho, on_event) {
                Ok(session) => {
                    session.set_nodelay(!settings.nagle);
                    session.send_batch(writes);
                    *held.borrow_mut() = Some(session);
                    trial.set(Trial::Running);
                }
                Err(_) => trial.set(Trial::Failed(match Relay::get().status() {
                    Status::Unreachable { reason, .. } => reason,
                    _ => String::new(),
                })),
            }
        })
    };

    let result = match &*trial {
        Trial::NotYet => html! {},
        Trial::Running => html! { <p class="status connecting" role="status">{ t.connecting }</p> },
        Trial::Failed(reason) => html! {
            <p class="status disconnected" role="alert" data-testid="real-failed">{ (t.relay_unreachable)(reason) }</p>
        },
        Trial::Done { reads, sent } => {
            let scheme = settings.framing.scheme(&settings.messages);
            let decoded = scheme.map(|s| decode(&s, reads)).unwrap_or_default();
            html! {
                <>
                    <p class="status connected" role="status">{ (t.real_summary)(*sent, reads.len()) }</p>
                    <ol class="received real" data-testid="real-reads">
                        { for reads.iter().enumerate().map(|(k, read)| html! {
                            <li>
                                <code class="chunk">{ format!("read() → {} {}", read.len(), t.bytes_word) }</code>{ " " }
                                <code>{ shown(read) }</code>
                                if let Some(d) = decoded.get(k) {
                                    <div class="decoded">
                                        { for d.frames.iter().map(|f| html! { <span class="frame">{ "✓ " }{ String::from_utf8_lossy(&f.message.body).trim_end().to_string() }</span> }) }
                                        <span class="waiting">{ waiting(*lang, d.progress) }</span>
                                    </div>
                                }
                            </li>
                        }) }
                    </ol>
                </>
            }
        }
    };
    let busy = *trial == Trial::Running;
    html! {
        <section class="real-trial" aria-label={t.real_title}>
            <h4>{ t.real_title }</h4>
            <p class="note">{ t.real_note }</p>
            <button type="button" onclick={start} disabled={busy} data-testid="try-real">{ t.real_button }</button>
            <div aria-live="polite">{ result }</div>
        </section>
    }
}

/// Bytes as text where they are printable ASCII, `\x05` where not: exactly what came back.
fn shown(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) { (b as char).to_string() } else { format!("\\x{b:02x}") }
        })
        .collect()
}
