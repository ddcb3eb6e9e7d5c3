//! Cross-checks against Python's standard library — the `struct`, `json` and `hashlib` code
//! the course's chapters use — in both directions: frames Python builds must decode here, and
//! frames encoded here must decode in Python.

use std::io::Write;
use std::process::{Command, Stdio};

use framing::{Message, Scheme};

const PREFIX: Scheme = Scheme::LengthPrefix { max_len: 1 << 20 };
const FILES: Scheme = Scheme::JsonHeader { max_header: 4096, max_body: 1 << 20 };

/// The bodies both sides use; `BODIES` in the Python below must build the same list.
fn bodies() -> Vec<Vec<u8>> {
    vec![b"".to_vec(), b"hi".to_vec(), (0..=255).collect(), vec![b'x'; 70_000]]
}

const BUILD: &str = r#"
import hashlib, json, struct, sys

BODIES = [b"", b"hi", bytes(range(256)), b"x" * 70000]
out = sys.stdout.buffer

def send_msg(body):
    out.write(struct.pack("!I", len(body)) + body)

def send_file(header, body, **style):
    send_msg(json.dumps(header, **style).encode("utf-8"))
    out.write(body)

mode = sys.argv[1]
if mode == "length_prefix":
    for body in BODIES:
        send_msg(body)
elif mode == "json_compact":
    for i, body in enumerate(BODIES):
        header = {"name": f"file{i}.bin", "size": len(body), "md5": hashlib.md5(body).hexdigest()}
        send_file(header, body, separators=(",", ":"))
elif mode == "json_default":
    names = ["notes.txt", "\u7a7a.bin", 'a "quoted"\\name', "tab\there"]
    for name, body in zip(names, BODIES):
        header = {"md5": hashlib.md5(body).hexdigest(), "name": name, "size": len(body), "sent_by": "python"}
        send_file(header, body)
"#;

const READ: &str = r#"
import hashlib, json, struct, sys

data = sys.stdin.buffer.read()
pos = 0

def recv_exact(n):
    global pos
    assert pos + n <= len(data), "truncated frame"
    pos += n
    return data[pos - n:pos]

def recv_msg():
    (n,) = struct.unpack("!I", recv_exact(4))
    return recv_exact(n)

out = []
while pos < len(data):
    if sys.argv[1] == "length_prefix":
        out.append(recv_msg().hex())
    else:
        header = json.loads(recv_msg().decode("utf-8"))
        assert sorted(header) == ["md5", "name", "size"], header
        body = recv_exact(header["size"])
        assert hashlib.md5(body).hexdigest() == header["md5"], header
        out.append([header["name"], body.hex()])
print(json.dumps(out))
"#;

/// Runs `script` with `python3 -c`, passing `mode` and `stdin`; returns its stdout.
fn python(script: &str, mode: &str, stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new("python3")
        .args(["-c", script, mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (3.11 or later) must be installed for this test");
    // Writing all of stdin before reading stdout is fine: the scripts read all input first.
    child.stdin.take().expect("piped").write_all(stdin).expect("write to python3");
    let output = child.wait_with_output().expect("python3 ran");
    assert!(
        output.status.success(),
        "python3 {mode} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Decodes `stream` fed in 7-byte pieces, checking the frames tile the stream exactly.
fn decode(scheme: &Scheme, stream: &[u8]) -> Vec<Message> {
    let mut decoder = scheme.decoder().unwrap();
    let mut messages = Vec::new();
    let mut offset = 0;
    for chunk in stream.chunks(7) {
        decoder.push(chunk);
        while let Some(frame) = decoder.next_frame().expect("valid stream") {
            assert_eq!(frame.span.start, offset);
            offset = frame.span.end();
            messages.push(frame.message);
        }
    }
    assert_eq!(offset, stream.len() as u64);
    assert_eq!(decoder.buffered(), 0);
    messages
}

fn encode_all(scheme: &Scheme, messages: &[Message]) -> Vec<u8> {
    messages.iter().flat_map(|message| scheme.encode(message).unwrap()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn python_length_prefix_frames_are_ours_byte_for_byte() {
    let from_python = python(BUILD, "length_prefix", b"");
    let messages: Vec<Message> = bodies().into_iter().map(Message::new).collect();
    assert_eq!(from_python, encode_all(&PREFIX, &messages));
    assert_eq!(decode(&PREFIX, &from_python), messages);
}

#[test]
fn python_json_header_frames_decode() {
    // With compact separators and ASCII names, Python's bytes are exactly ours.
    let compact = python(BUILD, "json_compact", b"");
    let files: Vec<Message> = bodies()
        .into_iter()
        .enumerate()
        .map(|(i, body)| Message::file(format!("file{i}.bin"), body))
        .collect();
    assert_eq!(compact, encode_all(&FILES, &files));
    assert_eq!(decode(&FILES, &compact), files);

    // json.dumps' defaults: spaces, \u escapes for non-ASCII, other key order, an extra field.
    let default = python(BUILD, "json_default", b"");
    let names = ["notes.txt", "空.bin", "a \"quoted\"\\name", "tab\there"];
    let files: Vec<Message> =
        names.into_iter().zip(bodies()).map(|(name, body)| Message::file(name, body)).collect();
    assert_eq!(decode(&FILES, &default), files);
}

#[test]
fn python_decodes_our_length_prefix_frames() {
    let bodies = bodies();
    let stream = encode_all(&PREFIX, &bodies.iter().cloned().map(Message::new).collect::<Vec<_>>());
    let decoded: Vec<String> =
        serde_json::from_slice(&python(READ, "length_prefix", &stream)).unwrap();
    assert_eq!(decoded, bodies.iter().map(|body| hex(body)).collect::<Vec<_>>());
}

#[test]
fn python_decodes_our_json_header_frames() {
    let names = ["report.pdf", "空 файл 🦀.bin", "quote\" back\\slash", "control\u{1}\n"];
    let files: Vec<Message> =
        names.into_iter().zip(bodies()).map(|(name, body)| Message::file(name, body)).collect();
    let decoded: Vec<(String, String)> =
        serde_json::from_slice(&python(READ, "json_header", &encode_all(&FILES, &files))).unwrap();
    let expected: Vec<(String, String)> =
        names.iter().zip(bodies()).map(|(name, body)| (name.to_string(), hex(&body))).collect();
    assert_eq!(decoded, expected);
}
