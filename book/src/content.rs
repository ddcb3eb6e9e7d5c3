//! The whole course: every page of `content/<lang>/`, read and checked.
//!
//! Checked across the book, after every page is read (the build fails on any of these):
//! - both languages have the same pages, chapter numbers and appendices;
//! - each page has the same structure in both languages: the same heading anchors at the same
//!   levels, the same labs with the same parameters, the same number of quizzes and the same
//!   code blocks' languages — a translation is the same lesson, not a similar one;
//! - every internal link reaches a page that exists, and an anchor on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use frontend::i18n::Lang;

use crate::code::Role;
use crate::highlight::Highlighter;
use crate::markdown::{self, Source};
use crate::page::{Kind, Page};
use crate::problems::Problems;

#[derive(Debug)]
pub struct Book {
    /// One edition per language, in [`Lang::ALL`] order.
    pub editions: Vec<Edition>,
}

/// The course in one language.
#[derive(Debug)]
pub struct Edition {
    pub lang: Lang,
    /// Chapters in course order, then appendices by name.
    pub pages: Vec<Page>,
}

impl Edition {
    pub fn chapters(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| matches!(p.kind, Kind::Chapter(_)))
    }

    pub fn appendices(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().filter(|p| p.kind == Kind::Appendix)
    }

    pub fn find(&self, slug: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.slug == slug)
    }

    /// The pages before and after `page` in reading order.
    pub fn neighbours(&self, page: &Page) -> (Option<&Page>, Option<&Page>) {
        let index = self.pages.iter().position(|p| p.slug == page.slug).unwrap_or_default();
        (index.checked_sub(1).and_then(|i| self.pages.get(i)), self.pages.get(index + 1))
    }
}

impl Book {
    pub fn edition(&self, lang: Lang) -> &Edition {
        self.editions.iter().find(|e| e.lang == lang).expect("an edition per language")
    }

    /// Read `content/<lang>/*.md` for every language and check the whole. `root` is what
    /// messages show file paths relative to.
    pub fn load(content: &Path, root: &Path, highlighter: &Highlighter) -> Result<Book, Problems> {
        let mut problems = Problems::default();
        let editions = Lang::ALL
            .iter()
            .map(|&lang| read_edition(content, root, lang, highlighter, &mut problems))
            .collect();
        let book = Book { editions };
        book.check(&mut problems);
        if problems.is_empty() { Ok(book) } else { Err(problems) }
    }

    fn check(&self, problems: &mut Problems) {
        let (first, others) = self.editions.split_first().expect("at least one language");
        for edition in others {
            same_pages(first, edition, problems);
        }
        for edition in &self.editions {
            for page in &edition.pages {
                check_links(edition, page, problems);
                check_servers(page, problems);
            }
        }
    }
}

fn read_edition(
    content: &Path,
    root: &Path,
    lang: Lang,
    highlighter: &Highlighter,
    problems: &mut Problems,
) -> Edition {
    let dir = content.join(lang.code());
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect(),
        Err(err) => {
            problems.add(&dir, None, format!("cannot read the {lang} content: {err}"));
            Vec::new()
        }
    };
    files.sort();
    let mut pages = Vec::new();
    for path in files {
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let slug = markdown::slug_of_file(&stem).to_string();
        let kind = match stem.split_once('-').map(|(n, _)| n.parse::<u32>()) {
            Some(Ok(number)) => Kind::Chapter(number),
            _ => Kind::Appendix,
        };
        if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            problems.add(
                &shown,
                None,
                "file names are NN-slug.md or slug.md, slugs a-z and '-'".into(),
            );
            continue;
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) => {
                problems.add(&shown, None, format!("cannot read: {err}"));
                continue;
            }
        };
        let source = Source { lang, kind, slug, file: &shown, dir: &dir };
        if let Some(page) = markdown::parse(&source, &text, highlighter, problems) {
            pages.push(page);
        }
    }
    // Chapters by number, then appendices by name.
    pages.sort_by(|a, b| (a.kind, &a.slug).cmp(&(b.kind, &b.slug)));
    let mut numbers = BTreeMap::new();
    for page in &pages {
        if let Kind::Chapter(n) = page.kind
            && let Some(other) = numbers.insert(n, page.file.clone())
        {
            problems.add(&page.file, None, format!("chapter {n} again (also {})", other.display()));
        }
    }
    Edition { lang, pages }
}

/// `other` must hold the pages of `first`, each with the same structure.
fn same_pages(first: &Edition, other: &Edition, problems: &mut Problems) {
    for page in &first.pages {
        let Some(twin) = other.find(&page.slug) else {
            let missing = format!("content/{}/…{}.md", other.lang, page.slug);
            problems.add(&page.file, None, format!("has no {} version ({missing})", other.lang));
            continue;
        };
        if twin.kind != page.kind {
            problems.add(
                &twin.file,
                None,
                format!("is numbered differently from {}", page.file.display()),
            );
        }
        let mut differs = |what: &str, a: String, b: String| {
            if a != b {
                let message = format!(
                    "{what} differ from {}:\n    {}: {a}\n    {}: {b}",
                    page.file.display(),
                    first.lang,
                    other.lang
                );
                problems.add(&twin.file, None, message);
            }
        };
        let headings = |p: &Page| {
            p.headings
                .iter()
                .map(|h| format!("{}{}", "#".repeat(h.level.into()), h.id))
                .collect::<Vec<_>>()
                .join(" ")
        };
        differs("the headings", headings(page), headings(twin));
        differs("the labs", format!("{:?}", page.labs), format!("{:?}", twin.labs));
        differs("the number of quizzes", page.quizzes.to_string(), twin.quizzes.to_string());
        let code = |p: &Page| {
            p.code
                .iter()
                .map(|c| format!("{} ({})", c.language, c.role))
                .collect::<Vec<_>>()
                .join(", ")
        };
        differs("the code blocks", code(page), code(twin));
    }
    for page in &other.pages {
        if first.find(&page.slug).is_none() {
            problems.add(&page.file, None, format!("has no {} version", first.lang));
        }
    }
}

/// Every client names a server declared before it on its page; servers' ports differ.
fn check_servers(page: &Page, problems: &mut Problems) {
    let mut servers: Vec<(&str, u16)> = Vec::new();
    for code in &page.code {
        match &code.role {
            Role::Server { name, port } => {
                if servers.iter().any(|(n, p)| n == name || p == port) {
                    problems.add(
                        &page.file,
                        Some(code.line),
                        format!(
                            "server {name} (port {port}): name and port must be new on the page"
                        ),
                    );
                }
                servers.push((name, *port));
            }
            Role::Client { name } if !servers.iter().any(|(n, _)| n == name) => {
                problems.add(
                    &page.file,
                    Some(code.line),
                    format!("client of '{name}', but no server of that name comes before it"),
                );
            }
            _ => {}
        }
    }
}

fn check_links(edition: &Edition, page: &Page, problems: &mut Problems) {
    for link in &page.links {
        let target = match &link.slug {
            None => page,
            Some(slug) => match edition.find(slug) {
                Some(target) => target,
                None => {
                    problems.add(
                        &page.file,
                        Some(link.line),
                        format!("link to a page that does not exist: '{slug}'"),
                    );
                    continue;
                }
            },
        };
        if let Some(anchor) = &link.anchor
            && !target.has_anchor(anchor)
        {
            let message =
                format!("link to #{anchor}, which {} does not have", target.file.display());
            problems.add(&page.file, Some(link.line), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A content tree in a temporary directory.
    fn book(files: &[(&str, &str)]) -> Result<Book, Problems> {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Book::load(dir.path(), dir.path(), &Highlighter::new())
    }

    const EN: &str = "# One\n\nSummary.\n\n## Start {#start}\n\nSee [two](02-two.md#end).\n";
    const ZH: &str = "# 一\n\n摘要。\n\n## 开始 {#start}\n\n见[二](02-two.md#end)。\n";
    const TWO_EN: &str = "# Two\n\nSummary.\n\n## End {#end}\n\nText.\n";
    const TWO_ZH: &str = "# 二\n\n摘要。\n\n## 结束 {#end}\n\n文字。\n";

    #[test]
    fn a_complete_book_loads_in_order() {
        let book = book(&[
            ("en/01-one.md", EN),
            ("en/02-two.md", TWO_EN),
            ("zh/01-one.md", ZH),
            ("zh/02-two.md", TWO_ZH),
        ])
        .unwrap();
        let slugs: Vec<_> = book.edition(Lang::Zh).pages.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["one", "two"]);
    }

    #[test]
    fn a_missing_translation_a_different_structure_and_a_broken_anchor_fail_the_build() {
        let broken = EN.replace("#end", "#nowhere");
        let problems = book(&[
            ("en/01-one.md", &broken),
            ("en/02-two.md", TWO_EN),
            ("zh/01-one.md", &ZH.replace("{#start}", "{#begin}")),
        ])
        .unwrap_err()
        .to_string();
        assert!(problems.contains("en/02-two.md: has no zh version"), "{problems}");
        assert!(problems.contains("zh/01-one.md: the headings differ"), "{problems}");
        assert!(
            problems.contains("en/01-one.md:7: link to #nowhere, which en/02-two.md does not have"),
            "{problems}"
        );
        assert!(
            problems.contains("zh/01-one.md:7: link to a page that does not exist: 'two'"),
            "{problems}"
        );
    }
}
