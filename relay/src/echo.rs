//! The echo endpoints (RFC 862): whatever arrives is sent straight back.
//!
//! These are ordinary sockets, reachable by the relay's WebSocket sessions *and* by anything
//! else on the machine — a learner's `python3 echo_client.py` included.

use std::time::Duration;

use std::io::ErrorKind;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio_util::sync::CancellationToken;

/// Largest UDP datagram the echo endpoint reads; bigger ones are truncated by the kernel and
/// dropped here rather than echoed partially.
pub const MAX_DATAGRAM: usize = 2048;

pub async fn serve_tcp(listener: TcpListener, idle: Duration, shutdown: CancellationToken) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                tracing::debug!(%peer, "tcp-echo: accepted");
                tokio::spawn(echo_stream(stream, idle, shutdown.clone()));
            }
            // Typically EMFILE: out of file descriptors. Back off instead of spinning.
            Err(err) => {
                tracing::warn!(%err, "tcp-echo: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn echo_stream(mut stream: TcpStream, idle: Duration, shutdown: CancellationToken) {
    let (mut reader, mut writer) = stream.split();
    // One fixed buffer: a client that sends but never reads fills the kernel's buffers, our
    // write blocks, we stop reading — memory stays bounded, and the idle timer ends it.
    let mut buf = [0u8; 8192];
    let echo = async {
        loop {
            let len = match tokio::time::timeout(idle, reader.read(&mut buf)).await {
                Err(_) => return Err(std::io::Error::new(ErrorKind::TimedOut, "idle")),
                Ok(Ok(0)) => return Ok(()),
                Ok(Ok(len)) => len,
                Ok(Err(err)) => return Err(err),
            };
            match tokio::time::timeout(idle, writer.write_all(&buf[..len])).await {
                Err(_) => return Err(std::io::Error::new(ErrorKind::TimedOut, "not reading")),
                Ok(result) => result?,
            }
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
        }
        Err(err) => tracing::debug!(%err, "tcp-echo: connection ended"),
    }
}

pub async fn serve_udp(socket: UdpSocket, shutdown: CancellationToken) {
    let mut buf = [0u8; MAX_DATAGRAM + 1];
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
                if let Err(err) = socket.send_to(&buf[..len], peer).await {
                    tracing::debug!(%peer, %err, "udp-echo: send failed");
                }
            }
            Err(err) => tracing::debug!(%err, "udp-echo: recv failed"),
        }
    }
}
