//! The static site Trunk builds, plus `/healthz` and the WebSocket route.
//!
//! - Compressed files are served as built: the site build writes `.br` and `.gz` siblings at
//!   maximum quality (scripts/precompress.mjs), so no request costs compression CPU. Anything
//!   without a sibling is compressed on the fly (gzip or brotli, as the browser prefers).
//! - Trunk puts a content hash in every asset name (`frontend-3f2a…_bg.wasm`), so those can be
//!   cached for a year: a new build has new names. `index.html` keeps its name and must be
//!   revalidated every time, or browsers would keep loading last week's assets.
//! - Client-side routes (`/en/handshake`) have no file behind them: extension-less paths get
//!   `index.html` and the yew router takes over; a missing `app.js` is still a 404.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceExt as _;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn router(site_dir: &Path, state: Arc<AppState>) -> Router {
    let index = ServeFile::new(site_dir.join("index.html")).precompressed_br().precompressed_gzip();
    let spa_fallback = tower::service_fn(move |req: Request| {
        let index = index.clone();
        async move {
            let last = req.uri().path().rsplit('/').next().unwrap_or_default();
            if last.contains('.') {
                return Ok((StatusCode::NOT_FOUND, "not found\n").into_response());
            }
            index.oneshot(req).await.map(IntoResponse::into_response)
        }
    });
    let files =
        ServeDir::new(site_dir).precompressed_br().precompressed_gzip().fallback(spa_fallback);

    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/metrics",
            get(|State(state): State<Arc<AppState>>| async move { state.metrics.render() }),
        )
        .route(wire::WS_PATH, get(crate::ws::upgrade))
        .with_state(state)
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut response = next.run(req).await;
    if response.status().is_success() {
        let policy = if hashed { IMMUTABLE } else { REVALIDATE };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Trunk names assets `<name>-<16 hex digits>[_bg].<ext>`.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashed_names_only() {
        assert!(is_hashed_asset("/frontend-5b3c6d2a9e8f7a10_bg.wasm"));
        assert!(is_hashed_asset("/frontend-5b3c6d2a9e8f7a10.js"));
        assert!(is_hashed_asset("/style-00112233aabbccdd.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/en/handshake"));
        assert!(!is_hashed_asset("/my-file.js"));
        assert!(!is_hashed_asset("/frontend-5b3c6d2a9e8f7a1z.js"));
    }
}
