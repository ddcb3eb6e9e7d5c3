//! One Markdown file to one [`Page`], with pulldown-cmark.
//!
//! SockLab's additions all use standard Markdown syntax, so a chapter still reads well on
//! GitHub or in an editor (docs/WRITING.md is the author's guide):
//!
//! - `## Title {#id}` — every `##` and `###` heading names its anchor. The anchor is the same in
//!   both languages: that is what lets the language switch keep the reader's section, and
//!   what makes links stable when a heading's wording changes.
//! - ```` ```lab ````, ```` ```quiz ````, ```` ```answer ```` — fenced blocks holding a lab
//!   (TOML, see [`LabSpec`]), a quiz question (TOML, see [`crate::quiz`]) or a collapsible
//!   answer (Markdown).
//! - A paragraph holding only `![alt](figures/name.svg "caption")` becomes an inline SVG
//!   figure, so it can follow the page's theme (its colours use `currentColor` and the page's
//!   CSS variables).
//! - A link to `NN-slug.md#anchor` (as a file link, so it also works on GitHub) becomes
//!   `/<lang>/slug#anchor`; every internal link and anchor is checked once all pages are read.
//!
//! Code is highlighted here, at build time ([`crate::highlight`]).

use std::path::Path;

use frontend::i18n::{self, Lang};
use frontend::labs::LabSpec;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use crate::code::Code;
use crate::highlight::Highlighter;
use crate::page::{Block, Heading, Kind, Link, Page, Section};
use crate::problems::Problems;
use crate::quiz::Quiz;

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// What a page file is, before its text is read.
#[derive(Debug)]
pub struct Source<'a> {
    pub lang: Lang,
    pub kind: Kind,
    pub slug: String,
    /// For messages: the path relative to the repository.
    pub file: &'a Path,
    /// The directory figures are resolved against.
    pub dir: &'a Path,
}

/// Parse `text`. Problems are recorded, not returned early: one build names them all.
pub fn parse(
    source: &Source<'_>,
    text: &str,
    highlighter: &Highlighter,
    problems: &mut Problems,
) -> Option<Page> {
    let lines = LineIndex::new(text);
    let events: Vec<(Event, usize)> =
        Parser::new_ext(text, OPTIONS).into_offset_iter().map(|(e, r)| (e, r.start)).collect();
    let mut report = |offset: usize, message: String| {
        problems.add(source.file, Some(lines.line(offset)), message)
    };

    let title = match events.first() {
        Some((Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }), _)) => {
            let end = position(&events, 0, |e| matches!(e, Event::End(TagEnd::Heading(_))));
            Some((plain_text(&events[1..end]), end + 1))
        }
        _ => None,
    };
    let Some((title, body_start)) = title else {
        report(0, "a page must start with its '# Title' line".into());
        return None;
    };
    let summary = match events.get(body_start) {
        Some((Event::Start(Tag::Paragraph), _)) => {
            let end = position(&events, body_start, |e| matches!(e, Event::End(TagEnd::Paragraph)));
            plain_text(&events[body_start + 1..end])
        }
        _ => {
            report(0, "the title must be followed by a one-paragraph summary".into());
            String::new()
        }
    };

    let mut walker = Walker {
        source,
        lines: &lines,
        highlighter,
        problems,
        reader: i18n::reader(source.lang),
        headings: Vec::new(),
        links: Vec::new(),
        sections: vec![Section::default()],
        labs: Vec::new(),
        code: Vec::new(),
        quizzes: 0,
    };
    let body = walker.walk(&events[body_start..], Nesting::Page);
    Some(Page {
        lang: source.lang,
        file: source.file.to_path_buf(),
        kind: source.kind,
        slug: source.slug.clone(),
        title,
        summary,
        headings: walker.headings,
        body,
        links: walker.links,
        sections: walker.sections,
        labs: walker.labs,
        code: walker.code,
        quizzes: walker.quizzes,
    })
}

/// Where Markdown is being rendered: the page itself, or inside an answer or quiz, where
/// headings, labs and quizzes would make no sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    Page,
    Fragment,
}

struct Walker<'a> {
    source: &'a Source<'a>,
    lines: &'a LineIndex,
    highlighter: &'a Highlighter,
    problems: &'a mut Problems,
    reader: &'static i18n::Reader,
    headings: Vec<Heading>,
    links: Vec<Link>,
    sections: Vec<Section>,
    labs: Vec<LabSpec>,
    code: Vec<Code>,
    quizzes: usize,
}

impl<'a> Walker<'a> {
    fn report(&mut self, offset: usize, message: String) {
        self.problems.add(self.source.file, Some(self.lines.line(offset)), message);
    }

    fn section(&mut self) -> &mut Section {
        self.sections.last_mut().expect("there is always a current section")
    }

    /// Render `events` to blocks, applying SockLab's additions.
    fn walk<'e>(&mut self, events: &[(Event<'e>, usize)], nesting: Nesting) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut html: Vec<Event<'e>> = Vec::new();
        let mut i = 0;
        let mut stray_reported = false;
        while i < events.len() {
            let (event, offset) = (&events[i].0, events[i].1);
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let end = position(events, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                    if nesting == Nesting::Fragment || *level == HeadingLevel::H1 {
                        self.report(offset, "a heading is not allowed here".into());
                    } else {
                        let heading =
                            self.heading(*level, id.as_deref(), &events[i + 1..end], offset);
                        html.push(Event::Html(heading.into()));
                    }
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = position(events, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                    let code: String = events[i + 1..end]
                        .iter()
                        .filter_map(
                            |(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None },
                        )
                        .collect();
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.trim(),
                        CodeBlockKind::Indented => "",
                    };
                    match info.split_whitespace().next().unwrap_or("") {
                        "lab" if nesting == Nesting::Page => {
                            if let Some(spec) = self.lab(&code, offset) {
                                flush(&mut html, &mut blocks);
                                self.labs.push(spec.clone());
                                blocks.push(Block::Lab {
                                    id: format!("lab-{}", self.labs.len()),
                                    spec,
                                });
                            }
                        }
                        "quiz" if nesting == Nesting::Page => {
                            let quiz = self.quiz(&code, offset);
                            html.push(Event::Html(quiz.into()));
                        }
                        "answer" => {
                            let inner = self.fragment(&code, offset);
                            let details = format!(
                                "<details class=\"answer\"><summary>{}</summary>{inner}</details>\n",
                                self.reader.answer
                            );
                            html.push(Event::Html(details.into()));
                        }
                        directive @ ("lab" | "quiz") => {
                            self.report(
                                offset,
                                format!("a ```{directive} block is not allowed here"),
                            );
                        }
                        language => {
                            match self.highlighter.block(language, &code) {
                                Ok(block) => html.push(Event::Html(block.into())),
                                Err(message) => self.report(offset, message),
                            }
                            let words: Vec<&str> = info.split_whitespace().skip(1).collect();
                            match crate::code::role(language, &words) {
                                Ok(role) => self.code.push(Code {
                                    line: self.lines.line(offset),
                                    language: language.to_string(),
                                    role,
                                    text: code.clone(),
                                }),
                                Err(message) => {
                                    self.report(offset, format!("```{info}: {message}"))
                                }
                            }
                            let section = self.section();
                            section.text.push_str(&code);
                            section.text.push(' ');
                        }
                    }
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Paragraph) => {
                    if let Some((figure, end)) = self.figure(events, i) {
                        html.push(Event::Html(figure.into()));
                        i = end + 1;
                        continue;
                    }
                    html.push(event.clone());
                }
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let dest = self.link(dest_url, offset);
                    html.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: dest,
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::Start(Tag::Image { .. }) => {
                    self.report(
                        offset,
                        "an image must be a figure: alone in its paragraph, an .svg".into(),
                    );
                }
                // Wide tables scroll sideways inside their own box, never the page.
                Event::Start(Tag::Table(_)) => {
                    html.push(Event::Html("<div class=\"table-wrap\">".into()));
                    html.push(event.clone());
                }
                Event::End(TagEnd::Table) => {
                    html.push(event.clone());
                    html.push(Event::Html("</div>\n".into()));
                }
                Event::Text(text) | Event::Code(text) => {
                    // CommonMark closes `**` only where it is "right-flanking": after Chinese
                    // punctuation and before a letter it is not, so `**粘包。**然后` shows its
                    // asterisks. A `**` left over in prose is always such a mistake.
                    // (The parser hands an unmatched run over one `*` at a time.)
                    let next_is_star = matches!(events.get(i + 1),
                        Some((Event::Text(next), _)) if next.starts_with('*'));
                    if !stray_reported
                        && matches!(event, Event::Text(_))
                        && (text.contains("**") || (text.ends_with('*') && next_is_star))
                    {
                        stray_reported = true; // once per paragraph is enough to find it
                        self.report(
                            offset,
                            "emphasis not closed: a `**` shows as text (move punctuation outside the bold)".into(),
                        );
                    }
                    self.section().text.push_str(text);
                    html.push(event.clone());
                }
                Event::SoftBreak
                | Event::HardBreak
                | Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Item
                    | TagEnd::TableCell
                    | TagEnd::BlockQuote(_)
                    | TagEnd::List(_),
                ) => {
                    stray_reported = false;
                    let text = &mut self.section().text;
                    if !text.ends_with(' ') {
                        text.push(' ');
                    }
                    html.push(event.clone());
                }
                _ => html.push(event.clone()),
            }
            i += 1;
        }
        flush(&mut html, &mut blocks);
        blocks
    }

    /// A `##`–`######` heading with its anchor and a permalink.
    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<&str>,
        inner: &[(Event, usize)],
        offset: usize,
    ) -> String {
        let text = plain_text(inner);
        let level = level as u8;
        let id = match id {
            Some(id) if valid_id(id) => id.to_string(),
            Some(id) => {
                self.report(
                    offset,
                    format!("heading id '{id}': use lowercase letters, digits and '-'"),
                );
                id.to_string()
            }
            None if level <= 3 => {
                self.report(
                    offset,
                    format!("heading '{text}' needs an anchor, the same in every language: `{} {text} {{#some-id}}`", "#".repeat(usize::from(level))),
                );
                String::new()
            }
            None => String::new(),
        };
        if !id.is_empty() && self.headings.iter().any(|h| h.id == id) {
            self.report(offset, format!("heading id '{id}' is used twice on this page"));
        }
        if level <= 3 {
            self.headings.push(Heading { level, id: id.clone(), text: text.clone() });
            self.sections.push(Section {
                anchor: id.clone(),
                heading: text.clone(),
                text: String::new(),
            });
        }
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, inner.iter().map(|(e, _)| e.clone()));
        if id.is_empty() {
            return format!("<h{level}>{inner_html}</h{level}>\n");
        }
        let mut label = String::new();
        escape_html(&mut label, &format!("{}: {text}", self.reader.permalink))
            .expect("writing to a String");
        format!(
            "<h{level} id=\"{id}\">{inner_html}<a class=\"anchor\" href=\"#{id}\" aria-label=\"{label}\"></a></h{level}>\n"
        )
    }

    fn lab(&mut self, toml_text: &str, offset: usize) -> Option<LabSpec> {
        let checked = toml::from_str::<LabSpec>(toml_text)
            .map_err(|err| err.message().to_string())
            .and_then(|spec| spec.check().map(|()| spec));
        match checked {
            Ok(spec) => Some(spec),
            Err(message) => {
                self.report(offset, format!("```lab block: {message}"));
                None
            }
        }
    }

    fn quiz(&mut self, toml_text: &str, offset: usize) -> String {
        let quiz = match Quiz::parse(toml_text) {
            Ok(quiz) => quiz,
            Err(message) => {
                self.report(offset, format!("```quiz block: {message}"));
                return String::new();
            }
        };
        self.quizzes += 1;
        let (number, reader) = (self.quizzes, self.reader);
        quiz.to_html(number, reader, &mut |markdown| self.fragment(markdown, offset))
    }

    /// Markdown inside an answer or a quiz: prose, code and links, no structure.
    fn fragment(&mut self, markdown: &str, offset: usize) -> String {
        let events: Vec<(Event, usize)> =
            Parser::new_ext(markdown, OPTIONS).map(|e| (e, offset)).collect();
        let blocks = self.walk(&events, Nesting::Fragment);
        blocks
            .into_iter()
            .map(|block| match block {
                Block::Html(html) => html,
                Block::Lab { .. } => unreachable!("labs are refused in fragments"),
            })
            .collect()
    }

    /// `NN-slug.md#anchor` → `/<lang>/slug#anchor`; `#anchor` stays; `https://…` stays.
    fn link(&mut self, dest: &CowStr<'_>, offset: usize) -> CowStr<'static> {
        let dest = dest.as_ref();
        if dest.starts_with("https://")
            || dest.starts_with("http://")
            || dest.starts_with("mailto:")
        {
            return dest.to_string().into();
        }
        let (file, anchor) = match dest.split_once('#') {
            Some((file, anchor)) => (file, Some(anchor.to_string())),
            None => (dest, None),
        };
        let line = self.lines.line(offset);
        if file.is_empty() {
            self.links.push(Link { line, slug: None, anchor });
            return dest.to_string().into();
        }
        let Some(slug) = file.strip_suffix(".md").map(slug_of_file) else {
            self.report(
                offset,
                format!(
                    "link '{dest}': link to another page as its file, e.g. 06-sockets.md#partial"
                ),
            );
            return dest.to_string().into();
        };
        let route = crate::page::route(self.source.lang, slug);
        self.links.push(Link { line, slug: Some(slug.to_string()), anchor: anchor.clone() });
        match anchor {
            Some(anchor) => format!("{route}#{anchor}").into(),
            None => route.into(),
        }
    }

    /// A paragraph that holds only an image: an inline SVG figure, with its alt text as the
    /// figure's accessible name and its title as the caption. Returns the HTML and the index of
    /// the paragraph's end.
    fn figure(&mut self, events: &[(Event, usize)], start: usize) -> Option<(String, usize)> {
        let (Event::Start(Tag::Image { dest_url, title, .. }), offset) = events.get(start + 1)?
        else {
            return None;
        };
        let image_end = position(events, start + 1, |e| matches!(e, Event::End(TagEnd::Image)));
        if !matches!(events.get(image_end + 1), Some((Event::End(TagEnd::Paragraph), _))) {
            return None;
        }
        let alt = plain_text(&events[start + 2..image_end]);
        let path = self.source.dir.join(dest_url.as_ref());
        let svg = match std::fs::read_to_string(&path) {
            Ok(svg) if dest_url.ends_with(".svg") => svg,
            Ok(_) => {
                self.report(*offset, format!("figure '{dest_url}': figures are SVG files"));
                return Some((String::new(), image_end + 1));
            }
            Err(err) => {
                self.report(*offset, format!("figure '{}': {err}", path.display()));
                return Some((String::new(), image_end + 1));
            }
        };
        if alt.trim().is_empty() {
            self.report(
                *offset,
                format!("figure '{dest_url}' needs alt text: ![what it shows](…)"),
            );
        }
        let Some(svg) = inline_svg(&svg) else {
            self.report(*offset, format!("figure '{dest_url}' has no <svg> element"));
            return Some((String::new(), image_end + 1));
        };
        self.section().text.push_str(&format!("{alt} {title} "));
        let mut alt_attr = String::new();
        escape_html(&mut alt_attr, &alt).expect("writing to a String");
        let mut caption = String::new();
        if !title.is_empty() {
            caption.push_str("<figcaption>");
            escape_html(&mut caption, title).expect("writing to a String");
            caption.push_str("</figcaption>");
        }
        let html = format!(
            "<figure class=\"figure\"><div class=\"figure-art\" role=\"img\" aria-label=\"{alt_attr}\">{svg}</div>{caption}</figure>\n"
        );
        Some((html, image_end + 1))
    }
}

/// The SVG element of a file, without the XML prolog, hidden from assistive technology (the
/// figure around it carries the description).
fn inline_svg(file: &str) -> Option<String> {
    let start = file.find("<svg")?;
    let svg = &file[start..];
    Some(format!("<svg aria-hidden=\"true\" focusable=\"false\"{}", &svg[4..]))
}

/// `01-handshake` → `handshake`; `glossary` → `glossary`.
pub fn slug_of_file(stem: &str) -> &str {
    match stem.split_once('-') {
        Some((number, slug)) if number.bytes().all(|b| b.is_ascii_digit()) => slug,
        _ => stem,
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with("quiz-")
        && !id.starts_with("lab-")
}

fn flush(html: &mut Vec<Event>, blocks: &mut Vec<Block>) {
    if !html.is_empty() {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, html.drain(..));
        blocks.push(Block::Html(out));
    }
}

/// Index of the first event at or after `from` for which `is_end` holds (the matching end of a
/// start tag: pulldown-cmark never nests headings, code blocks, paragraphs or images in
/// themselves).
fn position(events: &[(Event, usize)], from: usize, is_end: impl Fn(&Event) -> bool) -> usize {
    events[from..]
        .iter()
        .position(|(e, _)| is_end(e))
        .map(|p| from + p)
        .expect("pulldown-cmark closes every tag")
}

/// The text of some inline events, markup dropped.
pub fn plain_text(events: &[(Event, usize)]) -> String {
    events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            Event::SoftBreak | Event::HardBreak => Some(" "),
            _ => None,
        })
        .collect()
}

/// Byte offset → 1-based line number.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        LineIndex(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(markdown: &str) -> (Option<Page>, Problems) {
        let mut problems = Problems::default();
        let source = Source {
            lang: Lang::En,
            kind: Kind::Chapter(1),
            slug: "test".into(),
            file: Path::new("content/en/01-test.md"),
            dir: Path::new(env!("CARGO_MANIFEST_DIR")),
        };
        let page = parse(&source, markdown, &Highlighter::new(), &mut problems);
        (page, problems)
    }

    fn html(page: &Page) -> String {
        page.body
            .iter()
            .filter_map(|b| if let Block::Html(h) = b { Some(h.as_str()) } else { None })
            .collect()
    }

    #[test]
    fn title_summary_headings_and_sections() {
        let (page, problems) = page(
            "# The title\n\nThe summary, in one paragraph.\n\n## First {#first}\n\nSome `code` here.\n\n### Deeper {#deeper}\n\nMore.\n",
        );
        assert!(problems.is_empty(), "{problems}");
        let page = page.unwrap();
        assert_eq!(
            (page.title.as_str(), page.summary.as_str()),
            ("The title", "The summary, in one paragraph.")
        );
        let ids: Vec<_> = page.headings.iter().map(|h| (h.level, h.id.as_str())).collect();
        assert_eq!(ids, [(2, "first"), (3, "deeper")]);
        let html = html(&page);
        assert!(html.contains(r##"<h2 id="first">First<a class="anchor" href="#first" aria-label="Link to this section: First"></a></h2>"##), "{html}");
        assert_eq!(page.sections.len(), 3);
        assert_eq!(page.sections[1].anchor, "first");
        assert!(page.sections[1].text.contains("Some code here."));
    }

    #[test]
    fn headings_without_anchors_and_unknown_labs_are_problems_with_lines() {
        let (_, problems) = page(
            "# T\n\nS.\n\n## No anchor\n\n```lab\nlab = \"nope\"\n```\n\n```quiz\nquestion = \"q\"\n```\n",
        );
        let text = problems.to_string();
        assert!(
            text.contains("content/en/01-test.md:5: heading 'No anchor' needs an anchor"),
            "{text}"
        );
        assert!(
            text.contains("content/en/01-test.md:7: ```lab block: unknown variant `nope`"),
            "{text}"
        );
        assert!(text.contains("content/en/01-test.md:11: ```quiz block"), "{text}");
    }

    #[test]
    fn unclosed_bold_after_cjk_punctuation_is_a_problem() {
        let (_, problems) = page("# T\n\nS.\n\n这叫**粘包。**然后再看。\n\n这叫**粘包**。\n");
        let text = problems.to_string();
        assert!(text.contains("content/en/01-test.md:5: emphasis not closed"), "{text}");
        assert_eq!(text.matches("emphasis not closed").count(), 1, "{text}");
    }

    #[test]
    fn labs_split_the_body_into_islands() {
        let (page, problems) = page("# T\n\nS.\n\n```lab\nlab = \"connection\"\n```\n\nAfter.\n");
        assert!(problems.is_empty(), "{problems}");
        let page = page.unwrap();
        assert!(
            matches!(&page.body[..], [Block::Html(_), Block::Lab { id, spec: LabSpec::Connection(_) }, Block::Html(after)] if id == "lab-1" && after.contains("After."))
        );
        assert!(page.has_anchor("lab-1"));
    }

    #[test]
    fn links_to_files_become_routes_and_are_recorded() {
        let (page, problems) = page(
            "# T\n\nSee [the echo](02-echo-client.md#tcp), [here](#top) and [rust](https://www.rust-lang.org/).\n",
        );
        assert!(problems.is_empty(), "{problems}");
        let page = page.unwrap();
        let html = html(&page);
        assert!(html.contains(r#"href="/en/echo-client#tcp""#), "{html}");
        assert!(html.contains(r##"href="#top""##));
        let links: Vec<_> =
            page.links.iter().map(|l| (l.slug.as_deref(), l.anchor.as_deref())).collect();
        assert_eq!(links, [(Some("echo-client"), Some("tcp")), (None, Some("top"))]);
    }

    #[test]
    fn answers_collapse_and_tables_scroll_in_their_own_box() {
        let (page, problems) = page(
            "# T\n\nS.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```answer\nIt is **5001**.\n```\n",
        );
        assert!(problems.is_empty(), "{problems}");
        let html = html(&page.unwrap());
        assert!(html.contains("<div class=\"table-wrap\"><table>"), "{html}");
        assert!(html.contains("<details class=\"answer\"><summary>Answer</summary><p>It is <strong>5001</strong>.</p>\n</details>"), "{html}");
    }

    #[test]
    fn an_svg_alone_in_its_paragraph_is_inlined_as_a_described_figure() {
        let dir = tempfile::tempdir().unwrap();
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"currentColor\"/></svg>\n";
        std::fs::write(dir.path().join("box.svg"), svg).unwrap();
        let mut problems = Problems::default();
        let source = Source {
            lang: Lang::En,
            kind: Kind::Chapter(1),
            slug: "test".into(),
            file: Path::new("content/en/01-test.md"),
            dir: dir.path(),
        };
        let markdown = "# T\n\nS.\n\n![A filled box](box.svg \"The box\")\n\n![](box.svg)\n\n![x](missing.svg)\n";
        let page = parse(&source, markdown, &Highlighter::new(), &mut problems).unwrap();
        let html = html(&page);
        assert!(html.contains("<figure class=\"figure\"><div class=\"figure-art\" role=\"img\" aria-label=\"A filled box\"><svg aria-hidden=\"true\" focusable=\"false\" xmlns="), "{html}");
        assert!(html.contains("<figcaption>The box</figcaption></figure>"), "{html}");
        assert!(!html.contains("<?xml"));
        let problems = problems.to_string();
        assert!(problems.contains(":7: figure 'box.svg' needs alt text"), "{problems}");
        assert!(
            problems.contains(":9: figure '") && problems.contains("missing.svg'"),
            "{problems}"
        );
    }

    #[test]
    fn line_numbers_are_one_based() {
        let lines = LineIndex::new("a\nb\nc");
        assert_eq!((lines.line(0), lines.line(2), lines.line(4)), (1, 2, 3));
    }
}
