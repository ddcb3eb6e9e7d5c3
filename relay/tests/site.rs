//! The static site as a browser meets it: over real HTTP.

mod common;

use reqwest::header;

#[tokio::test]
async fn healthz_answers() {
    let relay = common::start().await;
    let response = reqwest::get(relay.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok\n");
    relay.stop().await;
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_with_the_wasm_mime_type() {
    let relay = common::start().await;
    let response = reqwest::get(relay.url(&format!("/{}", common::WASM_ASSET))).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    relay.stop().await;
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_accepts_it() {
    let relay = common::start().await;
    let client = reqwest::Client::new();
    for encoding in ["gzip", "br"] {
        let response = client
            .get(relay.url(&format!("/{}", common::WASM_ASSET)))
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding);
        let body = response.bytes().await.unwrap();
        assert!(body.len() < 4096 / 4, "{encoding}: {} bytes", body.len());
    }
    relay.stop().await;
}

#[tokio::test]
async fn precompressed_siblings_are_served_as_they_are() {
    let relay = common::start().await;
    let response = reqwest::Client::new()
        .get(relay.url("/index.html"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html");
    assert_eq!(response.bytes().await.unwrap(), common::INDEX_HTML_GZ);
    relay.stop().await;
}

#[tokio::test]
async fn client_routes_get_the_app_and_missing_files_get_404() {
    let relay = common::start().await;
    for route in ["/", "/en", "/zh/handshake", "/en/no-such-chapter"] {
        let response = reqwest::get(relay.url(route)).await.unwrap();
        assert_eq!(response.status(), 200, "{route}");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache", "{route}");
        assert_eq!(response.text().await.unwrap(), common::INDEX_HTML, "{route}");
    }
    for missing in ["/missing.js", "/assets/frontend-0123456789abcdef.js"] {
        assert_eq!(reqwest::get(relay.url(missing)).await.unwrap().status(), 404, "{missing}");
    }
    relay.stop().await;
}
