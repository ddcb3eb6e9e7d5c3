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
async fn pages_are_served_at_their_routes_and_must_be_revalidated() {
    let relay = common::start().await;
    for (route, body) in [
        ("/", common::INDEX_HTML),
        ("/en/handshake", common::CHAPTER_HTML),
        ("/en/handshake?lab-1=step:3", common::CHAPTER_HTML),
        ("/en/handshake.html", common::CHAPTER_HTML),
    ] {
        let response = reqwest::get(relay.url(route)).await.unwrap();
        assert_eq!(response.status(), 200, "{route}");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache", "{route}");
        assert!(
            response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html")
        );
        assert_eq!(response.text().await.unwrap(), body, "{route}");
    }
    relay.stop().await;
}

#[tokio::test]
async fn missing_paths_get_the_not_found_page_of_their_language() {
    let relay = common::start().await;
    for (route, body) in [
        ("/zh/no-such-chapter", common::NOT_FOUND_ZH_HTML),
        ("/en/no-such-chapter", common::NOT_FOUND_HTML),
        ("/missing.js", common::NOT_FOUND_HTML),
        ("/labs-sim-0123456789abcdef.js", common::NOT_FOUND_HTML),
        ("/en/handshake/", common::NOT_FOUND_HTML),
        ("/en/..%2f..%2fCargo.toml", common::NOT_FOUND_HTML),
    ] {
        let response = reqwest::get(relay.url(route)).await.unwrap();
        assert_eq!(response.status(), 404, "{route}");
        assert_eq!(response.text().await.unwrap(), body, "{route}");
    }
    relay.stop().await;
}
