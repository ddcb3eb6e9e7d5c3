//! The ladder: two timelines, client and server, time running down, one arrow per packet.
//!
//! Only a window around the current step is drawn: the events whose marks fall in it (a binary
//! search over the run's layout) and the packets still in flight across it. A step therefore
//! costs the same on a 10,000-event transfer as on a handshake.

use std::rc::Rc;

use sim::trace::{Fate, Numbering, Transport};
use sim::{Event, EventKind, Side};
use yew::prelude::*;

use super::model::{Layout, Run, TOP};
use crate::i18n::{self, Lang};

const WIDTH: f32 = 680.0;
/// Height of the window onto the run.
const VIEW: f32 = 420.0;
const CLIENT_X: f32 = 220.0;
const SERVER_X: f32 = 490.0;
/// Longest state or call label, in characters, that fits beside a timeline.
const LABEL_CHARS: usize = 24;
/// How far below the last revealed event the window reaches (packets in flight show there).
const LOOKAHEAD: f32 = 90.0;

#[derive(Properties, PartialEq, Debug)]
pub(super) struct LadderProps {
    pub lang: Lang,
    /// The lab's id, to keep SVG ids unique on a page with several labs.
    pub id: AttrValue,
    pub run: Rc<Run>,
    pub step: usize,
    pub numbering: Numbering,
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
}

fn x_of(side: Side) -> f32 {
    match side {
        Side::Server => SERVER_X,
        Side::Client | Side::Attacker => CLIENT_X,
    }
}

/// The part of the run the window shows: which events, and the window's top and height.
pub(super) fn window(layout: &Layout, visible: usize) -> (std::ops::Range<usize>, f32, f32) {
    let last = visible.checked_sub(1).map(|i| layout.y[i]).unwrap_or(TOP);
    let height = VIEW.min(layout.height);
    // Follow the last revealed event, never past the end of the run: a short run shows whole.
    let bottom = (last + LOOKAHEAD).clamp(height, layout.height.max(height));
    let top = bottom - height;
    let range = layout.between(top - layout.longest_flight(), bottom);
    (range.start..range.end.min(visible), top, height)
}

#[function_component]
pub(super) fn Ladder(props: &LadderProps) -> Html {
    let LadderProps { lang, id, run, step, numbering, selected, on_select } = props;
    let t = i18n::labs(*lang);
    let visible = run.ends[(*step).min(run.steps())];
    let layout = &run.layout;
    let (range, top, height) = window(layout, visible);
    let marker = format!("{id}-arrow");

    let mut last_time = None;
    let mut rows = Vec::new();
    for index in range.clone() {
        let event = &run.trace[index];
        let y = layout.y[index];
        // Each distinct moment gets its time once, in the left margin.
        if last_time != Some(event.at_us) && y >= top {
            last_time = Some(event.at_us);
            rows.push(html! { <text class="time" x="6" y={px(y + 4.0)}>{ i18n::millis(event.at_us) }</text> });
        }
        match &event.kind {
            EventKind::Packet { .. } => {
                // Drawn below, over everything else.
            }
            EventKind::State { socket, to, .. } => {
                let prefix =
                    if socket.index > 0 { format!("#{} ", socket.index) } else { String::new() };
                rows.push(label(socket.side, y, "state", format!("{prefix}{}", to.name())));
            }
            EventKind::App { socket, call } => {
                let mut text = call.to_string();
                if text.chars().count() > LABEL_CHARS {
                    text = text.chars().take(LABEL_CHARS - 1).collect::<String>() + "…";
                }
                rows.push(label(socket.side, y, "call", text));
            }
        }
    }
    let packets: Html = range
        .clone()
        .filter(|&index| matches!(run.trace[index].kind, EventKind::Packet { .. }))
        .map(|index| {
            let again = run.retransmitted[index];
            let is_selected = *selected == Some(index);
            let select = {
                let on_select = on_select.clone();
                Callback::from(move |_: MouseEvent| on_select.emit(index))
            };
            let onkeydown = {
                let on_select = on_select.clone();
                Callback::from(move |event: KeyboardEvent| {
                    if event.key() == "Enter" || event.key() == " " {
                        event.prevent_default();
                        event.stop_propagation();
                        on_select.emit(index);
                    }
                })
            };
            arrow(
                &run.trace[index],
                layout,
                index,
                again,
                is_selected,
                *numbering,
                &marker,
                t,
                select,
                onkeydown,
            )
        })
        .collect();
    let breaks: Html = layout
        .breaks
        .iter()
        .filter(|(y, _)| *y >= top && *y <= top + height)
        .map(|(y, gap)| {
            let zigzag: String = (0..25).map(|k| format!("{},{} ", 70 + k * 25, px(y + if k % 2 == 0 { -4.0 } else { 4.0 }))).collect();
            html! {
                <g class="break">
                    <polyline points={zigzag} />
                    <text x={px((CLIENT_X + SERVER_X) / 2.0)} y={px(y - 8.0)} text-anchor="middle">{ (t.later)(&seconds(*gap)) }</text>
                </g>
            }
        })
        .collect();
    let view_box = format!("0 {} {} {}", px(top), px(WIDTH), px(height));
    let line = |x: f32| html! { <line class="timeline" x1={px(x)} x2={px(x)} y1={px(top)} y2={px(top + height)} /> };
    html! {
        <div class="ladder-wrap">
            <svg class="ladder" viewBox={view_box} width={px(WIDTH)} height={px(height)}
                role="group" aria-label={t.ladder} data-testid="ladder">
                <defs>
                    <marker id={marker.clone()} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill="context-stroke" />
                    </marker>
                </defs>
                { line(CLIENT_X) }
                { line(SERVER_X) }
                <text class="column client" x={px(CLIENT_X)} y={px(top + 14.0)} text-anchor="middle">{ t.client }</text>
                <text class="column server" x={px(SERVER_X)} y={px(top + 14.0)} text-anchor="middle">{ t.server }</text>
                { breaks }
                { for rows }
                { packets }
            </svg>
        </div>
    }
}

/// A state or a call, written beside its host's timeline on the outer side.
fn label(side: Side, y: f32, class: &'static str, text: String) -> Html {
    let (x, anchor) = match side {
        Side::Server => (SERVER_X + 10.0, "start"),
        _ => (CLIENT_X - 10.0, "end"),
    };
    html! { <text class={classes!(class, side.name())} x={px(x)} y={px(y + 4.0)} text-anchor={anchor}>{ text }</text> }
}

/// One packet: an arrow to where it arrives, or a line that stops mid-wire at a cross.
#[allow(clippy::too_many_arguments)]
fn arrow(
    event: &Event,
    layout: &Layout,
    index: usize,
    again: bool,
    selected: bool,
    numbering: Numbering,
    marker: &str,
    t: &i18n::Labs,
    onclick: Callback<MouseEvent>,
    onkeydown: Callback<KeyboardEvent>,
) -> Html {
    let EventKind::Packet { from, packet, fate, .. } = &event.kind else {
        return Html::default();
    };
    let y = layout.y[index];
    let x1 = x_of(*from);
    let x2 = if *from == Side::Server { CLIENT_X } else { SERVER_X };
    let summary = match &packet.transport {
        Transport::Tcp(segment) => {
            let (seq, ack) = segment.seq_ack(numbering);
            let ack = ack.map(|a| format!(" ack={a}")).unwrap_or_default();
            format!("{} seq={seq}{ack} len={}", segment.flags.label(), segment.payload_len)
        }
        Transport::Udp { payload_len, .. } => format!("UDP len={payload_len}"),
    };
    let forged = *from == Side::Attacker;
    let prefix = match (again, forged) {
        (true, _) => "↻ ",
        (_, true) => "⚠ ",
        _ => "",
    };
    let lost = match fate {
        Fate::Delivered { .. } => None,
        Fate::Lost => Some(t.lost),
        Fate::DroppedByRule { .. } => Some(t.dropped),
        Fate::TooBig => Some(t.too_big),
        Fate::NoSuchHost => Some(t.no_such_host),
    };
    let (end_x, end_y) = match (lost, layout.arrival[index]) {
        (None, Some(arrival)) => (x2, arrival),
        _ => ((x1 + x2) / 2.0, y + 16.0),
    };
    let mid = ((x1 + end_x) / 2.0, (y + end_y) / 2.0);
    let text = format!("{prefix}{summary}");
    let described = match lost {
        Some(fate) => format!("{}: {text} ({fate})", (t.host)(*from)),
        None => format!("{}: {text}", (t.host)(*from)),
    };
    let classes = classes!(
        "segment",
        from.name(),
        again.then_some("again"),
        lost.is_some().then_some("lost"),
        forged.then_some("forged"),
        selected.then_some("selected")
    );
    html! {
        <g class={classes} tabindex="0" role="button" aria-label={described} aria-pressed={selected.to_string()}
            data-index={index.to_string()} {onclick} {onkeydown}>
            <line class="hit" x1={px(x1)} y1={px(y)} x2={px(end_x)} y2={px(end_y)} />
            <line class="wire" x1={px(x1)} y1={px(y)} x2={px(end_x)} y2={px(end_y)}
                marker-end={lost.is_none().then(|| format!("url(#{marker})"))} />
            <text class="segment-label" x={px(mid.0)} y={px(mid.1 - 5.0)} text-anchor="middle">{ text }</text>
            if let Some(fate) = lost {
                <text class="cross" x={px(end_x)} y={px(end_y + 5.0)} text-anchor="middle">{ "✗" }</text>
                <text class="fate" x={px(end_x + 10.0)} y={px(end_y + 5.0)}>{ fate }</text>
            }
        </g>
    }
}

/// `9.99 s` (integer arithmetic: the page carries no float formatting).
fn seconds(us: u64) -> String {
    format!("{}.{:02} s", us / 1_000_000, us % 1_000_000 / 10_000)
}

/// An SVG coordinate, to the pixel.
fn px(value: f32) -> String {
    (value.round() as i32).to_string()
}
