//! Pages to HTML documents, with yew's server-side renderer.
//!
//! The pages are yew components like the labs, laid out as yew's own examples are:
//! [`layout`] is the frame every page shares, [`pages`] holds one component per kind of page,
//! [`components`] the parts (sidebar, table of contents, chapter navigation). They run here,
//! natively, once per build, and are never hydrated: nothing in them moves except what the
//! small reader script does (themes, search, keys, copy buttons, quizzes, progress). Only the
//! labs inside a chapter are rendered *hydratable*, as islands the wasm takes over.

pub mod components;
pub mod layout;
pub mod pages;

use std::collections::BTreeMap;
use std::rc::Rc;

use frontend::i18n::Lang;
use frontend::labs::Bundle;
use yew::{BaseComponent, LocalServerRenderer};

use crate::content::Book;

/// The names of the built assets, each with a content hash in it (so they can be cached for a
/// year, see relay/src/site.rs), as absolute paths on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    pub reader: String,
    /// Each lab bundle's wasm-bindgen module and its wasm, as Trunk built them.
    pub labs: BTreeMap<Bundle, BundleFiles>,
    pub search: BTreeMap<Lang, String>,
}

/// One lab bundle's files: the wasm-bindgen module, which loads the wasm.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BundleFiles {
    pub js: String,
    pub wasm: String,
}

/// Everything a page may show, shared by every page of one build.
#[derive(Debug)]
pub struct Site {
    pub book: Book,
    pub assets: Assets,
    /// The origin the site is published at, for canonical and `hreflang` links, which must be
    /// absolute URLs: `http://127.0.0.1:8080` by default.
    pub url: String,
    /// Each lab's first render, by language, page and lab id.
    pub islands: BTreeMap<(Lang, String, String), String>,
}

/// A shared [`Site`] as a prop: compared by identity, since there is one per build.
#[derive(Debug, Clone)]
pub struct SiteRef(pub Rc<Site>);

impl PartialEq for SiteRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SiteRef {
    type Target = Site;

    fn deref(&self) -> &Site {
        &self.0
    }
}

/// Render a page component to a complete HTML document.
pub async fn document<C: BaseComponent>(props: C::Properties) -> String {
    let html = LocalServerRenderer::<C>::with_props(props).hydratable(false).render().await;
    format!("<!doctype html>\n{html}\n")
}
