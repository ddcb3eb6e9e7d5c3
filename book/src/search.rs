//! The search index, one per language, built here and fetched by the reader script the first
//! time a reader opens search (never with the page).
//!
//! It is the course's text cut at its headings: one entry per section, with the page's title,
//! the heading, its anchor and the section's words. The script matches every word of a query
//! as a case-insensitive *substring* of a section's title, heading and text, and ranks title
//! and heading matches first. Substrings are what make Chinese work: written Chinese has no
//! spaces, so there are no words to index — "粘包" or "三次握手" is simply looked for inside
//! the text, as it is. A word index with a segmenter would be smaller, but would miss every
//! term its dictionary cuts differently; the whole course's text is small enough to scan.

use serde::Serialize;

use crate::content::Edition;

#[derive(Serialize)]
struct Entry<'a> {
    /// The page's route.
    p: String,
    /// The page's title.
    t: &'a str,
    /// The section's anchor ("" before the first heading).
    a: &'a str,
    /// The section's heading ("" before the first heading).
    h: &'a str,
    /// The section's text, whitespace collapsed.
    x: String,
}

/// The index of one edition, as JSON.
pub fn index(edition: &Edition) -> String {
    let entries: Vec<Entry> = edition
        .pages
        .iter()
        .flat_map(|page| {
            page.sections.iter().map(move |section| Entry {
                p: page.route(),
                t: &page.title,
                a: &section.anchor,
                h: &section.heading,
                x: section.text.split_whitespace().collect::<Vec<_>>().join(" "),
            })
        })
        .filter(|entry| !entry.x.is_empty() || !entry.h.is_empty())
        .collect();
    serde_json::to_string(&entries).expect("the index serialises")
}
