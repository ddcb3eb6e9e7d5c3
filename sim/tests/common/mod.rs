//! Helpers for reading traces in tests.

#![allow(dead_code)] // each test binary uses a different subset

use sim::trace::{AppCall, Fate, Segment};
use sim::{Event, EventKind, Scenario, Side, SocketId, TcpState, World, WorldConfig};

pub const CLIENT: SocketId = sim::scenario::CLIENT;
pub const SERVER: SocketId = sim::scenario::SERVER;

pub fn run(scenario: Scenario) -> World {
    run_with(scenario, WorldConfig::default())
}

pub fn run_with(scenario: Scenario, config: WorldConfig) -> World {
    let mut world = scenario.start(config);
    assert!(world.run(200_000), "scenario did not finish");
    world
}

/// The states a socket passed through, starting from CLOSED.
pub fn states(trace: &[Event], socket: SocketId) -> Vec<TcpState> {
    let mut out = vec![TcpState::Closed];
    out.extend(trace.iter().filter_map(|e| match e.kind {
        EventKind::State { socket: s, to, .. } if s == socket => Some(to),
        _ => None,
    }));
    out
}

/// When a socket entered each state, in microseconds.
pub fn entered(trace: &[Event], socket: SocketId, state: TcpState) -> Vec<u64> {
    trace
        .iter()
        .filter(|e| matches!(e.kind, EventKind::State { socket: s, to, .. } if s == socket && to == state))
        .map(|e| e.at_us)
        .collect()
}

/// Every TCP segment put on the wire: (time, sender, segment, fate).
pub fn segments(trace: &[Event]) -> Vec<(u64, Side, &Segment, &Fate)> {
    trace
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Packet { from, packet, fate, .. } => {
                Some((e.at_us, *from, packet.tcp()?, fate))
            }
            _ => None,
        })
        .collect()
}

/// Everything `recv` returned on a socket, concatenated.
pub fn received(trace: &[Event], socket: SocketId) -> Vec<u8> {
    trace
        .iter()
        .flat_map(|e| match &e.kind {
            EventKind::App { socket: s, call: AppCall::Recv { data, .. } } if *s == socket => {
                data.clone()
            }
            _ => Vec::new(),
        })
        .collect()
}

pub fn delivered(fate: &Fate) -> bool {
    matches!(fate, Fate::Delivered { .. })
}

/// FNV-1a: a hash simple enough to be obviously the same on every target.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}
