//! A lab's state in the page's address, so that a link opens the lab as it was:
//! `/en/handshake?lab-1=s:lost_syn,seed:7,loss:0.1,step:12`.
//!
//! Each lab owns one query parameter, named by its id, holding `key:value` pairs. Values are
//! percent-encoded, so text (a sticky-packet lab's messages) survives the trip. Labs write their
//! state with `history.replaceState` as it changes, so the address bar is always the link to
//! share, and the back button still leaves the page rather than undoing steps.

use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// What must be escaped in a value: the pair syntax itself, what ends a query parameter, and
/// anything that is not plain ASCII.
const VALUE: &AsciiSet =
    &CONTROLS.add(b' ').add(b'%').add(b',').add(b':').add(b'&').add(b'#').add(b'+').add(b'=');

/// A lab's state as ordered `key:value` pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn new() -> Params {
        Params::default()
    }

    pub fn parse(text: &str) -> Params {
        let pairs = text
            .split(',')
            .filter_map(|pair| pair.split_once(':'))
            .map(|(key, value)| (key.to_string(), decode(value)))
            .collect();
        Params(pairs)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The value of `key`, if present and readable as a `T`.
    pub fn parsed<T: FromStr>(&self, key: &str) -> Option<T> {
        self.get(key)?.parse().ok()
    }

    /// Every value of a repeated key, in order.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> {
        self.0.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn push(&mut self, key: &str, value: impl fmt::Display) {
        self.0.push((key.to_string(), value.to_string()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, (key, value)) in self.0.iter().enumerate() {
            let comma = if n == 0 { "" } else { "," };
            write!(f, "{comma}{key}:{}", utf8_percent_encode(value, VALUE))?;
        }
        Ok(())
    }
}

fn decode(value: &str) -> String {
    percent_decode_str(value).decode_utf8_lossy().into_owned()
}

/// The state lab `id` left in the page's address, if any.
pub fn read(id: &str) -> Option<Params> {
    let search = web_sys::window()?.location().search().ok()?;
    query_param(&search, id).map(Params::parse)
}

/// A hook: keep lab `id`'s state in the address, once `active` (the reader has changed
/// something). Writes wait until the state has been still for a moment: browsers throttle
/// pages that rewrite their address on every keystroke, and a reader stepping through a run
/// presses keys fast.
#[yew::hook]
pub fn use_deep_link(id: &str, params: Params, active: bool) {
    let id = id.to_string();
    yew::use_effect_with((params, active), move |(params, active)| {
        let pending = active.then(|| {
            let params = params.clone();
            gloo_timers::callback::Timeout::new(250, move || write(&id, &params))
        });
        move || drop(pending)
    });
}

/// Put lab `id`'s state in the address, keeping the other labs' and the anchor.
pub fn write(id: &str, params: &Params) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let (Ok(path), Ok(search), Ok(hash)) =
        (location.pathname(), location.search(), location.hash())
    else {
        return;
    };
    let query = with_param(&search, id, &params.to_string());
    let url = format!("{path}{query}{hash}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The raw value of `name` in a query string (`?a=1&b=2`).
fn query_param<'a>(search: &'a str, name: &str) -> Option<&'a str> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// `search` with `name` set to `value` (already encoded), other parameters kept in order.
fn with_param(search: &str, name: &str, value: &str) -> String {
    let mut pairs: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name))
        .map(str::to_string)
        .collect();
    if !value.is_empty() {
        pairs.push(format!("{name}={value}"));
    }
    if pairs.is_empty() { String::new() } else { format!("?{}", pairs.join("&")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn pairs_round_trip_with_any_text() {
        let mut params = Params::new();
        params.push("s", "lost_syn");
        params.push("m", "hello, world: 你好 & 50%");
        params.push("m", "second");
        let text = params.to_string();
        assert!(text.starts_with("s:lost_syn,m:hello%2C%20world%3A%20%E4"), "{text}");
        let back = Params::parse(&text);
        assert_eq!(back, params);
        assert_eq!(back.all("m").collect::<Vec<_>>(), ["hello, world: 你好 & 50%", "second"]);
        assert_eq!(back.parsed::<u64>("s"), None);
    }

    #[test]
    fn a_lab_replaces_only_its_own_parameter() {
        assert_eq!(query_param("?lab-1=s:udp&lab-2=x:1", "lab-2"), Some("x:1"));
        assert_eq!(
            with_param("?lab-1=s:udp&lab-2=x:1", "lab-1", "s:transfer"),
            "?lab-2=x:1&lab-1=s:transfer"
        );
        assert_eq!(with_param("", "lab-1", "step:3"), "?lab-1=step:3");
        assert_eq!(with_param("?lab-1=step:3", "lab-1", ""), "");
    }
}
