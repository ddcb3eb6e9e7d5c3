//! The labs: the parts of a chapter that move, each a yew component.
//!
//! A chapter embeds a lab with a ```` ```lab ```` block of TOML, which the `book` crate reads
//! into a [`LabSpec`] at build time — an unknown lab or parameter fails the build — and renders
//! with yew's server-side renderer into the page, inside an *island*:
//!
//! ```html
//! <div class="lab" data-lab='{"lab":"connection",…}'> …the lab's first render… </div>
//! ```
//!
//! So a reader sees the lab's starting state with the text, before any wasm has loaded (and
//! with JavaScript off). In the browser, [`hydrate_all`] finds every island and *hydrates* it:
//! yew adopts the server-rendered DOM as its own instead of building it again, and from then on
//! the lab is live. Hydration requires the first client render to equal the server's, so a
//! lab's first render depends on its props alone — never on the URL, storage or the network;
//! those are read in effects, after hydration.

pub mod connection;
pub mod console;
pub mod deep_link;
pub mod download;
pub mod progress;
pub mod readiness;
pub mod relay_status;
pub mod sticky;
pub mod subnet;

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::i18n::Lang;

/// A lab and its parameters, as a chapter's ```` ```lab ```` block writes it in TOML
/// (`lab = "connection"` and the lab's own keys) and as the page carries it in `data-lab`
/// (JSON).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "lab", rename_all = "kebab-case", deny_unknown_fields)]
pub enum LabSpec {
    /// The connection lab: a ladder diagram of any connection scenario on smoltcp.
    Connection(connection::Spec),
    /// Sticky packets: messages, segments, `recv()` chunks, framing, the real thing.
    Sticky(sticky::Spec),
    /// One server loop over many clients: blocking, select, epoll LT and ET.
    Readiness(readiness::Spec),
    /// The IP and subnet calculator.
    Subnet(subnet::Spec),
    /// A real socket through the relay: TCP echo, UDP echo, raw HTTP, the tap.
    Console(console::Spec),
}

impl LabSpec {
    /// What is wrong with the spec beyond its syntax, if anything (the book refuses it).
    pub fn check(&self) -> Result<(), String> {
        match self {
            LabSpec::Connection(spec) => spec.settings().map(drop),
            LabSpec::Sticky(spec) => spec.settings().map(drop),
            LabSpec::Readiness(spec) => spec.params().map(drop),
            LabSpec::Subnet(spec) => spec.check(),
            LabSpec::Console(_) => Ok(()),
        }
    }
}

#[derive(Properties, PartialEq, Debug, Clone)]
pub struct LabProps {
    pub lang: Lang,
    /// The island's id on its page (`lab-1`): the lab's deep link and score are kept under it.
    pub id: AttrValue,
    /// The page's slug.
    pub slug: AttrValue,
    pub spec: LabSpec,
}

/// Any lab, by its spec: the root component of every island.
#[function_component]
pub fn Lab(props: &LabProps) -> Html {
    let LabProps { lang, id, slug, spec } = props.clone();
    match spec {
        LabSpec::Connection(spec) => {
            html! { <connection::ConnectionLab {lang} {id} {slug} {spec} /> }
        }
        LabSpec::Sticky(spec) => html! { <sticky::StickyLab {lang} {id} {spec} /> },
        LabSpec::Readiness(spec) => html! { <readiness::ReadinessLab {lang} {id} {spec} /> },
        LabSpec::Subnet(spec) => html! { <subnet::SubnetLab {lang} {id} {spec} /> },
        LabSpec::Console(spec) => html! { <console::ConsoleLab {lang} {id} {spec} /> },
    }
}

/// The lab's first render as HTML, for the static page (hydratable: it carries the markers
/// yew's hydration reads).
#[cfg(feature = "ssr")]
pub async fn render(props: LabProps) -> String {
    yew::LocalServerRenderer::<Lab>::with_props(props).hydratable(true).render().await
}

/// Bring every island on the page to life. A broken island says so in place and does not stop
/// the others.
#[cfg(target_arch = "wasm32")]
pub fn hydrate_all() {
    use wasm_bindgen::JsCast as _;

    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let lang = document
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| code.parse().ok())
        .unwrap_or(Lang::En);
    let slug = document
        .query_selector("article[data-slug]")
        .ok()
        .flatten()
        .and_then(|article| article.get_attribute("data-slug"))
        .unwrap_or_default();
    let Ok(islands) = document.query_selector_all("[data-lab]") else {
        return;
    };
    for index in 0..islands.length() {
        let Some(island) = islands.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let json = island.get_attribute("data-lab").unwrap_or_default();
        // The island sits in its frame, which carries the lab's id (the anchor `#lab-1`).
        let id = island.parent_element().map(|frame| frame.id()).unwrap_or_default();
        match serde_json::from_str::<LabSpec>(&json) {
            Ok(spec) => {
                let props = LabProps { lang, id: id.into(), slug: slug.clone().into(), spec };
                yew::Renderer::<Lab>::with_root_and_props(island.clone(), props).hydrate();
                let _ = island.set_attribute("data-lab-state", "live");
            }
            Err(err) => {
                let reader_failed = island.get_attribute("data-failed").unwrap_or_default();
                island.set_text_content(Some(&format!("{reader_failed}: {err}")));
                let _ = island.set_attribute("data-lab-state", "failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn specs_travel_as_tagged_json_and_unknown_parts_are_refused() {
        let spec: LabSpec =
            serde_json::from_str(r#"{"lab":"connection","scenario":"lost_syn"}"#).unwrap();
        let LabSpec::Connection(connection) = &spec else { panic!("{spec:?}") };
        assert_eq!(connection.scenario, sim::scenario::ScenarioKind::LostSyn);
        let console = LabSpec::Console(console::Spec { endpoint: wire::Endpoint::HttpDemo });
        assert_eq!(
            serde_json::to_string(&console).unwrap(),
            r#"{"lab":"console","endpoint":"http-demo"}"#
        );
        assert!(serde_json::from_str::<LabSpec>(r#"{"lab":"connection","sed":1}"#).is_err());
        assert!(serde_json::from_str::<LabSpec>(r#"{"lab":"nope"}"#).is_err());
    }

    #[test]
    fn checks_catch_what_types_cannot() {
        let check = |json: &str| serde_json::from_str::<LabSpec>(json).unwrap().check();
        assert!(
            check(r#"{"lab":"connection","scenario":"transfer","params":{"bytes":100}}"#).is_ok()
        );
        let err = check(r#"{"lab":"connection","scenario":"transfer","params":{"bites":100}}"#)
            .unwrap_err();
        assert!(err.contains("bites"), "{err}");
        assert!(
            check(r#"{"lab":"connection","scenario":"sticky"}"#)
                .unwrap_err()
                .contains("does not draw")
        );
        assert!(check(r#"{"lab":"connection","loss_percent":200}"#).is_err());
    }
}
