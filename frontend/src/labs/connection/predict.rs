//! Predict mode: before a step sends a segment, the reader says what it will be — its flags,
//! and if they like its sequence and acknowledgment numbers — then the step reveals it. Each
//! guess is scored and kept with the chapter's progress.

use std::rc::Rc;

use sim::EventKind;
use sim::trace::{Flags, Numbering};
use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use super::model::Run;
use crate::i18n::{self, Lang};
use crate::labs::progress::{self, Score};

#[derive(Properties, PartialEq, Debug)]
pub(super) struct PredictProps {
    pub lang: Lang,
    pub run: Rc<Run>,
    /// The packet the next step sends, if it sends one.
    pub next: Option<usize>,
    pub numbering: Numbering,
    /// The last guess: right or not, and what was really sent.
    pub verdict: Option<(bool, String)>,
    pub score_key: AttrValue,
    pub on_guess: Callback<(bool, String, Score)>,
}

/// The flags a reader can tick, in the order Wireshark lists them.
const FLAGS: [&str; 5] = ["SYN", "ACK", "FIN", "RST", "PSH"];

fn flag(flags: Flags, name: &str) -> bool {
    match name {
        "SYN" => flags.syn,
        "ACK" => flags.ack,
        "FIN" => flags.fin,
        "RST" => flags.rst,
        _ => flags.psh,
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Guess {
    flags: [bool; 5],
    seq: String,
    ack: String,
}

#[function_component]
pub(super) fn Predict(props: &PredictProps) -> Html {
    let PredictProps { lang, run, next, numbering, verdict, score_key, on_guess } = props;
    let t = i18n::labs(*lang);
    let guess = use_state(Guess::default);
    let verdict = verdict.as_ref().map(|(right, actual)| {
        let (class, text) = if *right { ("right", t.guess_right) } else { ("wrong", t.guess_wrong) };
        html! { <p class={classes!("verdict", class)} data-testid="verdict">{ text }{ " " }<code>{ actual }</code></p> }
    });
    let Some(index) = *next else {
        return html! { <div class="predict">{ verdict }</div> };
    };
    let EventKind::Packet { from, packet, .. } = &run.trace[index].kind else {
        return Html::default();
    };
    let segment = packet.tcp().cloned();
    let onsubmit = {
        let (guess, on_guess, score_key, numbering) =
            (guess.clone(), on_guess.clone(), score_key.clone(), *numbering);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (actual, right) = match &segment {
                Some(segment) => {
                    let (seq, ack) = segment.seq_ack(numbering);
                    let flags_right = FLAGS
                        .iter()
                        .zip(guess.flags)
                        .all(|(name, on)| flag(segment.flags, name) == on);
                    let seq_right =
                        guess.seq.trim().is_empty() || guess.seq.trim().parse() == Ok(seq);
                    let ack_right =
                        guess.ack.trim().is_empty() || guess.ack.trim().parse::<u32>().ok() == ack;
                    (segment.summary(numbering), flags_right && seq_right && ack_right)
                }
                // A UDP datagram has no flags: guessing none is right.
                None => ("UDP".to_string(), guess.flags.iter().all(|on| !on)),
            };
            let score = progress::record(&score_key, right);
            guess.set(Guess::default());
            on_guess.emit((right, actual, score));
        })
    };
    let toggle = |n: usize| {
        let guess = guess.clone();
        Callback::from(move |_| {
            let mut next = (*guess).clone();
            next.flags[n] = !next.flags[n];
            guess.set(next);
        })
    };
    let text = |set: fn(&mut Guess, String)| {
        let guess = guess.clone();
        Callback::from(move |event: InputEvent| {
            let value = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            let mut next = (*guess).clone();
            set(&mut next, value);
            guess.set(next);
        })
    };
    html! {
        <form class="predict" {onsubmit} data-testid="predict">
            { verdict }
            <fieldset>
                <legend>{ (t.predict_prompt)(*from) }</legend>
                { for FLAGS.iter().enumerate().map(|(n, name)| html! {
                    <label class="flag"><input type="checkbox" checked={guess.flags[n]} onchange={toggle(n)} />{ " " }{ *name }</label>
                }) }
                <label class="field"><span>{ "seq" }</span>
                    <input type="text" inputmode="numeric" size="10" value={guess.seq.clone()} placeholder={t.optional} oninput={text(|g, v| g.seq = v)} /></label>
                <label class="field"><span>{ "ack" }</span>
                    <input type="text" inputmode="numeric" size="10" value={guess.ack.clone()} placeholder={t.optional} oninput={text(|g, v| g.ack = v)} /></label>
                <button type="submit" class="primary" data-testid="reveal">{ t.reveal }</button>
            </fieldset>
        </form>
    }
}
