//! `socklab-relay`: see the crate documentation of [`relay`] and `socklab-relay --help`.

use clap::Parser as _;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

/// See relay/Cargo.toml for why not the system allocator.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read once at start (a C string; jemalloc reads the pointer this
/// slice starts with). Freed pages go back to the system after a second without reuse
/// (`dirty_decay_ms`), at once rather than lazily (`muzzy_decay_ms:0`: lazily freed pages
/// still count as resident), and a background thread does it even when the relay is idle —
/// which is exactly when a classroom has left.
///
/// The relay's one exported symbol (hence the `unsafe` attribute): jemalloc looks it up by
/// this name, and nothing else in the process defines it, since the allocator is linked with
/// its `_rjem_` prefix.
#[allow(unsafe_code)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();

    let config = relay::Config::parse();
    if !config.site_dir.join("index.html").is_file() {
        tracing::warn!(site = %config.site_dir.display(), "no index.html: build the site first (./dev run does)");
    }
    let relay = relay::Relay::bind(config).await?;
    // stdout carries exactly these two lines: one JSON object for scripts waiting for the relay
    // to come up, then the same addresses in a sentence for people.
    println!("{}", relay.addrs().listening_event());
    println!("{}", relay.addrs());

    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal(shutdown.clone()));
    relay.serve(shutdown).await?;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Cancel `token` on Ctrl-C or SIGTERM (what `kill` and service managers send).
async fn cancel_on_signal(token: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing a SIGTERM handler cannot fail on Unix");
    #[cfg(unix)]
    let terminate = term.recv();
    #[cfg(not(unix))]
    let terminate = std::future::pending::<Option<()>>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("Ctrl-C: shutting down"),
        _ = terminate => tracing::info!("SIGTERM: shutting down"),
    }
    token.cancel();
}
