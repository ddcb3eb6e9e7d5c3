//! The engine's speed and memory, natively. `bench/sim.sh` runs this and the same transfer in
//! wasm in Chromium, and reports them side by side.

use criterion::{Criterion, criterion_group, criterion_main};
use sim::trace::EventKind;
use sim::{Event, Scenario, WorldConfig};

const MIB: usize = 1024 * 1024;

fn transfer_1mib() -> Vec<Event> {
    let mut world = Scenario::Transfer { bytes: MIB }.start(WorldConfig::default());
    assert!(world.run(1_000_000));
    world.into_trace()
}

/// Bytes a trace occupies: the events themselves plus what they own on the heap.
fn trace_bytes(trace: &[Event]) -> usize {
    let heap: usize = trace
        .iter()
        .map(|e| match &e.kind {
            EventKind::Packet { bytes, .. } => bytes.capacity(),
            EventKind::App { call: sim::trace::AppCall::Recv { data, .. }, .. } => data.capacity(),
            _ => 0,
        })
        .sum();
    std::mem::size_of_val(trace) + heap
}

fn engine(c: &mut Criterion) {
    let trace = transfer_1mib();
    let bytes = trace_bytes(&trace);
    println!(
        "trace memory: 1 MiB transfer = {} events, {} bytes ({} per event; an Event is {} bytes inline)",
        trace.len(),
        bytes,
        bytes / trace.len(),
        std::mem::size_of::<Event>()
    );

    c.bench_function("handshake + 1 MiB transfer + close", |b| b.iter(transfer_1mib));

    // Stepping one event batch at a time through a long run, as the page does on "Step".
    c.bench_function("step through 10,000 events", |b| {
        b.iter(|| {
            // 8 MiB: long enough to produce well over 10,000 events.
            let mut world = Scenario::Transfer { bytes: 8 * MIB }.start(WorldConfig::default());
            let mut steps = 0;
            while world.trace().len() < 10_000 && world.step().is_some() {
                steps += 1;
            }
            assert!(world.trace().len() >= 10_000, "the run ended before 10,000 events");
            steps
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = engine
}
criterion_main!(benches);
