//! The learner's progress, shared with the reader script (`book/assets/reader.js`), which
//! shows it on the course map: `localStorage["socklab.progress.v1"]` holds
//! `{"read": {…}, "quiz": {…}, "labs": {"<slug>/<lab id>": {"right": 3, "total": 4}}}`.
//! The labs add their predict-mode scores under `labs`.

use gloo_storage::{LocalStorage, Storage as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const KEY: &str = "socklab.progress.v1";

/// One lab's predictions so far.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub right: u32,
    pub total: u32,
}

/// The score kept for lab `key` (`"<slug>/<lab id>"`).
pub fn score(key: &str) -> Score {
    let progress: Value = LocalStorage::get(KEY).unwrap_or(Value::Null);
    progress.get("labs").and_then(|labs| labs.get(key)).and_then(|s| serde_json::from_value(s.clone()).ok()).unwrap_or_default()
}

/// Count one prediction, right or not, and return the new score. Storage that cannot be
/// written (private browsing) keeps the score for this visit only.
pub fn record(key: &str, right: bool) -> Score {
    let mut progress: Value = LocalStorage::get(KEY).unwrap_or_else(|_| Value::Object(Default::default()));
    if !progress.is_object() {
        progress = Value::Object(Default::default());
    }
    let mut score = score(key);
    score.total += 1;
    score.right += u32::from(right);
    let labs = progress.as_object_mut().expect("made an object above").entry("labs").or_insert_with(|| Value::Object(Default::default()));
    if let Some(labs) = labs.as_object_mut() {
        labs.insert(key.to_string(), serde_json::to_value(score).expect("a score serialises"));
    }
    let _ = LocalStorage::set(KEY, &progress);
    score
}
