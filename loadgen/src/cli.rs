//! Command-line flags. Defaults are the documented benchmark (docs/BENCHMARKS.md).

use std::path::PathBuf;
use std::time::Duration;

use crate::children;

/// Measure SockLab's relay against raw TCP and websockify (default), or its memory per
/// session (`memory`). Starts and stops the relay and websockify itself, on 127.0.0.1 only.
#[derive(clap::Parser, Debug)]
#[command(version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub relay: RelayArgs,

    #[command(flatten)]
    pub throughput: ThroughputArgs,
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Open many tcp-echo sessions and report the relay's resident memory per session.
    Memory(MemoryArgs),
    /// Many clients for a long time, random message sizes, every byte compared; then memory
    /// and descriptors back to baseline, and SIGTERM under load.
    Soak(SoakArgs),
}

#[derive(clap::Args, Debug)]
pub struct SoakArgs {
    /// Concurrent WebSocket clients, each with one tcp-echo session.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=5000))]
    pub clients: u32,

    /// Seconds of load (the documented soak is 600).
    #[arg(long = "secs", default_value = "600", value_parser = positive_seconds)]
    pub duration: Duration,

    /// Largest message, in bytes; each message's size is drawn uniformly from 0 to this.
    #[arg(long, default_value_t = 64 * 1024, value_parser = clap::value_parser!(u32).range(0..=1 << 20))]
    pub max_bytes: u32,

    /// Seed of the message sizes and contents: the same seed sends the same messages.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(clap::Args, Debug)]
pub struct RelayArgs {
    /// The relay binary to start (build it with
    /// `cargo build -p relay --release --bin socklab-relay`).
    #[arg(long, global = true, default_value = "target/release/socklab-relay")]
    pub relay_bin: PathBuf,

    /// Run the load generator on core 0 and the servers under test (relay, websockify) on
    /// core 1, so that they do not take turns on the same cores: the fair comparison on a
    /// 2-core machine.
    #[arg(long, global = true)]
    pub pin: bool,
}

impl RelayArgs {
    pub fn server_cores(&self) -> children::Cores {
        if self.pin { children::Cores::Only(SERVER_CORE) } else { children::Cores::Any }
    }
}

/// With `--pin`: the load generator's core and the servers' core.
pub const LOADGEN_CORE: usize = 0;
pub const SERVER_CORE: usize = 1;

#[derive(clap::Args, Debug)]
pub struct ThroughputArgs {
    /// Concurrent clients per target, each with its own connection.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub clients: u32,

    /// Bytes sent (and echoed) per round trip.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=32768))]
    pub bytes: u32,

    /// Seconds of load before measuring, per target (connections warm, caches filled).
    #[arg(long = "warmup-secs", default_value = "2", value_parser = seconds)]
    pub warmup: Duration,

    /// Seconds measured per target.
    #[arg(long = "measure-secs", default_value = "10", value_parser = positive_seconds)]
    pub measure: Duration,

    /// The websockify executable (Debian's package installs /usr/bin/websockify).
    #[arg(long, default_value = "/usr/bin/websockify")]
    pub websockify: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct MemoryArgs {
    /// Sessions to open. Lowered, with a note, if the file-descriptor limit cannot hold them.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sessions: u32,

    /// Sessions per WebSocket; the relay is started with `--max-sessions` set to this.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub per_ws: u32,

    /// Bytes echoed once on every session before the second memory reading.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=32768))]
    pub bytes: u32,
}

/// A duration in (possibly fractional) seconds, at most an hour: every run is bounded.
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text.parse().map_err(|err| format!("{err}"))?;
    if !(0.0..=3600.0).contains(&secs) {
        return Err("must be between 0 and 3600 seconds".into());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Like [`seconds`], but not zero: rates are divided by it.
fn positive_seconds(text: &str) -> Result<Duration, String> {
    let duration = seconds(text)?;
    if duration < Duration::from_millis(100) {
        return Err("must be at least 0.1 seconds".into());
    }
    Ok(duration)
}
