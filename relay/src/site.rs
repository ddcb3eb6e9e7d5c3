//! The static site the build writes (scripts/build-site.sh), plus `/healthz`, `/metrics` and the
//! WebSocket route.
//!
//! - Every route, files included, answers only requests that name a host the relay answers to
//!   ([`crate::hosts`]; refused by [`crate::admission::answer_only_our_hosts`]).
//! - Every page is a prerendered file: `/en/handshake` is `en/handshake.html`, `/en/` is
//!   `en/index.html`. A path without an extension that is not a file is looked up with `.html`
//!   added — the convention static hosts share (`try_files $uri $uri.html` in nginx), so the
//!   same `dist/` works behind any of them.
//! - A path that names nothing gets the *not found* page of its language (`/zh/…` →
//!   `zh/404.html`, anything else → `404.html`) with status 404.
//! - Compressed files are served as built: the site build writes `.br` and `.gz` siblings at
//!   maximum quality (scripts/precompress.mjs), so no request costs compression CPU. Anything
//!   without a sibling is compressed on the fly (gzip or brotli, as the browser prefers).
//! - Assets carry a content hash in their names (`labs-sim-3f2a…_bg.wasm`, `style-….css`), so
//!   those can be cached for a year: a new build has new names. Pages keep their names and
//!   must be revalidated every time, or browsers would keep loading last week's assets.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceExt as _;
use tower::util::BoxCloneSyncService;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

type FileService = BoxCloneSyncService<Request, Response, Infallible>;

pub fn router(site_dir: &Path, state: Arc<AppState>) -> Router {
    let not_found = not_found(site_dir.to_path_buf());
    let pages = files(site_dir, not_found.clone());
    // Second chance for extensionless paths: the page file. ServeDir resolves the rewritten
    // path itself, so it keeps refusing `..` and anything else outside the site.
    let with_html = tower::service_fn(move |mut req: Request| {
        let (pages, not_found) = (pages.clone(), not_found.clone());
        async move {
            match html_uri(req.uri()) {
                Some(uri) => {
                    *req.uri_mut() = uri;
                    pages.oneshot(req).await
                }
                None => not_found.oneshot(req).await,
            }
        }
    });
    let site = files(site_dir, BoxCloneSyncService::new(with_html));

    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/metrics",
            get(|State(state): State<Arc<AppState>>| async move { state.metrics.render() }),
        )
        .route(wire::WS_PATH, get(crate::ws::upgrade))
        .with_state(state.clone())
        .fallback_service(site)
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn_with_state(state, crate::admission::answer_only_our_hosts))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// The site's files, precompressed siblings preferred, with `fallback` for what is not a file.
fn files(site_dir: &Path, fallback: FileService) -> FileService {
    let dir = ServeDir::new(site_dir).precompressed_br().precompressed_gzip().fallback(fallback);
    BoxCloneSyncService::new(dir.map_response(IntoResponse::into_response))
}

/// `/en/handshake?x` → `/en/handshake.html?x`; `None` if the last segment has an extension
/// (a missing asset stays missing) or is empty.
fn html_uri(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.is_empty() || last.contains('.') {
        return None;
    }
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{path}.html{query}").parse().ok()
}

/// The not-found page in the language the path asks for, with status 404.
fn not_found(site_dir: PathBuf) -> FileService {
    BoxCloneSyncService::new(tower::service_fn(move |req: Request| {
        let lang = req.uri().path().trim_start_matches('/').split('/').next().unwrap_or_default();
        let localised = site_dir.join(lang).join("404.html");
        let page = if !lang.is_empty() && localised.is_file() {
            localised
        } else {
            site_dir.join("404.html")
        };
        async move {
            let served = ServeFile::new(page).precompressed_br().precompressed_gzip().oneshot(req);
            let mut response = match served.await {
                Ok(response) if response.status().is_success() => response.into_response(),
                // No 404 page in this build (or a conditional request): a plain answer.
                _ => "not found\n".into_response(),
            };
            *response.status_mut() = StatusCode::NOT_FOUND;
            Ok(response)
        }
    }))
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

/// Built assets are named `<name>-<hash>[_bg].<ext>`: the book writes 16 hex digits, Trunk a
/// 64-bit hash in hex without leading zeros (so sometimes 15 or fewer).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::{html_uri, is_hashed_asset};

    #[test]
    fn extensionless_paths_get_html_added_and_keep_their_query() {
        let html = |uri: &str| html_uri(&uri.parse().unwrap()).map(|u| u.to_string());
        assert_eq!(html("/en/handshake").as_deref(), Some("/en/handshake.html"));
        assert_eq!(
            html("/en/handshake?lab-1=step:3").as_deref(),
            Some("/en/handshake.html?lab-1=step:3")
        );
        assert_eq!(html("/app.js"), None);
        assert_eq!(html("/en/"), None);
    }

    #[test]
    fn recognises_trunk_hashed_names_only() {
        assert!(is_hashed_asset("/labs-sim-5b3c6d2a9e8f7a10_bg.wasm"));
        assert!(is_hashed_asset("/labs-live-5b3c6d2a9e8f7a10.js"));
        assert!(is_hashed_asset("/style-00112233aabbccdd.css"));
        assert!(is_hashed_asset("/labs-sim-b708b0124fedc47.js"), "Trunk drops leading zeros");
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/en/handshake"));
        assert!(!is_hashed_asset("/my-file.js"));
        assert!(is_hashed_asset("/search-zh-0011223344556677.json"));
        assert!(!is_hashed_asset("/labs-sim-5b3c6d2a9e8f7a1z.js"));
        assert!(!is_hashed_asset("/chapter-deadbeef.html"));
    }
}
