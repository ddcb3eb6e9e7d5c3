//! `socklab-loadgen`: how fast, how slow at the tail, and how heavy the relay is, measured
//! against the two things it should be compared with.
//!
//! **Throughput mode** (the default) runs one closed-loop workload — N clients, each sending M
//! bytes and waiting for all M to come back before sending again — against three targets in
//! one invocation, one after the other, on the same machine and the same echo socket:
//!
//! | target | path of one round trip | why it is in the table |
//! |---|---|---|
//! | `direct` | client ─TCP─▶ tcp-echo | the floor: what the kernel and the echo server cost alone |
//! | `relay` | client ─WS/JSON─▶ relay ─TCP─▶ tcp-echo | what SockLab costs |
//! | `websockify` | client ─WS/binary─▶ websockify ─TCP─▶ tcp-echo | the off-the-shelf WebSocket→TCP bridge the relay replaces |
//!
//! The ratios say what the numbers mean: relay/websockify throughput and p99 show whether
//! writing our own relay (with its JSON protocol, which carries more than websockify's raw
//! bytes) paid off; relay/direct throughput shows how much of the floor the relay keeps. Every
//! round trip checks that the echoed bytes are the bytes sent; a single mismatch fails the run.
//!
//! **Memory mode** (`socklab-loadgen memory`) opens many tcp-echo sessions, 8 per WebSocket,
//! and reads the relay's resident memory (VmRSS) before and after: the cost of one idle
//! learner's session, which decides how many learners one small machine can hold.
//!
//! **Soak mode** (`socklab-loadgen soak`) runs 500 pages for ten minutes with messages of
//! random sizes up to 64 KiB, compares every echoed byte, then checks that the relay's memory
//! and descriptors come back once they leave and that SIGTERM under load closes every page
//! with 1001 (see `src/soak.rs`).
//!
//! The load generator starts the release relay (and websockify) itself, on 127.0.0.1 only,
//! and stops them at the end; every wait is bounded. It shares the machine's cores with what
//! it measures, which the report's CPU columns make visible.

mod children;
mod cli;
mod clients;
mod closed_loop;
mod fdlimit;
mod memory;
mod procfs;
mod report;
mod soak;
mod throughput;

use clap::Parser as _;

// Multi-threaded on purpose: a single-threaded client takes turns with the echo server instead
// of overlapping with it and under-loads the direct target (measured: ~47,000 instead of
// 65,000–95,000 round trips/s), which would flatter the relay/direct ratio.
fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    if cli.relay.pin {
        // Before the runtime starts: its threads inherit this thread's cores.
        if let Err(err) = pin_to(cli::LOADGEN_CORE) {
            eprintln!("socklab-loadgen: --pin: {err}");
            return std::process::ExitCode::FAILURE;
        }
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let result = runtime.block_on(async {
        match &cli.command {
            Some(cli::Command::Memory(args)) => memory::run(&cli.relay, args).await,
            Some(cli::Command::Soak(args)) => soak::run(&cli.relay, args).await,
            None => throughput::run(&cli.relay, &cli.throughput).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("socklab-loadgen: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn pin_to(core: usize) -> std::io::Result<()> {
    let mut cores = rustix::thread::CpuSet::new();
    cores.set(core);
    Ok(rustix::thread::sched_setaffinity(None, &cores)?)
}
