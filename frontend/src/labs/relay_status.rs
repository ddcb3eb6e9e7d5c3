//! The page's line to the relay, said plainly where a live lab is: connected, connecting, or
//! unreachable with the reason and when the next attempt comes.

use yew::prelude::*;

use crate::i18n::{self, Lang};
use crate::relay::Status;

#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    pub lang: Lang,
    pub status: Status,
}

#[function_component]
pub fn RelayStatus(Props { lang, status }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let (class, text) = match status {
        Status::Idle | Status::Connecting => ("connecting", t.connecting.to_string()),
        Status::Reconnecting { attempt } => ("connecting", (t.reconnecting)(*attempt)),
        Status::Connected => ("connected", t.relay_connected.to_string()),
        Status::Unreachable { reason, retry_in_s } => (
            "disconnected",
            format!("{}: {reason} — {}", t.disconnected, (t.retrying)(*retry_in_s)),
        ),
    };
    html! {
        <p class={classes!("relay-status", class)} role="status" data-testid="relay-status">
            <span class="dot" aria-hidden="true"></span>{ text }
        </p>
    }
}
