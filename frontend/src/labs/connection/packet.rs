//! One packet, opened up: its fields (from [`sim::dissect`]) beside its bytes. The layers show
//! as nested bands — IP around TCP around the data — and pointing at a field lights up its
//! bytes, so encapsulation is something the reader sees in a real packet.

use std::rc::Rc;

use sim::EventKind;
use sim::dissect::{Field, Layer, dissect};
use sim::trace::Numbering;
use yew::prelude::*;

use super::model::Run;
use crate::i18n::{self, Lang};

/// Bytes of data shown before the rest is summed up (a full segment is 1460).
const DATA_SHOWN: usize = 48;

#[derive(Properties, PartialEq, Debug)]
pub(super) struct PacketProps {
    pub lang: Lang,
    pub run: Rc<Run>,
    pub index: usize,
    pub numbering: Numbering,
    pub on_drop: Callback<usize>,
    pub on_close: Callback<()>,
}

fn layer_class(layer: Layer) -> &'static str {
    match layer {
        Layer::Ip => "ip",
        Layer::Tcp => "tcp",
        Layer::Udp => "udp",
        Layer::Payload => "data",
    }
}

#[function_component]
pub(super) fn PacketView(props: &PacketProps) -> Html {
    let PacketProps { lang, run, index, numbering, on_drop, on_close } = props;
    let t = i18n::labs(*lang);
    let hovered = use_state(|| None::<usize>);
    let EventKind::Packet { from, packet, bytes, .. } = &run.trace[*index].kind else {
        return Html::default();
    };
    let fields: Vec<Field> = dissect(bytes);
    let title = match packet.tcp() {
        Some(segment) => segment.summary(*numbering),
        None => format!("UDP {} bytes", bytes.len()),
    };
    let hover = |field: Option<usize>| {
        let hovered = hovered.clone();
        Callback::from(move |_: MouseEvent| hovered.set(field))
    };
    let focus = |field: Option<usize>| {
        let hovered = hovered.clone();
        Callback::from(move |_: FocusEvent| hovered.set(field))
    };
    // Layers as bands: how many bytes each takes.
    let band = |layer: Layer| {
        fields.iter().filter(|f| f.layer == layer).map(|f| f.bytes.len()).sum::<usize>()
    };
    let bands: Vec<(Layer, usize)> = [Layer::Ip, Layer::Tcp, Layer::Udp, Layer::Payload]
        .into_iter()
        .map(|l| (l, band(l)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let field_of = |byte: usize| fields.iter().position(|f| f.bytes.contains(&byte));
    let shown = bytes.len().min(
        fields
            .iter()
            .find(|f| f.layer == Layer::Payload)
            .map_or(bytes.len(), |f| f.bytes.start + DATA_SHOWN),
    );
    let rows = (0..shown).step_by(16).map(|row| {
        html! {
            <div class="hex-row">
                <span class="offset">{ format!("{row:04x}") }</span>
                { for (row..(row + 16).min(shown)).map(|byte| {
                    let field = field_of(byte);
                    let layer = field.map(|f| layer_class(fields[f].layer)).unwrap_or("data");
                    let lit = field.is_some() && field == *hovered;
                    html! {
                        <span class={classes!("byte", layer, lit.then_some("lit"))}
                            onmouseenter={hover(field)} onmouseleave={hover(None)}>{ format!("{:02x}", bytes[byte]) }</span>
                    }
                }) }
            </div>
        }
    });
    html! {
        <section class="packet-view" aria-label={t.packet} data-testid="packet-view">
            <header class="packet-head">
                <strong>{ (t.host)(*from) }{ ": " }<code>{ title }</code></strong>
                <span class="packet-actions">
                    <button type="button" data-testid="drop-packet" onclick={{ let (on_drop, i) = (on_drop.clone(), *index); Callback::from(move |_| on_drop.emit(i)) }}>{ t.drop_packet }</button>
                    <button type="button" onclick={{ let on_close = on_close.clone(); Callback::from(move |_| on_close.emit(())) }}>{ t.close }</button>
                </span>
            </header>
            <div class="layers" aria-hidden="true">
                { for bands.iter().map(|(layer, n)| html! {
                    <span class={classes!("band", layer_class(*layer))} style={format!("flex-grow: {n}")}>{ format!("{} · {n} B", (t.layer)(*layer)) }</span>
                }) }
            </div>
            <div class="packet-body">
                <table class="fields">
                    <thead><tr><th>{ t.field }</th><th>{ t.value }</th><th>{ t.bytes }</th></tr></thead>
                    <tbody>
                        { for fields.iter().enumerate().map(|(n, field)| html! {
                            <tr class={classes!(layer_class(field.layer), (*hovered == Some(n)).then_some("lit"))} tabindex="0"
                                onmouseenter={hover(Some(n))} onmouseleave={hover(None)} onfocus={focus(Some(n))} onblur={focus(None)}>
                                <td>{ field.name }</td>
                                <td>{ &field.value }</td>
                                <td class="range">{ format!("{}–{}", field.bytes.start, field.bytes.end - 1) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <div class="hex" aria-hidden="true">
                    { for rows }
                    if shown < bytes.len() {
                        <div class="hex-more">{ (t.more_bytes)(bytes.len() - shown) }</div>
                    }
                </div>
            </div>
        </section>
    }
}
