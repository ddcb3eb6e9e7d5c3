//! Raw HTTP, taken apart: the bytes the HTTP demo sent back, split into the status line, the
//! header fields and the body (RFC 9112) — with a chunked body's framing shown chunk by chunk
//! and its content put back together.

use wasm_bindgen::JsCast as _;
use yew::prelude::*;

use crate::i18n::{self, Lang};

/// A response as far as it has arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status_line: String,
    /// The three-digit status code, if the status line has one.
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// `Content-Length: n`: the body is the next n bytes.
    Sized { expected: usize, got: Vec<u8> },
    /// `Transfer-Encoding: chunked` (RFC 9112 §7.1): each chunk's size line and data; `done`
    /// once the zero-size last chunk has arrived.
    Chunked { chunks: Vec<Chunk>, done: bool, content: Vec<u8> },
    /// Neither: the body runs until the server closes the connection.
    UntilClose(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The size line as sent (hexadecimal), without its CRLF.
    pub size_line: String,
    pub data: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the whole response is in (a close-delimited body: once the server has closed).
    pub fn complete(&self, closed: bool) -> bool {
        match &self.body {
            Body::Sized { expected, got } => got.len() >= *expected,
            Body::Chunked { done, .. } => *done,
            Body::UntilClose(_) => closed,
        }
    }
}

/// The response in `bytes`, once its head (status line and header fields) is complete.
pub fn parse(bytes: &[u8]) -> Option<Response> {
    let head_end = find(bytes, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&bytes[..head_end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?.to_string();
    let status = status_line.split(' ').nth(1).and_then(|code| code.parse().ok());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let rest = &bytes[head_end + 4..];
    let mut response =
        Response { status_line, status, headers, body: Body::UntilClose(Vec::new()) };
    response.body = if response
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        chunked(rest)
    } else if let Some(length) = response.header("content-length").and_then(|v| v.parse().ok()) {
        Body::Sized { expected: length, got: rest[..rest.len().min(length)].to_vec() }
    } else {
        Body::UntilClose(rest.to_vec())
    };
    Some(response)
}

/// Chunks as far as they have arrived.
fn chunked(mut rest: &[u8]) -> Body {
    let mut chunks = Vec::new();
    let mut content = Vec::new();
    while let Some(line_end) = find(rest, b"\r\n") {
        let size_line = String::from_utf8_lossy(&rest[..line_end]).into_owned();
        // A size may carry extensions after ';' (RFC 9112 §7.1.1).
        let Ok(size) = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        let data_start = line_end + 2;
        if size == 0 {
            chunks.push(Chunk { size_line, data: Vec::new() });
            return Body::Chunked { chunks, done: true, content };
        }
        if rest.len() < data_start + size + 2 {
            break;
        }
        let data = rest[data_start..data_start + size].to_vec();
        content.extend_from_slice(&data);
        chunks.push(Chunk { size_line, data });
        rest = &rest[data_start + size + 2..];
    }
    Body::Chunked { chunks, done: false, content }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A request as typed in a text area (lines ending in `\n`) as it must go on the wire: every
/// line ending CRLF (RFC 9112 §2.2), and a blank line after the headers.
pub fn wire_request(typed: &str) -> Vec<u8> {
    let lines: Vec<&str> = typed.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut request = lines.join("\r\n");
    if !request.ends_with("\r\n\r\n") {
        request = request.trim_end_matches("\r\n").to_string() + "\r\n\r\n";
    }
    request.into_bytes()
}

/// Requests to start from: one for each kind of answer the demo server gives.
const TEMPLATES: [&str; 5] = ["/hello", "/old-hello", "/chunked", "/no-such-page", "/"];

#[derive(Properties, PartialEq, Debug)]
pub(super) struct HttpProps {
    pub lang: Lang,
    /// The request as typed.
    pub request: String,
    /// Every byte read so far on the socket.
    pub received: Vec<u8>,
    /// The server has closed its side.
    pub closed: bool,
    /// The relay is there (sending opens a socket if none is open).
    pub can_send: bool,
    pub on_request: Callback<String>,
    pub on_send: Callback<()>,
}

/// The request editor and the response, taken apart.
#[function_component]
pub(super) fn HttpPanel(props: &HttpProps) -> Html {
    let HttpProps { lang, request, received, closed, can_send, on_request, on_send } = props;
    let t = i18n::labs(*lang);
    let on_template = {
        let on_request = on_request.clone();
        Callback::from(move |event: Event| {
            let path = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            if !path.is_empty() {
                on_request.emit(super::request_for(&path));
            }
        })
    };
    let on_edit = {
        let on_request = on_request.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(area) =
                event.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                on_request.emit(area.value());
            }
        })
    };
    let response = parse(received);
    html! {
        <div class="http-panel">
            <div class="controls">
                <label class="field"><span>{ t.http_template }</span>
                    <select onchange={on_template} data-testid="http-template">
                        <option value="" selected=true>{ "…" }</option>
                        { for TEMPLATES.iter().map(|path| html! { <option value={*path}>{ format!("GET {path}") }</option> }) }
                    </select>
                </label>
            </div>
            <label class="field request"><span>{ t.http_request }</span>
                <textarea rows="5" spellcheck="false" value={request.clone()} oninput={on_edit} data-testid="http-request" />
            </label>
            <p class="note">{ t.http_crlf }</p>
            <button type="button" class="primary" disabled={!can_send} data-testid="http-send"
                onclick={{ let on_send = on_send.clone(); Callback::from(move |_| on_send.emit(())) }}>{ t.send }</button>
            if let Some(response) = response {
                <div class="http-response" data-testid="http-response">
                    <p class="http-part"><span class="part-label">{ t.status_line }</span>
                        <code data-testid="status-line">{ &response.status_line }</code>{ " " }
                        <span class="explain">{ response.status.map(|code| (t.status_class)(code)).unwrap_or_default() }</span></p>
                    <p class="part-label">{ t.header_fields }</p>
                    <table class="http-headers">
                        { for response.headers.iter().map(|(name, value)| html! {
                            <tr><th><code>{ name }</code></th><td><code>{ value }</code></td><td class="explain">{ (t.header_note)(name) }</td></tr>
                        }) }
                    </table>
                    <p class="part-label">{ (t.body_kind)(&response.body) }</p>
                    { body(*lang, &response.body) }
                    if response.complete(*closed) {
                        <p class="note" data-testid="http-complete">{ t.http_complete }</p>
                    }
                </div>
            } else if !received.is_empty() {
                <p class="note">{ t.http_waiting }</p>
            }
        </div>
    }
}

fn body(lang: Lang, body: &Body) -> Html {
    let t = i18n::labs(lang);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    match body {
        Body::Sized { got, .. } | Body::UntilClose(got) => {
            html! { <pre class="http-body"><code>{ text(got) }</code></pre> }
        }
        Body::Chunked { chunks, content, .. } => html! {
            <>
                <ol class="chunks" data-testid="chunks">
                    { for chunks.iter().map(|chunk| html! {
                        <li><code class="size-line">{ format!("{}\\r\\n", chunk.size_line) }</code>{ " " }
                            <span class="explain">{ (t.chunk_size)(chunk.data.len()) }</span>
                            if !chunk.data.is_empty() { <pre><code>{ text(&chunk.data) }</code></pre> }</li>
                    }) }
                </ol>
                <p class="part-label">{ t.chunked_content }</p>
                <pre class="http-body"><code data-testid="chunked-content">{ text(content) }</code></pre>
            </>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_sized_response_splits_into_its_parts() {
        let bytes = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhel";
        let response = parse(bytes).unwrap();
        assert_eq!(
            (response.status_line.as_str(), response.status),
            ("HTTP/1.1 200 OK", Some(200))
        );
        assert_eq!(response.header("Content-Type"), Some("text/plain"));
        assert!(!response.complete(false));
        let whole = parse(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello").unwrap();
        assert_eq!(whole.body, Body::Sized { expected: 5, got: b"hello".to_vec() });
        assert!(whole.complete(false));
        assert!(parse(b"HTTP/1.1 200 OK\r\ncontent-len").is_none(), "no head yet");
    }

    #[test]
    fn a_chunked_body_shows_its_chunks_and_its_content() {
        let bytes =
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nc\r\nfirst chunk\n\r\n0\r\n\r\n";
        let response = parse(bytes).unwrap();
        let Body::Chunked { chunks, done, content } = &response.body else {
            panic!("{response:?}")
        };
        assert!(*done);
        assert_eq!(chunks.iter().map(|c| c.size_line.as_str()).collect::<Vec<_>>(), ["c", "0"]);
        assert_eq!(content, b"first chunk\n");
        let partial = parse(&bytes[..bytes.len() - 5]).unwrap();
        assert!(!partial.complete(false));
    }

    #[test]
    fn typed_requests_get_crlf_line_ends_and_the_blank_line() {
        assert_eq!(wire_request("GET / HTTP/1.1\nHost: x\n"), b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(
            wire_request("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        );
    }
}
