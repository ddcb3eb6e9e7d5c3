//! SockLab's page: a bilingual course whose moving parts are real.
//!
//! - [`content`]: the chapters, compiled in from `content/**.md` by `build.rs`.
//! - [`app`]: routes (`/`, `/:lang`, `/:lang/:slug`) and the page frame.
//! - [`pages`]: home, chapter, not found.
//! - [`components`]: the live widgets — [`components::handshake`] runs the smoltcp simulation
//!   from the `sim` crate in the page; [`components::echo`] talks to the relay's real echo
//!   socket through [`relay_client`].
//! - [`i18n`]: the interface's own words in each language.

mod app;
mod components;
mod content;
mod i18n;
mod pages;
mod relay_client;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
