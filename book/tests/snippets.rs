//! Every Python and Rust block in `content/` runs, as a learner would run it — or, for a
//! fragment, parses — against a real relay listening on its *default* ports, the ports the
//! chapters tell learners to use (docs/WRITING.md lists the kinds of block).
//!
//! - Python runs with the system `python3`.
//! - Rust blocks are compiled together, as the binaries of one scratch cargo project that can
//!   use tokio (built offline from the registry the workspace already filled), then run.
//! - A page's servers are started when reached, each waited for on its port; its clients run
//!   against it; the page's servers are stopped when the page is done.
//!
//! The default echo port is fixed (7007), so this test cannot share the machine with a running
//! `./dev run`; `./dev test` runs the suite in a private network namespace for that reason.

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use book::code::{Code, Role};
use book::content::Book;
use book::highlight::Highlighter;
use clap::Parser as _;
use relay::{Config, Relay};
use tokio::io::AsyncWriteExt as _;
use tokio::process::{Child, Command};
use tokio_util::sync::CancellationToken;

const PROGRAM_TIMEOUT: Duration = Duration::from_secs(10);
const SERVER_STARTUP: Duration = Duration::from_secs(5);

/// The features the relay builds tokio with: already in the registry, so offline builds work.
const TOKIO_FEATURES: &str =
    r#"["rt-multi-thread", "macros", "net", "io-util", "signal", "sync", "time"]"#;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A block and where it is, for messages.
struct Block<'a> {
    file: &'a Path,
    code: &'a Code,
}

impl Block<'_> {
    fn at(&self) -> String {
        format!(
            "{}:{} ({} {})",
            self.file.display(),
            self.code.line,
            self.code.language,
            self.code.role
        )
    }

    /// The binary's name in the scratch project.
    fn bin(&self) -> String {
        let stem: String = self
            .file
            .to_string_lossy()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .collect();
        format!("{stem}_l{}", self.code.line)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_code_block_in_the_course_runs() {
    let root = root();
    let book = Book::load(&root.join("content"), &root, &Highlighter::new())
        .unwrap_or_else(|problems| panic!("the content has problems:\n{problems}"));
    let pages: Vec<(&Path, &[Code])> = book
        .editions
        .iter()
        .flat_map(|e| &e.pages)
        .map(|p| (p.file.as_path(), p.code.as_slice()))
        .collect();

    let rust: Vec<Block> = pages
        .iter()
        .flat_map(|(file, code)| code.iter().map(|code| Block { file, code }))
        .filter(|b| b.code.language == "rust" && b.code.role != Role::Fragment)
        .collect();
    let binaries = build_rust(&root, &rust).await;

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
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (file, code) in &pages {
        let mut servers: Vec<(String, Child)> = Vec::new();
        for code in code.iter() {
            let block = Block { file, code };
            if code.role == Role::Shown {
                continue;
            }
            *counts.entry(format!("{} {}", code.language, kind(&code.role))).or_default() += 1;
            let result = match &code.role {
                Role::Fragment => parse(&block).await,
                Role::Server { name, port } => match start(&block, &binaries).await {
                    Ok(child) => match wait_for_port(*port).await {
                        Ok(()) => {
                            servers.push((name.clone(), child));
                            Ok(())
                        }
                        Err(why) => Err(why + &stop(child).await),
                    },
                    Err(why) => Err(why),
                },
                Role::Run | Role::Tokio | Role::Client { .. } => run(&block, &binaries).await,
                Role::Shown => unreachable!(),
            };
            if let Err(why) = result {
                failures.push(format!("{}: {why}", block.at()));
            }
        }
        for (_, server) in servers {
            stop(server).await;
        }
    }
    shutdown.cancel();
    serving.await.unwrap().unwrap();
    assert!(
        failures.is_empty(),
        "{} code blocks failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let summary: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    eprintln!("code blocks: {}", summary.join(", "));
    assert!(counts.keys().any(|k| k.starts_with("python")), "the course has Python code");
}

fn kind(role: &Role) -> &'static str {
    match role {
        Role::Fragment => "parsed",
        Role::Server { .. } => "servers started",
        Role::Client { .. } => "clients run",
        _ => "programs run",
    }
}

/// Compile every Rust program as a binary of one scratch project; their paths by binary name.
async fn build_rust(root: &Path, blocks: &[Block<'_>]) -> BTreeMap<String, PathBuf> {
    if blocks.is_empty() {
        return BTreeMap::new();
    }
    // SOCKLAB_SNIPPETS_DIR lets several checkouts or writers run this at once.
    let project = std::env::var_os("SOCKLAB_SNIPPETS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/snippets"));
    let bins = project.join("src/bin");
    let _ = std::fs::remove_dir_all(&bins);
    std::fs::create_dir_all(&bins).unwrap();
    // Its own workspace (the empty table), so cargo does not take it for a member of SockLab's.
    let manifest = format!(
        "[package]\nname = \"socklab-snippets\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ntokio = {{ version = \"1\", features = {TOKIO_FEATURES} }}\n\n[workspace]\n"
    );
    std::fs::write(project.join("Cargo.toml"), manifest).unwrap();
    for block in blocks {
        std::fs::write(bins.join(format!("{}.rs", block.bin())), &block.code.text).unwrap();
    }
    let output = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet", "--bins"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", project.join("target"))
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "the course's Rust code does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    blocks.iter().map(|b| (b.bin(), project.join("target/debug").join(b.bin()))).collect()
}

/// The command that runs a block.
fn command(block: &Block<'_>, binaries: &BTreeMap<String, PathBuf>) -> Command {
    let mut command = match block.code.language.as_str() {
        "python" => {
            let mut python = Command::new("python3");
            python.arg("-c").arg(&block.code.text);
            python
        }
        _ => Command::new(&binaries[&block.bin()]),
    };
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    command
}

async fn run(block: &Block<'_>, binaries: &BTreeMap<String, PathBuf>) -> Result<(), String> {
    let child = command(block, binaries).spawn().map_err(|e| format!("cannot start: {e}"))?;
    let output = tokio::time::timeout(PROGRAM_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| format!("did not finish within {PROGRAM_TIMEOUT:?}"))?
        .map_err(|e| e.to_string())?;
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

async fn start(block: &Block<'_>, binaries: &BTreeMap<String, PathBuf>) -> Result<Child, String> {
    command(block, binaries).spawn().map_err(|e| format!("cannot start: {e}"))
}

/// Wait until something accepts connections on 127.0.0.1:`port`.
async fn wait_for_port(port: u16) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < SERVER_STARTUP {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("nothing listened on port {port} within {SERVER_STARTUP:?}"))
}

/// Stop a server; its output, for a message.
async fn stop(mut server: Child) -> String {
    let _ = server.start_kill();
    match tokio::time::timeout(Duration::from_secs(5), server.wait_with_output()).await {
        Ok(Ok(output)) => format!(
            "\n--- server stdout\n{}--- server stderr\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        _ => String::new(),
    }
}

/// A fragment must at least be valid syntax.
async fn parse(block: &Block<'_>) -> Result<(), String> {
    match block.code.language.as_str() {
        "python" => {
            let mut python = Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| format!("cannot start python3: {e}"))?;
            python.stdin.take().unwrap().write_all(block.code.text.as_bytes()).await.unwrap();
            let output = python.wait_with_output().await.map_err(|e| e.to_string())?;
            if output.status.success() {
                Ok(())
            } else {
                Err(String::from_utf8_lossy(&output.stderr).into_owned())
            }
        }
        _ => {
            let text = &block.code.text;
            // Items (functions, structs…) or statements (a function's body).
            syn::parse_file(text)
                .map(drop)
                .or_else(|_| syn::parse_str::<syn::Block>(&format!("{{\n{text}\n}}")).map(drop))
                .map_err(|e| format!("not valid Rust: {e}"))
        }
    }
}
