//! The learner's progress, shared with the reader script (`book/assets/reader.js`), which
//! shows it on the course map: `localStorage["socklab.progress.v1"]` holds
//! `{"read": {…}, "quiz": {…}, "labs": {"<slug>/<lab id>": {"right": 3, "total": 4}}}`.
//! The labs add their predict-mode scores under `labs`.

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage as _};
use serde::{Deserialize, Serialize};

const KEY: &str = "socklab.progress.v1";

/// The record, as the reader script writes it too.
#[derive(Serialize, Deserialize, Debug, Default)]
#[serde(default)]
struct Progress {
    /// Chapter slug → when it was last read (ms since the epoch).
    read: BTreeMap<String, u64>,
    /// `"<slug>/<quiz number>"` → answered right.
    quiz: BTreeMap<String, bool>,
    labs: BTreeMap<String, Score>,
}

/// One lab's predictions so far.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub right: u32,
    pub total: u32,
}

/// The score kept for lab `key` (`"<slug>/<lab id>"`).
pub fn score(key: &str) -> Score {
    LocalStorage::get::<Progress>(KEY)
        .ok()
        .and_then(|p| p.labs.get(key).copied())
        .unwrap_or_default()
}

/// Count one prediction, right or not, and return the new score. Storage that cannot be
/// written (private browsing) keeps the score for this visit only.
pub fn record(key: &str, right: bool) -> Score {
    let mut progress: Progress = LocalStorage::get(KEY).unwrap_or_default();
    let score = progress.labs.entry(key.to_string()).or_default();
    score.total += 1;
    score.right += u32::from(right);
    let score = *score;
    let _ = LocalStorage::set(KEY, &progress);
    score
}
