//! Quiz questions: a ```` ```quiz ```` block of TOML, rendered to a form the reader script
//! checks. Two kinds:
//!
//! ```toml
//! # Multiple choice: `answer` is the index of the right choice.
//! question = "What ack does the SYN-ACK carry if the SYN had seq 5000?"
//! choices = ["5000", "5001", "0"]
//! answer = 1
//! explain = "The SYN occupies one sequence number, so the server expects 5001 next."
//! ```
//!
//! ```toml
//! # Short answer: any of `accept`, compared without case or surrounding spaces.
//! question = "…"
//! accept = ["5001"]
//! explain = "…"
//! ```
//!
//! The explanation is a `<details>` that the reader script keeps hidden until the learner has
//! tried an answer; without JavaScript it is an ordinary "show the answer" toggle. (The right
//! answer is in the page: this is for learning, not for grading.)

use frontend::i18n::Reader;
use pulldown_cmark_escape::escape_html;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    question: String,
    choices: Option<Vec<String>>,
    answer: Option<usize>,
    accept: Option<Vec<String>>,
    explain: String,
}

#[derive(Debug)]
pub struct Quiz {
    question: String,
    kind: QuizKind,
    explain: String,
}

#[derive(Debug)]
enum QuizKind {
    Choice { choices: Vec<String>, answer: usize },
    Short { accept: Vec<String> },
}

impl Quiz {
    pub fn parse(toml_text: &str) -> Result<Quiz, String> {
        let spec: Spec = toml::from_str(toml_text).map_err(|e| e.message().to_string())?;
        let kind = match spec {
            Spec { choices: Some(choices), answer: Some(answer), accept: None, .. } => {
                if choices.len() < 2 {
                    return Err("a multiple-choice question needs at least two choices".into());
                }
                if answer >= choices.len() {
                    return Err(format!(
                        "answer = {answer}, but there are only {} choices (counted from 0)",
                        choices.len()
                    ));
                }
                QuizKind::Choice { choices, answer }
            }
            Spec { choices: None, answer: None, accept: Some(accept), .. }
                if !accept.is_empty() =>
            {
                QuizKind::Short { accept }
            }
            _ => {
                return Err(
                    "give either `choices` and `answer` (multiple choice) or `accept` (short answer)"
                        .into(),
                );
            }
        };
        if spec.explain.trim().is_empty() {
            return Err("`explain` must say why the answer is right".into());
        }
        Ok(Quiz { question: spec.question, kind, explain: spec.explain })
    }

    /// The form for quiz number `number` on its page (`id="quiz-N"`). `markdown` renders the
    /// question, choices and explanation, which may use inline Markdown.
    pub fn to_html(
        &self,
        number: usize,
        reader: &Reader,
        markdown: &mut dyn FnMut(&str) -> String,
    ) -> String {
        let id = format!("quiz-{number}");
        let question = markdown(&self.question);
        let (kind, data, inputs) = match &self.kind {
            QuizKind::Choice { choices, answer } => {
                let inputs: String = choices
                    .iter()
                    .enumerate()
                    .map(|(i, choice)| {
                        let choice = markdown(choice);
                        let choice = unwrap_paragraph(&choice);
                        format!(
                            "<label class=\"quiz-choice\"><input type=\"radio\" name=\"{id}\" value=\"{i}\" required> <span>{choice}</span></label>\n"
                        )
                    })
                    .collect();
                ("choice", format!(" data-answer=\"{answer}\""), inputs)
            }
            QuizKind::Short { accept } => {
                let json = serde_json::to_string(accept).expect("strings serialise");
                let input = format!(
                    "<label class=\"quiz-short\">{} <input type=\"text\" name=\"{id}\" autocomplete=\"off\" spellcheck=\"false\" required></label>\n",
                    reader.your_answer
                );
                ("short", format!(" data-accept=\"{}\"", attribute(&json)), input)
            }
        };
        let explain = markdown(&self.explain);
        format!(
            "<form class=\"quiz\" id=\"{id}\" data-quiz=\"{number}\" data-kind=\"{kind}\"{data}>\n\
             <p class=\"quiz-label\">{label} {number}</p>\n\
             <div class=\"quiz-question\" id=\"{id}-q\">{question}</div>\n\
             <fieldset aria-labelledby=\"{id}-q\">\n{inputs}</fieldset>\n\
             <button type=\"submit\">{check}</button> <span class=\"quiz-verdict\" role=\"status\"></span>\n\
             <details class=\"quiz-explain\"><summary>{show}</summary>{explain}</details>\n\
             </form>\n",
            label = reader.quiz,
            check = reader.check,
            show = reader.show_answer,
        )
    }
}

/// `<p>text</p>\n` → `text`: a choice is a line, not a paragraph.
fn unwrap_paragraph(html: &str) -> &str {
    html.trim().strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")).unwrap_or(html)
}

fn attribute(value: &str) -> String {
    let mut out = String::new();
    escape_html(&mut out, value).expect("writing to a String");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontend::i18n::{self, Lang};

    fn render(quiz: &Quiz) -> String {
        quiz.to_html(2, i18n::reader(Lang::En), &mut |md: &str| format!("<p>{md}</p>\n"))
    }

    #[test]
    fn multiple_choice_renders_radio_buttons_and_keeps_the_answer_for_the_script() {
        let quiz = Quiz::parse(
            "question = \"Q?\"\nchoices = [\"a\", \"b\"]\nanswer = 1\nexplain = \"Because.\"",
        )
        .unwrap();
        let html = render(&quiz);
        assert!(
            html.contains("id=\"quiz-2\" data-quiz=\"2\" data-kind=\"choice\" data-answer=\"1\""),
            "{html}"
        );
        assert!(
            html.contains(
                "<input type=\"radio\" name=\"quiz-2\" value=\"1\" required> <span>b</span>"
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "<details class=\"quiz-explain\"><summary>Show the answer</summary><p>Because.</p>"
            ),
            "{html}"
        );
    }

    #[test]
    fn short_answers_carry_their_accepted_answers_escaped() {
        let quiz = Quiz::parse(
            "question = \"Q?\"\naccept = [\"5001\", \"a \\\"b\\\"\"]\nexplain = \"E.\"",
        )
        .unwrap();
        let html = render(&quiz);
        assert!(
            html.contains(r#"data-accept="[&quot;5001&quot;,&quot;a \&quot;b\&quot;&quot;]""#),
            "{html}"
        );
    }

    #[test]
    fn malformed_quizzes_say_what_is_wrong() {
        let cases = [
            ("question = \"Q\"\nexplain = \"E\"", "give either"),
            (
                "question = \"Q\"\nchoices = [\"a\", \"b\"]\nanswer = 2\nexplain = \"E\"",
                "only 2 choices",
            ),
            ("question = \"Q\"\nchoices = [\"a\"]\nanswer = 0\nexplain = \"E\"", "at least two"),
            ("question = \"Q\"\naccept = [\"x\"]\nexplain = \" \"", "`explain`"),
            (
                "question = \"Q\"\naccept = [\"x\"]\nexplain = \"E\"\nhint = \"h\"",
                "unknown field `hint`",
            ),
        ];
        for (toml, expected) in cases {
            let err = Quiz::parse(toml).unwrap_err();
            assert!(err.contains(expected), "{toml:?}: {err}");
        }
    }
}
