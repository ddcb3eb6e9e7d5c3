//! Soak mode: many pages, for a long time, with messages of every size — and nothing lost.
//!
//! Each client is one WebSocket with one tcp-echo session. It sends a message of a random
//! size (0 to `--max-bytes`, random bytes, so most go as base64), sometimes as a batch of 2–4
//! writes, waits for the whole echo and compares it with what it sent, byte for byte: a lost,
//! reordered or corrupted byte is a mismatch, and an echo that never completes is a loss.
//! Every few MiB it closes its session and opens a new one, so sessions churn as they do when
//! learners move between labs.
//!
//! Three phases, one relay:
//! 1. **Soak**: after a warm-up round of the same clients (which sizes what the relay keeps
//!    for good: the runtime's tables grow to the most connections seen and stay), the clients
//!    run for `--secs`; the relay's memory and descriptors are sampled every second.
//! 2. **Leave**: the clients close; memory and descriptors must come back to what they were
//!    after the warm-up (RSS within 10 %, descriptors exactly): ten minutes may not leave
//!    more behind than a few seconds did.
//! 3. **Shutdown under load**: the clients come back, and the relay gets SIGTERM mid-load.
//!    Every client must get close code 1001 — with nothing before it but the reports of its
//!    echo: the echo server stops only after the WebSockets — and the relay must exit 0
//!    within its drain.
//!
//! Any mismatch, loss, leak or missing 1001 fails the run (exit code 1) after the report.

use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use wire::{ClientMsg, Endpoint, Payload, ServerMsg, SessionId};

use crate::children::{self, Relay};
use crate::cli::{RelayArgs, SoakArgs};
use crate::clients::{self, Ws};
use crate::fdlimit;
use crate::procfs;
use crate::report;

/// A session is closed and a new one opened after it has carried this many bytes.
const CHURN_BYTES: usize = 4 << 20;
/// An echo not complete after this long is lost.
const ROUND_TRIP_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest warm-up (a tenth of the soak, at least 2 s).
const WARM_UP: Duration = Duration::from_secs(30);
/// How long memory may take to come back after the clients leave.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Memory counts as back when within this fraction of the baseline.
const RSS_TOLERANCE: f64 = 0.10;
/// Load before the SIGTERM of phase 3.
const LOAD_BEFORE_SIGTERM: Duration = Duration::from_secs(3);
/// Clients connecting at once, so the relay's accept queue is not flooded.
const CONNECTS_IN_FLIGHT: usize = 32;

/// What the soak measured.
#[derive(Debug, Default)]
pub struct Soaked {
    /// The relay's resident memory before any client came.
    pub cold_rss: u64,
    pub clients: u32,
    pub secs: u64,
    pub max_bytes: usize,
    pub totals: Totals,
    pub rss: Reading,
    pub fds: Reading,
    /// Phase 3: clients that got 1001, out of how many, and how long the relay took to exit.
    pub going_away: u32,
    pub shutdown_clients: u32,
    pub exit_after: Duration,
    /// What went wrong, if anything; the run fails if this is not empty.
    pub failures: Vec<String>,
}

/// One quantity of the relay process: before the clients, at its highest, after they left.
#[derive(Debug, Default, Clone, Copy)]
pub struct Reading {
    pub baseline: u64,
    pub peak: u64,
    pub after: u64,
}

/// What the clients did, added up.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub round_trips: u64,
    pub batches: u64,
    pub bytes_sent: u64,
    pub bytes_echoed: u64,
    pub sessions: u64,
    pub mismatches: u64,
    pub lost: u64,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.round_trips += other.round_trips;
        self.batches += other.batches;
        self.bytes_sent += other.bytes_sent;
        self.bytes_echoed += other.bytes_echoed;
        self.sessions += other.sessions;
        self.mismatches += other.mismatches;
        self.lost += other.lost;
    }
}

pub async fn run(relay_args: &RelayArgs, args: &SoakArgs) -> anyhow::Result<()> {
    // Per client: its WebSocket and session here; the WebSocket, the session's socket and the
    // echo server's socket in the relay (which inherits the limit).
    fdlimit::raise_open_files(3 * u64::from(args.clients) + 256)?;
    // A 64 KiB message travels as base64 inside JSON: about 88 KiB on the wire.
    let max_message = (args.max_bytes as usize * 4 / 3 + 4096).max(64 * 1024).to_string();
    let relay = children::start_relay(
        &relay_args.relay_bin,
        relay_args.server_cores(),
        1,
        &["--max-message", &max_message],
    )
    .await?;
    let mut soaked = Soaked {
        clients: args.clients,
        secs: args.duration.as_secs(),
        max_bytes: args.max_bytes as usize,
        ..Soaked::default()
    };
    let outcome = soak(&relay, args, &mut soaked).await;
    let command = relay.command.clone();
    let stopped = shut_down_under_load(relay, args, &mut soaked).await;
    report::soak(&command, &soaked);
    outcome?;
    stopped?;
    if !soaked.failures.is_empty() {
        bail!("the soak failed:\n- {}", soaked.failures.join("\n- "));
    }
    Ok(())
}

/// Phases 1 and 2.
async fn soak(relay: &Relay, args: &SoakArgs, soaked: &mut Soaked) -> anyhow::Result<()> {
    let pid = relay.process.pid()?;
    soaked.cold_rss = procfs::rss_bytes(pid)?;
    let warm_up = (args.duration / 10).clamp(Duration::from_secs(2), WARM_UP);
    eprintln!("soak: warming up with {} clients for {} s", args.clients, warm_up.as_secs());
    let mut running = start_clients(relay, args, 0, Until::Time(Instant::now() + warm_up)).await?;
    let mut warm = Soaked::default();
    finish(&mut running, &mut warm, None).await?;
    soaked.failures.append(&mut warm.failures);
    let rss = settled_rss(pid).await?;
    let fds = procfs::open_fds(pid)?;
    soaked.rss = Reading { baseline: rss, peak: rss, after: rss };
    soaked.fds = Reading { baseline: fds, peak: fds, after: fds };

    eprintln!("soak: {} clients for {} s", args.clients, args.duration.as_secs());
    let end = Instant::now() + args.duration;
    let mut running = start_clients(relay, args, 1, Until::Time(end)).await?;
    finish(&mut running, soaked, Some((pid, end))).await?;
    let totals = &soaked.totals;
    if totals.mismatches > 0 || totals.lost > 0 {
        soaked.failures.push(format!(
            "{} echoes differed from what was sent and {} never completed",
            totals.mismatches, totals.lost
        ));
    }

    eprintln!("soak: clients gone; waiting for memory and descriptors to come back");
    let settled = Instant::now() + SETTLE_TIMEOUT;
    loop {
        soaked.rss.after = procfs::rss_bytes(pid)?;
        soaked.fds.after = procfs::open_fds(pid)?;
        let rss_back =
            soaked.rss.after as f64 <= soaked.rss.baseline as f64 * (1.0 + RSS_TOLERANCE);
        let fds_back = soaked.fds.after <= soaked.fds.baseline;
        if rss_back && fds_back {
            break;
        }
        if Instant::now() >= settled {
            soaked.failures.push(format!(
                "{SETTLE_TIMEOUT:?} after the clients left, the relay holds {} KiB (baseline {} \
                 KiB) and {} descriptors (baseline {})",
                soaked.rss.after / 1024,
                soaked.rss.baseline / 1024,
                soaked.fds.after,
                soaked.fds.baseline
            ));
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(())
}

/// Connect the clients and start them, sending until `until`; `round` varies their seeds.
async fn start_clients(
    relay: &Relay,
    args: &SoakArgs,
    round: u64,
    until: Until,
) -> anyhow::Result<JoinSet<Ended>> {
    let clients = connect_all(relay, args.clients).await?;
    let mut running = JoinSet::new();
    for (i, ws) in clients.into_iter().enumerate() {
        let seed = (args.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_add(round);
        let rng = fastrand::Rng::with_seed(seed);
        running.spawn(client(ws, rng, args.max_bytes as usize, until));
    }
    Ok(running)
}

/// Wait for the clients to end and add up what they did; with `watch`, sample the relay's
/// memory and descriptors every second meanwhile.
async fn finish(
    running: &mut JoinSet<Ended>,
    soaked: &mut Soaked,
    watch: Option<(u32, Instant)>,
) -> anyhow::Result<()> {
    let mut sample = tokio::time::interval(Duration::from_secs(1));
    let mut last_progress = Instant::now();
    while !running.is_empty() {
        tokio::select! {
            _ = sample.tick(), if watch.is_some() => {
                let (pid, end) = watch.expect("sampling only with a pid");
                soaked.rss.peak = soaked.rss.peak.max(procfs::rss_bytes(pid)?);
                soaked.fds.peak = soaked.fds.peak.max(procfs::open_fds(pid)?);
                if last_progress.elapsed() >= Duration::from_secs(60) {
                    let left = end.saturating_duration_since(Instant::now()).as_secs();
                    eprintln!("soak: {left} s left");
                    last_progress = Instant::now();
                }
            }
            Some(done) = running.join_next() => {
                let ended = done.context("a soak client panicked")?;
                soaked.totals.add(&ended.totals);
                if let Some(failure) = ended.failure {
                    soaked.failures.push(failure);
                }
            }
        }
    }
    Ok(())
}

/// The relay's resident memory once it has stopped falling (the allocator returns freed
/// memory after a delay), or after [`SETTLE_TIMEOUT`].
async fn settled_rss(pid: u32) -> anyhow::Result<u64> {
    let deadline = Instant::now() + SETTLE_TIMEOUT;
    let mut last = procfs::rss_bytes(pid)?;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = procfs::rss_bytes(pid)?;
        if now >= last || Instant::now() >= deadline {
            return Ok(now);
        }
        last = now;
    }
}

/// Phase 3: load again, SIGTERM, and every client must hear 1001.
async fn shut_down_under_load(
    relay: Relay,
    args: &SoakArgs,
    soaked: &mut Soaked,
) -> anyhow::Result<()> {
    eprintln!("soak: {} clients again, then SIGTERM", args.clients);
    let mut running = match start_clients(&relay, args, 2, Until::GoingAway).await {
        Ok(running) => running,
        Err(err) => {
            let _ = relay.process.stop().await;
            return Err(err);
        }
    };
    soaked.shutdown_clients = args.clients;
    tokio::time::sleep(LOAD_BEFORE_SIGTERM).await;
    let sigterm = Instant::now();
    let stopped = relay.process.stop().await;
    soaked.exit_after = sigterm.elapsed();
    while let Some(done) = running.join_next().await {
        let ended = done.context("a soak client panicked")?;
        match ended.failure {
            None => soaked.going_away += 1,
            Some(failure) => soaked.failures.push(format!("at shutdown: {failure}")),
        }
    }
    stopped.context("the relay under load, at SIGTERM")
}

async fn connect_all(relay: &Relay, clients: u32) -> anyhow::Result<Vec<Ws>> {
    futures_util::stream::iter(0..clients)
        .map(|_| async {
            let mut ws = clients::relay_ws(relay.site).await?;
            open(&mut ws, 1).await.map_err(Stop::into_error)?;
            anyhow::Ok(ws)
        })
        .buffer_unordered(CONNECTS_IN_FLIGHT)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .context("connecting the soak clients")
}

/// When a client stops.
#[derive(Debug, Clone, Copy)]
enum Until {
    /// Stop sending at this time, close the WebSocket properly.
    Time(Instant),
    /// Go on until the relay closes the WebSocket, which must be with 1001.
    GoingAway,
}

/// How one client ended.
#[derive(Debug, Default)]
struct Ended {
    totals: Totals,
    failure: Option<String>,
}

async fn client(mut ws: Ws, mut rng: fastrand::Rng, max_bytes: usize, until: Until) -> Ended {
    let mut ended = Ended::default();
    let result = run_client(&mut ws, &mut rng, max_bytes, until, &mut ended.totals).await;
    ended.failure = match (until, result) {
        (Until::Time(_), Ok(())) => {
            let _ = ws.close(None).await;
            None
        }
        (Until::GoingAway, Err(Stop::Closed(Some(CloseCode::Away)))) => None,
        (_, Err(stop)) => Some(format!("{:#}", stop.into_error())),
        (Until::GoingAway, Ok(())) => Some("a client stopped before the relay did".into()),
    };
    ended
}

/// Why a client's loop ended early.
enum Stop {
    /// The relay closed the WebSocket, with this code.
    Closed(Option<CloseCode>),
    Failed(anyhow::Error),
}

impl Stop {
    fn into_error(self) -> anyhow::Error {
        match self {
            Stop::Closed(code) => anyhow!("the relay closed the WebSocket with {code:?}"),
            Stop::Failed(err) => err,
        }
    }
}

impl From<anyhow::Error> for Stop {
    fn from(err: anyhow::Error) -> Stop {
        Stop::Failed(err)
    }
}

async fn run_client(
    ws: &mut Ws,
    rng: &mut fastrand::Rng,
    max_bytes: usize,
    until: Until,
    totals: &mut Totals,
) -> Result<(), Stop> {
    let (mut session, mut carried) = (1, 0);
    totals.sessions = 1;
    let mut payload = Vec::with_capacity(max_bytes);
    let mut echoed = Vec::with_capacity(max_bytes);
    loop {
        if let Until::Time(end) = until
            && Instant::now() >= end
        {
            return Ok(());
        }
        if carried >= CHURN_BYTES {
            send(ws, &ClientMsg::Close { session }).await?;
            expect(ws, |msg| matches!(msg, ServerMsg::Closed { session: s } if *s == session))
                .await?;
            session += 1;
            open(ws, session).await?;
            (carried, totals.sessions) = (0, totals.sessions + 1);
        }
        payload.resize(rng.usize(0..=max_bytes), 0);
        rng.fill(&mut payload);
        let writes = if rng.u8(..8) == 0 && payload.len() >= 4 {
            totals.batches += 1;
            let parts = rng.usize(2..=4);
            payload
                .chunks(payload.len().div_ceil(parts))
                .map(|w| Payload::Base64(w.to_vec()))
                .collect()
        } else {
            vec![Payload::from_bytes(payload.clone())]
        };
        let expected_wrotes = writes.len();
        let msg = match writes.len() {
            1 => ClientMsg::Send { session, data: writes.into_iter().next().expect("one write") },
            _ => ClientMsg::SendBatch { session, writes },
        };
        send(ws, &msg).await?;
        echoed.clear();
        let mut wrotes = 0;
        let deadline = Instant::now() + ROUND_TRIP_TIMEOUT;
        while echoed.len() < payload.len() || wrotes < expected_wrotes {
            let msg = match tokio::time::timeout_at(deadline, next(ws)).await {
                Ok(msg) => msg?,
                Err(_) => {
                    totals.lost += 1;
                    return Err(Stop::Failed(anyhow!(
                        "{} of {} bytes echoed after {ROUND_TRIP_TIMEOUT:?}",
                        echoed.len(),
                        payload.len()
                    )));
                }
            };
            match msg {
                ServerMsg::Read { session: s, data, .. } if s == session => {
                    echoed.extend_from_slice(data.as_bytes());
                    if echoed.len() > payload.len() {
                        break; // more came back than was sent: a mismatch, below
                    }
                }
                ServerMsg::Wrote { session: s, .. } if s == session => wrotes += 1,
                other => return Err(anyhow!("unexpected message from the relay: {other:?}").into()),
            }
        }
        if echoed != payload {
            totals.mismatches += 1;
            return Err(
                anyhow!("an echo of {} bytes differed from what was sent", payload.len()).into()
            );
        }
        totals.round_trips += 1;
        totals.bytes_sent += payload.len() as u64;
        totals.bytes_echoed += echoed.len() as u64;
        carried += payload.len();
    }
}

async fn open(ws: &mut Ws, session: SessionId) -> Result<(), Stop> {
    send(ws, &ClientMsg::Open { session, endpoint: Endpoint::TcpEcho }).await?;
    expect(ws, |msg| matches!(msg, ServerMsg::Opened { session: s, .. } if *s == session)).await
}

async fn send(ws: &mut Ws, msg: &ClientMsg) -> Result<(), Stop> {
    let text = serde_json::to_string(msg).map_err(anyhow::Error::from)?;
    match ws.send(Message::text(text)).await {
        Ok(()) => Ok(()),
        // The relay closed first; the close frame is what the caller must see.
        Err(_) => match next(ws).await {
            Ok(msg) => Err(anyhow!("the WebSocket failed, then the relay sent {msg:?}").into()),
            Err(stop) => Err(stop),
        },
    }
}

async fn expect(ws: &mut Ws, wanted: impl Fn(&ServerMsg) -> bool) -> Result<(), Stop> {
    let msg = tokio::time::timeout(ROUND_TRIP_TIMEOUT, next(ws))
        .await
        .map_err(|_| anyhow!("no answer within {ROUND_TRIP_TIMEOUT:?}"))??;
    if !wanted(&msg) {
        return Err(anyhow!("unexpected message from the relay: {msg:?}").into());
    }
    Ok(())
}

/// The relay's next protocol message, or why there is none: unlike [`clients::recv`], a close
/// frame is an answer here (its code is what phase 3 checks), not an error.
async fn next(ws: &mut Ws) -> Result<ServerMsg, Stop> {
    match clients::next_frame(ws).await? {
        Message::Text(text) => Ok(clients::parse(&text)?),
        Message::Close(frame) => Err(Stop::Closed(frame.map(|f| f.code))),
        other => Err(anyhow!("unexpected frame from the relay: {other:?}").into()),
    }
}
