//! Code highlighted at build time with syntect (the Sublime Text grammars that bat and zola
//! use), so pages ship coloured code and no highlighter script.
//!
//! syntect writes scope names as classes (`<span class="hl-keyword hl-control …">`) rather than
//! colours, and the stylesheet maps a handful of scopes to colours per theme: light and dark
//! themes then need no second copy of the code.

use pulldown_cmark_escape::escape_html;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Languages shown as they are, uncoloured: program output, terminal sessions, raw protocol text.
const PLAIN: [&str; 5] = ["", "text", "console", "output", "http"];

pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter").finish_non_exhaustive()
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter { syntaxes: SyntaxSet::load_defaults_newlines() }
    }

    /// A whole code block: `<pre class="code" data-lang="python"><code>…</code></pre>`. Fails,
    /// naming the language, if the language is unknown (a typo would otherwise ship grey).
    pub fn block(&self, language: &str, code: &str) -> Result<String, String> {
        let body = if PLAIN.contains(&language) {
            let mut escaped = String::with_capacity(code.len());
            escape_html(&mut escaped, code).expect("writing to a String");
            escaped
        } else {
            let syntax = self.syntaxes.find_syntax_by_token(language).ok_or_else(|| {
                format!("unknown code language '{language}' (plain ones: {PLAIN:?})")
            })?;
            let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
            let mut html =
                ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, style);
            for line in LinesWithEndings::from(code) {
                html.parse_html_for_line_which_includes_newline(line)
                    .map_err(|e| format!("highlighting {language}: {e}"))?;
            }
            html.finalize()
        };
        let label = if language.is_empty() { "text" } else { language };
        Ok(format!("<pre class=\"code\" data-lang=\"{label}\"><code>{body}</code></pre>\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_rust_are_coloured_by_scope_and_text_is_escaped() {
        let highlighter = Highlighter::new();
        let python = highlighter.block("python", "import socket  # <tcp>\n").unwrap();
        assert!(python.starts_with("<pre class=\"code\" data-lang=\"python\"><code>"));
        assert!(python.contains("hl-keyword"), "{python}");
        assert!(python.contains("hl-comment"), "{python}");
        assert!(python.contains("&lt;tcp&gt;"), "{python}");
        let rust = highlighter.block("rust", "fn main() {}\n").unwrap();
        assert!(rust.contains("hl-storage"), "{rust}");
        let text = highlighter.block("text", "a < b\n").unwrap();
        assert_eq!(text, "<pre class=\"code\" data-lang=\"text\"><code>a &lt; b\n</code></pre>\n");
    }

    #[test]
    fn unknown_languages_are_refused() {
        let err = Highlighter::new().block("pyhton", "x").unwrap_err();
        assert!(err.contains("unknown code language 'pyhton'"), "{err}");
    }
}
