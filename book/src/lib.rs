//! SockLab's book: the course's Markdown turned into a static site, every page prerendered.
//!
//! A reader gets a chapter's whole text as HTML and CSS in the first response — on a phone, on
//! a school network, with JavaScript off — and the labs come alive afterwards, in place. The
//! text never waits for the wasm, and the wasm does not grow with the text: adding a chapter
//! changes the pages, not the binary. (docs/READER.md has the measurements behind this design.)
//!
//! ```text
//!  content/<lang>/*.md ──▶ content ──▶ render (yew SSR) ──▶ dist/<lang>/<slug>.html
//!                              │            ▲  lab islands: frontend::labs::render
//!                              ├──▶ search ─┼──▶ dist/search-<lang>-<hash>.json
//!  book/assets/ ───────────────┴────────────┴──▶ the stylesheet (inlined), dist/reader-<hash>.js
//! ```
//!
//! Components, one concern each:
//! - [`markdown`]: one file to one [`page::Page`], with SockLab's additions (anchored headings,
//!   labs, quizzes, answers, figures, checked links).
//! - [`highlight`]: code coloured at build time (syntect).
//! - [`code`]: what each code block is — a program to run, a server and its clients, a
//!   fragment — for the tests that run the course's code.
//! - [`quiz`]: quiz questions.
//! - [`content`]: the whole course, and the checks across it (same pages, same structure in
//!   both languages, no broken link or anchor).
//! - [`search`]: the search index, per language.
//! - [`render`]: pages as yew components, rendered to HTML.
//! - [`assets`]: writing files with content hashes in their names.
//!
//! It runs after Trunk has built the labs' wasm into `dist/` (scripts/build-site.sh), since the
//! pages name that wasm.

pub mod assets;
pub mod code;
pub mod content;
pub mod highlight;
pub mod markdown;
pub mod page;
pub mod problems;
pub mod quiz;
pub mod render;
pub mod search;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::Context as _;
use frontend::i18n::Lang;

use crate::content::Book;
use crate::page::Block;
use crate::render::pages::{
    Chapter, ChapterProps, Home, HomeProps, NotFound, NotFoundProps, Root, RootProps,
};
use crate::render::{Assets, Site, SiteRef};

/// Where to read and write.
#[derive(Debug, Clone)]
pub struct Options {
    /// `content/`.
    pub content: PathBuf,
    /// Trunk's output, where the site is completed.
    pub dist: PathBuf,
    /// File paths in messages are shown relative to this (the repository).
    pub root: PathBuf,
    /// The origin the site will be published at (no trailing slash).
    pub site_url: String,
}

/// What a build wrote.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub labs: usize,
    pub bytes: u64,
}

/// Read and check the content.
pub fn load(options: &Options) -> anyhow::Result<Book> {
    Book::load(&options.content, &options.root, &highlight::Highlighter::new()).map_err(
        |problems| anyhow::anyhow!("{} problem(s) in the content:\n{problems}", problems.len()),
    )
}

/// Read and check the content, then write the whole site into `options.dist`.
pub fn build(options: &Options) -> anyhow::Result<Report> {
    let book = load(options)?;
    let mut writer = assets::Writer::new(&options.dist);
    let labs = assets::trunk_output(&options.dist)?;
    let reader = writer.hashed("reader", "js", assets::READER.as_bytes())?;
    let mut search_paths = BTreeMap::new();
    for edition in &book.editions {
        let index = search::index(edition);
        let name = format!("search-{}", edition.lang);
        search_paths.insert(edition.lang, writer.hashed(&name, "json", index.as_bytes())?);
    }
    let assets = Assets { reader, labs, search: search_paths };

    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let islands = render_islands(&book).await;
        let labs = islands.len();
        let site = SiteRef(Rc::new(Site { book, assets, url: options.site_url.clone(), islands }));
        write_pages(&site, &mut writer).await?;
        Ok(Report { pages: writer.files, labs, bytes: writer.bytes })
    })
}

/// Every lab's first render, hydratable.
async fn render_islands(book: &Book) -> BTreeMap<(Lang, String, String), String> {
    let mut islands = BTreeMap::new();
    for edition in &book.editions {
        for page in &edition.pages {
            for block in &page.body {
                if let Block::Lab { id, spec } = block {
                    let place = frontend::labs::Place {
                        lang: edition.lang,
                        id: id.clone().into(),
                        slug: page.slug.clone().into(),
                    };
                    let html = frontend::labs::render(&place, spec.clone()).await;
                    islands.insert((edition.lang, page.slug.clone(), id.clone()), html);
                }
            }
        }
    }
    islands
}

async fn write_pages(site: &SiteRef, writer: &mut assets::Writer) -> anyhow::Result<()> {
    for edition in &site.book.editions {
        let lang = edition.lang;
        let dir = Path::new(lang.code());
        let home = render::document::<Home>(HomeProps { site: site.clone(), lang }).await;
        writer.page(&dir.join("index.html"), &home)?;
        for page in &edition.pages {
            let props = ChapterProps { site: site.clone(), lang, slug: page.slug.clone().into() };
            let html = render::document::<Chapter>(props).await;
            writer.page(&dir.join(format!("{}.html", page.slug)), &html)?;
        }
        let not_found =
            render::document::<NotFound>(NotFoundProps { site: site.clone(), lang }).await;
        writer.page(&dir.join("404.html"), &not_found)?;
        // Static hosts serve /404.html for any missing path: the first language's.
        if lang == Lang::ALL[0] {
            writer.page(Path::new("404.html"), &not_found)?;
        }
    }
    let root = render::document::<Root>(RootProps { site: site.clone() }).await;
    writer.page(Path::new("index.html"), &root).context("writing the language chooser")
}
