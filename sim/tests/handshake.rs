//! The three-way handshake, run on the real stack. These tests run natively (`cargo test`) and
//! in headless Chromium as wasm (`cargo test --target wasm32-unknown-unknown`), so the page's
//! engine is checked where it really runs.

use sim::trace::{AppCall, Flags};
use sim::world::WorldConfig;
use sim::{EventKind, Scenario, Side, TcpState};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn handshake(seed: u64) -> sim::World {
    let mut world = Scenario::Handshake {
        config: WorldConfig {
            seed,
            ..WorldConfig::default()
        },
    }
    .start();
    world.run(1_000);
    world
}

fn states(world: &sim::World, side: Side) -> Vec<TcpState> {
    let mut out = vec![TcpState::Closed];
    for event in world.trace() {
        if let EventKind::State { side: s, to, .. } = event.kind
            && s == side
        {
            out.push(to);
        }
    }
    out
}

#[test]
fn both_sides_walk_the_rfc_states_to_established() {
    let world = handshake(42);
    use TcpState::*;
    assert_eq!(states(&world, Side::Client), [Closed, SynSent, Established]);
    assert_eq!(
        states(&world, Side::Server),
        [Closed, Listen, SynReceived, Established]
    );
}

#[test]
fn three_segments_syn_synack_ack_with_correct_numbers() {
    let world = handshake(42);
    let packets: Vec<_> = world
        .trace()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Packet {
                from,
                segment,
                rel_seq,
                rel_ack,
                ..
            } => Some((e.at_us, *from, segment.clone(), *rel_seq, *rel_ack)),
            _ => None,
        })
        .collect();
    assert_eq!(packets.len(), 3, "{packets:#?}");
    let [
        (t0, c0, syn, syn_rel, _),
        (t1, s1, syn_ack, _, syn_ack_rel),
        (t2, c2, ack, ack_rel_seq, ack_rel),
    ] = packets.try_into().unwrap();

    assert_eq!((c0, s1, c2), (Side::Client, Side::Server, Side::Client));
    assert_eq!(
        syn.flags,
        Flags {
            syn: true,
            ..Flags::default()
        }
    );
    assert_eq!(
        syn_ack.flags,
        Flags {
            syn: true,
            ack: true,
            ..Flags::default()
        }
    );
    assert_eq!(
        ack.flags,
        Flags {
            ack: true,
            ..Flags::default()
        }
    );

    // A SYN consumes one sequence number: each side acknowledges the other's ISN + 1.
    assert_eq!(syn_ack.ack, Some(syn.seq.wrapping_add(1)));
    assert_eq!(ack.ack, Some(syn_ack.seq.wrapping_add(1)));
    assert_eq!(ack.seq, syn.seq.wrapping_add(1));
    assert_eq!(
        (syn_rel, syn_ack_rel, ack_rel_seq, ack_rel),
        (0, Some(1), 1, Some(1))
    );

    // Both SYNs announce an MSS that fits the 1500-byte MTU (1500 - 20 IP - 20 TCP).
    assert_eq!(syn.mss, Some(1460));
    assert_eq!(syn_ack.mss, Some(1460));
    assert_eq!(ack.mss, None);

    // Ports: client's ephemeral port to the server's port 80 and back.
    assert_eq!((syn.src_port, syn.dst_port), (world.ephemeral_port(), 80));
    assert_eq!(
        (syn_ack.src_port, syn_ack.dst_port),
        (80, world.ephemeral_port())
    );

    // Each segment is sent when the previous one arrives: one 10 ms one-way delay apart.
    assert_eq!((t0, t1, t2), (0, 10_000, 20_000));
}

#[test]
fn app_calls_come_first_and_nothing_happens_after_established() {
    let mut world = handshake(7);
    let calls: Vec<_> = world
        .trace()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::App { side, call } => Some((*side, call.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        calls,
        [
            (Side::Server, AppCall::Listen { port: 80 }),
            (Side::Client, AppCall::Connect { port: 80 })
        ]
    );
    assert!(
        world.step().is_none(),
        "an idle established connection sends nothing"
    );
}

/// FNV-1a: a hash simple enough to be obviously the same on every target.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn same_seed_same_trace_on_every_target() {
    let trace = serde_json::to_vec(handshake(42).trace()).unwrap();
    assert_eq!(trace, serde_json::to_vec(handshake(42).trace()).unwrap());
    // This constant is checked natively and in wasm: equal hashes mean byte-identical traces.
    assert_eq!(
        fnv1a(&trace),
        HANDSHAKE_SEED_42,
        "trace changed:\n{}",
        String::from_utf8_lossy(&trace)
    );
}

#[test]
fn the_seed_picks_the_initial_sequence_numbers() {
    let isn = |seed| match &handshake(seed)
        .trace()
        .iter()
        .find(|e| matches!(e.kind, EventKind::Packet { .. }))
        .unwrap()
        .kind
    {
        EventKind::Packet { segment, .. } => segment.seq,
        _ => unreachable!(),
    };
    assert_ne!(isn(1), isn(2));
}

const HANDSHAKE_SEED_42: u64 = 6527175671439610883;
