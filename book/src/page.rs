//! What one Markdown file becomes: a [`Page`] of HTML blocks and lab islands, with everything
//! the checks, the navigation and the search need to know about it.

use std::path::PathBuf;

use frontend::i18n::Lang;

use crate::code::Code;
use frontend::labs::LabSpec;

/// Where a page sits in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `content/<lang>/NN-slug.md`: chapter NN, in course order.
    Chapter(u32),
    /// `content/<lang>/slug.md`: reference material after the chapters (the glossary).
    Appendix,
}

#[derive(Debug)]
pub struct Page {
    pub lang: Lang,
    /// The Markdown file, relative to the repository, for messages.
    pub file: PathBuf,
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    /// The first paragraph, as plain text: the page's meta description and its line on the
    /// course map.
    pub summary: String,
    /// Every `##` and `###` heading, in order: the table of contents and the anchors.
    pub headings: Vec<Heading>,
    pub body: Vec<Block>,
    /// Links to other pages or anchors, checked once every page is read.
    pub links: Vec<Link>,
    /// Text by section, for the search index.
    pub sections: Vec<Section>,
    /// The labs, in order (also in `body`), for the cross-language check.
    pub labs: Vec<LabSpec>,
    /// The code blocks, in order: checked across languages, and run by the tests.
    pub code: Vec<Code>,
    pub quizzes: usize,
}

impl Page {
    /// The page's path on the site: `/en/handshake`.
    pub fn route(&self) -> String {
        route(self.lang, &self.slug)
    }

    /// Whether `anchor` names something on this page a link may point at.
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.headings.iter().any(|h| h.id == anchor)
            || self.body.iter().any(|b| matches!(b, Block::Lab { id, .. } if id == anchor))
            || anchor
                .strip_prefix("quiz-")
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| (1..=self.quizzes).contains(&n))
    }
}

pub fn route(lang: Lang, slug: &str) -> String {
    format!("/{}/{slug}", lang.code())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The stable anchor, written by the author as `## Title {#id}`: the same in every language,
    /// so the language switch can keep the reader's place.
    pub id: String,
    pub text: String,
}

#[derive(Debug)]
pub enum Block {
    /// Finished HTML: prose, highlighted code, quizzes, figures.
    Html(String),
    /// A lab island, rendered by the site step (it needs the lab's first render).
    Lab { id: String, spec: LabSpec },
}

/// A link to check: to a page (by slug, in the same language) and/or an anchor on it.
#[derive(Debug)]
pub struct Link {
    pub line: usize,
    /// `None`: this page.
    pub slug: Option<String>,
    pub anchor: Option<String>,
}

/// One searchable stretch of a page: the text under one heading.
#[derive(Debug, Default)]
pub struct Section {
    /// The heading's id, or empty for the text before the first heading.
    pub anchor: String,
    pub heading: String,
    pub text: String,
}
