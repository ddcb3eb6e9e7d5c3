//! The readiness lab: three clients write at scripted moments and one server loop — blocking,
//! `select`, `epoll` level-triggered or edge-triggered — waits and reads. Each client's receive
//! buffer is drawn over time from the real run (`sim::readiness`): bytes arrive, reads take
//! them, and what no wake-up reported stays in the buffer.

use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use sim::readiness::{LoopKind, ReadinessParams, unread};
use sim::trace::{AppCall, Fate};
use sim::{EventKind, Scenario, Side, WorldConfig};
use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use crate::i18n;
use crate::labs::deep_link::{self, Params};

/// The lab as a chapter embeds it:
///
/// ```toml
/// lab = "readiness"
/// server = "epoll_edge"     # blocking, select, epoll_level, epoll_edge
/// bufsize = 512
/// drain = false
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub server: Option<LoopKind>,
    pub bufsize: Option<usize>,
    pub drain: Option<bool>,
}

impl Spec {
    pub fn params(&self) -> Result<ReadinessParams, String> {
        let defaults = ReadinessParams::default();
        let params = ReadinessParams {
            server: self.server.unwrap_or(defaults.server),
            bufsize: self.bufsize.unwrap_or(defaults.bufsize),
            drain: self.drain.unwrap_or(defaults.drain),
            ..defaults
        };
        if !(1..=65_536).contains(&params.bufsize) {
            return Err(format!("bufsize = {}: 1 to 65536", params.bufsize));
        }
        Ok(params)
    }
}

/// One run, with each server socket's buffer over time.
#[derive(Debug)]
struct Run {
    params: ReadinessParams,
    trace: Vec<sim::Event>,
    /// Per server socket: (µs, bytes waiting) at every change.
    buffers: Vec<Vec<(u64, u64)>>,
    unread: Vec<u64>,
    end_us: u64,
}

impl PartialEq for Run {
    fn eq(&self, other: &Run) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Run {
    fn new(params: ReadinessParams) -> Run {
        let mut world = Scenario::Readiness(params.clone()).start(WorldConfig::default());
        world.run(20_000);
        let trace = world.into_trace();
        let clients = params.clients.len();
        // Which server socket serves which client port: from accept().
        let mut socket_of_port = HashMap::new();
        for event in &trace {
            if let EventKind::App { socket, call: AppCall::Accept { peer_port } } = &event.kind {
                socket_of_port.insert(*peer_port, socket.index);
            }
        }
        // Changes to each buffer: +payload when a client's data arrives, −len when it is read.
        let mut changes: Vec<Vec<(u64, i64)>> = vec![Vec::new(); clients];
        for event in &trace {
            match &event.kind {
                EventKind::Packet {
                    from: Side::Client,
                    packet,
                    fate: Fate::Delivered { at_us, .. },
                    ..
                } => {
                    if let Some(segment) = packet.tcp().filter(|s| s.payload_len > 0)
                        && let Some(&index) = socket_of_port.get(&segment.src_port)
                    {
                        changes[index].push((*at_us, segment.payload_len as i64));
                    }
                }
                EventKind::App { socket, call: AppCall::Recv { data, .. } }
                    if socket.side == Side::Server =>
                {
                    changes[socket.index].push((event.at_us, -(data.len() as i64)));
                }
                _ => {}
            }
        }
        let buffers = changes
            .into_iter()
            .map(|mut list| {
                list.sort_by_key(|&(at, delta)| (at, -delta));
                let mut level = 0i64;
                list.into_iter()
                    .map(|(at, delta)| {
                        level += delta;
                        (at, level.max(0) as u64)
                    })
                    .collect()
            })
            .collect();
        let unread = unread(&params, &trace);
        // The chart spans the data and the loop's activity, not the TIME-WAITs that follow.
        let busy =
            trace.iter().filter_map(|e| match &e.kind {
                EventKind::App {
                    call:
                        AppCall::Recv { .. }
                        | AppCall::Wait { .. }
                        | AppCall::Send { .. }
                        | AppCall::Close,
                    ..
                } => Some(e.at_us),
                _ => None,
            });
        let end_us = (busy.max().unwrap_or_default() + 100_000).max(1_200_000);
        Run { params, trace, buffers, unread, end_us }
    }
}

/// What the lab is given: its place on the page and its spec.
pub type Props = super::Props<Spec>;

const WIDTH: f32 = 640.0;
const LANE: f32 = 64.0;
const LEFT: f32 = 90.0;

#[function_component]
pub fn ReadinessLab(Props { lang, id, spec, .. }: &Props) -> Html {
    let t = i18n::labs(*lang);
    let initial = spec.params().unwrap_or_default();
    let run = use_state(move || Rc::new(Run::new(initial)));
    let touched = use_state(|| false);
    let set = {
        let (run, touched) = (run.clone(), touched.clone());
        Callback::from(move |params: ReadinessParams| {
            run.set(Rc::new(Run::new(params)));
            touched.set(true);
        })
    };
    {
        let (id, run, set) = (id.clone(), run.clone(), set.clone());
        use_effect_with((), move |_| {
            if let Some(link) = deep_link::read(&id) {
                let mut params = run.params.clone();
                if let Some(kind) = link.get("server").and_then(LoopKind::from_name) {
                    params.server = kind;
                }
                params.bufsize = link
                    .parsed::<usize>("bufsize")
                    .filter(|b| (1..=65_536).contains(b))
                    .unwrap_or(params.bufsize);
                params.drain = link.parsed::<u8>("drain").map_or(params.drain, |d| d == 1);
                set.emit(params);
            }
        });
    }
    let mut link = Params::new();
    link.push("server", run.params.server.name());
    link.push("bufsize", run.params.bufsize);
    link.push("drain", u8::from(run.params.drain));
    deep_link::use_deep_link(id, link, *touched);

    let params = &run.params;
    let on_kind = {
        let (set, params) = (set.clone(), params.clone());
        Callback::from(move |event: Event| {
            let value = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            if let Some(kind) = LoopKind::from_name(&value) {
                set.emit(ReadinessParams { server: kind, ..params.clone() });
            }
        })
    };
    let on_bufsize = {
        let (set, params) = (set.clone(), params.clone());
        Callback::from(move |event: Event| {
            let value = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            if let Ok(bufsize) = value.trim().parse::<usize>()
                && (1..=65_536).contains(&bufsize)
            {
                set.emit(ReadinessParams { bufsize, ..params.clone() });
            }
        })
    };
    let on_drain = {
        let (set, params) = (set.clone(), params.clone());
        Callback::from(move |_| {
            set.emit(ReadinessParams { drain: !params.drain, ..params.clone() })
        })
    };

    // Coordinates are whole pixels, written as integers: the page carries no float formatting.
    let x =
        |us: u64| (LEFT + (us as f32 / run.end_us as f32) * (WIDTH - LEFT - 10.0)).round() as i32;
    let max_level = run.buffers.iter().flatten().map(|(_, l)| *l).max().unwrap_or(1).max(1) as f32;
    let lanes = run.buffers.iter().enumerate().map(|(n, levels)| {
        let top = 30 + n as i32 * LANE as i32;
        let base = top + LANE as i32 - 14;
        // The buffer as a step area: flat until the next change.
        let mut points = format!("{},{base} ", x(0));
        let mut level = 0u64;
        for (at, next) in levels {
            let y = |l: u64| base - ((l as f32 / max_level) * (LANE - 24.0)).round() as i32;
            points += &format!("{},{} {},{} ", x(*at), y(level), x(*at), y(*next));
            level = *next;
        }
        let last = base - ((level as f32 / max_level) * (LANE - 24.0)).round() as i32;
        points += &format!("{},{last} {},{base}", x(run.end_us), x(run.end_us));
        let reads = run.trace.iter().filter_map(|e| match &e.kind {
            EventKind::App { socket, call: AppCall::Recv { data, .. } } if socket.side == Side::Server && socket.index == n => {
                Some(html! { <g class="read"><circle cx={x(e.at_us).to_string()} cy={(base + 6).to_string()} r="3.5" /><title>{ format!("{} ms: recv → {} B", e.at_us / 1000, data.len()) }</title></g> })
            }
            _ => None,
        });
        html! {
            <g class={classes!("lane", (run.unread[n] > 0).then_some("stuck"))}>
                <text class="lane-label" x="4" y={(top + 16).to_string()}>{ (t.client_n)(n + 1) }</text>
                <text class="lane-note" x="4" y={(top + 32).to_string()}>{ (t.unread)(run.unread[n]) }</text>
                <line class="axis" x1={(LEFT as i32).to_string()} x2={(WIDTH as i32 - 10).to_string()} y1={base.to_string()} y2={base.to_string()} />
                <polygon class="buffer" points={points} />
                { for reads }
            </g>
        }
    });
    let wakes = run.trace.iter().filter(|e| matches!(&e.kind, EventKind::App { call: AppCall::Wait { .. }, .. })).map(|e| {
        html! { <line class="wake" x1={x(e.at_us).to_string()} x2={x(e.at_us).to_string()} y1="18" y2={(30 + LANE as i32 * run.buffers.len() as i32).to_string()} /> }
    });
    let height = 50 + LANE as i32 * run.buffers.len() as i32;
    let log: Vec<Html> = run.trace.iter().filter_map(|e| match &e.kind {
        EventKind::App { socket, call } if socket.side == Side::Server && matches!(call, AppCall::Wait { .. } | AppCall::Recv { .. } | AppCall::Eof) => {
            Some(html! { <li><span class="time">{ i18n::millis(e.at_us) }</span>{ " " }<code>{ if matches!(call, AppCall::Wait { .. }) { call.to_string() } else { format!("server#{} {call}", socket.index) } }</code></li> })
        }
        _ => None,
    }).collect();
    let total_unread: u64 = run.unread.iter().sum();
    html! {
        <figure class="widget lab-readiness">
            <figcaption>{ t.readiness_caption }</figcaption>
            <div class="lab-toolbar">
                <label class="field"><span>{ t.server_loop }</span>
                    <select onchange={on_kind} data-testid="loop">
                        { for LoopKind::ALL.iter().map(|k| html! { <option value={k.name()} selected={*k == params.server}>{ (t.loop_name)(*k) }</option> }) }
                    </select>
                </label>
                <label class="field"><span>{ "recv()" }</span>
                    <input type="number" min="1" max="65536" value={params.bufsize.to_string()} onchange={on_bufsize} data-testid="bufsize" /></label>
                <label class="field checkbox"><span>{ t.drain }</span>
                    <input type="checkbox" checked={params.drain} onchange={on_drain} data-testid="drain" /></label>
            </div>
            <p class="narration" aria-live="polite" data-testid="readiness-summary">{ (t.readiness_summary)(params.server, total_unread) }</p>
            <div class="ladder-wrap">
                <svg class="readiness" viewBox={format!("0 0 {} {height}", WIDTH as i32)} width={(WIDTH as i32).to_string()} height={height.to_string()} role="img"
                    aria-label={t.readiness_chart}>
                    <text class="lane-label" x={(LEFT as i32).to_string()} y="12">{ t.wakeups }</text>
                    { for (0..=run.end_us / 200_000).map(|k| {
                        let at = k * 200_000;
                        html! { <text class="tick" x={x(at).to_string()} y={(height - 4).to_string()} text-anchor="middle">{ format!("{} ms", at / 1000) }</text> }
                    }) }
                    { for wakes }
                    { for lanes }
                </svg>
            </div>
            <details class="readiness-log">
                <summary>{ (t.calls_made)(log.len()) }</summary>
                <ol data-testid="readiness-log">{ for log }</ol>
            </details>
        </figure>
    }
}
