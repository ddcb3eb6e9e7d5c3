//! SockLab's page code: the labs, and the interface's words.
//!
//! The chapters themselves are not here. The `book` crate renders every page to static HTML at
//! build time, so the text reaches a reader before any of this has loaded, and adding a chapter
//! does not change the wasm. What this crate adds to a page is the parts that move:
//!
//! - [`labs`]: one yew component per lab. The book renders each lab's first state into the
//!   page (server-side, natively, feature `ssr`); in the browser, [`labs::hydrate_all`] takes
//!   those islands over and makes them live.
//! - [`relay`]: the page's one line to the relay — sessions over a shared WebSocket (the `wire`
//!   crate's messages), used by the live labs.
//! - [`i18n`]: the interface's words in each language, for the labs and for the book.
//!
//! The wasm is loaded by the reader script (`book/assets/reader.js`) only when a lab is about
//! to scroll into view, so a chapter's text never waits for it.

pub mod i18n;
pub mod labs;
pub mod relay;
