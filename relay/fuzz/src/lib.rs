//! What the relay's fuzz targets check. The same functions replay the kept corpora in the
//! relay's ordinary tests (`relay/tests/fuzz_corpus.rs`), so every input a fuzzer ever found
//! interesting is checked again on every `./dev test`, without a fuzzer.

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// A page's WebSocket text frame, as the relay parses it (`ws::Connection::dispatch`): any
/// input either fails with an error the relay can put in its `bad_message` report, or parses
/// to a message that serialises and parses back to itself.
pub fn client_msg(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // a text frame that is not UTF-8 is refused (1007) before any parsing
    };
    match serde_json::from_str::<wire::ClientMsg>(text) {
        Ok(msg) => {
            let again = serde_json::to_string(&msg).expect("a parsed message serialises");
            let back: wire::ClientMsg = serde_json::from_str(&again).expect("and parses back");
            assert_eq!(back, msg, "{text:?} did not survive a round trip");
        }
        Err(err) => {
            let report = format!("not a valid message: {err} (see docs/PROTOCOL.md)");
            assert!(!report.is_empty());
        }
    }
}

/// One connection to the http-demo server (hyper and the demo's routes, as `http_demo::serve`
/// runs them) that sends `data` and hangs up: the server never panics, always finishes, and
/// says nothing but HTTP responses (HTTP/1.0 to a 1.0 request, as RFC 9110 §6.2 asks).
pub fn http_request(data: &[u8]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let answer = runtime.block_on(async {
        let (mut client, server) = tokio::io::duplex(64 * 1024);
        let service = TowerToHyperService::new(relay::http_demo::router());
        let connection = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .serve_connection(TokioIo::new(server), service);
        let talk = async {
            client.write_all(data).await.expect("the server end is open while serving");
            client.shutdown().await.expect("half-close");
            let mut answer = Vec::new();
            client.read_to_end(&mut answer).await.expect("reading the answer");
            answer
        };
        // The server's own errors (a malformed request, an early EOF) are answers too: hyper
        // replies 400 or just closes. Only a panic or a hang is a finding.
        let (_, answer) = tokio::join!(connection, talk);
        answer
    });
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 ") || answer.starts_with(b"HTTP/1.0 "),
        "not an HTTP/1.x response: {:?}",
        String::from_utf8_lossy(&answer[..answer.len().min(200)])
    );
}
