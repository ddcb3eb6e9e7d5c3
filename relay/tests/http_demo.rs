//! The raw-HTTP lab's server, spoken to by hand over real sockets.

mod common;

use std::time::{Duration, Instant};

use common::{open, recv, send};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use wire::{ClientMsg, Endpoint, Payload, ServerMsg};

/// Read one response: the head (status line and headers) and a Content-Length body.
async fn read_response(stream: &mut TcpStream, buffered: &mut Vec<u8>) -> (String, Vec<u8>) {
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "connection closed inside the head");
        buffered.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8(buffered.drain(..head_end).collect()).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("a Content-Length");
    while buffered.len() < length {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "connection closed inside the body");
        buffered.extend_from_slice(&buf[..n]);
    }
    (head, buffered.drain(..length).collect())
}

#[tokio::test]
async fn keep_alive_serves_several_requests_on_one_connection() {
    let relay = common::start().await;
    let mut stream = TcpStream::connect(relay.addrs.http_demo).await.unwrap();
    let mut buffered = Vec::new();
    for path in ["/hello", "/nope", "/old-hello", "/big"] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: demo\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let (head, body) = read_response(&mut stream, &mut buffered).await;
        match path {
            "/hello" => {
                assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
                assert_eq!(body, b"Hello from SockLab's HTTP demo server.\n");
            }
            "/nope" => assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"), "{head}"),
            "/old-hello" => {
                assert!(head.starts_with("HTTP/1.1 308 Permanent Redirect\r\n"), "{head}");
                assert!(head.to_ascii_lowercase().contains("location: /hello\r\n"), "{head}");
            }
            _ => {
                assert_eq!(body.len(), relay::http_demo::BIG_BODY);
                assert!(body.starts_with(b"line 0000000 of the big body\n"));
            }
        }
    }
    relay.stop().await;
}

#[tokio::test]
async fn connection_close_is_honoured_and_chunked_bodies_are_chunked() {
    let relay = common::start().await;
    let mut stream = TcpStream::connect(relay.addrs.http_demo).await.unwrap();
    stream
        .write_all(b"GET /chunked HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = Vec::new();
    // read_to_end returns only because the server closed its side after the response.
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8(response).unwrap();
    assert!(text.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{text}");
    assert!(text.contains("first chunk\n") && text.ends_with("0\r\n\r\n"), "{text}");
    relay.stop().await;
}

#[tokio::test]
async fn a_slow_loris_client_is_cut_off_while_others_are_served() {
    let relay = common::start_with(|c| c.limits.http_header_secs = 1).await;
    let mut slow = TcpStream::connect(relay.addrs.http_demo).await.unwrap();
    let started = Instant::now();
    slow.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    let mut cut_off = false;
    for byte in
        b"Host: demo\r\nX-Slow: 11111111111111111111111111111111\r\n".iter().cycle().take(200)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if slow.write_all(&[*byte]).await.is_err() {
            cut_off = true;
            break;
        }
        let mut buf = [0u8; 512];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buf)).await
        {
            // hyper answers 408 or just closes; either way the connection ends.
            assert!(n == 0 || String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"));
            cut_off = true;
            break;
        }
        // Meanwhile a normal client is served at once.
        if started.elapsed() < Duration::from_millis(300) {
            let mut ok = TcpStream::connect(relay.addrs.http_demo).await.unwrap();
            ok.write_all(b"GET /hello HTTP/1.1\r\nHost: demo\r\n\r\n").await.unwrap();
            let (head, _) = read_response(&mut ok, &mut Vec::new()).await;
            assert!(head.starts_with("HTTP/1.1 200"));
        }
    }
    assert!(cut_off, "the slow client was never cut off");
    assert!(started.elapsed() < Duration::from_secs(5), "cut off after {:?}", started.elapsed());
    relay.stop().await;
}

#[tokio::test]
async fn a_raw_request_through_a_session_shows_the_real_reads() {
    let relay = common::start().await;
    let mut ws = relay.ws().await;
    open(&mut ws, 1, Endpoint::HttpDemo).await;
    let request = "GET /big HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n";
    send(&mut ws, &ClientMsg::Send { session: 1, data: Payload::Text(request.into()) }).await;
    let (mut response, mut reads) = (Vec::new(), 0);
    loop {
        match recv(&mut ws).await {
            ServerMsg::Wrote { .. } => {}
            ServerMsg::Read { len, data, .. } => {
                assert!(len <= relay::session::READ_CHUNK);
                response.extend(data.into_bytes());
                reads += 1;
            }
            ServerMsg::PeerClosed { .. } => break,
            other => panic!("{other:?}"),
        }
    }
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert!(response.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert_eq!(response.len() - head_end, relay::http_demo::BIG_BODY);
    assert!(
        reads >= relay::http_demo::BIG_BODY / relay::session::READ_CHUNK,
        "1 MiB cannot fit in {reads} reads"
    );
    relay.stop().await;
}
