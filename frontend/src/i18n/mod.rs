//! The interface's own words, one file per language (`en.rs`, `zh.rs`). The course text is not
//! here: it lives in `content/`.
//!
//! Each language is a value of the same structs, so a string missing in either language is a
//! compile error naming the field — the build cannot ship a half-translated interface. The
//! strings are split by who uses them: [`Reader`] by the static pages (the `book` crate, at
//! build time, and the reader script through the page's JSON), [`Labs`] by the labs in the
//! wasm. The wasm never references [`Reader`], so none of it is linked into the binary.
//!
//! A language that leaves a string out is not a value of the struct, so it does not compile:
//!
//! ```compile_fail
//! use frontend::i18n::Labs;
//! static GERMAN: Labs = Labs { client: "Client 10.0.0.1", server: "Server 10.0.0.2:80" };
//! ```

mod en;
mod zh;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use sim::Side;
use sim::dissect::Layer;
use sim::readiness::LoopKind;
use sim::scenario::ScenarioKind;

use crate::labs::console::HttpBody;
use crate::labs::sticky::model::Framing;
use crate::labs::subnet::model::{Class, InputError, Kind};
use wire::Endpoint;

/// A language the course is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code used in URLs, `content/<code>/`, `<html lang>` and `hreflang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(code: &str) -> Result<Lang, UnknownLang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code).ok_or(UnknownLang)
    }
}

/// A language code SockLab has no course in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownLang;

/// The static pages' words: navigation, search, themes, quizzes, progress.
///
/// `Serialize` because the reader script (`book/assets/reader.js`) gets its strings from the
/// page as JSON instead of carrying its own.
#[derive(Debug, Serialize)]
pub struct Reader {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub intro: &'static str,
    /// The home page's meta description.
    pub description: &'static str,
    pub chapters: &'static str,
    pub appendices: &'static str,
    #[serde(skip)]
    pub chapter_number: fn(u32) -> String,
    pub previous: &'static str,
    pub next: &'static str,
    pub on_this_page: &'static str,
    pub skip_to_content: &'static str,
    pub toggle_sidebar: &'static str,
    pub language: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub search_hint: &'static str,
    pub search_loading: &'static str,
    pub search_no_results: &'static str,
    pub search_failed: &'static str,
    pub close: &'static str,
    pub theme: &'static str,
    pub theme_auto: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    pub permalink: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub quiz: &'static str,
    pub check: &'static str,
    pub your_answer: &'static str,
    pub correct: &'static str,
    pub incorrect: &'static str,
    pub show_answer: &'static str,
    pub answer: &'static str,
    pub visited: &'static str,
    /// "2 of 3 quiz questions right", filled in by the reader script.
    pub quiz_score: &'static str,
    pub progress: &'static str,
    pub reset_progress: &'static str,
    pub reset_confirm: &'static str,
    pub not_found_title: &'static str,
    pub not_found: &'static str,
    pub back_home: &'static str,
    pub lab_waiting: &'static str,
    pub lab_noscript: &'static str,
    pub lab_failed: &'static str,
    pub footer: &'static str,
    pub choose_language: &'static str,
}

/// The labs' words. Sentences with values in them are functions, so each language can put the
/// values where its grammar wants them.
#[derive(Debug)]
pub struct Labs {
    // Shared by the labs.
    pub client: &'static str,
    pub server: &'static str,
    pub host: fn(Side) -> &'static str,
    pub step: &'static str,
    pub back: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub speed: &'static str,
    pub run_to_end: &'static str,
    pub reset: &'static str,
    pub steps: &'static str,
    pub step_of: fn(usize, usize) -> String,
    pub finished: &'static str,
    pub truncated: fn(usize) -> String,
    pub close: &'static str,
    pub optional: &'static str,
    // The connection lab.
    pub connection_caption: &'static str,
    pub scenario: &'static str,
    pub scenario_name: fn(ScenarioKind) -> &'static str,
    pub wire: &'static str,
    pub seed: &'static str,
    pub loss: &'static str,
    pub delay: &'static str,
    pub jitter: &'static str,
    pub mtu: &'static str,
    pub relative_numbers: &'static str,
    pub predict_mode: &'static str,
    pub predict_prompt: fn(Side) -> String,
    pub reveal: &'static str,
    pub guess_right: &'static str,
    pub guess_wrong: &'static str,
    pub score: fn(u32, u32) -> String,
    pub ladder: &'static str,
    pub later: fn(&str) -> String,
    pub lost: &'static str,
    pub dropped: &'static str,
    pub too_big: &'static str,
    pub no_such_host: &'static str,
    pub at_start: &'static str,
    pub at_time: fn(u64) -> String,
    pub narrate: fn(&Clause) -> String,
    pub clause_separator: &'static str,
    pub packet: &'static str,
    pub drop_packet: &'static str,
    pub undo_drops: fn(usize) -> String,
    pub layer: fn(Layer) -> &'static str,
    pub field: &'static str,
    pub value: &'static str,
    pub bytes: &'static str,
    pub more_bytes: fn(usize) -> String,
    pub download_pcap: &'static str,
    // The sticky-packet lab.
    pub sticky_caption: &'static str,
    pub sender: &'static str,
    pub receiver: &'static str,
    pub message_n: fn(usize) -> String,
    pub add_message: &'static str,
    pub remove_message: &'static str,
    pub gap: &'static str,
    pub read_start: &'static str,
    pub read_every: &'static str,
    pub framing: &'static str,
    pub framing_name: fn(Framing) -> &'static str,
    pub sticky_summary: fn(usize, usize, usize, usize, usize) -> String,
    pub stream_label: fn(usize, usize, usize) -> String,
    pub segment_n: fn(usize) -> String,
    pub recv_n: fn(usize) -> String,
    pub byte: &'static str,
    pub bytes_word: &'static str,
    pub holds_messages: fn(&str) -> String,
    pub waiting_header: fn(usize, usize) -> String,
    pub waiting_body: fn(usize, usize) -> String,
    pub waiting_delimiter: fn(usize) -> String,
    pub decoder_failed: &'static str,
    pub udp_title: &'static str,
    pub udp_note: &'static str,
    pub datagram_arrived: &'static str,
    pub datagram_lost: &'static str,
    pub real_title: &'static str,
    pub real_note: &'static str,
    pub real_button: &'static str,
    pub real_summary: fn(usize, usize) -> String,
    pub relay_unreachable: fn(&str) -> String,
    // The readiness lab.
    pub readiness_caption: &'static str,
    pub server_loop: &'static str,
    pub loop_name: fn(LoopKind) -> &'static str,
    pub drain: &'static str,
    pub readiness_summary: fn(LoopKind, u64) -> String,
    pub readiness_chart: &'static str,
    pub wakeups: &'static str,
    pub client_n: fn(usize) -> String,
    pub unread: fn(u64) -> String,
    pub calls_made: fn(usize) -> String,
    // The subnet calculator.
    pub subnet_caption: &'static str,
    pub subnet_input: &'static str,
    pub subnet_error: fn(&InputError) -> String,
    pub subnet_address: &'static str,
    pub subnet_class: &'static str,
    pub class_name: fn(Class) -> &'static str,
    pub subnet_kind: &'static str,
    pub kind_name: fn(Kind) -> String,
    pub subnet_mask: &'static str,
    pub subnet_network: &'static str,
    pub subnet_broadcast: &'static str,
    pub no_broadcast: &'static str,
    pub subnet_hosts: &'static str,
    pub subnet_count: &'static str,
    pub host_count: fn(u64, u8) -> String,
    pub bits_label: fn(u8) -> String,
    pub prefix_bits: fn(u8) -> String,
    pub host_bits: fn(u8) -> String,
    // The relay console.
    pub console_caption: &'static str,
    pub relay_connected: &'static str,
    pub connecting: &'static str,
    pub reconnecting: fn(u32) -> String,
    pub disconnected: &'static str,
    pub retrying: fn(u32) -> String,
    pub endpoint: &'static str,
    pub endpoint_name: fn(Endpoint) -> &'static str,
    pub connect: &'static str,
    pub close_socket: &'static str,
    pub message: &'static str,
    pub send: &'static str,
    pub send_batch: fn(usize) -> String,
    pub nagle: &'static str,
    pub half_close: &'static str,
    pub opened: fn(u64, u64) -> String,
    pub got_fin: &'static str,
    pub got_rst: &'static str,
    pub sent_fin: &'static str,
    pub nagle_on: &'static str,
    pub nagle_off: &'static str,
    pub segments: &'static str,
    pub retransmits: &'static str,
    pub unacked: &'static str,
    pub tcp_info_note: &'static str,
    /// Why a socket whose FINs both passed reads CLOSED rather than TIME-WAIT on Linux.
    pub tcp_info_closed: &'static str,
    pub http_template: &'static str,
    pub http_request: &'static str,
    pub http_crlf: &'static str,
    pub status_line: &'static str,
    pub status_class: fn(u16) -> String,
    pub header_fields: &'static str,
    pub header_note: fn(&str) -> String,
    pub body_kind: fn(&HttpBody) -> String,
    pub chunk_size: fn(usize) -> String,
    pub chunked_content: &'static str,
    pub http_complete: &'static str,
    pub http_waiting: &'static str,
    pub tap_title: &'static str,
    pub tap_note: &'static str,
    pub tap_start: &'static str,
    pub tap_stop: &'static str,
    pub tap_accepted: &'static str,
    pub tap_closed: &'static str,
    pub tap_ended: &'static str,
}

/// One thing that happened in a step, for the narration line.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// `side` sent `what` (a segment's summary); `again` if it is a retransmission, `lost` if
    /// the wire did not deliver it.
    Sends {
        side: Side,
        what: String,
        again: bool,
        lost: bool,
    },
    Enters {
        side: Side,
        state: &'static str,
    },
    Calls {
        side: Side,
        call: String,
    },
}

/// A moment of virtual time in milliseconds with one decimal: `20.0 ms`. Written with integer
/// arithmetic, which keeps float formatting out of the wasm.
pub fn millis(us: u64) -> String {
    format!("{}.{} ms", us / 1000, us % 1000 / 100)
}

pub fn reader(lang: Lang) -> &'static Reader {
    match lang {
        Lang::En => &en::READER,
        Lang::Zh => &zh::READER,
    }
}

pub fn labs(lang: Lang) -> &'static Labs {
    match lang {
        Lang::En => &en::LABS,
        Lang::Zh => &zh::LABS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn language_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert_eq!("fr".parse::<Lang>(), Err(UnknownLang));
    }

    #[test]
    fn no_interface_string_is_empty() {
        for lang in Lang::ALL {
            let json = serde_json::to_value(reader(lang)).unwrap();
            for (key, value) in json.as_object().unwrap() {
                assert!(!value.as_str().unwrap().trim().is_empty(), "{lang}: {key} is empty");
            }
        }
    }
}
