//! Throughput mode: the same closed loop against direct TCP, the relay and websockify, in that
//! order, in one run, then one report.

use std::time::Duration;

use tokio::time::Instant;

use crate::children::{self, Relay};
use crate::cli::{RelayArgs, ThroughputArgs};
use crate::clients::Target;
use crate::closed_loop::{self, Tally, Window};
use crate::procfs::{self, Pid};
use crate::report;

/// One target's measurement.
#[derive(Debug)]
pub struct Row {
    pub target: &'static str,
    pub tally: Tally,
    pub measured: Duration,
    pub cpu: CpuUse,
}

impl Row {
    pub fn per_second(&self) -> f64 {
        self.tally.round_trips as f64 / self.measured.as_secs_f64()
    }

    /// CPU time the server side (the relay process, which hosts the echo server, plus
    /// websockify if it is in the path) spent per round trip, in µs.
    pub fn server_us_per_round_trip(&self) -> f64 {
        let cores = self.cpu.relay + self.cpu.websockify.unwrap_or(0.0);
        cores * 1e6 / self.per_second()
    }
}

/// Cores kept busy during the measured window, per process (2.0 = both cores of a 2-core
/// machine): everything here shares the machine, and this shows who had the CPU.
#[derive(Debug, Clone, Copy)]
pub struct CpuUse {
    pub loadgen: f64,
    /// The relay process, which also hosts the tcp-echo server every target ends at.
    pub relay: f64,
    pub websockify: Option<f64>,
}

/// The three rows, in the order they ran.
#[derive(Debug)]
pub struct Results {
    pub direct: Row,
    pub relay: Row,
    pub websockify: Row,
}

pub async fn run(relay_args: &RelayArgs, args: &ThroughputArgs) -> anyhow::Result<()> {
    // One session per WebSocket: the relay's default session limit is plenty.
    let relay =
        children::start_relay(&relay_args.relay_bin, relay_args.server_cores(), 8, &[]).await?;
    let measured = measure_all(&relay, relay_args.server_cores(), args).await;
    let relay_output = relay.process.last_output();
    let stopped = relay.process.stop().await;
    let (results, websockify_command) = children::with_output(measured, relay_output)?;
    stopped?;
    report::throughput(
        args,
        relay_args.server_cores(),
        &relay.command,
        &websockify_command,
        &results,
    );
    for row in [&results.direct, &results.relay, &results.websockify] {
        closed_loop::check(row.target, &row.tally)?;
    }
    Ok(())
}

async fn measure_all(
    relay: &Relay,
    cores: children::Cores,
    args: &ThroughputArgs,
) -> anyhow::Result<(Results, String)> {
    let relay_pid = relay.process.pid()?;
    let direct = measure(Target::Direct(relay.tcp_echo), relay_pid, None, args).await?;
    let via_relay = measure(Target::Relay(relay.site), relay_pid, None, args).await?;

    let websockify = children::start_websockify(&args.websockify, cores, relay.tcp_echo)?;
    let pid = websockify.process.pid()?;
    let bridged = measure(Target::Websockify(websockify.addr), relay_pid, Some(pid), args).await;
    let websockify_output = websockify.process.last_output();
    let stopped = websockify.process.stop().await;
    let bridged = children::with_output(bridged, websockify_output)?;
    // Its numbers are taken and its processes are gone either way: a slow exit is worth a
    // warning, not the run. (Seen once in ~20 runs on a loaded machine.)
    if let Err(err) = stopped {
        eprintln!("warning: {err:#}");
    }
    Ok((Results { direct, relay: via_relay, websockify: bridged }, websockify.command))
}

async fn measure(
    target: Target,
    relay_pid: u32,
    websockify_pid: Option<u32>,
    args: &ThroughputArgs,
) -> anyhow::Result<Row> {
    eprintln!("{}: connecting {} clients", target.name(), args.clients);
    let clients = closed_loop::connect(target, args.clients).await?;
    let start = Instant::now();
    let window =
        Window { measure_from: start + args.warmup, end: start + args.warmup + args.measure };
    eprintln!(
        "{}: {:?} warm-up, then measuring for {:?}",
        target.name(),
        args.warmup,
        args.measure
    );
    let (tally, cpu) = tokio::join!(
        closed_loop::run(clients, args.bytes as usize, window),
        cpu_during(window, relay_pid, websockify_pid),
    );
    Ok(Row { target: target.name(), tally: tally?, measured: args.measure, cpu: cpu? })
}

/// CPU used by each process between the window's start and end.
async fn cpu_during(window: Window, relay: u32, websockify: Option<u32>) -> anyhow::Result<CpuUse> {
    let sample = || -> anyhow::Result<(Duration, Duration, Option<Duration>)> {
        Ok((
            procfs::cpu_time(Pid::Own)?,
            procfs::cpu_time(Pid::Other(relay))?,
            websockify.map(procfs::tree_cpu_time).transpose()?,
        ))
    };
    tokio::time::sleep_until(window.measure_from).await;
    let before = sample()?;
    tokio::time::sleep_until(window.end).await;
    let after = sample()?;
    let wall = (window.end - window.measure_from).as_secs_f64();
    let share = |from: Duration, to: Duration| to.saturating_sub(from).as_secs_f64() / wall;
    Ok(CpuUse {
        loadgen: share(before.0, after.0),
        relay: share(before.1, after.1),
        websockify: before.2.zip(after.2).map(|(from, to)| share(from, to)),
    })
}
