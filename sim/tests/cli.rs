//! The `socklab-sim` command, run as a user runs it.

#![cfg(feature = "cli")]

use std::process::Command;

fn sim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_socklab-sim")).args(args).output().unwrap()
}

#[test]
fn prints_the_trace_and_writes_a_pcap() {
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("lost.pcap");
    let out = sim(&["lost-syn", "--drops", "1", "--seed", "3", "--pcap", pcap.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[SYN] seq=0") && text.contains("✗ dropped by rule 0"), "{text}");
    assert!(text.contains("SYN-SENT → ESTABLISHED"), "{text}");
    let bytes = std::fs::read(&pcap).unwrap();
    // 0xa1b2c3d4 is libpcap's microsecond-resolution magic, in the writer's byte order.
    let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
    assert!(u32::from_be_bytes(magic) == 0xa1b2c3d4 || u32::from_le_bytes(magic) == 0xa1b2c3d4);
}

#[test]
fn json_output_is_the_trace_type() {
    let out = sim(&["sticky", "--nagle", "false", "--recv-bufsize", "4", "--json"]);
    assert!(out.status.success());
    let trace: Vec<sim::Event> = serde_json::from_slice(&out.stdout).unwrap();
    let again: Vec<sim::Event> = serde_json::from_slice(
        &sim(&["sticky", "--nagle", "false", "--recv-bufsize", "4", "--json"]).stdout,
    )
    .unwrap();
    assert_eq!(trace, again, "deterministic from the command line too");
}

#[test]
fn bad_arguments_get_a_clear_error() {
    let out = sim(&["sticky", "--message", "soon:hello"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("\"soon\" is not a time in ms"), "{err}");
    assert_eq!(sim(&["teleport"]).status.code(), Some(2));
}
