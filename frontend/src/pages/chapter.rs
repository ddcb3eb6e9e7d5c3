//! One chapter: its text, with live widgets mounted where the Markdown asked for them.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::{echo::Echo, handshake::Handshake};
use crate::content::{self, Block, Lang, Widget};
use crate::i18n;
use crate::pages::not_found::NotFound;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub slug: AttrValue,
}

#[function_component]
pub fn ChapterPage(Props { lang, slug }: &Props) -> Html {
    let Some(chapter) = content::find(*lang, slug) else {
        return html! { <NotFound lang={*lang} /> };
    };
    let t = i18n::text(*lang);
    let all: Vec<_> = content::chapters(*lang).collect();
    let index = all.iter().position(|c| c.slug == chapter.slug).unwrap_or_default();
    let neighbour = |c: Option<&&content::Chapter>, label: &'static str, class: &'static str| {
        c.map(|c| html! {
            <Link<Route> to={Route::chapter(*lang, c.slug)} classes={class}>{ label }{ ": " }{ c.title }</Link<Route>>
        })
    };

    html! {
        <article class="chapter">
            <p class="chapter-number">{ (t.chapter_number)(chapter.number) }</p>
            <h1>{ chapter.title }</h1>
            { for chapter.blocks.iter().map(|block| match block {
                // Generated at build time from our own Markdown, never from user input.
                Block::Html(html) => Html::from_html_unchecked(AttrValue::Static(html)),
                Block::Widget(Widget::Handshake) => html! { <Handshake lang={*lang} /> },
                Block::Widget(Widget::Echo) => html! { <Echo lang={*lang} /> },
            }) }
            <nav class="chapter-nav">
                { neighbour(index.checked_sub(1).and_then(|i| all.get(i)), t.previous, "prev") }
                { neighbour(all.get(index + 1), t.next, "next") }
            </nav>
        </article>
    }
}
