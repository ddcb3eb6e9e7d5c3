//! Replays the fuzz corpora kept in `relay/fuzz/corpus/` through the fuzz targets' own checks
//! (`relay/fuzz/src/lib.rs`, compiled here as a module): every input a fuzzer found
//! interesting is checked again by every test run, no fuzzer needed. How to fuzz:
//! relay/fuzz/README.md.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        // A failing input names itself before the check's own panic message.
        eprintln!("{target}: {}", path.display());
        check(&data);
        inputs += 1;
    }
    assert!(inputs >= 6, "the {target} corpus has only {inputs} inputs");
}

#[test]
fn the_client_message_corpus_parses_or_is_refused_cleanly() {
    replay("client_msg", checks::client_msg);
}

#[test]
fn the_http_demo_corpus_gets_http_answers_and_no_panic() {
    replay("http_demo", checks::http_request);
}
