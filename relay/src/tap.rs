//! The live tap: what the echo endpoints do, broadcast to every page that asked to watch.
//!
//! The echo servers publish; each subscribed WebSocket forwards. The channel is a bounded
//! broadcast ring: a page that reads too slowly is told how many events it missed instead of
//! making the relay keep them — and with no subscriber, publishing costs almost nothing.

use std::net::SocketAddr;
use std::time::Instant;

use tokio::sync::broadcast;
use wire::{Endpoint, Payload, TAP_DATA_MAX, TapEvent, TapKind};

/// Events kept for subscribers that fall behind.
const CAPACITY: usize = 1024;

#[derive(Debug, Clone)]
pub struct Tap {
    enabled: bool,
    started: Instant,
    events: broadcast::Sender<TapEvent>,
}

impl Tap {
    pub fn new(enabled: bool) -> Tap {
        Tap { enabled, started: Instant::now(), events: broadcast::channel(CAPACITY).0 }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Events from now on; `None` when the tap is disabled.
    pub fn subscribe(&self) -> Option<broadcast::Receiver<TapEvent>> {
        self.enabled.then(|| self.events.subscribe())
    }

    pub fn publish(&self, endpoint: Endpoint, peer: SocketAddr, kind: TapKind) {
        if self.enabled && self.events.receiver_count() > 0 {
            let at_ms = self.started.elapsed().as_millis() as u64;
            // An error means nobody is listening any more, which is fine.
            let _ = self.events.send(TapEvent { endpoint, peer: peer.to_string(), at_ms, kind });
        }
    }

    /// A read, with at most the first [`TAP_DATA_MAX`] bytes.
    pub fn read(&self, endpoint: Endpoint, peer: SocketAddr, bytes: &[u8]) {
        if self.enabled && self.events.receiver_count() > 0 {
            let data = Payload::from_bytes(bytes[..bytes.len().min(TAP_DATA_MAX)].to_vec());
            self.publish(endpoint, peer, TapKind::Read { len: bytes.len(), data });
        }
    }
}
