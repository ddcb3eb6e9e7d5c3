use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::content::Lang;
use crate::i18n;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
}

#[function_component]
pub fn NotFound(Props { lang }: &Props) -> Html {
    let t = i18n::text(*lang);
    html! {
        <div class="not-found">
            <h1>{ "404" }</h1>
            <p>{ t.not_found }</p>
            <Link<Route> to={Route::home(*lang)}>{ t.back_home }</Link<Route>>
        </div>
    }
}
