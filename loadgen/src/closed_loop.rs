//! The closed-loop workload: N clients, each sending M bytes and waiting for all M to come
//! back before sending the next M. Throughput is round trips completed per second; latency is
//! the time from the send to the last echoed byte.
//!
//! Closed loop means the load adapts to the target: a slower target gets fewer requests, so
//! no queue grows without bound and latency measures the target, not a backlog we built up.

use std::io::Write as _;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use futures_util::{StreamExt as _, TryStreamExt as _};
use hdrhistogram::Histogram;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::clients::{Client, Target};

/// Connections opened at once while setting up, so a slow-accepting target (websockify forks
/// a process per connection) is not flooded with handshakes it will time out.
const CONNECTS_IN_FLIGHT: usize = 16;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// A round trip slower than this is a failure, not a data point: the run must end.
const ROUND_TRIP_TIMEOUT: Duration = Duration::from_secs(10);
/// Load goes on this long after the window closes, so that every process is still fully busy
/// when the window's CPU times are read (websockify's per-connection processes exit, taking
/// their CPU times with them, as soon as their clients hang up).
const COOL_DOWN: Duration = Duration::from_millis(250);
/// Latencies are recorded in µs from 1 µs to the round-trip timeout, to 3 significant digits.
const SIGNIFICANT_DIGITS: u8 = 3;

/// When round trips start and stop counting (the load itself runs [`COOL_DOWN`] longer).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub measure_from: Instant,
    pub end: Instant,
}

/// What the clients of one target measured together.
#[derive(Debug)]
pub struct Tally {
    /// Round trips that finished inside the window.
    pub round_trips: u64,
    /// Round trips (warm-up included) whose echo differed from what was sent.
    pub mismatches: u64,
    /// Latency of the counted round trips, in µs.
    pub latency_us: Histogram<u64>,
}

impl Tally {
    fn new() -> Tally {
        let max = ROUND_TRIP_TIMEOUT.as_micros() as u64;
        let latency_us = Histogram::new_with_bounds(1, max, SIGNIFICANT_DIGITS)
            .expect("1 µs .. the timeout at 3 digits is a valid histogram");
        Tally { round_trips: 0, mismatches: 0, latency_us }
    }

    fn merge(&mut self, other: &Tally) {
        self.round_trips += other.round_trips;
        self.mismatches += other.mismatches;
        self.latency_us.add(&other.latency_us).expect("histograms share their bounds");
    }
}

/// Connect `clients` clients to `target`; all must succeed.
pub async fn connect(target: Target, clients: u32) -> anyhow::Result<Vec<Client>> {
    futures_util::stream::iter(0..clients)
        .map(|_| async move {
            tokio::time::timeout(CONNECT_TIMEOUT, target.connect())
                .await
                .map_err(|_| anyhow!("no connection within {CONNECT_TIMEOUT:?}"))?
        })
        .buffer_unordered(CONNECTS_IN_FLIGHT)
        .try_collect()
        .await
        .with_context(|| format!("connecting {clients} {} clients", target.name()))
}

/// Drive every client until just past `window.end` and add up what they measured.
pub async fn run(clients: Vec<Client>, bytes: usize, window: Window) -> anyhow::Result<Tally> {
    let mut running = JoinSet::new();
    for (id, client) in clients.into_iter().enumerate() {
        running.spawn(drive(client, id as u64, bytes, window));
    }
    let mut total = Tally::new();
    // Dropping the set on an early return aborts the other clients.
    while let Some(finished) = running.join_next().await {
        total.merge(&finished.context("a client task panicked")??);
    }
    Ok(total)
}

async fn drive(mut client: Client, id: u64, bytes: usize, window: Window) -> anyhow::Result<Tally> {
    let mut tally = Tally::new();
    let mut payload = vec![0; bytes];
    let mut echoed = Vec::with_capacity(bytes);
    for seq in 0u64.. {
        let sent = Instant::now();
        if sent >= window.end + COOL_DOWN {
            break;
        }
        fill(&mut payload, id, seq);
        tokio::time::timeout(ROUND_TRIP_TIMEOUT, client.round_trip(&payload, &mut echoed))
            .await
            .map_err(|_| anyhow!("client {id}: no echo within {ROUND_TRIP_TIMEOUT:?}"))?
            .with_context(|| format!("client {id}, round trip {seq}"))?;
        let done = Instant::now();
        if echoed != payload {
            tally.mismatches += 1;
        }
        if (window.measure_from..window.end).contains(&done) {
            tally.round_trips += 1;
            tally.latency_us.saturating_record((done - sent).as_micros() as u64);
        }
    }
    client.close().await;
    Ok(tally)
}

/// Printable ASCII (so the relay's JSON carries it as text, as a page would) that starts with
/// the client's and the round trip's numbers: an echo meant for another client or an earlier
/// round trip cannot pass for this one (unless the payload is too short to hold them).
pub fn fill(payload: &mut [u8], client: u64, seq: u64) {
    const ALPHABET: &[u8; 62] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut rest = &mut payload[..];
    // Writing into a slice stops where the slice ends; the error just says it did.
    let _ = write!(rest, "{client:x}.{seq:x}.");
    for (i, byte) in rest.iter_mut().enumerate() {
        *byte = ALPHABET[(seq as usize + i) % ALPHABET.len()];
    }
}

/// Fail if any echo differed from what was sent: numbers from a broken path mean nothing.
pub fn check(name: &str, tally: &Tally) -> anyhow::Result<()> {
    if tally.mismatches > 0 {
        bail!("{name}: {} round trips echoed bytes different from those sent", tally.mismatches);
    }
    if tally.round_trips == 0 {
        bail!("{name}: no round trip finished inside the measurement window");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::TcpListener;

    use super::*;

    #[test]
    fn payloads_name_their_client_and_round_trip() {
        let mut payload = vec![0; 16];
        fill(&mut payload, 3, 26);
        assert!(payload.starts_with(b"3.1a."), "{payload:?}");
        assert!(payload.iter().all(|byte| byte.is_ascii_alphanumeric() || *byte == b'.'));
        let mut short = vec![0; 2];
        fill(&mut short, 3, 26);
        assert_eq!(short, b"3.");
    }

    /// A TCP echo server on a free loopback port that, if `corrupt`, changes one bit of what
    /// it sends back.
    async fn echo_server(corrupt: bool) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0; 1024];
                    while let Ok(len @ 1..) = stream.read(&mut buf).await {
                        buf[0] ^= u8::from(corrupt);
                        if stream.write_all(&buf[..len]).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        addr
    }

    async fn run_against(addr: SocketAddr) -> Tally {
        let clients = connect(Target::Direct(addr), 2).await.unwrap();
        let now = Instant::now();
        let window = Window { measure_from: now, end: now + Duration::from_millis(200) };
        run(clients, 16, window).await.unwrap()
    }

    #[tokio::test]
    async fn a_faithful_echo_is_measured() {
        let tally = run_against(echo_server(false).await).await;
        assert_eq!(tally.mismatches, 0);
        assert!(tally.round_trips > 0);
        assert_eq!(tally.latency_us.len(), tally.round_trips);
        check("faithful", &tally).unwrap();
    }

    #[tokio::test]
    async fn a_corrupted_echo_is_counted_and_fails_the_run() {
        let tally = run_against(echo_server(true).await).await;
        assert!(tally.mismatches > 0);
        assert!(check("corrupting", &tally).is_err());
    }
}
