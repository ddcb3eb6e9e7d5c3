//! The labs: the parts of a chapter that move, each a yew component.
//!
//! A chapter embeds a lab with a ```` ```lab ```` block of TOML, which the `book` crate reads
//! into a [`LabSpec`] at build time — an unknown lab or parameter fails the build — and renders
//! with yew's server-side renderer into the page, inside an *island*:
//!
//! ```html
//! <div class="lab" id="lab-1" data-lab='{"lab":"handshake"}'> …the lab's first render… </div>
//! ```
//!
//! So a reader sees the lab's starting state with the text, before any wasm has loaded (and
//! with JavaScript off). In the browser, [`hydrate_all`] finds every island and *hydrates* it:
//! yew adopts the server-rendered DOM as its own instead of building it again, and from then on
//! the lab is live. Hydration requires the first client render to equal the server's, so a
//! lab's first render depends on its props alone — never on the URL, storage or the network;
//! those are read in effects, after hydration.

pub mod echo;
pub mod handshake;

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::i18n::Lang;

/// A lab and its parameters, as a chapter's ```` ```lab ```` block writes it in TOML
/// (`lab = "handshake"`) and as the page carries it in `data-lab` (JSON).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "lab", rename_all = "kebab-case", deny_unknown_fields)]
pub enum LabSpec {
    /// Step a TCP handshake on smoltcp.
    Handshake {},
    /// Send text through the relay to its real TCP echo server.
    Echo {},
}

#[derive(Properties, PartialEq, Debug, Clone)]
pub struct LabProps {
    pub lang: Lang,
    pub spec: LabSpec,
}

/// Any lab, by its spec: the root component of every island.
#[function_component]
pub fn Lab(LabProps { lang, spec }: &LabProps) -> Html {
    match spec {
        LabSpec::Handshake {} => html! { <handshake::Handshake lang={*lang} /> },
        LabSpec::Echo {} => html! { <echo::Echo lang={*lang} /> },
    }
}

/// The lab's first render as HTML, for the static page (hydratable: it carries the markers
/// yew's hydration reads).
#[cfg(feature = "ssr")]
pub async fn render(lang: Lang, spec: LabSpec) -> String {
    yew::LocalServerRenderer::<Lab>::with_props(LabProps { lang, spec })
        .hydratable(true)
        .render()
        .await
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
    let Ok(islands) = document.query_selector_all("[data-lab]") else {
        return;
    };
    for index in 0..islands.length() {
        let Some(island) = islands.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let json = island.get_attribute("data-lab").unwrap_or_default();
        match serde_json::from_str::<LabSpec>(&json) {
            Ok(spec) => {
                yew::Renderer::<Lab>::with_root_and_props(island.clone(), LabProps { lang, spec })
                    .hydrate();
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
        let spec: LabSpec = serde_json::from_str(r#"{"lab":"handshake"}"#).unwrap();
        assert_eq!(spec, LabSpec::Handshake {});
        assert_eq!(serde_json::to_string(&LabSpec::Echo {}).unwrap(), r#"{"lab":"echo"}"#);
        assert!(serde_json::from_str::<LabSpec>(r#"{"lab":"handshake","seed":1}"#).is_err());
        assert!(serde_json::from_str::<LabSpec>(r#"{"lab":"nope"}"#).is_err());
    }
}
