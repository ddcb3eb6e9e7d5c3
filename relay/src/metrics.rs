//! `/metrics`: what the relay is doing, in Prometheus' text format, via the official Rust
//! client (`prometheus-client`).
//!
//! Labels come from closed sets (endpoints, error codes, [`Limit`]s), each an enum, so nothing
//! a client sends can create new time series.

use axum::http::header;
use axum::response::IntoResponse;
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use wire::{Endpoint, ErrorCode};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabel {
    endpoint: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabel {
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabel {
    limit: Limit,
}

/// Every limit the relay enforces: the `limit` label of `socklab_limit_hits_total`.
/// docs/RELAY.md's table of limits says what each one is and which flag sets it.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Limit {
    /// A request naming a host the relay does not answer to (the DNS-rebinding guard).
    Host,
    /// Handshake without the `socklab.v1` subprotocol.
    Subprotocol,
    /// Handshake from a page of a web origin that is not allowed.
    Origin,
    /// Handshake from a client address that already has its most WebSockets open.
    WsPerIp,
    /// A WebSocket that sent nothing for the idle time.
    WsIdle,
    /// A WebSocket sending messages faster than its rate.
    WsRate,
    /// A WebSocket message over the size limit.
    MessageSize,
    /// An `open` beyond the sessions one WebSocket may have.
    SessionsPerWs,
    /// A session that spent its byte budget.
    SessionBytes,
    /// A session with no traffic for the idle time.
    SessionIdle,
    /// Datagrams to the UDP echo beyond one source's rate.
    UdpRate,
}

impl Limit {
    /// The label value, e.g. `ws_per_ip`.
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::Host => "host",
            Limit::Subprotocol => "subprotocol",
            Limit::Origin => "origin",
            Limit::WsPerIp => "ws_per_ip",
            Limit::WsIdle => "ws_idle",
            Limit::WsRate => "ws_rate",
            Limit::MessageSize => "message_size",
            Limit::SessionsPerWs => "sessions_per_ws",
            Limit::SessionBytes => "session_bytes",
            Limit::SessionIdle => "session_idle",
            Limit::UdpRate => "udp_rate",
        }
    }
}

impl EncodeLabelValue for Limit {
    fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> Result<(), std::fmt::Error> {
        std::fmt::Write::write_str(encoder, self.as_str())
    }
}

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    websockets: Gauge,
    sessions_open: Family<EndpointLabel, Gauge>,
    sessions: Family<EndpointLabel, Counter>,
    bytes_to_endpoints: Counter,
    bytes_from_endpoints: Counter,
    errors: Family<CodeLabel, Counter>,
    limit_hits: Family<LimitLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("socklab");
        let metrics = Metrics {
            websockets: Gauge::default(),
            sessions_open: Family::default(),
            sessions: Family::default(),
            bytes_to_endpoints: Counter::default(),
            bytes_from_endpoints: Counter::default(),
            errors: Family::default(),
            limit_hits: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "websockets_open",
            "Open WebSocket connections",
            metrics.websockets.clone(),
        );
        registry.register(
            "sessions_open",
            "Open sessions by endpoint",
            metrics.sessions_open.clone(),
        );
        registry.register("sessions", "Sessions opened by endpoint", metrics.sessions.clone());
        registry.register(
            "endpoint_bytes_written",
            "Bytes sessions wrote to the endpoints",
            metrics.bytes_to_endpoints.clone(),
        );
        registry.register(
            "endpoint_bytes_read",
            "Bytes sessions read from the endpoints",
            metrics.bytes_from_endpoints.clone(),
        );
        registry.register("errors", "Error messages sent, by code", metrics.errors.clone());
        registry.register(
            "limit_hits",
            "Requests refused by a limit, by limit",
            metrics.limit_hits.clone(),
        );
        Metrics { registry, ..metrics }
    }
}

impl Metrics {
    pub fn websocket_opened(&self) {
        self.websockets.inc();
    }

    pub fn websocket_closed(&self) {
        self.websockets.dec();
    }

    pub fn session_opened(&self, endpoint: Endpoint) {
        let label = EndpointLabel { endpoint: endpoint.name() };
        self.sessions_open.get_or_create(&label).inc();
        self.sessions.get_or_create(&label).inc();
    }

    pub fn session_closed(&self, endpoint: Endpoint) {
        self.sessions_open.get_or_create(&EndpointLabel { endpoint: endpoint.name() }).dec();
    }

    pub fn bytes_up(&self, len: usize) {
        self.bytes_to_endpoints.inc_by(len as u64);
    }

    pub fn bytes_down(&self, len: usize) {
        self.bytes_from_endpoints.inc_by(len as u64);
    }

    pub fn error(&self, code: ErrorCode) {
        self.errors.get_or_create(&CodeLabel { code: code.as_str() }).inc();
    }

    pub fn limit_hit(&self, limit: Limit) {
        self.limit_hits.get_or_create(&LimitLabel { limit }).inc();
    }

    /// Sessions open right now, over all endpoints.
    pub fn open_sessions(&self) -> i64 {
        Endpoint::ALL
            .iter()
            .map(|e| self.sessions_open.get_or_create(&EndpointLabel { endpoint: e.name() }).get())
            .sum()
    }

    pub fn render(&self) -> impl IntoResponse + use<> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        let content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
        ([(header::CONTENT_TYPE, content_type)], text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_labelled_by_their_snake_case_names() {
        let metrics = Metrics::default();
        metrics.limit_hit(Limit::WsPerIp);
        metrics.limit_hit(Limit::WsPerIp);
        metrics.limit_hit(Limit::SessionIdle);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &metrics.registry).unwrap();
        assert!(text.contains("socklab_limit_hits_total{limit=\"ws_per_ip\"} 2\n"), "{text}");
        assert!(text.contains("socklab_limit_hits_total{limit=\"session_idle\"} 1\n"), "{text}");
    }
}
