//! Site header: the brand, linking home, and the language switcher, which keeps the reader on
//! the same chapter in the other language.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::content::Lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub route: Route,
}

#[function_component]
pub fn Header(Props { lang, route }: &Props) -> Html {
    let switch_to = |other: Lang| match route {
        Route::Chapter { slug, .. } => Route::chapter(other, slug),
        _ => Route::home(other),
    };
    html! {
        <header class="site-header">
            <Link<Route> to={Route::home(*lang)} classes="brand">{ "SockLab" }</Link<Route>>
            <nav class="langs" aria-label="language">
                { for Lang::ALL.into_iter().map(|other| {
                    let classes = classes!((other == *lang).then_some("current"));
                    html! { <Link<Route> to={switch_to(other)} {classes}>{ other.native_name() }</Link<Route>> }
                }) }
            </nav>
        </header>
    }
}
