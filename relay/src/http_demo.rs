//! The `http-demo` endpoint: a small, real HTTP/1.1 server for the raw-HTTP lab.
//!
//! Learners type requests by hand (through a session, or with `nc`/Python) and read exactly
//! what a server answers: a few pages, a 404, a redirect, a large body, a chunked one; with
//! keep-alive by default and `Connection: close` honoured — both done by hyper, a real HTTP
//! implementation, not by string templates.
//!
//! The connection loop is hyper's own so that a **header read timeout** applies: a client
//! that sends its request headers a byte at a time (slow-loris) is cut off instead of holding a
//! connection forever.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Size of `/big`: large enough to need many segments and many reads.
pub const BIG_BODY: usize = 1024 * 1024;

pub fn router() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/hello", get(|| async { "Hello from SockLab's HTTP demo server.\n" }))
        .route("/old-hello", get(|| async { Redirect::permanent("/hello") }))
        .route("/big", get(big))
        .route("/chunked", get(chunked))
        .fallback(|| async { (StatusCode::NOT_FOUND, "404: no such page on the demo server\n") })
}

async fn index() -> impl IntoResponse {
    let page = "<!doctype html>\n<title>SockLab HTTP demo</title>\n<h1>SockLab HTTP demo</h1>\n\
                <ul><li>/hello</li><li>/old-hello (308 permanent redirect)</li><li>/big (1 MiB)</li>\
                <li>/chunked</li><li>anything else: 404</li></ul>\n";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page)
}

/// 1 MiB of numbered lines, so a learner can see where each read() cut the body.
async fn big() -> impl IntoResponse {
    let mut body = String::with_capacity(BIG_BODY);
    let mut line = 0;
    while body.len() < BIG_BODY {
        body.push_str(&format!("line {line:07} of the big body\n"));
        line += 1;
    }
    body.truncate(BIG_BODY);
    body
}

/// A body sent in pieces of unknown total length: `Transfer-Encoding: chunked` on the wire.
async fn chunked() -> impl IntoResponse {
    let parts = ["first chunk\n", "second chunk\n", "third and last chunk\n"];
    let stream = futures_util::stream::iter(parts.map(|p| Ok::<_, Infallible>(p.to_string())));
    Body::from_stream(stream)
}

/// One client's connection to `routes` ([`router`]), served until it closes: keep-alive, and
/// cut off if its request headers take longer than `header_timeout`. Public for the fuzz
/// target (relay/fuzz), which runs it over an in-memory stream.
pub async fn serve_connection<I>(
    io: I,
    routes: Router,
    header_timeout: Duration,
) -> Result<(), hyper::Error>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(routes))
        .await
}

pub async fn serve(listener: TcpListener, header_timeout: Duration, shutdown: CancellationToken) {
    let routes = router();
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    tracing::warn!(%err, "http-demo: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let (routes, shutdown) = (routes.clone(), shutdown.clone());
        tokio::spawn(async move {
            let connection = serve_connection(stream, routes, header_timeout);
            tokio::select! {
                _ = shutdown.cancelled() => {}
                result = connection => if let Err(err) = result {
                    tracing::debug!(%peer, %err, "http-demo: connection ended");
                },
            }
        });
    }
}
