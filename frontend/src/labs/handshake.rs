//! The handshake widget: a real smoltcp client and server in the page, stepped by the reader.
//!
//! Every row and arrow is read off the simulation's trace — the segments smoltcp actually
//! emitted and the states its sockets actually passed through.

use std::cell::RefCell;
use std::rc::Rc;

use sim::scenario::{CLIENT, SERVER};
use sim::{Event, EventKind, Scenario, Side, SocketId, World, WorldConfig};
use yew::prelude::*;

use crate::i18n::{self, Lang};

#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    pub lang: Lang,
}

/// The same seed every time, so every reader (and every test) sees the same run.
const SEED: u64 = 42;

fn start() -> World {
    Scenario::Handshake.start(WorldConfig { seed: SEED, ..WorldConfig::default() })
}

#[function_component]
pub fn Handshake(Props { lang }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let world: Rc<RefCell<World>> = use_mut_ref(start);
    let finished = use_state(|| false);
    let relative = use_state(|| true);
    let redraw = use_force_update();

    let act = |action: fn(&mut World) -> bool| {
        let (world, finished, redraw) = (world.clone(), finished.clone(), redraw.clone());
        Callback::from(move |_| {
            finished.set(action(&mut world.borrow_mut()));
            redraw.force_update();
        })
    };
    let step = act(|w| w.step().is_none());
    let run = act(|w| {
        w.run(1_000);
        true
    });
    let reset = act(|w| {
        *w = start();
        false
    });
    let toggle_relative = {
        let relative = relative.clone();
        Callback::from(move |_| relative.set(!*relative))
    };

    let world = world.borrow();
    let host = |socket: SocketId, label: &str| {
        let side = socket.side.name();
        html! {
            <div class={classes!("host", side)}>
                <div class="host-name">{ label }</div>
                <div class="tcp-state" data-testid={format!("state-{side}")}>{ world.state(socket).name() }</div>
            </div>
        }
    };
    html! {
        <figure class="widget handshake">
            <figcaption>{ t.handshake_caption }</figcaption>
            <div class="hosts">
                { host(CLIENT, t.client) }
                <div class="wire" aria-hidden="true"></div>
                { host(SERVER, t.server) }
            </div>
            <div class="controls">
                <button onclick={step} disabled={*finished} data-testid="step">{ t.step }</button>
                <button onclick={run} disabled={*finished}>{ t.run_to_end }</button>
                <button onclick={reset}>{ t.reset }</button>
                <label>
                    <input type="checkbox" checked={*relative} onchange={toggle_relative} />
                    { t.relative_numbers }
                </label>
            </div>
            <table class="trace">
                <thead><tr><th>{ t.time }</th><th>{ t.client }</th><th></th><th>{ t.server }</th></tr></thead>
                <tbody>
                    { for world.trace().iter().map(|e| row(e, *relative)) }
                </tbody>
            </table>
            if *finished { <p class="finished">{ t.finished }</p> }
        </figure>
    }
}

/// One trace event as a table row: client-side things left, server-side right, packets in the
/// middle with an arrow showing their direction.
fn row(event: &Event, relative: bool) -> Html {
    let time = format!("{:.1} ms", event.at_us as f64 / 1000.0);
    let (side, class, text) = match &event.kind {
        EventKind::Packet { from, packet, .. } => {
            let Some(segment) = packet.tcp() else {
                return Html::default();
            };
            let (seq, ack) = if relative {
                (segment.rel_seq, segment.rel_ack)
            } else {
                (segment.seq, segment.ack)
            };
            let mut text = format!("[{}] seq={seq}", segment.flags.label());
            if let Some(ack) = ack {
                text += &format!(" ack={ack}");
            }
            text += &format!(" win={}", segment.window);
            if let Some(mss) = segment.mss {
                text += &format!(" MSS={mss}");
            }
            if segment.payload_len > 0 {
                text += &format!(" len={}", segment.payload_len);
            }
            let arrow = if *from == Side::Client { "→" } else { "←" };
            return html! {
                <tr class="packet">
                    <td class="time">{ time }</td>
                    <td class="segment" colspan="3">
                        <span class="arrow">{ arrow }</span>{ " " }{ text }{ " " }<span class="arrow">{ arrow }</span>
                    </td>
                </tr>
            };
        }
        EventKind::State { socket, from, to } => {
            (socket.side, "state", format!("{} → {}", from.name(), to.name()))
        }
        EventKind::App { socket, call } => (socket.side, "app", call.to_string()),
    };
    let cell = html! { <td class={class}>{ text }</td> };
    let (left, right) = match side {
        Side::Server => (html! { <td></td> }, cell),
        _ => (cell, html! { <td></td> }),
    };
    html! { <tr><td class="time">{ time }</td>{ left }<td></td>{ right }</tr> }
}

/// The widget mounted in a real DOM in headless Chromium, driven by clicks.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::time::Duration;

    use wasm_bindgen::JsCast as _;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
    use web_sys::{Element, HtmlElement};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// Let yew's scheduler render.
    async fn settle() {
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }

    fn find(root: &Element, selector: &str) -> Element {
        root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"))
    }

    #[wasm_bindgen_test]
    async fn clicking_step_walks_both_hosts_to_established() {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        yew::Renderer::<Handshake>::with_root_and_props(root.clone(), Props { lang: Lang::Zh })
            .render();
        settle().await;

        let state = |side: &str| {
            find(&root, &format!("[data-testid=state-{side}]")).text_content().unwrap()
        };
        // Nothing has happened yet: both sockets are CLOSED until the first step, in which the
        // server calls listen() and the client connect() (sending its SYN).
        assert_eq!((state("client"), state("server")), ("CLOSED".into(), "CLOSED".into()));
        let step: HtmlElement = find(&root, "[data-testid=step]").dyn_into().unwrap();
        step.click();
        settle().await;
        assert_eq!((state("client"), state("server")), ("SYN-SENT".into(), "LISTEN".into()));
        let mut clicks = 1;
        while state("client") != "ESTABLISHED" || state("server") != "ESTABLISHED" {
            assert!(clicks < 10, "not established after 10 steps");
            step.click();
            settle().await;
            clicks += 1;
        }
        assert_eq!(root.query_selector_all(".trace .packet").unwrap().length(), 3);
        // Chinese interface text comes from i18n, the states keep their RFC names.
        assert!(root.text_content().unwrap().contains("单步"));
    }
}
