//! The stream, drawn: every byte coloured by the message it belongs to, with the segments the
//! stack cut and the `recv()` chunks the receiver got laid under it; then what the receiver
//! made of the chunks; and the same messages as UDP datagrams.

use std::rc::Rc;

use framing::Progress;
use yew::prelude::*;

use super::model::{self, Framing, Settings, StickyRun};
use crate::i18n::{self, Lang};

/// Bytes per line of the drawing.
const PER_LINE: usize = 24;
/// Distinct message colours (and the message number is written in, so colour is not alone).
const COLOURS: usize = 6;

#[derive(Properties, PartialEq, Debug)]
pub(super) struct StreamProps {
    pub lang: Lang,
    pub run: Rc<StickyRun>,
    pub settings: Rc<Settings>,
}

/// A byte as it can be shown in a cell.
fn glyph(byte: u8) -> String {
    match byte {
        b'\n' => "⏎".into(),
        b' ' => "·".into(),
        0x21..=0x7e => (byte as char).to_string(),
        _ => format!("{byte:02x}"),
    }
}

#[function_component]
pub(super) fn Stream(StreamProps { lang, run, settings }: &StreamProps) -> Html {
    let t = i18n::labs(*lang);
    let stream: Vec<u8> = run.framed.concat();
    // Per byte: its message, and whether it is framing (header or trailer) rather than body.
    let mut owner = Vec::with_capacity(stream.len());
    for (n, frame) in run.framed.iter().enumerate() {
        let body_end = match settings.framing {
            Framing::Delimiter => frame.len() - 1,
            _ => frame.len(),
        };
        for i in 0..frame.len() {
            owner.push((n, i < run.header_len[n] || i >= body_end));
        }
    }
    let bars = |spans: &[(u64, u64, String)], line: usize, class: &'static str| -> Html {
        let (lo, hi) = ((line * PER_LINE) as u64, ((line + 1) * PER_LINE) as u64);
        spans
            .iter()
            .filter(|(start, end, _)| *start < hi && *end > lo)
            .map(|(start, end, label)| {
                let (from, to) = ((*start).max(lo) - lo + 1, (*end).min(hi) - lo + 1);
                html! { <span class={classes!("bar", class)} style={format!("grid-column: {from} / {to}")} title={label.clone()}>{ label }</span> }
            })
            .collect()
    };
    let segments: Vec<(u64, u64, String)> = run
        .map
        .segments
        .iter()
        .enumerate()
        .map(|(n, s)| (s.start, s.end, (t.segment_n)(n + 1)))
        .collect();
    let recvs: Vec<(u64, u64, String)> = run
        .map
        .recvs
        .iter()
        .enumerate()
        .map(|(n, r)| (r.start, r.end, (t.recv_n)(n + 1)))
        .collect();
    let lines = stream.len().div_ceil(PER_LINE);
    html! {
        <div class="sticky-view">
            <div class="stream" role="img" aria-label={(t.stream_label)(stream.len(), run.map.segments.len(), run.chunks.len())} data-testid="stream">
                { for (0..lines).map(|line| html! {
                    <div class="stream-line">
                        { for (line * PER_LINE..((line + 1) * PER_LINE).min(stream.len())).map(|at| {
                            let (n, framing) = owner[at];
                            let first = at == 0 || owner[at - 1].0 != n;
                            html! {
                                <span class={classes!("byte-cell", format!("m{}", n % COLOURS), framing.then_some("framing"))}
                                    title={format!("{} {at}", t.byte)}>
                                    if first { <sup class="msg-no">{ n + 1 }</sup> }
                                    { glyph(stream[at]) }
                                </span>
                            }
                        }) }
                        { bars(&segments, line, "segment") }
                        { bars(&recvs, line, "recv") }
                    </div>
                }) }
            </div>
            <Received lang={*lang} run={run.clone()} settings={settings.clone()} />
        </div>
    }
}

/// What the receiver got: the raw chunks, or with framing, the decoder's progress chunk by chunk.
#[function_component]
fn Received(StreamProps { lang, run, settings }: &StreamProps) -> Html {
    let t = i18n::labs(*lang);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim_end().to_string();
    let per_recv = run.map.messages_per_recv();
    html! {
        <ol class="received" data-testid="received">
            { for run.chunks.iter().enumerate().map(|(k, chunk)| {
                let decoded = run.decoded.get(k);
                let messages: Vec<String> = per_recv.get(k).map(|m| m.iter().map(|n| (n + 1).to_string()).collect()).unwrap_or_default();
                html! {
                    <li>
                        <code class="chunk">{ format!("recv({}) → {} {}", settings.recv_size, chunk.len(), t.bytes_word) }</code>
                        { " " }<span class="from-messages">{ (t.holds_messages)(&messages.join(", ")) }</span>
                        if let Some(decoded) = decoded {
                            <div class="decoded">
                                { for decoded.frames.iter().map(|frame| html! {
                                    <span class="frame" data-testid="frame">{ "✓ " }{ text(&frame.message.body) }</span>
                                }) }
                                <span class="waiting">{ waiting(*lang, decoded.progress) }</span>
                                if let Some(error) = &decoded.error {
                                    <span class="frame-error" role="alert">{ error.to_string() }</span>
                                }
                            </div>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}

/// What a decoder waits for, in words.
pub(super) fn waiting(lang: Lang, progress: Progress) -> String {
    let t = i18n::labs(lang);
    match progress {
        Progress::NeedHeader { have, need } => (t.waiting_header)(have, need),
        Progress::NeedBody { have, need } => (t.waiting_body)(have, need),
        Progress::NeedDelimiter { have, .. } => (t.waiting_delimiter)(have),
        Progress::Failed => t.decoder_failed.to_string(),
    }
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct UdpProps {
    pub lang: Lang,
    pub settings: Rc<Settings>,
}

/// The same messages as datagrams over a wire that loses a quarter of them.
#[function_component]
pub(super) fn UdpContrast(UdpProps { lang, settings }: &UdpProps) -> Html {
    let t = i18n::labs(*lang);
    let delivered = model::udp(settings, 0.25);
    html! {
        <section class="udp-contrast" aria-label={t.udp_title}>
            <h4>{ t.udp_title }</h4>
            <p class="note">{ t.udp_note }</p>
            <ol data-testid="udp">
                { for settings.messages.iter().zip(delivered).map(|(message, arrived)| html! {
                    <li class={if arrived { "arrived" } else { "lost" }}>
                        { if arrived { "✓ " } else { "✗ " } }<code>{ message }</code>{ " " }
                        { if arrived { t.datagram_arrived } else { t.datagram_lost } }
                    </li>
                }) }
            </ol>
        </section>
    }
}
