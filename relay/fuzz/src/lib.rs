//! What the relay's fuzz targets check. The same functions replay the kept corpora in the
//! relay's ordinary tests (`relay/tests/fuzz_corpus.rs`), so every input a fuzzer ever found
//! interesting is checked again on every `./dev test`, without a fuzzer.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// The header timeout: never reached, since each input is sent whole before the half-close.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A page's WebSocket text frame, as the relay parses it (`relay::ws::parse`): any input
/// either is refused with the text of a `bad_message` report, or parses to a message that
/// serialises and parses back to itself.
pub fn client_msg(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // a text frame that is not UTF-8 is refused (1007) before any parsing
    };
    if let Ok(msg) = relay::ws::parse(text) {
        let again = serde_json::to_string(&msg).expect("a parsed message serialises");
        let back = relay::ws::parse(&again).expect("and parses back");
        assert_eq!(back, msg, "{text:?} did not survive a round trip");
    }
}

/// One connection to the http-demo server (`http_demo::serve_connection`, as the relay runs
/// it for each client) that sends `data` and hangs up: the server never panics, always finishes, and
/// says nothing but HTTP responses (HTTP/1.0 to a 1.0 request, as RFC 9110 §6.2 asks).
pub fn http_request(data: &[u8]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let answer = runtime.block_on(async {
        let (mut client, server) = tokio::io::duplex(64 * 1024);
        let connection =
            relay::http_demo::serve_connection(server, relay::http_demo::router(), TIMEOUT);
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
