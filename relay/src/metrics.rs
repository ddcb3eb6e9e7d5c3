//! `/metrics`: what the relay is doing, in Prometheus' text format, via the official Rust
//! client (`prometheus-client`).
//!
//! Labels are `&'static str` from a closed set (endpoint names, error codes, limit names), so
//! nothing a client sends can create new time series.

use axum::http::header;
use axum::response::IntoResponse;
use prometheus_client::encoding::EncodeLabelSet;
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
    limit: &'static str,
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

    pub fn limit_hit(&self, limit: &'static str) {
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
