//! Every ```python block in `content/` runs, unmodified, with the system python3 against a real
//! relay listening on its *default* ports — the ports the chapters tell learners to use. If a
//! chapter and the relay ever disagree on a port, or a snippet rots, this fails.
//!
//! The default echo port is fixed (7007), so this test cannot share the machine with a running
//! `./dev run`; `./dev test` runs the suite in a private network namespace for that reason.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser as _;
use relay::{Config, Relay};
use tokio_util::sync::CancellationToken;

const SNIPPET_TIMEOUT: Duration = Duration::from_secs(10);

struct Snippet {
    file: PathBuf,
    line: usize,
    code: String,
}

fn python_snippets(content: &Path) -> Vec<Snippet> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(content)
        .unwrap()
        .flat_map(|lang| std::fs::read_dir(lang.unwrap().path()).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    let mut snippets = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut open: Option<Snippet> = None;
        for (index, line) in text.lines().enumerate() {
            match (&mut open, line.trim_end()) {
                (None, "```python") => {
                    open =
                        Some(Snippet { file: file.clone(), line: index + 1, code: String::new() })
                }
                (Some(_), "```") => snippets.push(open.take().unwrap()),
                (Some(snippet), _) => {
                    snippet.code.push_str(line);
                    snippet.code.push('\n');
                }
                (None, _) => {}
            }
        }
        assert!(open.is_none(), "{}: unterminated ```python block", file.display());
    }
    snippets
}

async fn run_python(code: &str) -> Result<(), String> {
    use tokio::io::AsyncWriteExt as _;
    let mut child = tokio::process::Command::new("python3")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start python3: {e}"))?;
    child.stdin.take().unwrap().write_all(code.as_bytes()).await.unwrap();
    let output = tokio::time::timeout(SNIPPET_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| format!("did not finish within {SNIPPET_TIMEOUT:?}"))?
        .unwrap();
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{}\n--- stdout\n{}--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_python_snippet_runs_against_the_relay_defaults() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let snippets = python_snippets(&content);
    assert!(snippets.len() >= 2, "expected python snippets in {}", content.display());

    // The relay exactly as `socklab-relay` with no flags would be, except the site listener.
    let mut config = Config::parse_from(["socklab-relay"]);
    config.listen = "127.0.0.1:0".parse().unwrap();
    let relay = Relay::bind(config.clone()).await.unwrap_or_else(|err| {
        panic!(
            "{err:#}\nThe chapters' default ports ({} tcp, {} udp) must be free for this test: \
             stop any running SockLab, or run the tests with ./dev test (private network namespace).",
            config.tcp_echo, config.udp_echo
        )
    });
    let shutdown = CancellationToken::new();
    let serving = tokio::spawn(relay.serve(shutdown.clone()));

    let mut failures = Vec::new();
    for snippet in &snippets {
        if let Err(why) = run_python(&snippet.code).await {
            failures.push(format!("{}:{}: {why}", snippet.file.display(), snippet.line));
        }
    }
    shutdown.cancel();
    serving.await.unwrap().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} snippets failed:\n\n{}",
        failures.len(),
        snippets.len(),
        failures.join("\n\n")
    );
    eprintln!("{} python snippets ran and exited 0", snippets.len());
}
