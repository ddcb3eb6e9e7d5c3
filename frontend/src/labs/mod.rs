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
//!
//! The labs ship as two wasm [`Bundle`]s, one binary each (`src/bin/`): the simulations, which
//! carry smoltcp, and the live labs, which carry the relay console and the calculator. A page
//! downloads only the bundles its labs belong to, so a chapter pays for what it shows.

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

    /// The wasm that brings this lab to life.
    pub fn bundle(&self) -> Bundle {
        match self {
            LabSpec::Connection(_) | LabSpec::Sticky(_) | LabSpec::Readiness(_) => Bundle::Sim,
            LabSpec::Subnet(_) | LabSpec::Console(_) => Bundle::Live,
        }
    }
}

/// The labs' wasm binaries. Each is built from `src/bin/labs-<name>.rs` and holds only its own
/// labs' code: what the linker cannot reach from a bundle's `main` is not in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bundle {
    /// The simulation labs, on smoltcp (the sticky lab also tries its writes on the relay).
    Sim,
    /// The relay console and the subnet calculator: no smoltcp.
    Live,
}

impl Bundle {
    pub const ALL: [Bundle; 2] = [Bundle::Sim, Bundle::Live];

    /// As the page and the binaries name it: the bundle's binary is `labs-<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Bundle::Sim => "sim",
            Bundle::Live => "live",
        }
    }
}

/// Where a lab sits: the page's language, the island's id and the chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub lang: Lang,
    /// The island's id on its page (`lab-1`): the lab's deep link and score are kept under it.
    pub id: AttrValue,
    /// The page's slug.
    pub slug: AttrValue,
}

#[cfg(any(feature = "ssr", target_arch = "wasm32"))]
impl Place {
    fn props<S: PartialEq>(&self, spec: S) -> Props<S> {
        let Place { lang, id, slug } = self.clone();
        Props { lang, id, slug, spec }
    }
}

/// What every lab component is given: its place and its own spec.
#[derive(Properties, PartialEq, Debug, Clone)]
pub struct Props<S: PartialEq> {
    pub lang: Lang,
    pub id: AttrValue,
    pub slug: AttrValue,
    pub spec: S,
}

/// The lab's first render as HTML, for the static page (hydratable: it carries the markers
/// yew's hydration reads). Each lab is its island's root component, as in hydration.
#[cfg(feature = "ssr")]
pub async fn render(place: &Place, spec: LabSpec) -> String {
    async fn html<C: BaseComponent>(props: C::Properties) -> String {
        yew::LocalServerRenderer::<C>::with_props(props).hydratable(true).render().await
    }
    match spec {
        LabSpec::Connection(s) => html::<connection::ConnectionLab>(place.props(s)).await,
        LabSpec::Sticky(s) => html::<sticky::StickyLab>(place.props(s)).await,
        LabSpec::Readiness(s) => html::<readiness::ReadinessLab>(place.props(s)).await,
        LabSpec::Subnet(s) => html::<subnet::SubnetLab>(place.props(s)).await,
        LabSpec::Console(s) => html::<console::ConsoleLab>(place.props(s)).await,
    }
}

/// One island on the page, about to come to life.
#[cfg(target_arch = "wasm32")]
#[derive(Debug)]
pub struct Island {
    element: web_sys::Element,
    place: Place,
}

#[cfg(target_arch = "wasm32")]
impl Island {
    /// Hydrate the island with lab component `C` (the one [`render`] rendered it with).
    pub fn hydrate<C, S>(&self, spec: S)
    where
        C: BaseComponent<Properties = Props<S>>,
        S: PartialEq + 'static,
    {
        yew::Renderer::<C>::with_root_and_props(self.element.clone(), self.place.props(spec))
            .hydrate();
    }
}

/// Bring every island of `bundle` on the page to life with `hydrate`, the bundle's own match
/// from spec to component (it sees only its bundle's labs). A broken island says so in place
/// and does not stop the others.
#[cfg(target_arch = "wasm32")]
pub fn hydrate_all(bundle: Bundle, hydrate: fn(&Island, LabSpec)) {
    use wasm_bindgen::JsCast as _;

    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let lang = document
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| code.parse().ok())
        .unwrap_or(Lang::En);
    let slug: AttrValue = document
        .query_selector("article[data-slug]")
        .ok()
        .flatten()
        .and_then(|article| article.get_attribute("data-slug"))
        .unwrap_or_default()
        .into();
    let selector = format!("[data-lab][data-bundle={}]", bundle.name());
    let Ok(islands) = document.query_selector_all(&selector) else {
        return;
    };
    for index in 0..islands.length() {
        let Some(element) = islands.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let json = element.get_attribute("data-lab").unwrap_or_default();
        // The island sits in its frame, which carries the lab's id (the anchor `#lab-1`).
        let id = element.parent_element().map(|frame| frame.id()).unwrap_or_default();
        let spec =
            serde_json::from_str::<LabSpec>(&json).map_err(|e| e.to_string()).and_then(|spec| {
                match spec.bundle() == bundle {
                    true => Ok(spec),
                    false => Err(format!("marked for the {} bundle", bundle.name())),
                }
            });
        match spec {
            Ok(spec) => {
                let place = Place { lang, id: id.into(), slug: slug.clone() };
                let island = Island { element, place };
                hydrate(&island, spec);
                let _ = island.element.set_attribute("data-lab-state", "live");
            }
            Err(err) => {
                let reader_failed = element.get_attribute("data-failed").unwrap_or_default();
                element.set_text_content(Some(&format!("{reader_failed}: {err}")));
                let _ = element.set_attribute("data-lab-state", "failed");
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
