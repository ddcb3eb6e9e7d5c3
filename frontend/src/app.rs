//! Routes and the frame every page shares.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::header::Header;
use crate::content::Lang;
use crate::pages::{chapter::ChapterPage, home::Home, not_found::NotFound};

#[derive(Routable, Clone, PartialEq, Eq, Debug)]
pub enum Route {
    /// Sends the visitor to the home page in their browser's language.
    #[at("/")]
    Root,
    #[at("/:lang")]
    Home { lang: String },
    #[at("/:lang/:slug")]
    Chapter { lang: String, slug: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    pub fn home(lang: Lang) -> Route {
        Route::Home { lang: lang.code().into() }
    }

    pub fn chapter(lang: Lang, slug: &str) -> Route {
        Route::Chapter { lang: lang.code().into(), slug: slug.into() }
    }
}

#[function_component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <Switch<Route> render={switch} />
        </BrowserRouter>
    }
}

fn switch(route: Route) -> Html {
    let lang_of = |code: &str| code.parse::<Lang>().ok();
    let (lang, page) = match &route {
        Route::Root => return html! { <Redirect<Route> to={Route::home(Lang::preferred())} /> },
        Route::Home { lang } => match lang_of(lang) {
            Some(lang) => (lang, html! { <Home {lang} /> }),
            None => (Lang::En, html! { <NotFound lang={Lang::En} /> }),
        },
        Route::Chapter { lang, slug } => match lang_of(lang) {
            Some(lang) => (lang, html! { <ChapterPage {lang} slug={slug.clone()} /> }),
            None => (Lang::En, html! { <NotFound lang={Lang::En} /> }),
        },
        Route::NotFound => (Lang::En, html! { <NotFound lang={Lang::En} /> }),
    };
    html! {
        <>
            <Header {lang} {route} />
            <main lang={lang.code()}>{ page }</main>
        </>
    }
}
