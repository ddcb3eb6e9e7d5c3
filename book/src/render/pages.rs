//! One component per kind of page: the course map (home), a chapter, not found, and the
//! language chooser at `/`.

use frontend::i18n::{self, Lang};
use yew::prelude::*;

use super::SiteRef;
use super::components::{ChapterNav, Toc};
use super::layout::{Layout, PageKind};
use crate::page::{Block, Kind, Page};

#[derive(Properties, PartialEq, Debug)]
pub struct HomeProps {
    pub site: SiteRef,
    pub lang: Lang,
}

/// The course map: every chapter with its summary; the reader script adds the learner's
/// progress (read, quiz answers) to each.
#[function_component]
pub fn Home(HomeProps { site, lang }: &HomeProps) -> Html {
    let t = i18n::reader(*lang);
    let edition = site.book.edition(*lang);
    let entry = |page: &Page| {
        let label = match page.kind {
            Kind::Chapter(n) => (t.chapter_number)(n),
            Kind::Appendix => t.appendices.to_string(),
        };
        html! {
            <li data-slug={page.slug.clone()} data-quizzes={page.quizzes.to_string()}>
                <a href={page.route()}>
                    <span class="course-number">{ label }</span>
                    <span class="course-title">{ &page.title }</span>
                </a>
                <p class="course-summary">{ &page.summary }</p>
                <p class="course-progress"></p>
            </li>
        }
    };
    html! {
        <Layout site={site.clone()} lang={*lang} kind={PageKind::Home}
            title={format!("{} — {}", t.site_name, t.tagline)} description={t.description}>
            <div class="home">
                <h1>{ t.tagline }</h1>
                <p class="intro">{ t.intro }</p>
                <h2 id="chapters">{ t.chapters }</h2>
                <ol class="course-map">{ for edition.chapters().map(entry) }</ol>
                if edition.appendices().next().is_some() {
                    <h2 id="appendices">{ t.appendices }</h2>
                    <ul class="course-map">{ for edition.appendices().map(entry) }</ul>
                }
                <div class="progress-controls needs-js">
                    <p>{ t.progress }</p>
                    <button type="button" id="reset-progress">{ t.reset_progress }</button>
                </div>
            </div>
        </Layout>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ChapterProps {
    pub site: SiteRef,
    pub lang: Lang,
    pub slug: AttrValue,
}

#[function_component]
pub fn Chapter(ChapterProps { site, lang, slug }: &ChapterProps) -> Html {
    let t = i18n::reader(*lang);
    let edition = site.book.edition(*lang);
    let page = edition.find(slug).expect("chapters are rendered from the book");
    let (previous, next) = edition.neighbours(page);
    let target = |p: Option<&Page>| p.map(|p| (p.route(), p.title.clone()));
    let number = match page.kind {
        Kind::Chapter(n) => html! { <p class="chapter-number">{ (t.chapter_number)(n) }</p> },
        Kind::Appendix => html! {},
    };
    let body = page.body.iter().map(|block| match block {
        // Rendered at build time from our own Markdown, never from anything a visitor sent.
        Block::Html(html) => Html::from_html_unchecked(AttrValue::from(html.clone())),
        Block::Lab { id, spec } => {
            let key = (*lang, page.slug.clone(), id.clone());
            let island = site.islands.get(&key).cloned().unwrap_or_default();
            let json = serde_json::to_string(spec).expect("lab specs serialise");
            html! {
                <div class="lab-frame" id={id.clone()}>
                    <div class="lab" data-lab={json} data-bundle={spec.bundle().name()} data-failed={t.lab_failed}>
                        { Html::from_html_unchecked(AttrValue::from(island)) }
                    </div>
                    <p class="lab-note">{ t.lab_waiting }</p>
                    <noscript><p class="lab-note">{ t.lab_noscript }</p></noscript>
                </div>
            }
        }
    });
    let aside = html! { <Toc lang={*lang} headings={page.headings.clone()} /> };
    html! {
        <Layout site={site.clone()} lang={*lang} kind={PageKind::Chapter} slug={slug.clone()}
            title={format!("{} · {}", page.title, t.site_name)} description={page.summary.clone()}
            {aside}>
            <article class="chapter" data-slug={slug.clone()}>
                { number }
                <h1>{ &page.title }</h1>
                { for body }
            </article>
            <ChapterNav lang={*lang} previous={target(previous)} next={target(next)} />
        </Layout>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct NotFoundProps {
    pub site: SiteRef,
    pub lang: Lang,
}

#[function_component]
pub fn NotFound(NotFoundProps { site, lang }: &NotFoundProps) -> Html {
    let t = i18n::reader(*lang);
    html! {
        <Layout site={site.clone()} lang={*lang} kind={PageKind::NotFound}
            title={format!("{} · {}", t.not_found_title, t.site_name)} description={t.not_found}>
            <div class="not-found">
                <h1>{ t.not_found_title }</h1>
                <p>{ t.not_found }</p>
                <p><a href={format!("/{lang}/")}>{ t.back_home }</a></p>
            </div>
        </Layout>
    }
}

/// Sends a visitor from `/` to their language's home page: the one they chose last time, else
/// the first of their browser's languages the course is written in, else English. Runs before
/// anything paints; without JavaScript, the page is a plain choice of the two.
const CHOOSE_LANGUAGE: &str = "(function(){var l;try{l=localStorage.getItem('socklab.lang')}catch(e){}if(l!=='en'&&l!=='zh'){l='en';var a=navigator.languages||[navigator.language||''];for(var i=0;i<a.length;i++){var c=String(a[i]).toLowerCase();if(c.indexOf('zh')===0){l='zh';break}if(c.indexOf('en')===0)break}}location.replace('/'+l+'/'+location.hash)})()";

#[derive(Properties, PartialEq, Debug)]
pub struct RootProps {
    pub site: SiteRef,
}

#[function_component]
pub fn Root(RootProps { site }: &RootProps) -> Html {
    let t = i18n::reader(Lang::En);
    html! {
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{ format!("{} — {}", t.site_name, t.tagline) }</title>
                <meta name="description" content={t.description} />
                { for Lang::ALL.into_iter().map(|lang| html! {
                    <link rel="alternate" hreflang={lang.code()} href={format!("{}/{lang}/", site.url)} />
                }) }
                <script>{ CHOOSE_LANGUAGE }</script>
                <style>{ crate::assets::STYLE }</style>
            </head>
            <body class="root-page">
                <main id="content">
                    <h1>{ t.site_name }</h1>
                    <ul class="root-choices">
                        { for Lang::ALL.into_iter().map(|lang| {
                            let t = i18n::reader(lang);
                            html! {
                                <li lang={lang.code()}>
                                    <a href={format!("/{lang}/")} hreflang={lang.code()}>{ lang.native_name() }</a>
                                    <span class="root-tagline">{ t.tagline }</span>
                                </li>
                            }
                        }) }
                    </ul>
                </main>
            </body>
        </html>
    }
}
