//! Wireshark must agree with the trace: every exported pcap is read back by tshark (the real
//! one, from Debian), which must report the same packets with the same header fields, and
//! find every IP and TCP checksum correct.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use sim::sticky::StickyParams;
use sim::trace::Transport;
use sim::{EventKind, Scenario, WorldConfig};

const FIELDS: &[&str] = &[
    "frame.time_epoch",
    "ip.src",
    "ip.dst",
    "ip.checksum.status",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.flags",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.len",
    "tcp.options.mss_val",
    "tcp.checksum.status",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
];

fn tshark(pcap: &std::path::Path) -> Vec<Vec<String>> {
    let mut command = Command::new("tshark");
    command.args(["-r"]).arg(pcap);
    command.args(["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"]);
    command.args(["-T", "fields", "-E", "separator=|", "-E", "occurrence=f"]);
    for field in FIELDS {
        command.args(["-e", field]);
    }
    let output = command.output().expect("tshark is installed (scripts/bootstrap.sh)");
    assert!(output.status.success(), "tshark failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line.split('|').map(str::to_string).collect())
        .collect()
}

/// Our view of a packet, spelled the way tshark prints it.
fn expected(at_us: u64, transport: &Transport, ip: &sim::trace::IpHeader) -> Vec<String> {
    let addr = |a: [u8; 4]| format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
    let mut row = vec![
        format!("{}.{:06}000", at_us / 1_000_000, at_us % 1_000_000),
        addr(ip.src),
        addr(ip.dst),
        "1".into(),
    ];
    match transport {
        Transport::Tcp(s) => {
            let f = s.flags;
            let bits = u16::from(f.fin)
                | u16::from(f.syn) << 1
                | u16::from(f.rst) << 2
                | u16::from(f.psh) << 3
                | u16::from(f.ack) << 4;
            row.extend([
                s.src_port.to_string(),
                s.dst_port.to_string(),
                format!("0x{bits:04x}"),
                s.seq.to_string(),
                // tshark prints the raw ack field whatever the flags; ours is None without ACK.
                s.ack.map_or_else(|| "0".to_string(), |a| a.to_string()),
                s.payload_len.to_string(),
                s.mss.map_or_else(String::new, |m| m.to_string()),
                "1".into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        Transport::Udp { src_port, dst_port, payload_len } => {
            row.extend(vec![String::new(); 8]);
            row.extend([src_port.to_string(), dst_port.to_string(), (payload_len + 8).to_string()]);
        }
    }
    row
}

#[test]
fn tshark_reads_every_scenario_exactly_as_traced() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = [
        Scenario::Handshake,
        Scenario::LostSyn { drops: 1 },
        Scenario::Transfer { bytes: 20_000 },
        Scenario::GracefulClose,
        Scenario::ClosedPort,
        Scenario::SynFlood { backlog: 2, syns: 3 },
        Scenario::Udp { datagrams: 5 },
        Scenario::Sticky(StickyParams::default()),
    ];
    for scenario in scenarios {
        let trace =
            common::run_with(scenario.clone(), WorldConfig { seed: 5, ..WorldConfig::default() })
                .into_trace();
        let path = dir.path().join(format!("{}.pcap", scenario.name()));
        std::fs::write(&path, sim::pcap::to_pcap(&trace)).unwrap();

        let ours: Vec<Vec<String>> = trace
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Packet { packet, .. } => {
                    Some(expected(e.at_us, &packet.transport, &packet.ip))
                }
                _ => None,
            })
            .collect();
        let theirs = tshark(&path);
        assert_eq!(theirs.len(), ours.len(), "{}: packet count", scenario.name());
        for (n, (t, o)) in theirs.iter().zip(&ours).enumerate() {
            assert_eq!(t, o, "{} packet {n}: tshark vs trace (fields {FIELDS:?})", scenario.name());
        }
    }
}
