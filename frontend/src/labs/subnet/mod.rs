//! The IP and subnet calculator: an address with a prefix or a mask, taken apart as it is typed —
//! its class and kind, network, broadcast, host range and count, and its bits, with the prefix
//! marked. The arithmetic is [`model`] (on `ipnet`); nothing here needs the relay.

pub mod model;

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use self::model::{Analysis, analyse};
use crate::i18n::{self, Lang};
use crate::labs::deep_link::{self, Params};

/// The lab as a chapter embeds it:
///
/// ```toml
/// lab = "subnet"
/// address = "192.168.1.10/24"   # what the field holds at first
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Spec {
    pub address: String,
}

impl Default for Spec {
    fn default() -> Self {
        Spec { address: "192.168.1.10/24".into() }
    }
}

impl Spec {
    pub fn check(&self) -> Result<(), String> {
        analyse(&self.address).map(drop).map_err(|e| format!("address = {:?}: {e:?}", self.address))
    }
}

/// What the lab is given: its place on the page and its spec.
pub type Props = super::Props<Spec>;

#[function_component]
pub fn SubnetLab(Props { lang, id, spec, .. }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let input = use_state(|| spec.address.clone());
    let touched = use_state(|| false);
    {
        let (input, id) = (input.clone(), id.clone());
        use_effect_with((), move |_| {
            if let Some(address) = deep_link::read(&id).and_then(|p| p.get("a").map(str::to_string))
            {
                input.set(address);
            }
        });
    }
    let mut link = Params::new();
    link.push("a", &*input);
    deep_link::use_deep_link(id, link, *touched);
    let oninput = {
        let (input, touched) = (input.clone(), touched.clone());
        Callback::from(move |event: InputEvent| {
            if let Some(field) =
                event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                input.set(field.value());
                touched.set(true);
            }
        })
    };
    let field_id = format!("{id}-address");
    // One short line is spoken after each change; the table below is there to be read.
    let (narration, result) = match analyse(&input) {
        Ok(a) => (
            html! { <p class="narration" data-testid="subnet-summary">{
                format!("{}/{}: {}, {}", a.network, a.prefix, (t.kind_name)(a.kind), (t.host_count)(a.hosts, a.prefix))
            }</p> },
            view(*lang, &a),
        ),
        Err(error) => (
            html! { <p class="lab-problem" data-testid="subnet-error">{ (t.subnet_error)(&error) }</p> },
            html! {},
        ),
    };
    html! {
        <figure class="widget lab-subnet">
            <figcaption>{ t.subnet_caption }</figcaption>
            <label class="field subnet-input" for={field_id.clone()}>
                <span>{ t.subnet_input }</span>
                <input id={field_id} type="text" value={(*input).clone()} {oninput} spellcheck="false"
                    autocomplete="off" inputmode="decimal" data-testid="subnet-input" />
            </label>
            <div aria-live="polite">{ narration }</div>
            { result }
        </figure>
    }
}

fn view(lang: Lang, a: &Analysis) -> Html {
    let t = i18n::labs(lang);
    let row = |label: &'static str, value: String, test: &'static str| {
        html! {
            <tr><th scope="row">{ label }</th><td data-testid={test}><code>{ value }</code></td></tr>
        }
    };
    let broadcast = a.broadcast.map_or_else(|| t.no_broadcast.to_string(), |b| b.to_string());
    html! {
        <>
            <table class="subnet-table">
                <tbody>
                    { row(t.subnet_class, (t.class_name)(a.class).to_string(), "class") }
                    { row(t.subnet_kind, (t.kind_name)(a.kind), "kind") }
                    { row(t.subnet_mask, format!("{} (/{})", a.mask, a.prefix), "mask") }
                    { row(t.subnet_network, format!("{}/{}", a.network, a.prefix), "network") }
                    { row(t.subnet_broadcast, broadcast, "broadcast") }
                    { row(t.subnet_hosts, format!("{} – {}", a.first, a.last), "range") }
                    { row(t.subnet_count, (t.host_count)(a.hosts, a.prefix), "count") }
                </tbody>
            </table>
            <div class="bits" role="img" aria-label={(t.bits_label)(a.prefix)}>
                { bits(t.subnet_address, a.address, a.prefix) }
                { bits(t.subnet_mask, a.mask, a.prefix) }
                { bits(t.subnet_network, a.network, a.prefix) }
                <div class="bits-legend" aria-hidden="true">
                    <span class="bit bit-net">{ "1" }</span>{ " " }{ (t.prefix_bits)(a.prefix) }{ "  " }
                    <span class="bit bit-host">{ "0" }</span>{ " " }{ (t.host_bits)(32 - a.prefix) }
                </div>
            </div>
        </>
    }
}

/// An address's 32 bits, by octet, the first `prefix` marked as the network's.
fn bits(label: &'static str, address: Ipv4Addr, prefix: u8) -> Html {
    let value = u32::from(address);
    html! {
        <div class="bits-row">
            <span class="bits-label">{ label }</span>
            { for (0..4).map(|octet| html! {
                <span class="octet">
                    { for (0..8).map(|bit| {
                        let n = octet * 8 + bit;
                        let one = value & (1 << (31 - n)) != 0;
                        let class = if n < u32::from(prefix) { "bit-net" } else { "bit-host" };
                        html! { <span class={classes!("bit", class)}>{ if one { "1" } else { "0" } }</span> }
                    }) }
                </span>
            }) }
        </div>
    }
}
