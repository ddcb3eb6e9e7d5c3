//! The lab's settings: which scenario, and the wire it runs over — seed, loss, delay, jitter,
//! MTU. Every change runs the scenario again from the start of its virtual time.

use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use super::{Action, SCENARIOS, State};
use crate::i18n::{self, Lang};

#[derive(Properties, PartialEq, Debug)]
pub(super) struct ToolbarProps {
    pub lang: Lang,
    pub state: UseReducerHandle<State>,
    /// Show the scenario picker.
    pub scenario: bool,
    /// Show the wire's settings.
    pub wire: bool,
}

/// The value of the field an event came from.
fn value(event: &Event) -> String {
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
pub(super) fn Toolbar(ToolbarProps { lang, state, scenario, wire }: &ToolbarProps) -> Html {
    let t = i18n::labs(*lang);
    let settings = &state.settings;
    // A number field (whole numbers only: loss is in percent): dispatch its parsed value on
    // change; an unparsable one is ignored (the field keeps showing it, the run keeps its last
    // good value).
    let number = |make: fn(u64) -> Option<Action>| {
        let state = state.clone();
        Callback::from(move |event: Event| {
            if let Some(action) = value(&event).trim().parse::<u64>().ok().and_then(make) {
                state.dispatch(action);
            }
        })
    };
    let field = |label: &'static str,
                 id: &str,
                 current: String,
                 min: &'static str,
                 max: &'static str,
                 step: &'static str,
                 on: Callback<Event>| {
        html! {
            <label class="field">
                <span>{ label }</span>
                <input type="number" inputmode="decimal" name={id.to_string()} value={current} {min} {max} {step} onchange={on} />
            </label>
        }
    };
    html! {
        <div class="lab-toolbar">
            if *scenario {
                <label class="field scenario">
                    <span>{ t.scenario }</span>
                    <select data-testid="scenario" onchange={{
                        let state = state.clone();
                        Callback::from(move |event: Event| {
                            if let Some(kind) = sim::scenario::ScenarioKind::from_name(&value(&event)) {
                                state.dispatch(Action::Scenario(kind));
                            }
                        })
                    }}>
                        { for SCENARIOS.iter().map(|kind| html! {
                            <option value={kind.name()} selected={settings.scenario.kind() == *kind}>{ (t.scenario_name)(*kind) }</option>
                        }) }
                    </select>
                </label>
            }
            if *wire {
                <fieldset class="wire-settings">
                    <legend>{ t.wire }</legend>
                    { field(t.seed, "seed", settings.seed.to_string(), "0", "4294967295", "1",
                        number(|x| Some(Action::Seed(x)))) }
                    { field(t.loss, "loss", ((settings.loss * 100.0).round() as u32).to_string(), "0", "90", "5",
                        number(|x| (x <= 90).then(|| Action::Loss(x as f64 / 100.0)))) }
                    { field(t.delay, "delay", settings.delay_ms.to_string(), "0", "2000", "1",
                        number(|x| (x <= 2000).then_some(Action::Delay(x)))) }
                    { field(t.jitter, "jitter", settings.jitter_ms.to_string(), "0", "1000", "1",
                        number(|x| (x <= 1000).then_some(Action::Jitter(x)))) }
                    { field(t.mtu, "mtu", settings.mtu.to_string(), "68", "9000", "1",
                        number(|x| (68..=9000).contains(&x).then_some(Action::Mtu(x as usize)))) }
                </fieldset>
            }
        </div>
    }
}
