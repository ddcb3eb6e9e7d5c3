//! Who is answered at all, and who may open a WebSocket: decided before anything is served,
//! while a refusal can still be an ordinary HTTP response that a developer reads in the
//! browser's network panel.
//!
//! Every request, to any route, must name a host this relay answers to ([`crate::hosts`], the
//! guard against DNS rebinding): [`answer_only_our_hosts`] is a layer over the whole router.
//!
//! A WebSocket handshake is then admitted when it
//! 1. offers our subprotocol ([`wire::SUBPROTOCOL`]): a page from an older or newer protocol
//!    version fails loudly instead of misreading frames;
//! 2. comes from an allowed web origin: a page on another site must not drive this relay with
//!    its visitors' browsers (cross-site WebSocket hijacking);
//! 3. fits in its client address's WebSocket limit (the address a trusted proxy names, see
//!    [`crate::forwarded`]).
//!
//! Every refusal is one variant of [`Refusal`], which knows its status code, its sentence and
//! the limit it counts against in `/metrics`. [`Admitted`] is an axum extractor, so the
//! WebSocket handler only ever runs for an admitted client.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::forwarded;
use crate::hosts::Unanswered;
use crate::limits::Slot;
use crate::metrics::Limit;

/// Why a request or a WebSocket handshake was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The request names a host this relay does not answer to (`--allow-host`), or no host.
    Host(Unanswered),
    /// `Sec-WebSocket-Protocol` does not offer [`wire::SUBPROTOCOL`].
    NoSubprotocol,
    /// The page's `Origin` is neither the relay's own nor one of `--allow-origin`.
    Origin { origin: String, allowed: Vec<String> },
    /// `client` already has `max` WebSockets open (`--max-ws-per-ip`).
    TooManyFromAddress { client: IpAddr, max: usize },
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            // 421 Misdirected Request (RFC 9110 §15.5.20): this server will not answer for
            // that name. A missing Host is a malformed request (RFC 9112 §3.2).
            Refusal::Host(Unanswered::Other { .. }) => StatusCode::MISDIRECTED_REQUEST,
            Refusal::Host(Unanswered::NoHost) => StatusCode::BAD_REQUEST,
            Refusal::NoSubprotocol => StatusCode::BAD_REQUEST,
            Refusal::Origin { .. } => StatusCode::FORBIDDEN,
            Refusal::TooManyFromAddress { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// The limit this refusal counts against in `socklab_limit_hits_total`.
    pub fn limit(&self) -> Limit {
        match self {
            Refusal::Host(_) => Limit::Host,
            Refusal::NoSubprotocol => Limit::Subprotocol,
            Refusal::Origin { .. } => Limit::Origin,
            Refusal::TooManyFromAddress { .. } => Limit::WsPerIp,
        }
    }
}

impl std::fmt::Display for Refusal {
    /// One sentence that says what to do about it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Host(unanswered) => unanswered.fmt(f),
            Refusal::NoSubprotocol => write!(
                f,
                "this relay speaks the WebSocket subprotocol {0}; offer it in \
                 Sec-WebSocket-Protocol (new WebSocket(url, \"{0}\"))",
                wire::SUBPROTOCOL
            ),
            Refusal::Origin { origin, allowed } => write!(
                f,
                "pages from {origin} may not use this relay (allowed: its own origin{}; see \
                 --allow-origin)",
                allowed.iter().map(|o| format!(", {o}")).collect::<String>()
            ),
            Refusal::TooManyFromAddress { client, max } => write!(
                f,
                "{client} already has {max} WebSockets open, the most one address may have \
                 (--max-ws-per-ip)"
            ),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.status(), format!("{self}\n")).into_response()
    }
}

/// Middleware over every route: a request that names a host this relay does not answer to is
/// refused before any handler, file or WebSocket upgrade sees it.
pub async fn answer_only_our_hosts(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    match state.hosts.check(request.headers(), request.uri()) {
        Ok(()) => next.run(request).await,
        Err(unanswered) => {
            let refusal = Refusal::Host(unanswered);
            let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
            tracing::info!(?peer, path = request.uri().path(), %refusal, "request refused");
            state.metrics.limit_hit(refusal.limit());
            refusal.into_response()
        }
    }
}

/// An admitted handshake: the client's address and its place in that address's count, held
/// for as long as the WebSocket lives.
#[derive(Debug)]
pub struct Admitted {
    /// The client's address, as the per-address limit and the logs know it.
    pub client: IpAddr,
    /// The other end of the TCP connection (the client itself, or a proxy in front of it).
    pub peer: SocketAddr,
    pub slot: Slot,
}

impl FromRequestParts<Arc<AppState>> for Admitted {
    type Rejection = Refusal;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| *peer)
            .expect("the relay serves with connect info (Relay::serve)");
        admit(&parts.headers, peer, state).inspect_err(|refusal| {
            tracing::info!(%peer, %refusal, "WebSocket refused");
            state.metrics.limit_hit(refusal.limit());
        })
    }
}

fn admit(headers: &HeaderMap, peer: SocketAddr, state: &AppState) -> Result<Admitted, Refusal> {
    let client = forwarded::client_address(peer.ip(), headers, &state.limits.trusted_proxies);
    if !offers_subprotocol(headers) {
        return Err(Refusal::NoSubprotocol);
    }
    let allowed = &state.limits.allow_origins;
    if let Err(origin) = origin_allowed(headers, allowed) {
        return Err(Refusal::Origin { origin, allowed: allowed.clone() });
    }
    let Some(slot) = state.per_ip.take(client) else {
        return Err(Refusal::TooManyFromAddress { client, max: state.per_ip.max() });
    };
    Ok(Admitted { client, peer, slot })
}

fn offers_subprotocol(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|protocol| protocol.trim() == wire::SUBPROTOCOL)
}

/// Browsers send `Origin` with every WebSocket handshake. A request without `Origin` is not
/// from a browser page — a script can forge any header anyway — and is let through, like the
/// raw echo ports themselves. `Err` carries the refused origin, for the message.
fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
    let origin = origin.to_str().map_err(|_| "an unreadable Origin".to_string())?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let same_origin = ["http://", "https://"]
        .iter()
        .any(|scheme| origin.strip_prefix(scheme).is_some_and(|rest| Some(rest) == host));
    if same_origin || allowed.iter().any(|a| a.trim_end_matches('/') == origin) {
        Ok(())
    } else {
        Err(origin.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_has_its_status_limit_and_sentence() {
        let refusals = [
            (
                Refusal::Host(Unanswered::Other {
                    host: "evil.example:8080".into(),
                    allowed: vec!["localhost".into()],
                }),
                421,
                "host",
                "DNS rebinding",
            ),
            (Refusal::Host(Unanswered::NoHost), 400, "host", "exactly one Host header"),
            (Refusal::NoSubprotocol, 400, "subprotocol", "socklab.v1"),
            (
                Refusal::Origin { origin: "https://evil.example".into(), allowed: vec![] },
                403,
                "origin",
                "--allow-origin",
            ),
            (
                Refusal::TooManyFromAddress { client: [10, 0, 0, 1].into(), max: 3 },
                429,
                "ws_per_ip",
                "10.0.0.1 already has 3",
            ),
        ];
        for (refusal, status, limit, says) in refusals {
            assert_eq!(refusal.status(), status);
            assert_eq!(refusal.limit().as_str(), limit);
            let sentence = refusal.to_string();
            assert!(sentence.contains(says), "{sentence}");
            assert!(!sentence.contains("  "), "no runs of spaces: {sentence:?}");
        }
    }

    #[test]
    fn the_subprotocol_may_be_one_of_several_offered() {
        let mut headers = HeaderMap::new();
        headers.insert(header::SEC_WEBSOCKET_PROTOCOL, "chat, socklab.v1".parse().unwrap());
        assert!(offers_subprotocol(&headers));
        headers.insert(header::SEC_WEBSOCKET_PROTOCOL, "socklab.v10".parse().unwrap());
        assert!(!offers_subprotocol(&headers));
    }
}
