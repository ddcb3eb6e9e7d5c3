//! The live tap: what the echo endpoint does for every client — including the learner's own
//! script, whose exact command is printed here, with the relay's real address in it.

use std::rc::Rc;

use wire::{Endpoint, TapEvent, TapKind};
use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::relay::{Relay, TapUpdate, Watch};

#[derive(Properties, PartialEq, Debug)]
pub(super) struct TapProps {
    pub lang: Lang,
    pub endpoint: Endpoint,
    pub connected: bool,
}

/// The command a learner runs in a terminal to talk to the echo port.
pub(super) fn python_command(endpoint: Endpoint, address: &str) -> String {
    let (host, port) = address.rsplit_once(':').unwrap_or((address, "7007"));
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match endpoint {
        Endpoint::UdpEcho => format!(
            "python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3); s.sendto(b\"hello from my script\", (\"{host}\", {port})); print(s.recvfrom(2048)[0]); s.close()'"
        ),
        _ => format!(
            "python3 -c 'import socket; s = socket.create_connection((\"{host}\", {port}), timeout=3); s.sendall(b\"hello from my script\"); print(s.recv(1024)); s.close()'"
        ),
    }
}

/// Keeps the list short on a busy classroom relay.
const MAX_EVENTS: usize = 100;

#[function_component]
pub(super) fn TapPanel(TapProps { lang, endpoint, connected }: &TapProps) -> Html {
    let t = i18n::labs(*lang);
    let watching = use_state(|| false);
    let events = use_state(Vec::<TapEvent>::new);
    let disabled = use_state(|| None::<String>);
    // The watch lives as long as the reader keeps the tap on (and the relay is there).
    {
        let (events, disabled, watching) = (events.clone(), disabled.clone(), *watching);
        let endpoint = *endpoint;
        use_effect_with((watching, *connected), move |&(watching, connected)| {
            let watch: Option<Watch> = (watching && connected).then(|| {
                let list = Rc::new(std::cell::RefCell::new(Vec::new()));
                Relay::get().watch_tap(Callback::from(move |update| match update {
                    TapUpdate::Event(event) if event.endpoint == endpoint => {
                        let mut all = list.borrow_mut();
                        all.push(event);
                        let excess = all.len().saturating_sub(MAX_EVENTS);
                        all.drain(..excess);
                        events.set(all.clone());
                    }
                    TapUpdate::Disabled(message) => disabled.set(Some(message)),
                    TapUpdate::Event(_) | TapUpdate::Lagged(_) => {}
                }))
            });
            move || drop(watch)
        });
    }
    // Where the endpoint listens is known once the relay has said hello (and never while the
    // book renders the page: there is no relay then).
    let address = use_state(|| None::<String>);
    {
        let (address, endpoint) = (address.clone(), *endpoint);
        use_effect_with((endpoint, *connected), move |_| {
            address.set(Relay::get().address(endpoint));
        });
    }
    let command = address.as_deref().map(|a| python_command(*endpoint, a));
    html! {
        <section class="tap" aria-label={t.tap_title}>
            <h4>{ t.tap_title }</h4>
            <p class="note">{ t.tap_note }</p>
            if let Some(command) = command {
                <pre class="code" data-lang="sh"><code data-testid="tap-command">{ command }</code></pre>
            }
            <button type="button" aria-pressed={watching.to_string()} disabled={!connected} data-testid="tap-toggle"
                onclick={{ let watching = watching.clone(); Callback::from(move |_| watching.set(!*watching)) }}>
                { if *watching { t.tap_stop } else { t.tap_start } }
            </button>
            if let Some(message) = &*disabled {
                <p class="lab-problem" role="alert">{ message }</p>
            }
            <ol class="timeline tap-events" aria-live="polite" data-testid="tap-events">
                { for events.iter().map(|event| {
                    let what = match &event.kind {
                        TapKind::Accepted => t.tap_accepted.to_string(),
                        TapKind::Read { len, data } => format!("read() → {len} {}: {}", t.bytes_word, String::from_utf8_lossy(data.as_bytes())),
                        TapKind::Wrote { len } => format!("write() → {len} {}", t.bytes_word),
                        TapKind::Closed => t.tap_closed.to_string(),
                        TapKind::Ended { reason } => format!("{}: {reason}", t.tap_ended),
                    };
                    html! { <li><span class="peer">{ &event.peer }</span>{ " " }{ what }</li> }
                }) }
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_printed_command_names_the_relays_real_address() {
        let tcp = python_command(Endpoint::TcpEcho, "127.0.0.1:40123");
        assert!(tcp.contains(r#"create_connection(("127.0.0.1", 40123)"#), "{tcp}");
        let udp = python_command(Endpoint::UdpEcho, "[::1]:7007");
        assert!(udp.contains(r#"("::1", 7007)"#), "{udp}");
    }
}
