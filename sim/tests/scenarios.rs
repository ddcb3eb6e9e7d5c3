//! Each scenario asserts the protocol facts it teaches, on the real stack. These tests run
//! natively (`cargo test`) and as wasm in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown`), where the page's engine really runs.

mod common;

use TcpState::*;
use common::*;
use sim::link::{DropRule, LinkConfig, Match};
use sim::sticky::{StickyParams, StreamMap, TimedMessage};
use sim::trace::{AppCall, Fate, Flags};
use sim::{EventKind, Scenario, Side, SocketId, TcpState, WorldConfig};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const MS: u64 = 1000;

#[test]
fn handshake_walks_the_rfc_states_with_three_segments() {
    let world = run(Scenario::Handshake);
    let trace = world.trace();
    assert_eq!(states(trace, CLIENT), [Closed, SynSent, Established]);
    assert_eq!(states(trace, SERVER), [Closed, Listen, SynReceived, Established]);

    let segs = segments(trace);
    assert_eq!(segs.len(), 3, "{segs:#?}");
    let (syn, syn_ack, ack) = (segs[0].2, segs[1].2, segs[2].2);
    assert_eq!((segs[0].1, segs[1].1, segs[2].1), (Side::Client, Side::Server, Side::Client));
    assert_eq!(syn.flags, Flags { syn: true, ..Flags::default() });
    assert_eq!(syn_ack.flags, Flags { syn: true, ack: true, ..Flags::default() });
    assert_eq!(ack.flags, Flags { ack: true, ..Flags::default() });
    // A SYN consumes one sequence number: each side acknowledges the other's ISN + 1.
    assert_eq!(syn_ack.ack, Some(syn.seq.wrapping_add(1)));
    assert_eq!(ack.ack, Some(syn_ack.seq.wrapping_add(1)));
    assert_eq!((syn.rel_seq, syn_ack.rel_ack, ack.rel_seq, ack.rel_ack), (0, Some(1), 1, Some(1)));
    // Both SYNs announce the MSS that fits a 1500-byte MTU: 1500 - 20 (IP) - 20 (TCP).
    assert_eq!((syn.mss, syn_ack.mss, ack.mss), (Some(1460), Some(1460), None));
    assert_eq!((syn.src_port, syn.dst_port), (world.first_ephemeral_port(), 80));
    // Each segment leaves when the previous one arrives, one 10 ms delay apart.
    assert_eq!((segs[0].0, segs[1].0, segs[2].0), (0, 10 * MS, 20 * MS));
}

#[test]
fn graceful_close_takes_four_segments_and_time_wait_lasts_2msl() {
    let world = run(Scenario::GracefulClose);
    let trace = world.trace();
    assert_eq!(
        states(trace, CLIENT),
        [Closed, SynSent, Established, FinWait1, FinWait2, TimeWait, Closed]
    );
    assert_eq!(
        states(trace, SERVER),
        [Closed, Listen, SynReceived, Established, CloseWait, LastAck, Closed]
    );
    let close: Vec<_> = segments(trace).into_iter().skip(3).collect();
    let flags: Vec<_> = close.iter().map(|(_, from, s, _)| (*from, s.flags.label())).collect();
    assert_eq!(
        flags,
        [
            (Side::Client, "FIN, ACK".to_string()),
            (Side::Server, "ACK".to_string()),
            (Side::Server, "FIN, ACK".to_string()),
            (Side::Client, "ACK".to_string()),
        ]
    );
    // A FIN consumes a sequence number too.
    assert_eq!(close[1].2.ack, Some(close[0].2.seq.wrapping_add(1)));
    // smoltcp's 2 MSL is 10 s (RFC 9293 suggests MSL = 2 min; Linux waits 60 s).
    let waited = entered(trace, CLIENT, Closed)[0] - entered(trace, CLIENT, TimeWait)[0];
    assert_eq!(waited, 10_000 * MS);
    // The side that closes second never enters TIME-WAIT.
    assert!(entered(trace, SERVER, TimeWait).is_empty());
}

#[test]
fn simultaneous_close_passes_through_closing_on_both_sides() {
    let trace = run(Scenario::SimultaneousClose).into_trace();
    for socket in [CLIENT, SERVER] {
        let tail: Vec<_> = states(&trace, socket).into_iter().rev().take(5).rev().collect();
        assert_eq!(tail, [Established, FinWait1, Closing, TimeWait, Closed], "{socket}");
    }
}

#[test]
fn a_closed_port_answers_rst_and_connect_fails() {
    let trace = run(Scenario::ClosedPort).into_trace();
    let segs = segments(&trace);
    assert_eq!(segs.len(), 2);
    let (syn, rst) = (segs[0].2, segs[1].2);
    assert_eq!((segs[1].1, rst.flags.label().as_str()), (Side::Server, "RST, ACK"));
    assert_eq!(rst.ack, Some(syn.seq.wrapping_add(1)), "the RST acknowledges the SYN it refuses");
    assert_eq!(states(&trace, CLIENT), [Closed, SynSent, Closed]);
    assert_eq!(states(&trace, SERVER), [Closed, Listen], "the listener on port 80 is untouched");
}

#[test]
fn a_lost_syn_is_retransmitted_with_the_same_isn_and_doubling_timeouts() {
    let trace = run(Scenario::LostSyn { drops: 3 }).into_trace();
    let syns: Vec<_> =
        segments(&trace).into_iter().filter(|(_, _, s, _)| s.flags.syn && !s.flags.ack).collect();
    assert_eq!(syns.len(), 4);
    let times: Vec<u64> = syns.iter().map(|(t, ..)| t / MS).collect();
    assert_eq!(times, [0, 1000, 3000, 7000], "RTO starts at 1 s and doubles (RFC 6298)");
    assert!(syns.iter().all(|(_, _, s, _)| s.seq == syns[0].2.seq), "same ISN every time");
    assert!(syns[..3].iter().all(|(.., fate)| matches!(fate, Fate::DroppedByRule { rule: 0 })));
    assert!(delivered(syns[3].3));
    assert_eq!(states(&trace, CLIENT), [Closed, SynSent, Established]);
}

#[test]
fn lost_data_is_retransmitted_and_delivered_once() {
    let trace = run(Scenario::LostData).into_trace();
    let data: Vec<_> =
        segments(&trace).into_iter().filter(|(_, _, s, _)| s.payload_len > 0).collect();
    assert_eq!(data.len(), 2);
    assert!(matches!(data[0].3, Fate::DroppedByRule { .. }));
    assert_eq!(data[1].2.seq, data[0].2.seq, "a retransmission repeats the same bytes");
    assert!(data[1].0 - data[0].0 >= 1000 * MS, "after the retransmission timeout");
    assert_eq!(received(&trace, SERVER), b"hello, lossy world");
}

#[test]
fn after_a_half_close_data_still_flows_the_other_way() {
    let trace = run(Scenario::HalfClose).into_trace();
    assert_eq!(received(&trace, SERVER), b"GET /time");
    assert_eq!(received(&trace, CLIENT), b"12:00:00 and still talking");
    // The client received the response while in FIN-WAIT-2: its sending side was closed.
    let reply_at = trace
        .iter()
        .find(|e| matches!(&e.kind, EventKind::App { socket, call: AppCall::Recv { .. } } if *socket == CLIENT))
        .unwrap()
        .at_us;
    let fin_wait_2 = entered(&trace, CLIENT, FinWait2)[0];
    assert!(fin_wait_2 < reply_at && reply_at < entered(&trace, CLIENT, TimeWait)[0]);
    // The server read end-of-stream before it answered.
    let eof = trace.iter().position(
        |e| matches!(&e.kind, EventKind::App { socket, call: AppCall::Eof } if *socket == SERVER),
    );
    assert!(eof.is_some());
}

#[test]
fn with_the_backlog_full_smoltcp_refuses_the_extra_client() {
    let trace = run(Scenario::BacklogFull { backlog: 2, clients: 3 }).into_trace();
    for index in 0..2 {
        assert_eq!(
            states(&trace, SocketId { side: Side::Client, index }).last(),
            Some(&Established)
        );
    }
    // Linux would silently drop this SYN (the client retries); smoltcp, with no free
    // listening socket, answers RST. The lesson text explains the difference.
    let third = SocketId { side: Side::Client, index: 2 };
    assert_eq!(states(&trace, third), [Closed, SynSent, Closed]);
    assert!(segments(&trace).iter().any(|(_, from, s, _)| *from == Side::Server && s.flags.rst));
}

#[test]
fn a_syn_flood_fills_the_half_open_slots_until_they_time_out() {
    let trace = run(Scenario::SynFlood { backlog: 4, syns: 8 }).into_trace();
    let syn_acks_into_the_void = segments(&trace)
        .iter()
        .filter(|(_, from, s, fate)| {
            *from == Side::Server && s.flags.syn && matches!(fate, Fate::NoSuchHost)
        })
        .count();
    assert!(syn_acks_into_the_void >= 4, "each half-open slot answers a forged address");
    // The real client is refused while the slots are full…
    let client = states(&trace, CLIENT);
    assert_eq!(client[..3], [Closed, SynSent, Closed]);
    let refused_at = entered(&trace, CLIENT, Closed)[0];
    assert!(refused_at < 1000 * MS);
    // …and gets in once the half-open connections have been given up (3 s), and stays in.
    assert_eq!(client[3..], [SynSent, Established]);
    for index in 0..4 {
        let listener = SocketId { side: Side::Server, index };
        assert!(entered(&trace, listener, SynReceived)[0] < refused_at, "{listener} was half open");
    }
}

#[test]
fn a_flood_smaller_than_the_backlog_leaves_the_client_a_slot() {
    for (backlog, syns) in [(4, 3), (1, 0), (0, 0)] {
        let trace = run(Scenario::SynFlood { backlog, syns }).into_trace();
        assert_eq!(states(&trace, CLIENT), [Closed, SynSent, Established], "{backlog}/{syns}");
    }
}

#[test]
fn udp_loses_datagrams_without_retransmitting_and_keeps_boundaries() {
    let trace = run(Scenario::Udp { datagrams: 12 }).into_trace();
    let sent: Vec<_> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Packet { from: Side::Client, fate, .. } => Some(delivered(fate)),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 12, "one packet per sendto, and no retransmission");
    let lost = sent.iter().filter(|d| !**d).count();
    assert!(lost > 0 && lost < 12, "the scenario's 25 % loss should lose some: lost {lost}");
    let received: Vec<_> = trace
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::App { call: AppCall::UdpRecv { data, .. }, .. } => {
                Some(String::from_utf8(data.clone()).unwrap())
            }
            _ => None,
        })
        .collect();
    assert_eq!(received.len(), 12 - lost);
    assert!(
        received.iter().all(|d| d.starts_with("datagram ")),
        "each recvfrom is one whole datagram"
    );
}

#[test]
fn nagle_makes_small_writes_stick_together_on_the_wire() {
    let data_segments = |nagle| {
        let params = StickyParams { nagle, ..StickyParams::default() };
        let trace = run(Scenario::Sticky(params.clone())).into_trace();
        let map = StreamMap::from_trace(&params, &trace);
        assert_eq!(received(&trace, SERVER), b"hellohow are you?bye");
        map.segments.len()
    };
    // Three writes 1 ms apart: with Nagle, the 2nd and 3rd wait for the 1st's ACK and leave
    // together; without it each write is its own segment.
    assert_eq!((data_segments(true), data_segments(false)), (2, 3));
}

#[test]
fn every_byte_maps_to_its_message_segment_and_recv() {
    let params = StickyParams {
        messages: ["alpha", "bravo", "charlie", "delta"]
            .iter()
            .enumerate()
            .map(|(i, t)| TimedMessage::text(100 + 30 * i as u64, t))
            .collect(),
        nagle: false,
        recv_bufsize: 7,
        read_interval_ms: 25,
        read_start_ms: 150,
    };
    let trace = run(Scenario::Sticky(params.clone())).into_trace();
    let map = StreamMap::from_trace(&params, &trace);
    let stream: Vec<u8> = params.messages.iter().flat_map(|m| m.data.iter().copied()).collect();
    // The recvs tile the stream exactly, and each returned exactly those bytes of it.
    let mut next = 0;
    for recv in &map.recvs {
        assert_eq!(recv.start, next);
        let EventKind::App { call: AppCall::Recv { data, bufsize, .. }, .. } =
            &trace[recv.event].kind
        else {
            panic!("span points at a recv")
        };
        assert!(data.len() <= *bufsize);
        assert_eq!(data[..], stream[recv.start as usize..recv.end as usize]);
        next = recv.end;
    }
    assert_eq!(next, stream.len() as u64);
    // Every byte was carried by some segment whose payload is exactly those stream bytes.
    for segment in &map.segments {
        let EventKind::Packet { bytes, .. } = &trace[segment.event].kind else { panic!() };
        let payload = &bytes[bytes.len() - (segment.end - segment.start) as usize..];
        assert_eq!(payload, &stream[segment.start as usize..segment.end as usize]);
    }
    // recv(7) over 5- and 7-byte messages cannot keep their boundaries: some recv mixes two.
    assert!(map.messages_per_recv().iter().any(|m| m.len() > 1), "{:?}", map.messages_per_recv());
}

#[test]
fn tcp_delivers_every_byte_in_order_over_a_bad_link() {
    let link = LinkConfig {
        loss: 0.05,
        duplicate: 0.05,
        reorder: 0.1,
        jitter_ms: 5,
        drop: vec![DropRule { from: Some(Side::Server), what: Match::PureAck, nth: 3, count: 2 }],
        ..LinkConfig::default()
    };
    let config = WorldConfig { seed: 9, link, ..WorldConfig::default() };
    let trace = run_with(Scenario::Transfer { bytes: 50_000 }, config).into_trace();
    let expected: Vec<u8> = (0..50_000).map(|i| (i % 251) as u8).collect();
    assert!(received(&trace, SERVER) == expected, "bytes lost, duplicated or reordered");
    let fates: Vec<_> = segments(&trace).into_iter().map(|(.., fate)| fate.clone()).collect();
    assert!(fates.iter().any(|f| matches!(f, Fate::Lost)));
    assert!(fates.iter().any(|f| matches!(f, Fate::Delivered { duplicate_at_us: Some(_), .. })));
    assert!(fates.iter().any(|f| matches!(f, Fate::DroppedByRule { .. })));
    assert_eq!(states(&trace, CLIENT).last(), Some(&Closed));
}

#[test]
fn transfer_respects_mss_window_and_bandwidth() {
    let link = LinkConfig { mtu: 576, kbit_per_s: 1000, ..LinkConfig::default() };
    let config = WorldConfig { link, rx_buffer: 4096, ..WorldConfig::default() };
    let trace = run_with(Scenario::Transfer { bytes: 64 * 1024 }, config).into_trace();
    let segs = segments(&trace);
    assert_eq!(segs[0].2.mss, Some(536), "576 - 20 - 20");
    assert!(segs.iter().all(|(_, _, s, _)| s.payload_len <= 536));
    assert!(
        segs.iter()
            .filter(|(_, from, ..)| *from == Side::Server)
            .all(|(_, _, s, _)| s.window <= 4096)
    );
    // 64 KiB at 1000 kbit/s needs at least 524 ms on the wire, however the stack paces it.
    let last_data =
        segs.iter().filter(|(_, _, s, _)| s.payload_len > 0).map(|(t, ..)| *t).max().unwrap();
    assert!(last_data >= 524 * MS, "{last_data} µs");
    assert_eq!(received(&trace, SERVER).len(), 64 * 1024);
}

#[test]
fn step_and_advance_move_virtual_time_as_asked() {
    let mut world = Scenario::GracefulClose.start(WorldConfig::default());
    assert!(!world.step().unwrap().is_empty());
    let batch = world.advance(15);
    assert!(batch.iter().all(|e| e.at_us <= 15 * MS));
    assert_eq!(world.now_us(), 15 * MS);
    world.advance(110);
    // The client closed at 100 ms, its FIN was acked at 120 ms, the server closes at 200 ms.
    assert_eq!(world.state(CLIENT), FinWait2);
    world.advance(20_000);
    assert_eq!(world.state(CLIENT), Closed);
    assert!(world.step().is_none(), "nothing is left to happen");
}

#[test]
fn scenarios_are_data() {
    for scenario in Scenario::catalogue() {
        let json = serde_json::to_string(&scenario).unwrap();
        assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), scenario, "{json}");
        assert!(json.contains(scenario.name()), "{json}");
    }
    let parsed: Scenario = serde_json::from_str(r#"{"scenario": "lost_syn", "drops": 1}"#).unwrap();
    assert_eq!(parsed, Scenario::LostSyn { drops: 1 });
    // Numeric parameters by name, as the labs' links carry them.
    for scenario in Scenario::catalogue() {
        for (name, value) in scenario.params() {
            let mut again = scenario.clone();
            again.set_param(name, value + 1).unwrap();
            assert_ne!(again, scenario, "{name}");
            let json = serde_json::to_value(&scenario).unwrap();
            assert_eq!(json[name], value, "params() names the serde fields");
        }
    }
    let err = Scenario::Transfer { bytes: 1 }.set_param("bites", 2).unwrap_err();
    assert!(err.contains("no parameter 'bites'") && err.contains("bytes"), "{err}");
}

#[test]
fn same_seed_same_traces_on_every_target() {
    let mut all = Vec::new();
    for scenario in Scenario::catalogue() {
        let trace = |seed| {
            let config = WorldConfig {
                seed,
                link: LinkConfig { jitter_ms: 3, ..LinkConfig::default() },
                ..WorldConfig::default()
            };
            serde_json::to_vec(run_with(scenario.clone(), config).trace()).unwrap()
        };
        let first = trace(42);
        assert_eq!(first, trace(42), "{}", scenario.name());
        assert_ne!(first, trace(43), "{}: the seed must matter", scenario.name());
        all.extend(first);
    }
    // This constant is checked natively and in wasm: equal hashes mean byte-identical traces.
    assert_eq!(fnv1a(&all), ALL_SCENARIOS_SEED_42, "{} trace bytes", all.len());
}

const ALL_SCENARIOS_SEED_42: u64 = 2671747708106042008;

mod readiness {
    use super::*;
    use sim::readiness::{LoopKind, ReadinessParams, unread};
    // Explicit, so it is not ambiguous with the prelude's `test` behind `super::*`.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn serve(server: LoopKind, drain: bool) -> (ReadinessParams, Vec<sim::Event>) {
        let params = ReadinessParams { server, drain, ..ReadinessParams::default() };
        (params.clone(), run(Scenario::Readiness(params)).into_trace())
    }

    /// (time in ms, server socket, bytes) of every read that returned data.
    fn reads(trace: &[sim::Event]) -> Vec<(u64, usize, usize)> {
        trace
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::App { socket, call: AppCall::Recv { data, .. } }
                    if socket.side == Side::Server =>
                {
                    Some((e.at_us / MS, socket.index, data.len()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn edge_triggered_with_small_reads_leaves_data_until_something_new_arrives() {
        let (params, trace) = serve(LoopKind::EpollEdge, false);
        let first = reads(&trace).into_iter().filter(|r| r.1 == 0).collect::<Vec<_>>();
        // 1200 bytes arrive at 110 ms and one 512-byte read is all the edge buys; the other 688
        // wait until 100 more bytes arrive at 710 ms, which buy one more read.
        assert_eq!(first, [(110, 0, 512), (710, 0, 512)]);
        assert_eq!(unread(&params, &trace), [276, 0, 0]);
    }

    #[test]
    fn level_triggered_waits_and_select_drain_every_socket() {
        for kind in [LoopKind::EpollLevel, LoopKind::Select] {
            let (params, trace) = serve(kind, false);
            assert_eq!(unread(&params, &trace), [0, 0, 0], "{kind:?}");
            // The first 1200 bytes: three reads at the same instant, as the wait keeps saying
            // "ready" while data is left.
            let first: Vec<_> = reads(&trace).into_iter().filter(|r| r.0 == 110).collect();
            assert_eq!(first, [(110, 0, 512), (110, 0, 512), (110, 0, 176)], "{kind:?}");
            let waits = trace.iter().filter_map(|e| match &e.kind {
                EventKind::App { call: AppCall::Wait { kind: k, watched, .. }, .. } => {
                    Some((*k, *watched))
                }
                _ => None,
            });
            assert!(waits.into_iter().all(|w| w == (kind, 3)));
        }
    }

    #[test]
    fn edge_triggered_code_that_reads_until_empty_gets_everything() {
        let (params, trace) = serve(LoopKind::EpollEdge, true);
        assert_eq!(unread(&params, &trace), [0, 0, 0]);
    }

    #[test]
    fn a_blocking_server_serves_one_client_and_the_others_wait_forever() {
        let (params, trace) = serve(LoopKind::Blocking, false);
        // The first client never closes, so the blocking server never gets to the others.
        assert_eq!(unread(&params, &trace), [0, 300, 400]);
        assert!(reads(&trace).iter().all(|r| r.1 == 0));
    }
}

#[test]
fn retransmissions_are_told_apart_from_first_transmissions() {
    let retransmitted = |scenario| {
        let trace = run(scenario).into_trace();
        let marks = sim::trace::retransmissions(&trace);
        trace
            .iter()
            .zip(marks)
            .filter_map(|(e, again)| e.segment().map(|s| (s.flags.label(), s.payload_len, again)))
            .filter(|(_, _, again)| *again)
            .collect::<Vec<_>>()
    };
    // Two SYNs dropped: the second and third SYN are retransmissions, nothing else is.
    assert_eq!(
        retransmitted(Scenario::LostSyn { drops: 2 }),
        [("SYN".into(), 0, true), ("SYN".into(), 0, true)]
    );
    let lost_data = retransmitted(Scenario::LostData);
    assert_eq!(lost_data.len(), 1);
    assert_eq!(lost_data[0].1, "hello, lossy world".len());
    assert!(retransmitted(Scenario::GracefulClose).is_empty());
}

/// A learner can set any numeric parameter from a deep link: no small value may crash a run.
#[test]
fn every_scenario_runs_with_small_and_edge_parameters() {
    for defaults in Scenario::catalogue() {
        for (name, _) in defaults.params() {
            for value in [0, 1, 2, 3, 5, 9] {
                let mut scenario = defaults.clone();
                scenario.set_param(name, value).unwrap();
                let mut world = scenario.start(WorldConfig::default());
                assert!(
                    world.run(200_000),
                    "{} with {name} = {value} did not finish",
                    defaults.name()
                );
            }
        }
    }
}
