//! The DNS-rebinding guard as an attacker meets it: raw HTTP requests and WebSocket upgrades,
//! written byte for byte on real sockets, naming hosts the relay must not answer to. A rebound
//! page's `Origin` always matches its own `Host`, so every forged request here carries both.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{open, round_trip};
use relay::hosts::Host;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use wire::Endpoint;

/// Send `request` as it is and read the whole answer (the relay closes after a refusal, or we
/// stop at the end of a 101's headers): the status code and everything after the status line.
async fn raw(site: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(site).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0; 4096];
    let reading = async {
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer);
            let done = n == 0
                || (text.starts_with("HTTP/1.1 101") && text.contains("\r\n\r\n"))
                || text.split_once("\r\n\r\n").is_some_and(|(head, body)| {
                    head.lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(String::from)
                        })
                        .and_then(|len| len.trim().parse::<usize>().ok())
                        .is_some_and(|len| body.len() >= len)
                });
            if done {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), reading).await.expect("an answer within 5 s");
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{text:?}"));
    (status, text)
}

fn get(path: &str, host: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nConnection: close\r\n\r\n"
    )
}

/// A browser's WebSocket handshake from a page at `http://{host}`.
fn upgrade(host: &str) -> String {
    format!(
        "GET /ws HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {}\r\n\r\n",
        wire::SUBPROTOCOL
    )
}

/// Names a rebinding attacker controls or could spell, each with a port as a browser sends it.
const FORGED: [&str; 14] = [
    "evil.example:8080",
    "attacker.test:8080",
    "127.0.0.1.nip.io:8080",
    "localhost.evil.example:8080",
    "evil.localhost:8080",
    "localhost.:8080",
    "127.0.0.1.:8080",
    "2130706433:8080",
    "0x7f.0.0.1:8080",
    "0177.0.0.1:8080",
    "[::ffff:a00:1]:8080",
    "[fe80::1%25lo]:8080",
    "user@localhost:8080",
    "0.0.0.0:8080",
];

#[tokio::test]
async fn a_loopback_relay_refuses_every_rebound_name_on_every_route() {
    let relay = common::start().await;
    let site = relay.addrs.site;
    let mut bystander = relay.ws().await;
    open(&mut bystander, 1, Endpoint::TcpEcho).await;
    let mut refused = 0;
    for host in FORGED {
        for path in ["/", "/en/handshake", "/healthz", "/metrics", "/no-such-page"] {
            let (status, answer) = raw(site, &get(path, host)).await;
            assert_eq!(status, 421, "{host} {path}: {answer}");
            assert!(
                answer.contains("DNS rebinding") && answer.contains("--allow-host"),
                "{answer}"
            );
            refused += 1;
        }
        let (status, answer) = raw(site, &upgrade(host)).await;
        assert_eq!(status, 421, "upgrade from {host}: {answer}");
        refused += 1;
    }
    round_trip(&mut bystander, 1, "unbothered by all that").await;
    let metrics = relay.metrics().await;
    assert!(
        metrics.contains(&format!("socklab_limit_hits_total{{limit=\"host\"}} {refused}\n")),
        "{metrics}"
    );
    relay.stop().await;
}

#[tokio::test]
async fn loopback_names_are_answered_with_any_port() {
    let relay = common::start().await;
    let site = relay.addrs.site;
    let port = site.port();
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".into(),
        "localhost:1".into(),
        format!("[::1]:{port}"),
        format!("[::ffff:127.0.0.1]:{port}"),
    ] {
        let (status, answer) = raw(site, &get("/healthz", &host)).await;
        assert_eq!(status, 200, "{host}: {answer}");
        let (status, answer) = raw(site, &upgrade(&host)).await;
        assert_eq!(status, 101, "upgrade from {host}: {answer}");
    }
    relay.stop().await;
}

#[tokio::test]
async fn a_request_without_exactly_one_host_is_refused() {
    let relay = common::start().await;
    let site = relay.addrs.site;
    for request in [
        "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n".to_string(),
        "GET /healthz HTTP/1.0\r\n\r\n".to_string(),
        format!(
            "GET /healthz HTTP/1.1\r\nHost: {site}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
    ] {
        let (status, answer) = raw(site, &request).await;
        assert_eq!(status, 400, "{request:?}: {answer}");
        assert!(answer.contains("exactly one Host header"), "{answer}");
    }
    relay.stop().await;
}

#[tokio::test]
async fn an_absolute_target_cannot_name_another_host() {
    let relay = common::start().await;
    let site = relay.addrs.site;
    let request = format!(
        "GET http://evil.example:8080/healthz HTTP/1.1\r\nHost: {site}\r\nConnection: close\r\n\r\n"
    );
    let (status, answer) = raw(site, &request).await;
    assert_eq!(status, 421, "{answer}");
    let request =
        format!("GET http://{site}/healthz HTTP/1.1\r\nHost: {site}\r\nConnection: close\r\n\r\n");
    assert_eq!(raw(site, &request).await.0, 200);
    relay.stop().await;
}

#[tokio::test]
async fn a_classroom_name_is_answered_once_allowed() {
    let relay =
        common::start_with(|c| c.limits.allow_hosts = vec!["socklab.lan".parse().unwrap()]).await;
    let site = relay.addrs.site;
    assert_eq!(raw(site, &get("/healthz", "socklab.lan:8080")).await.0, 200);
    assert_eq!(raw(site, &upgrade("SockLab.lan:8080")).await.0, 101);
    let (status, answer) = raw(site, &get("/healthz", "evil.socklab.lan:8080")).await;
    assert_eq!(status, 421);
    assert!(answer.contains("localhost, 127.0.0.1, [::1], socklab.lan"), "{answer}");
    relay.stop().await;
}

#[tokio::test]
async fn a_relay_on_ipv6_loopback_answers_its_own_names() {
    let relay = common::start_with(|c| c.listen = "[::1]:0".parse().unwrap()).await;
    let site = relay.addrs.site;
    assert!(site.is_ipv6());
    for host in [format!("[::1]:{}", site.port()), format!("localhost:{}", site.port())] {
        assert_eq!(raw(site, &upgrade(&host)).await.0, 101, "{host}");
    }
    assert_eq!(raw(site, &get("/", "evil.example")).await.0, 421);
    relay.stop().await;
}

#[tokio::test]
async fn a_public_relay_answers_any_name_until_names_are_given() {
    let any: SocketAddr = "0.0.0.0:0".parse().unwrap();
    let public = common::start_with(|c| c.listen = any).await;
    let site = SocketAddr::from(([127, 0, 0, 1], public.addrs.site.port()));
    assert_eq!(raw(site, &get("/healthz", "course.example.org")).await.0, 200);
    public.stop().await;

    let course: Host = "course.example.org".parse().unwrap();
    let named = common::start_with(|c| {
        c.listen = any;
        c.limits.allow_hosts = vec![course];
    })
    .await;
    let site = SocketAddr::from(([127, 0, 0, 1], named.addrs.site.port()));
    assert_eq!(raw(site, &get("/healthz", "course.example.org")).await.0, 200);
    assert_eq!(raw(site, &get("/healthz", "localhost")).await.0, 200);
    assert_eq!(raw(site, &get("/healthz", "evil.example")).await.0, 421);
    named.stop().await;
}
