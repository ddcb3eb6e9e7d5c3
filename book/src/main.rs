//! `socklab-book`: write the course's pages into a built site (see the [`book`] crate).
//!
//! ```text
//! socklab-book [--content content] [--dist dist] [--site-url http://127.0.0.1:8080]
//! socklab-book --check          # read and check the content only; write nothing
//! ```
//!
//! scripts/build-site.sh runs it after Trunk. A content problem fails it with every problem
//! listed as `file:line: message`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser as _;

/// Render SockLab's course (content/) into the site Trunk built (dist/).
#[derive(clap::Parser, Debug)]
#[command(version)]
struct Cli {
    /// The course's Markdown, one directory per language.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// The site to complete: Trunk's output, holding the labs' wasm.
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// The origin the site is published at, for canonical and hreflang links.
    #[arg(long, env = "SOCKLAB_SITE_URL", default_value = "http://127.0.0.1:8080")]
    site_url: String,
    /// Only read and check the content (seconds, and no built site needed).
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = book::Options {
        root: std::env::current_dir().unwrap_or_default(),
        content: cli.content,
        dist: cli.dist,
        site_url: cli.site_url.trim_end_matches('/').to_string(),
    };
    if cli.check {
        return match book::load(&options) {
            Ok(book) => {
                let pages: usize = book.editions.iter().map(|e| e.pages.len()).sum();
                let code: usize =
                    book.editions.iter().flat_map(|e| &e.pages).map(|p| p.code.len()).sum();
                eprintln!(
                    "book: {pages} pages, {code} code blocks, in {} languages: no problems",
                    book.editions.len()
                );
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("book: {err:#}");
                ExitCode::FAILURE
            }
        };
    }
    match book::build(&options) {
        Ok(report) => {
            eprintln!(
                "book: {} files ({} KiB), {} labs rendered, in {}",
                report.pages,
                report.bytes / 1024,
                report.labs,
                options.dist.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("book: {err:#}");
            ExitCode::FAILURE
        }
    }
}
