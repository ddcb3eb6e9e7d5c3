//! The connection lab: a ladder diagram of a real run — every arrow a segment smoltcp sent,
//! every label a state its sockets entered — stepped by the reader, one moment at a time.
//!
//! - [`model`]: the run (computed once per settings), its steps and its layout in time;
//! - [`ladder`]: the SVG, rendered for a window around the current step only;
//! - [`packet`]: one packet's headers, field by field, over its bytes;
//! - [`predict`]: predict mode, where the reader guesses each segment before it is revealed.
//!
//! The reader can pick any scenario, change the seed and the wire (loss, delay, jitter, MTU),
//! drop a chosen packet and run the same seed again, and download the run as a pcap. The whole
//! state is kept in the page's address ([`super::deep_link`]).

mod ladder;
pub mod model;
mod packet;
mod predict;

use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use sim::scenario::ScenarioKind;
use sim::trace::{AppCall, Fate, Numbering};
use sim::{EventKind, Scenario, Side};
use yew::prelude::*;

use self::model::{Drop, Run, Settings};
use crate::i18n::{self, Clause, Lang};
use crate::labs::deep_link::{self, Params};
use crate::labs::progress::{self, Score};

/// The lab as a chapter embeds it:
///
/// ```toml
/// lab = "connection"
/// scenario = "graceful_close"          # any sim::scenario::ScenarioKind but sticky and readiness
/// params = { bytes = 8388608 }         # the scenario's own parameters (default: its lesson's)
/// seed = 42
/// loss_percent = 0                     # and delay_ms, jitter_ms, mtu
/// drops = [{ side = "server", nth = 1 }]
/// numbering = "relative"               # or "raw"
/// controls = ["scenario", "wire", "predict", "pcap"]   # which controls show (default: all)
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Spec {
    pub scenario: ScenarioKind,
    pub params: BTreeMap<String, u64>,
    pub seed: u64,
    /// Chance, in percent, that the wire loses a packet. (Whole percent: the page then never
    /// parses a float.)
    pub loss_percent: u32,
    pub delay_ms: u64,
    pub jitter_ms: u64,
    pub mtu: usize,
    pub drops: Vec<Drop>,
    pub numbering: Numbering,
    pub controls: Vec<Control>,
}

impl Default for Spec {
    fn default() -> Self {
        let settings = Settings::default();
        Spec {
            scenario: settings.scenario.kind(),
            params: BTreeMap::new(),
            seed: settings.seed,
            loss_percent: 0,
            delay_ms: settings.delay_ms,
            jitter_ms: settings.jitter_ms,
            mtu: settings.mtu,
            drops: Vec::new(),
            numbering: Numbering::Relative,
            controls: Control::ALL.to_vec(),
        }
    }
}

/// The lab's optional controls.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// Pick another scenario.
    Scenario,
    /// Seed, loss, delay, jitter, MTU.
    Wire,
    /// Predict mode.
    Predict,
    /// Download the run as a pcap.
    Pcap,
}

impl Control {
    pub const ALL: [Control; 4] =
        [Control::Scenario, Control::Wire, Control::Predict, Control::Pcap];
}

/// The scenarios this lab draws (the sticky and readiness scenarios have labs of their own).
pub const SCENARIOS: [ScenarioKind; 11] = [
    ScenarioKind::Handshake,
    ScenarioKind::Transfer,
    ScenarioKind::GracefulClose,
    ScenarioKind::SimultaneousClose,
    ScenarioKind::ClosedPort,
    ScenarioKind::LostSyn,
    ScenarioKind::LostData,
    ScenarioKind::HalfClose,
    ScenarioKind::BacklogFull,
    ScenarioKind::SynFlood,
    ScenarioKind::Udp,
];

impl Spec {
    /// The run the spec describes, or what is wrong with it (the book refuses the chapter).
    pub fn settings(&self) -> Result<Settings, String> {
        if !SCENARIOS.contains(&self.scenario) {
            return Err(format!("the connection lab does not draw '{}'", self.scenario.name()));
        }
        let scenario = with_params(self.scenario, &self.params)?;
        if self.loss_percent > 100 {
            return Err(format!("loss_percent = {}: from 0 to 100", self.loss_percent));
        }
        if !(68..=65_535).contains(&self.mtu) {
            return Err(format!("mtu = {}: IPv4 needs at least 68", self.mtu));
        }
        Ok(Settings {
            scenario,
            seed: self.seed,
            loss: f64::from(self.loss_percent) / 100.0,
            delay_ms: self.delay_ms,
            jitter_ms: self.jitter_ms,
            mtu: self.mtu,
            drops: self.drops.clone(),
        })
    }
}

/// `kind`'s lesson defaults with `params` laid over them: `{ bytes = 100 }` for a transfer.
fn with_params(kind: ScenarioKind, params: &BTreeMap<String, u64>) -> Result<Scenario, String> {
    let mut scenario = kind.defaults();
    for (name, value) in params {
        scenario.set_param(name, *value)?;
    }
    Ok(scenario)
}

/// What the lab is given: its place on the page and its spec.
pub type Props = super::Props<Spec>;

/// The whole state of one lab.
#[derive(Debug, Clone, PartialEq)]
struct State {
    settings: Settings,
    run: Rc<Run>,
    step: usize,
    numbering: Numbering,
    /// The packet event shown in detail.
    selected: Option<usize>,
    playing: bool,
    speed: u32,
    predicting: bool,
    /// The verdict on the last guess: (right, what was sent).
    verdict: Option<(bool, String)>,
    score: Score,
    /// The reader has changed something: from then on the address carries the state.
    touched: bool,
}

impl State {
    fn new(settings: Settings, numbering: Numbering) -> State {
        State {
            run: Rc::new(Run::new(&settings)),
            settings,
            step: 0,
            numbering,
            selected: None,
            playing: false,
            speed: 1,
            predicting: false,
            verdict: None,
            score: Score::default(),
            touched: false,
        }
    }

    fn rerun(&mut self, settings: Settings) {
        self.run = Rc::new(Run::new(&settings));
        self.settings = settings;
        self.step = self.step.min(self.run.steps());
        self.selected = None;
    }

    fn finished(&self) -> bool {
        self.step >= self.run.steps()
    }

    /// The first packet the next step will send, which predict mode asks about.
    fn next_packet(&self) -> Option<usize> {
        let start = self.run.ends[self.step];
        let end = *self.run.ends.get(self.step + 1)?;
        (start..end).find(|&i| matches!(self.run.trace[i].kind, EventKind::Packet { .. }))
    }

    /// The state as deep-link parameters.
    fn params(&self) -> Params {
        let mut params = Params::new();
        let s = &self.settings;
        params.push("s", s.scenario.name());
        for (name, value) in s.scenario.params() {
            params.push(name, value);
        }
        params.push("seed", s.seed);
        // Percent, so the page never formats a float.
        params.push("loss", (s.loss * 100.0).round() as u32);
        params.push("delay", s.delay_ms);
        params.push("jitter", s.jitter_ms);
        params.push("mtu", s.mtu);
        for drop in &s.drops {
            params.push("drop", format!("{}.{}", drop.side.name(), drop.nth));
        }
        params.push("step", self.step);
        if self.numbering == Numbering::Raw {
            params.push("raw", 1);
        }
        params
    }

    /// Settings and step from deep-link parameters; anything unreadable keeps its current value.
    fn restore(&mut self, params: &Params) {
        let mut settings = self.settings.clone();
        if let Some(kind) =
            params.get("s").and_then(ScenarioKind::from_name).filter(|k| SCENARIOS.contains(k))
        {
            let given: BTreeMap<String, u64> = kind
                .defaults()
                .params()
                .into_iter()
                .filter_map(|(name, _)| Some((name.to_string(), params.parsed::<u64>(name)?)))
                .collect();
            if let Ok(scenario) = with_params(kind, &given) {
                settings.scenario = scenario;
            }
        }
        settings.seed = params.parsed("seed").unwrap_or(settings.seed);
        settings.loss = params
            .parsed::<u32>("loss")
            .filter(|l| *l <= 100)
            .map_or(settings.loss, |l| f64::from(l) / 100.0);
        settings.delay_ms = params.parsed("delay").unwrap_or(settings.delay_ms);
        settings.jitter_ms = params.parsed("jitter").unwrap_or(settings.jitter_ms);
        settings.mtu = params
            .parsed::<usize>("mtu")
            .filter(|m| (68..=65_535).contains(m))
            .unwrap_or(settings.mtu);
        let drops: Vec<Drop> = params
            .all("drop")
            .filter_map(|d| {
                let (side, nth) = d.split_once('.')?;
                let side = [Side::Client, Side::Server, Side::Attacker]
                    .into_iter()
                    .find(|s| s.name() == side)?;
                Some(Drop { side, nth: nth.parse().ok()? })
            })
            .collect();
        if params.get("drop").is_some() {
            settings.drops = drops;
        }
        self.rerun(settings);
        self.step = params.parsed::<usize>("step").unwrap_or(0).min(self.run.steps());
        self.numbering =
            if params.get("raw").is_some() { Numbering::Raw } else { Numbering::Relative };
        self.touched = true;
    }
}

#[derive(Debug)]
enum Action {
    Step,
    Back,
    Reset,
    End,
    /// A tick of the play timer.
    Tick,
    Play(bool),
    Speed(u32),
    Numbering(Numbering),
    Select(Option<usize>),
    /// Drop packet event `index` and run the same seed again.
    Drop(usize),
    ClearDrops,
    Scenario(ScenarioKind),
    Seed(u64),
    Loss(f64),
    Delay(u64),
    Jitter(u64),
    Mtu(usize),
    Predicting(bool),
    /// Predict mode: the guess was checked; count it and reveal the step.
    Guessed {
        right: bool,
        actual: String,
        score: Score,
    },
    Restore(Params),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let mut settings = next.settings.clone();
        match action {
            Action::Tick if next.finished() => next.playing = false,
            Action::Tick | Action::Step => {
                // In predict mode a step that sends a segment waits for the reader's guess.
                if next.predicting && next.next_packet().is_some() {
                    next.playing = false;
                    return Rc::new(next);
                }
                next.step = (next.step + 1).min(next.run.steps());
                next.verdict = None;
            }
            Action::Back => {
                next.step = next.step.saturating_sub(1);
                next.verdict = None;
            }
            Action::Reset => {
                next.step = 0;
                next.playing = false;
                next.verdict = None;
            }
            Action::End => {
                next.step = next.run.steps();
                next.playing = false;
            }
            Action::Play(on) => next.playing = on && !next.finished(),
            Action::Speed(speed) => next.speed = speed,
            Action::Numbering(numbering) => next.numbering = numbering,
            Action::Select(selected) => next.selected = selected,
            Action::Drop(index) => {
                if let Some(drop) = next.run.drop_for(index) {
                    settings.drops.push(drop);
                    next.rerun(settings);
                }
            }
            Action::ClearDrops => {
                settings.drops.clear();
                next.rerun(settings);
            }
            Action::Scenario(kind) => {
                settings.scenario = kind.defaults();
                settings.drops.clear();
                next.rerun(settings);
                next.step = 0;
            }
            Action::Seed(seed) => {
                settings.seed = seed;
                settings.drops.clear();
                next.rerun(settings);
            }
            Action::Loss(loss) => {
                settings.loss = loss;
                next.rerun(settings);
            }
            Action::Delay(ms) => {
                settings.delay_ms = ms;
                next.rerun(settings);
            }
            Action::Jitter(ms) => {
                settings.jitter_ms = ms;
                next.rerun(settings);
            }
            Action::Mtu(mtu) => {
                settings.mtu = mtu;
                next.rerun(settings);
            }
            Action::Predicting(on) => {
                next.predicting = on;
                next.verdict = None;
            }
            Action::Guessed { right, actual, score } => {
                next.score = score;
                next.verdict = Some((right, actual));
                next.step = (next.step + 1).min(next.run.steps());
            }
            Action::Restore(params) => next.restore(&params),
        }
        // Every action comes from the reader (a restored link, a click, a key, the play timer
        // they started): from now on the address follows the lab.
        next.touched = true;
        Rc::new(next)
    }
}

#[function_component]
pub fn ConnectionLab(props: &Props) -> Html {
    let Props { lang, id, slug, spec } = props;
    let t = i18n::labs(*lang);
    let initial = spec.clone();
    let state = use_reducer(move || {
        let settings = initial.settings().unwrap_or_default();
        State::new(settings, initial.numbering)
    });
    let score_key = format!("{slug}/{id}");

    // After hydration: restore a deep link, and the score kept from earlier visits.
    {
        let (state, id) = (state.clone(), id.clone());
        use_effect_with((), move |_| {
            if let Some(params) = deep_link::read(&id) {
                state.dispatch(Action::Restore(params));
            }
        });
    }
    let stored_score = use_state(|| None::<Score>);
    {
        let (stored_score, score_key) = (stored_score.clone(), score_key.clone());
        use_effect_with((), move |_| stored_score.set(Some(progress::score(&score_key))));
    }
    // Keep the address in step with the lab, once the reader has touched it.
    deep_link::use_deep_link(id, state.params(), state.touched);
    // Play: one step per tick while playing.
    {
        let state = state.clone();
        use_effect_with((state.playing, state.speed), move |&(playing, speed)| {
            let interval = playing.then(|| {
                gloo_timers::callback::Interval::new(1000 / speed.max(1), move || {
                    state.dispatch(Action::Tick)
                })
            });
            move || drop(interval)
        });
    }

    let dispatch = |action: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(action()))
    };
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |event: KeyboardEvent| {
            if is_field(&event) {
                return;
            }
            let action = match event.key().as_str() {
                "ArrowRight" => Action::Step,
                "ArrowLeft" => Action::Back,
                " " => Action::Play(!state.playing),
                _ => return,
            };
            event.prevent_default();
            state.dispatch(action);
        })
    };

    let run = &state.run;
    let visible = run.visible(state.step);
    let narration = narrate(*lang, run, state.step, state.numbering);
    let host = |side: Side| {
        let current = visible
            .iter()
            .rev()
            .find_map(|e| match e.kind {
                EventKind::State { socket, to, .. } if socket.side == side && socket.index == 0 => {
                    Some(to)
                }
                _ => None,
            })
            .unwrap_or(sim::TcpState::Closed);
        html! {
            <div class={classes!("host", side.name())}>
                <div class="host-name">{ (t.host)(side) }</div>
                <div class="tcp-state" data-testid={format!("state-{}", side.name())}>{ current.name() }</div>
            </div>
        }
    };
    let controls = &spec.controls;
    let shown = |c: Control| controls.contains(&c);
    let score = if state.score.total > 0 { Some(state.score) } else { *stored_score };

    html! {
        <figure class="widget lab-connection" {onkeydown}>
            <figcaption>{ t.connection_caption }</figcaption>
            if shown(Control::Scenario) || shown(Control::Wire) {
                <settings::Toolbar lang={*lang} state={state.clone()} scenario={shown(Control::Scenario)} wire={shown(Control::Wire)} />
            }
            <div class="hosts">
                { host(Side::Client) }
                <div class="wire" aria-hidden="true"></div>
                { host(Side::Server) }
            </div>
            <div class="controls" role="group" aria-label={t.steps}>
                <button type="button" onclick={dispatch(|| Action::Reset)} disabled={state.step == 0}>{ t.reset }</button>
                <button type="button" onclick={dispatch(|| Action::Back)} disabled={state.step == 0}
                    aria-keyshortcuts="ArrowLeft" data-testid="back">{ t.back }</button>
                <button type="button" class="primary" onclick={dispatch(|| Action::Step)}
                    disabled={state.finished() || (state.predicting && state.next_packet().is_some())}
                    aria-keyshortcuts="ArrowRight" data-testid="step">{ t.step }</button>
                <button type="button" onclick={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Play(!s.playing))) }}
                    disabled={state.finished()} aria-pressed={state.playing.to_string()} aria-keyshortcuts="Space">
                    { if state.playing { t.pause } else { t.play } }
                </button>
                <label>{ t.speed }{ " " }
                    <select onchange={{ let s = state.clone(); Callback::from(move |e: Event| s.dispatch(Action::Speed(select_value(&e).parse().unwrap_or(1)))) }}>
                        { for [1, 2, 4].into_iter().map(|x| html! { <option value={x.to_string()} selected={state.speed == x}>{ format!("{x}×") }</option> }) }
                    </select>
                </label>
                <button type="button" onclick={dispatch(|| Action::End)} disabled={state.finished()}>{ t.run_to_end }</button>
                <span class="step-count" data-testid="step-count">{ (t.step_of)(state.step, run.steps()) }</span>
            </div>
            <div class="controls">
                <label>
                    <input type="checkbox" checked={state.numbering == Numbering::Relative}
                        onchange={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Numbering(if s.numbering == Numbering::Relative { Numbering::Raw } else { Numbering::Relative }))) }} />
                    { " " }{ t.relative_numbers }
                </label>
                if shown(Control::Predict) {
                    <label>
                        <input type="checkbox" checked={state.predicting} data-testid="predict-mode"
                            onchange={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Predicting(!s.predicting))) }} />
                        { " " }{ t.predict_mode }
                    </label>
                }
                if let Some(score) = score {
                    if score.total > 0 { <span class="score" data-testid="score">{ (t.score)(score.right, score.total) }</span> }
                }
            </div>
            <p class="narration" aria-live="polite" data-testid="narration">{ narration }</p>
            if state.predicting {
                <predict::Predict lang={*lang} run={run.clone()} next={state.next_packet()}
                    numbering={state.numbering} verdict={state.verdict.clone()} score_key={score_key.clone()}
                    on_guess={{ let s = state.clone(); Callback::from(move |(right, actual, score)| s.dispatch(Action::Guessed { right, actual, score })) }} />
            }
            <ladder::Ladder lang={*lang} id={id.clone()} run={run.clone()} step={state.step}
                numbering={state.numbering} selected={state.selected}
                on_select={{ let s = state.clone(); Callback::from(move |i| s.dispatch(Action::Select(Some(i)))) }} />
            if !run.complete && state.finished() {
                <p class="finished">{ (t.truncated)(run.trace.len()) }</p>
            } else if state.finished() {
                <p class="finished">{ t.finished }</p>
            }
            if let Some(index) = state.selected.filter(|&i| i < visible.len()) {
                <packet::PacketView lang={*lang} run={run.clone()} {index} numbering={state.numbering}
                    on_drop={{ let s = state.clone(); Callback::from(move |i| s.dispatch(Action::Drop(i))) }}
                    on_close={{ let s = state.clone(); Callback::from(move |_| s.dispatch(Action::Select(None))) }} />
            }
            <div class="controls lab-actions">
                if !state.settings.drops.is_empty() {
                    <button type="button" onclick={dispatch(|| Action::ClearDrops)}>{ (t.undo_drops)(state.settings.drops.len()) }</button>
                }
                if shown(Control::Pcap) {
                    <button type="button" data-testid="pcap" onclick={{
                        let (run, name) = (run.clone(), format!("socklab-{}-seed{}.pcap", state.settings.scenario.name(), state.settings.seed));
                        Callback::from(move |_| { let _ = crate::labs::download::save(&name, "application/vnd.tcpdump.pcap", &sim::pcap::to_pcap(&run.trace)); })
                    }}>{ t.download_pcap }</button>
                }
            </div>
        </figure>
    }
}

/// Keys typed into a field are the field's, not the lab's.
fn is_field(event: &KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast as _;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
}

fn select_value(event: &Event) -> String {
    use wasm_bindgen::JsCast as _;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// What the current step did, in a sentence, for the aria-live line.
fn narrate(lang: Lang, run: &Run, step: usize, numbering: Numbering) -> String {
    let t = i18n::labs(lang);
    if step == 0 {
        return t.at_start.to_string();
    }
    let start = run.ends[step - 1];
    let clauses: Vec<String> = run
        .revealed(step)
        .iter()
        .enumerate()
        .filter_map(|(offset, event)| {
            let clause = match &event.kind {
                EventKind::Packet { from, packet, fate, .. } => {
                    let what = match packet.tcp() {
                        Some(segment) => segment.summary(numbering),
                        None => format!("UDP len={}", packet.ip.total_len.saturating_sub(28)),
                    };
                    let lost = !matches!(fate, Fate::Delivered { .. });
                    Clause::Sends {
                        side: *from,
                        what,
                        again: run.retransmitted[start + offset],
                        lost,
                    }
                }
                EventKind::State { socket, to, .. } => {
                    Clause::Enters { side: socket.side, state: to.name() }
                }
                EventKind::App { socket, call } if !matches!(call, AppCall::Wait { .. }) => {
                    Clause::Calls { side: socket.side, call: call.to_string() }
                }
                EventKind::App { .. } => return None,
            };
            Some((t.narrate)(&clause))
        })
        .collect();
    let time = run.revealed(step).first().map(|e| e.at_us).unwrap_or_default();
    format!("{} {}", (t.at_time)(time), clauses.join(t.clause_separator))
}

mod settings;
