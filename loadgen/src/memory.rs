//! Memory mode: the relay's resident memory per open tcp-echo session.
//!
//! One session costs the relay process a share of a WebSocket (8 sessions per WebSocket here,
//! the relay's default limit), the session's upstream TCP socket and its two tasks, and — since
//! the echo server lives in the same process — the echo server's side of that connection.
//! Kernel socket buffers are not part of a process's resident memory and are not counted.
//!
//! Memory is read twice: with every session opened and idle, and again after one echo on
//! every session, because buffers are only touched (and become resident) when data flows.

use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use futures_util::{StreamExt as _, TryStreamExt as _};
use tokio::time::Instant;
use wire::{ClientMsg, Endpoint, Payload, ServerMsg, SessionId};

use crate::children::{self, Relay};
use crate::cli::{MemoryArgs, RelayArgs};
use crate::clients::{self, Ws};
use crate::closed_loop;
use crate::fdlimit::{self, OpenFiles};
use crate::procfs;
use crate::report;

/// Descriptors beyond the sessions' own: listeners, epoll, pipes, stdio (the relay starts with ~15).
const SPARE_FDS: u64 = 64;
/// WebSockets being set up at once: enough to keep the relay busy, few enough not to
/// overflow its accept queue.
const IN_FLIGHT: usize = 64;
/// Bounds on one WebSocket's setup or echo, and on each whole phase.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);
const PHASE_TIMEOUT: Duration = Duration::from_secs(300);
/// Time for the relay's tasks to finish what they were doing before memory is read.
const SETTLE: Duration = Duration::from_secs(1);

/// What memory mode measured.
#[derive(Debug)]
pub struct Measured {
    pub sessions: u32,
    pub websockets: u32,
    pub per_ws: u32,
    pub bytes: u32,
    pub open_files: OpenFiles,
    /// Why fewer sessions than asked for were opened, if they were.
    pub shortfall: Option<String>,
    pub rss: Rss,
}

/// The relay's resident memory at each step, and how long opening took.
#[derive(Debug)]
pub struct Rss {
    pub start: u64,
    pub opened: u64,
    pub echoed: u64,
    pub open_time: Duration,
}

pub async fn run(relay_args: &RelayArgs, args: &MemoryArgs) -> anyhow::Result<()> {
    let per_ws = args.per_ws;
    let open_files = fdlimit::raise_open_files(relay_fds(args.sessions, per_ws))?;
    let (sessions, shortfall) = sessions_that_fit(args.sessions, per_ws, open_files.now)?;
    if let Some(why) = &shortfall {
        eprintln!("memory: {why}");
    }
    let relay =
        children::start_relay(&relay_args.relay_bin, relay_args.server_cores(), per_ws, &[])
            .await?;
    let measured = measure(&relay, sessions, per_ws, args.bytes).await;
    let relay_output = relay.process.last_output();
    let stopped = relay.process.stop().await;
    let rss = children::with_output(measured, relay_output)?;
    stopped?;
    let websockets = sessions.div_ceil(per_ws);
    let measured =
        Measured { sessions, websockets, per_ws, bytes: args.bytes, open_files, shortfall, rss };
    report::memory(&relay.command, &measured);
    Ok(())
}

/// Descriptors the relay needs: per session its upstream socket and the echo server's
/// accepted socket (both in the relay process), plus one per WebSocket. The load generator
/// needs only the WebSockets, so the relay's count bounds both.
fn relay_fds(sessions: u32, per_ws: u32) -> u64 {
    2 * u64::from(sessions) + u64::from(sessions.div_ceil(per_ws)) + SPARE_FDS
}

/// The sessions to open: as asked, or the most that the open-file limit and the ephemeral
/// port range (every upstream connection goes to the same echo address, so each needs its
/// own local port) allow, with the reason.
fn sessions_that_fit(
    asked: u32,
    per_ws: u32,
    fd_limit: u64,
) -> anyhow::Result<(u32, Option<String>)> {
    let ports = ephemeral_ports()?;
    if relay_fds(asked, per_ws) <= fd_limit && asked <= ports {
        return Ok((asked, None));
    }
    let by_fds = (1..=asked).rev().find(|&n| relay_fds(n, per_ws) <= fd_limit).unwrap_or(0);
    let fit = by_fds.min(ports);
    let fit = fit - fit % per_ws;
    if fit == 0 {
        bail!("an open-file limit of {fd_limit} leaves no room for sessions");
    }
    let why = format!(
        "{asked} sessions need {} open files in the relay (the limit is {fd_limit}) and {asked} \
         ephemeral ports ({ports} exist); measuring the largest number that fits: {fit}",
        relay_fds(asked, per_ws),
    );
    Ok((fit, Some(why)))
}

fn ephemeral_ports() -> anyhow::Result<u32> {
    const RANGE: &str = "/proc/sys/net/ipv4/ip_local_port_range";
    let text = std::fs::read_to_string(RANGE).with_context(|| format!("reading {RANGE}"))?;
    let ports: Vec<u32> = text.split_whitespace().filter_map(|port| port.parse().ok()).collect();
    match ports[..] {
        [low, high] if high >= low => Ok(high - low + 1),
        _ => Err(anyhow!("{RANGE} holds {text:?}, not two port numbers")),
    }
}

async fn measure(relay: &Relay, sessions: u32, per_ws: u32, bytes: u32) -> anyhow::Result<Rss> {
    let pid = relay.process.pid()?;
    let start = procfs::rss_bytes(pid)?;

    let websockets = sessions.div_ceil(per_ws);
    eprintln!("memory: opening {sessions} sessions on {websockets} WebSockets");
    let begun = Instant::now();
    let open = futures_util::stream::iter(0..websockets)
        .map(|i| {
            let count = per_ws.min(sessions - i * per_ws);
            bounded(STEP_TIMEOUT, open_sessions(relay, count))
        })
        .buffer_unordered(IN_FLIGHT)
        .try_collect::<Vec<_>>();
    let mut sockets = bounded(PHASE_TIMEOUT, open).await.context("opening sessions")?;
    let open_time = begun.elapsed();
    tokio::time::sleep(SETTLE).await;
    let opened = procfs::rss_bytes(pid)?;

    eprintln!("memory: one {bytes}-byte echo on every session");
    let echo = futures_util::stream::iter(sockets.iter_mut())
        .map(|socket| bounded(STEP_TIMEOUT, socket.echo_each(bytes as usize)))
        .buffer_unordered(IN_FLIGHT)
        .try_collect::<()>();
    bounded(PHASE_TIMEOUT, echo).await.context("echoing on every session")?;
    tokio::time::sleep(SETTLE).await;
    let echoed = procfs::rss_bytes(pid)?;

    // Closing is not measured; it only has to be bounded before the relay is stopped.
    let close = futures_util::stream::iter(sockets).for_each_concurrent(
        IN_FLIGHT,
        |mut socket| async move {
            let _ = socket.ws.close(None).await;
        },
    );
    let _ = tokio::time::timeout(PHASE_TIMEOUT, close).await;
    Ok(Rss { start, opened, echoed, open_time })
}

/// `future`'s own result, or an error if it took longer than `limit`.
async fn bounded<T>(
    limit: Duration,
    future: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    tokio::time::timeout(limit, future).await.map_err(|_| anyhow!("not done within {limit:?}"))?
}

/// One WebSocket and its sessions, numbered 1..=count.
#[derive(Debug)]
struct Sessions {
    ws: Ws,
    count: u32,
}

async fn open_sessions(relay: &Relay, count: u32) -> anyhow::Result<Sessions> {
    let mut ws = clients::relay_ws(relay.site).await?;
    for session in 1..=count {
        clients::send(&mut ws, &ClientMsg::Open { session, endpoint: Endpoint::TcpEcho }).await?;
    }
    for _ in 0..count {
        match clients::recv(&mut ws).await? {
            ServerMsg::Opened { .. } => {}
            other => bail!("the relay answered `open` with {other:?}"),
        }
    }
    Ok(Sessions { ws, count })
}

impl Sessions {
    /// Send `bytes` on every session at once, then wait until each has its own bytes back.
    async fn echo_each(&mut self, bytes: usize) -> anyhow::Result<()> {
        let mut expected = Vec::new();
        for session in 1..=self.count {
            let mut payload = vec![0; bytes];
            closed_loop::fill(&mut payload, u64::from(session), 0);
            let text = String::from_utf8(payload.clone()).context("payloads are ASCII")?;
            let data = Payload::Text(text);
            clients::send(&mut self.ws, &ClientMsg::Send { session, data }).await?;
            expected.push(payload);
        }
        let mut echoed = vec![Vec::new(); expected.len()];
        while echoed.iter().zip(&expected).any(|(got, want)| got.len() < want.len()) {
            match clients::recv(&mut self.ws).await? {
                ServerMsg::Read { session, data, .. } => echoed
                    .get_mut(index(session)?)
                    .ok_or_else(|| anyhow!("a read for session {session}, which was not opened"))?
                    .extend_from_slice(data.as_bytes()),
                // Reports that write_all finished; only the echo matters here.
                ServerMsg::Wrote { .. } => {}
                other => bail!("unexpected message from the relay: {other:?}"),
            }
        }
        if echoed != expected {
            bail!("a session echoed bytes different from those sent");
        }
        Ok(())
    }
}

fn index(session: SessionId) -> anyhow::Result<usize> {
    usize::try_from(session)?.checked_sub(1).ok_or_else(|| anyhow!("session 0 was never opened"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_count_two_sockets_per_session_and_one_per_websocket() {
        assert_eq!(relay_fds(10_000, 8), 20_000 + 1_250 + SPARE_FDS);
        assert_eq!(relay_fds(9, 8), 18 + 2 + SPARE_FDS);
    }
}
