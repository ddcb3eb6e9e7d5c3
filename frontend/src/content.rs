//! The course text, as data generated at build time (see `build.rs`).

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

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

    /// Chinese for browsers that ask for it first, English otherwise.
    pub fn preferred() -> Lang {
        let language = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
        if language.to_ascii_lowercase().starts_with("zh") { Lang::Zh } else { Lang::En }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = ();

    fn from_str(code: &str) -> Result<Lang, ()> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code).ok_or(())
    }
}

/// Live widgets a chapter can embed with `{{widget:NAME}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    Handshake,
    Echo,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Block {
    Html(&'static str),
    Widget(Widget),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Chapter {
    pub lang: Lang,
    pub number: u32,
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub blocks: &'static [Block],
}

include!(concat!(env!("OUT_DIR"), "/chapters.rs"));

/// The chapters in one language, in course order.
pub fn chapters(lang: Lang) -> impl Iterator<Item = &'static Chapter> {
    CHAPTERS.iter().filter(move |c| c.lang == lang)
}

pub fn find(lang: Lang, slug: &str) -> Option<&'static Chapter> {
    chapters(lang).find(|c| c.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_chapter_exists_in_every_language_with_its_widgets() {
        let en: Vec<_> = chapters(Lang::En).collect();
        assert!(!en.is_empty());
        for chapter in en {
            let zh = find(Lang::Zh, chapter.slug).expect("same chapters in both languages");
            let widgets = |c: &Chapter| {
                c.blocks
                    .iter()
                    .filter_map(|b| if let Block::Widget(w) = b { Some(*w) } else { None })
                    .collect::<Vec<_>>()
            };
            assert_eq!(widgets(chapter), widgets(zh), "{}", chapter.slug);
            assert!(!chapter.title.is_empty() && !chapter.summary.is_empty());
        }
    }

    #[test]
    fn language_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert!("fr".parse::<Lang>().is_err());
    }
}
