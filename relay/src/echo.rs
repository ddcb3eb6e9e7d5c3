//! The echo endpoints (RFC 862): whatever arrives is sent straight back.
//!
//! These are ordinary sockets, reachable by the relay's WebSocket sessions *and* by anything
//! else on the machine — a learner's `python3 echo_client.py` included.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio_util::sync::CancellationToken;
use wire::{Endpoint, TapKind};

use crate::limits::Bucket;
use crate::metrics::{Limit, Metrics};
use crate::tap::Tap;

/// Source addresses the UDP echo keeps rate-limit state for.
const MAX_UDP_SOURCES: usize = 4096;

/// Largest UDP datagram the echo endpoint reads; bigger ones are truncated by the kernel and
/// dropped here rather than echoed partially.
pub const MAX_DATAGRAM: usize = 2048;

pub async fn serve_tcp(
    listener: TcpListener,
    idle: Duration,
    tap: Tap,
    shutdown: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                tracing::debug!(%peer, "tcp-echo: accepted");
                tap.publish(Endpoint::TcpEcho, peer, TapKind::Accepted);
                tokio::spawn(echo_stream(stream, peer, idle, tap.clone(), shutdown.clone()));
            }
            // Typically EMFILE: out of file descriptors. Back off instead of spinning.
            Err(err) => {
                tracing::warn!(%err, "tcp-echo: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn echo_stream(
    mut stream: TcpStream,
    peer: SocketAddr,
    idle: Duration,
    tap: Tap,
    shutdown: CancellationToken,
) {
    // An echo server answers each request as soon as it has it. With Nagle's algorithm on, a
    // message longer than our buffer goes back in two writes, and the second waits for the
    // client to acknowledge the first, which a client that is itself waiting for the rest of
    // its reply delays by ~40 ms. (Whether the *client's* writes coalesce is its own choice:
    // the page toggles that per session.)
    if let Err(err) = stream.set_nodelay(true) {
        tracing::debug!(%err, "tcp-echo: cannot set TCP_NODELAY");
    }
    let (mut reader, mut writer) = stream.split();
    // One fixed buffer: a client that sends but never reads fills the kernel's buffers, our
    // write blocks, we stop reading — memory stays bounded, and the idle timer ends it.
    let mut buf = [0u8; 8192];
    let echo = async {
        loop {
            let len = match tokio::time::timeout(idle, reader.read(&mut buf)).await {
                Err(_) => return Err(Ending::Idle),
                Ok(Ok(0)) => return Ok(()),
                Ok(Ok(len)) => len,
                Ok(Err(err)) => return Err(Ending::Failed(err)),
            };
            tap.read(Endpoint::TcpEcho, peer, &buf[..len]);
            match tokio::time::timeout(idle, writer.write_all(&buf[..len])).await {
                Err(_) => return Err(Ending::NotReading),
                Ok(result) => result.map_err(Ending::Failed)?,
            }
            tap.publish(Endpoint::TcpEcho, peer, TapKind::Wrote { len });
        }
    };
    let echoed = tokio::select! {
        _ = shutdown.cancelled() => return,
        echoed = echo => echoed,
    };
    match echoed {
        // The client sent FIN; everything has been echoed. Close our side too.
        Ok(()) => {
            let _ = writer.shutdown().await;
            tap.publish(Endpoint::TcpEcho, peer, TapKind::Closed);
        }
        Err(ending) => {
            // A client that stopped reading would leave our unsent echo in the kernel, which
            // keeps retrying it long after we let go (FIN-WAIT-1 with a zero window). Abort
            // instead, as nginx's `reset_timedout_connection` does: the kernel frees the
            // buffers at once and sends RST, which tells the client its data was discarded.
            if matches!(ending, Ending::NotReading)
                && let Err(err) = stream.set_zero_linger()
            {
                tracing::debug!(%err, "tcp-echo: cannot set SO_LINGER");
            }
            let reason = ending.to_string();
            tracing::debug!(%reason, "tcp-echo: connection ended");
            tap.publish(Endpoint::TcpEcho, peer, TapKind::Ended { reason });
        }
    }
}

/// Why the echo server let a client go before it sent FIN.
#[derive(Debug)]
enum Ending {
    /// Nothing arrived for the idle limit.
    Idle,
    /// Our echo could not be written for the idle limit: the client is not reading.
    NotReading,
    Failed(std::io::Error),
}

impl std::fmt::Display for Ending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ending::Idle => f.write_str("idle"),
            Ending::NotReading => f.write_str("not reading"),
            Ending::Failed(err) => err.fmt(f),
        }
    }
}

pub async fn serve_udp(
    socket: UdpSocket,
    per_sec: u32,
    tap: Tap,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    let mut buf = [0u8; MAX_DATAGRAM + 1];
    // One bucket per source address. Sources are forgotten when the map grows large, so a
    // flood of forged addresses costs a bounded amount of memory (and gets no more replies).
    let mut buckets: HashMap<IpAddr, Bucket> = HashMap::new();
    loop {
        let received = tokio::select! {
            _ = shutdown.cancelled() => return,
            received = socket.recv_from(&mut buf) => received,
        };
        match received {
            // One byte more than the limit was read: the datagram was at least that big.
            Ok((len, peer)) if len > MAX_DATAGRAM => {
                tracing::debug!(%peer, len, "udp-echo: oversize datagram dropped");
            }
            // Exactly the bytes received go back: never more, so no amplification.
            Ok((len, peer)) => {
                tap.read(Endpoint::UdpEcho, peer, &buf[..len]);
                if buckets.len() >= MAX_UDP_SOURCES && !buckets.contains_key(&peer.ip()) {
                    buckets.clear();
                }
                let bucket =
                    buckets.entry(peer.ip()).or_insert_with(|| Bucket::new(per_sec, per_sec * 2));
                if !bucket.take() {
                    metrics.limit_hit(Limit::UdpRate);
                    continue;
                }
                match socket.send_to(&buf[..len], peer).await {
                    Ok(len) => tap.publish(Endpoint::UdpEcho, peer, TapKind::Wrote { len }),
                    Err(err) => tracing::debug!(%peer, %err, "udp-echo: send failed"),
                }
            }
            Err(err) => tracing::debug!(%err, "udp-echo: recv failed"),
        }
    }
}
