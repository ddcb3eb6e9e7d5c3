//! The course's front page: what SockLab is, and the chapters in order.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::content::{self, Lang};
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

#[function_component]
pub fn Home(Props { lang }: &Props) -> Html {
    let t = i18n::text(*lang);
    html! {
        <div class="home">
            <h1>{ t.tagline }</h1>
            <p class="intro">{ t.intro }</p>
            <h2>{ t.chapters }</h2>
            <ol class="chapter-list">
                { for content::chapters(*lang).map(|c| html! {
                    <li>
                        <Link<Route> to={Route::chapter(*lang, c.slug)}>
                            <span class="number">{ (t.chapter_number)(c.number) }</span>
                            <span class="title">{ c.title }</span>
                        </Link<Route>>
                        <p class="summary">{ c.summary }</p>
                    </li>
                }) }
            </ol>
        </div>
    }
}
