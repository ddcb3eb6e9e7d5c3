//! The sticky-packet lab (粘包): the messages a sender wrote, the byte stream TCP made of them,
//! where the stack cut it into segments and the receiver into `recv()` chunks — and, with a
//! framing scheme, the receiver's decoder getting the messages back, chunk by chunk.
//!
//! All of it is read off a real run ([`model`]); "try it for real" sends the same bytes through
//! the relay's echo server and shows where a real kernel cut them.

pub mod model;
mod real;
mod stream;

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use self::model::{Framing, Settings, StickyRun};
use crate::i18n::{self, Lang};
use crate::labs::deep_link::{self, Params};

/// The lab as a chapter embeds it: any of [`Settings`]' fields (the messages, their timing,
/// Nagle, MSS, the receiver's reads, the framing; the rest keep their defaults), and which
/// parts to show.
///
/// ```toml
/// lab = "sticky"
/// messages = ["hello", "how are you?", "bye"]
/// framing = "length_prefix"
/// show = ["framing", "udp", "real"]
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub messages: Option<Vec<String>>,
    pub gap_ms: Option<u64>,
    pub nagle: Option<bool>,
    pub mss: Option<usize>,
    pub recv_size: Option<usize>,
    pub read_start_ms: Option<u64>,
    pub read_interval_ms: Option<u64>,
    pub framing: Option<Framing>,
    /// Optional parts: the framing picker, the UDP contrast, "try it for real". Default: all.
    pub show: Option<Vec<Part>>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Framing,
    Udp,
    Real,
}

impl Spec {
    pub fn settings(&self) -> Result<Settings, String> {
        let mut settings = Settings::default();
        // Each field the spec gives replaces the default.
        macro_rules! take {
            ($($field:ident),*) => { $(if let Some(v) = self.$field.clone() { settings.$field = v; })* };
        }
        take!(messages, gap_ms, nagle, mss, recv_size, read_start_ms, read_interval_ms, framing);
        check(&settings)?;
        Ok(settings)
    }

    fn shows(&self, part: Part) -> bool {
        self.show.as_ref().is_none_or(|parts| parts.contains(&part))
    }
}

/// Limits that keep the lab readable and the run small.
fn check(settings: &Settings) -> Result<(), String> {
    if settings.messages.is_empty() || settings.messages.len() > 8 {
        return Err("between 1 and 8 messages".into());
    }
    if settings.messages.iter().any(|m| m.is_empty() || m.len() > 200) {
        return Err("each message 1 to 200 bytes".into());
    }
    if !(16..=1460).contains(&settings.mss) || !(1..=4096).contains(&settings.recv_size) {
        return Err(
            "mss 16–1460 (smaller cannot carry a SYN with its options), recv_size 1–4096".into()
        );
    }
    Ok(())
}

/// What the lab is given: its place on the page and its spec.
pub type Props = super::Props<Spec>;

#[derive(Debug, Clone, PartialEq)]
struct State {
    settings: Settings,
    run: Result<Rc<StickyRun>, String>,
    touched: bool,
}

impl State {
    fn new(settings: Settings) -> State {
        State { run: StickyRun::new(&settings).map(Rc::new), settings, touched: false }
    }

    fn params(&self) -> Params {
        let s = &self.settings;
        let mut params = Params::new();
        for message in &s.messages {
            params.push("m", message);
        }
        params.push("gap", s.gap_ms);
        params.push("nagle", u8::from(s.nagle));
        params.push("mss", s.mss);
        params.push("recv", s.recv_size);
        params.push("start", s.read_start_ms);
        params.push("every", s.read_interval_ms);
        params.push("framing", s.framing.name());
        params
    }

    fn restored(&self, params: &Params) -> Settings {
        let mut s = self.settings.clone();
        let messages: Vec<String> = params.all("m").map(str::to_string).collect();
        if !messages.is_empty() {
            s.messages = messages;
        }
        s.gap_ms = params.parsed("gap").unwrap_or(s.gap_ms);
        s.nagle = params.parsed::<u8>("nagle").map_or(s.nagle, |n| n == 1);
        s.mss = params.parsed("mss").unwrap_or(s.mss);
        s.recv_size = params.parsed("recv").unwrap_or(s.recv_size);
        s.read_start_ms = params.parsed("start").unwrap_or(s.read_start_ms);
        s.read_interval_ms = params.parsed("every").unwrap_or(s.read_interval_ms);
        s.framing = params.get("framing").and_then(Framing::from_name).unwrap_or(s.framing);
        if check(&s).is_ok() { s } else { self.settings.clone() }
    }
}

impl Reducible for State {
    type Action = Settings;

    fn reduce(self: Rc<Self>, settings: Settings) -> Rc<Self> {
        if check(&settings).is_err() {
            return self;
        }
        let mut next = State::new(settings);
        next.touched = true;
        Rc::new(next)
    }
}

fn input_value(event: &Event) -> String {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

#[function_component]
pub fn StickyLab(Props { lang, id, spec, .. }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let initial = spec.settings().unwrap_or_default();
    let state = use_reducer(move || State::new(initial));
    {
        let (state, id) = (state.clone(), id.clone());
        use_effect_with((), move |_| {
            if let Some(params) = deep_link::read(&id) {
                let settings = state.restored(&params);
                state.dispatch(settings);
            }
        });
    }
    deep_link::use_deep_link(id, state.params(), state.touched);
    let settings = &state.settings;
    // A change to one setting: dispatch the settings with it.
    let change = |apply: fn(&mut Settings, String)| {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let mut settings = state.settings.clone();
            apply(&mut settings, input_value(&event));
            state.dispatch(settings);
        })
    };
    let message_field = |n: usize| {
        let state = state.clone();
        let onchange = Callback::from(move |event: Event| {
            let mut settings = state.settings.clone();
            settings.messages[n] = input_value(&event);
            state.dispatch(settings);
        });
        html! {
            <label class="field message-field">
                <span>{ (t.message_n)(n + 1) }</span>
                <input type="text" value={settings.messages[n].clone()} maxlength="200" {onchange} data-testid={format!("message-{}", n + 1)} />
            </label>
        }
    };
    let add = {
        let state = state.clone();
        Callback::from(move |_| {
            let mut settings = state.settings.clone();
            settings.messages.push(format!("message {}", settings.messages.len() + 1));
            state.dispatch(settings);
        })
    };
    let remove = {
        let state = state.clone();
        Callback::from(move |_| {
            let mut settings = state.settings.clone();
            settings.messages.pop();
            state.dispatch(settings);
        })
    };
    let number = |label: &'static str,
                  name: &'static str,
                  value: String,
                  min: &'static str,
                  max: &'static str,
                  on: Callback<Event>| {
        html! {
            <label class="field"><span>{ label }</span>
                <input type="number" {name} {value} {min} {max} onchange={on} data-testid={name} /></label>
        }
    };
    let framing_select = spec.shows(Part::Framing).then(|| {
        let state = state.clone();
        let onchange = Callback::from(move |event: Event| {
            let value = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
            if let Some(framing) = Framing::from_name(&value) {
                let mut settings = state.settings.clone();
                settings.framing = framing;
                state.dispatch(settings);
            }
        });
        html! {
            <label class="field"><span>{ t.framing }</span>
                <select {onchange} data-testid="framing">
                    { for Framing::ALL.iter().map(|f| html! { <option value={f.name()} selected={*f == settings.framing}>{ (t.framing_name)(*f) }</option> }) }
                </select>
            </label>
        }
    });
    html! {
        <figure class="widget lab-sticky">
            <figcaption>{ t.sticky_caption }</figcaption>
            <div class="lab-toolbar">
                <fieldset class="wire-settings messages">
                    <legend>{ t.sender }</legend>
                    { for (0..settings.messages.len()).map(message_field) }
                    <span class="message-buttons">
                        <button type="button" onclick={add} disabled={settings.messages.len() >= 8}>{ t.add_message }</button>
                        <button type="button" onclick={remove} disabled={settings.messages.len() <= 1}>{ t.remove_message }</button>
                    </span>
                    { number(t.gap, "gap", settings.gap_ms.to_string(), "0", "1000", change(|s, v| s.gap_ms = v.parse().unwrap_or(s.gap_ms))) }
                    <label class="field checkbox"><span>{ "Nagle" }</span>
                        <input type="checkbox" checked={settings.nagle} data-testid="nagle"
                            onchange={{ let state = state.clone(); Callback::from(move |_| { let mut s = state.settings.clone(); s.nagle = !s.nagle; state.dispatch(s); }) }} /></label>
                    { number("MSS", "mss", settings.mss.to_string(), "16", "1460", change(|s, v| s.mss = v.parse().unwrap_or(s.mss))) }
                    { framing_select }
                </fieldset>
                <fieldset class="wire-settings">
                    <legend>{ t.receiver }</legend>
                    { number("recv()", "recv", settings.recv_size.to_string(), "1", "4096", change(|s, v| s.recv_size = v.parse().unwrap_or(s.recv_size))) }
                    { number(t.read_start, "start", settings.read_start_ms.to_string(), "0", "5000", change(|s, v| s.read_start_ms = v.parse().unwrap_or(s.read_start_ms))) }
                    { number(t.read_every, "every", settings.read_interval_ms.to_string(), "0", "1000", change(|s, v| s.read_interval_ms = v.parse().unwrap_or(s.read_interval_ms))) }
                </fieldset>
            </div>
            {
                match &state.run {
                    Ok(run) => html! {
                        <>
                            <p class="narration" aria-live="polite" data-testid="sticky-narration">{ summary(*lang, &state.settings, run) }</p>
                            <stream::Stream lang={*lang} run={run.clone()} settings={Rc::new(state.settings.clone())} />
                        </>
                    },
                    Err(problem) => html! { <p class="lab-problem" role="alert">{ problem }</p> },
                }
            }
            if spec.shows(Part::Udp) {
                <stream::UdpContrast lang={*lang} settings={Rc::new(state.settings.clone())} />
            }
            if spec.shows(Part::Real) {
                <real::TryItForReal lang={*lang} settings={Rc::new(state.settings.clone())} />
            }
        </figure>
    }
}

/// One sentence: how many messages, segments and reads, and what the reads got.
fn summary(lang: Lang, settings: &Settings, run: &StickyRun) -> String {
    let t = i18n::labs(lang);
    let per_recv = run.map.messages_per_recv();
    let stuck = per_recv.iter().filter(|m| m.len() > 1).count();
    let split = (0..settings.messages.len())
        .filter(|n| per_recv.iter().filter(|m| m.contains(n)).count() > 1)
        .count();
    (t.sticky_summary)(
        settings.messages.len(),
        run.map.segments.len(),
        run.chunks.len(),
        stuck,
        split,
    )
}
