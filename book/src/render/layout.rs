//! The frame every page shares: the document head, the top bar, the chapter sidebar, the
//! footer, the search dialog the reader script opens, and the script's configuration.

use std::collections::BTreeMap;

use frontend::i18n::{self, Lang};
use serde_json::json;
use yew::prelude::*;

use super::SiteRef;
use super::components::{Sidebar, TopBar};

/// Sets the remembered theme and sidebar state before the stylesheet applies, so the page
/// never flashes in the wrong theme; marks the document as scripted for the stylesheet. It must
/// run before first paint, hence inline in `<head>` (the rest of the reader's code is deferred).
const EARLY_SCRIPT: &str = "(function(d){d.classList.add('js');try{var s=localStorage,t=s.getItem('socklab.theme');if(t==='light'||t==='dark')d.dataset.theme=t;if(s.getItem('socklab.sidebar')==='closed')d.dataset.sidebar='closed'}catch(e){}})(document.documentElement)";

/// A small square in the accent colour.
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%230b6e6e'/%3E%3C/svg%3E";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Chapter,
    NotFound,
}

impl PageKind {
    fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Chapter => "chapter",
            PageKind::NotFound => "not-found",
        }
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct LayoutProps {
    pub site: SiteRef,
    pub lang: Lang,
    /// The whole `<title>`.
    pub title: AttrValue,
    pub description: AttrValue,
    pub kind: PageKind,
    /// The page's slug ("" for the home page): the same in every language.
    #[prop_or_default]
    pub slug: AttrValue,
    /// The right-hand column (a chapter's table of contents).
    #[prop_or_default]
    pub aside: Html,
    pub children: Html,
}

/// The path of the same page in `lang`.
pub fn path_in(lang: Lang, kind: PageKind, slug: &str) -> String {
    match kind {
        PageKind::Home => format!("/{lang}/"),
        PageKind::Chapter => format!("/{lang}/{slug}"),
        PageKind::NotFound => format!("/{lang}/404"),
    }
}

#[function_component]
pub fn Layout(props: &LayoutProps) -> Html {
    let LayoutProps { site, lang, title, description, kind, slug, aside, children } = props;
    let t = i18n::reader(*lang);
    let assets = &site.assets;
    let url = |lang: Lang| format!("{}{}", site.url, path_in(lang, *kind, slug));
    // Only real pages are canonical and have alternates; a 404 asks not to be indexed.
    let links = if *kind == PageKind::NotFound {
        html! { <meta name="robots" content="noindex" /> }
    } else {
        html! {
            <>
                <link rel="canonical" href={url(*lang)} />
                { for Lang::ALL.into_iter().map(|other| html! {
                    <link rel="alternate" hreflang={other.code()} href={url(other)} />
                }) }
                <link rel="alternate" hreflang="x-default" href={format!("{}/", site.url)} />
            </>
        }
    };
    let config = json!({
        "lang": lang.code(),
        "page": kind.name(),
        "slug": slug.as_str(),
        "search": assets.search[lang],
        // Every bundle: each island says which one it needs (`data-bundle`).
        "labs": assets.labs.iter().map(|(bundle, files)| (bundle.name(), files)).collect::<BTreeMap<_, _>>(),
        "text": t,
    });
    // `</script>` cannot occur in JSON strings escaped this way.
    let config = config.to_string().replace('<', "\\u003c");
    html! {
        <html lang={lang.code()}>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{ title }</title>
                <meta name="description" content={description} />
                <meta name="color-scheme" content="light dark" />
                { links }
                <link rel="icon" href={FAVICON} />
                <script>{ EARLY_SCRIPT }</script>
                // Inline, not linked: the text paints one round trip sooner (docs/READER.md).
                <style>{ crate::assets::STYLE }</style>
                <script type="module" src={assets.reader.clone()}></script>
            </head>
            <body data-page={kind.name()}>
                <a class="skip-link" href="#content">{ t.skip_to_content }</a>
                <TopBar lang={*lang} kind={*kind} slug={slug.clone()} />
                <div class="layout">
                    <Sidebar site={site.clone()} lang={*lang} current={slug.clone()} />
                    <main id="content" tabindex="-1">{ children.clone() }</main>
                    { aside.clone() }
                </div>
                <footer class="site-footer"><p>{ t.footer }</p></footer>
                <SearchDialog lang={*lang} />
                <script type="application/json" id="socklab-config">{ config }</script>
            </body>
        </html>
    }
}

#[derive(Properties, PartialEq, Debug)]
struct SearchDialogProps {
    lang: Lang,
}

/// Opened by the reader script with `s`, `/` or the search button; Esc closes it.
#[function_component]
fn SearchDialog(SearchDialogProps { lang }: &SearchDialogProps) -> Html {
    let t = i18n::reader(*lang);
    html! {
        <dialog id="search" class="search-dialog" aria-label={t.search}>
            <form method="dialog" role="search" class="search-form">
                <input type="search" id="search-input" placeholder={t.search_placeholder}
                    aria-label={t.search_placeholder} autocomplete="off" spellcheck="false"
                    aria-controls="search-results" aria-describedby="search-status" />
                <button type="submit" class="search-close" value="close">{ t.close }</button>
            </form>
            <p id="search-status" class="search-status" role="status"></p>
            <ol id="search-results" class="search-results"></ol>
        </dialog>
    }
}
