//! The parts of the frame: top bar, chapter sidebar, table of contents, previous/next links.
//!
//! Controls that only work with the reader script (sidebar toggle, search, theme) carry the
//! class `needs-js`, which the stylesheet hides unless the early script in `<head>` has marked
//! the document as scripted. Without JavaScript nobody sees a button that does nothing; with it,
//! the controls are there from the first paint, so nothing shifts when the script arrives.

use frontend::i18n::{self, Lang};
use yew::prelude::*;

use super::SiteRef;
use super::layout::{PageKind, path_in};
use crate::page::{Heading, Kind, Page};

#[derive(Properties, PartialEq, Debug)]
pub struct TopBarProps {
    pub lang: Lang,
    pub kind: PageKind,
    pub slug: AttrValue,
}

#[function_component]
pub fn TopBar(TopBarProps { lang, kind, slug }: &TopBarProps) -> Html {
    let t = i18n::reader(*lang);
    html! {
        <header class="topbar">
            <button type="button" class="icon-button sidebar-toggle needs-js" aria-controls="sidebar"
                aria-expanded="true" aria-label={t.toggle_sidebar}>
                <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="22" height="22">
                    <path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                </svg>
            </button>
            <a class="brand" href={path_in(*lang, PageKind::Home, "")}>{ t.site_name }</a>
            <div class="topbar-tools">
                <button type="button" class="search-button needs-js" aria-keyshortcuts="s /">
                    <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="18" height="18">
                        <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2" />
                        <path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                    </svg>
                    <span class="search-label">{ t.search }</span>
                    <kbd aria-hidden="true">{ "S" }</kbd>
                </button>
                <label class="theme-picker needs-js">
                    <span class="visually-hidden">{ t.theme }</span>
                    <select id="theme-select">
                        <option value="auto">{ t.theme_auto }</option>
                        <option value="light">{ t.theme_light }</option>
                        <option value="dark">{ t.theme_dark }</option>
                    </select>
                </label>
                <nav class="langs" aria-label={t.language}>
                    { for Lang::ALL.into_iter().map(|other| if other == *lang {
                        html! { <span class="lang current" aria-current="true">{ other.native_name() }</span> }
                    } else {
                        html! {
                            <a class="lang" href={path_in(other, *kind, slug)} hreflang={other.code()}
                                lang={other.code()}>{ other.native_name() }</a>
                        }
                    }) }
                </nav>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct SidebarProps {
    pub site: SiteRef,
    pub lang: Lang,
    /// The current page's slug, marked in the tree and opened to its sections.
    pub current: AttrValue,
}

#[function_component]
pub fn Sidebar(SidebarProps { site, lang, current }: &SidebarProps) -> Html {
    let t = i18n::reader(*lang);
    let edition = site.book.edition(*lang);
    let entry = |page: &Page| {
        let is_current = page.slug == current.as_str();
        let number = match page.kind {
            Kind::Chapter(n) => html! { <span class="chapter-no">{ n }</span> },
            Kind::Appendix => html! {},
        };
        html! {
            <li class={classes!(is_current.then_some("current"))}>
                <a href={page.route()} aria-current={is_current.then_some("page")}>
                    { number }<span class="chapter-title">{ &page.title }</span>
                </a>
                if is_current && !page.headings.is_empty() {
                    <ol class="section-tree">
                        { for page.headings.iter().filter(|h| h.level == 2).map(|h| html! {
                            <li><a href={format!("#{}", h.id)}>{ &h.text }</a></li>
                        }) }
                    </ol>
                }
            </li>
        }
    };
    html! {
        <nav id="sidebar" class="sidebar" aria-label={t.chapters}>
            <p class="sidebar-heading">{ t.chapters }</p>
            <ol class="chapter-tree">{ for edition.chapters().map(entry) }</ol>
            if edition.appendices().next().is_some() {
                <p class="sidebar-heading">{ t.appendices }</p>
                <ul class="chapter-tree">{ for edition.appendices().map(entry) }</ul>
            }
        </nav>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct TocProps {
    pub lang: Lang,
    pub headings: Vec<Heading>,
}

/// The page's sections, beside the text on wide screens. (Narrower screens have no room for a
/// third column; there the chapter list shows the current chapter's sections instead.)
#[function_component]
pub fn Toc(TocProps { lang, headings }: &TocProps) -> Html {
    let t = i18n::reader(*lang);
    if headings.is_empty() {
        return html! {};
    }
    html! {
        <aside class="toc" aria-labelledby="toc-heading">
            <p class="toc-heading" id="toc-heading">{ t.on_this_page }</p>
            <ol>
                { for headings.iter().map(|h| html! {
                    <li class={format!("toc-h{}", h.level)}><a href={format!("#{}", h.id)}>{ &h.text }</a></li>
                }) }
            </ol>
        </aside>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ChapterNavProps {
    pub lang: Lang,
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
}

/// Previous and next in reading order; the reader script binds them to ← and →.
#[function_component]
pub fn ChapterNav(ChapterNavProps { lang, previous, next }: &ChapterNavProps) -> Html {
    let t = i18n::reader(*lang);
    let link = |target: &Option<(String, String)>, rel: &'static str, label: &'static str| {
        target.as_ref().map(|(route, title)| {
            html! {
                <a class={rel} rel={rel} href={route.clone()}>
                    <span class="nav-label">{ label }</span>
                    <span class="nav-title">{ title }</span>
                </a>
            }
        })
    };
    html! {
        <nav class="chapter-nav" aria-label={format!("{} / {}", t.previous, t.next)}>
            { link(previous, "prev", t.previous) }
            { link(next, "next", t.next) }
        </nav>
    }
}
