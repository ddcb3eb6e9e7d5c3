//! The connection lab's model, free of the DOM: one run of a scenario on the engine, cut into
//! the steps the reader takes, and laid out in time for the ladder diagram.
//!
//! The run is computed once per change of settings (a seed, an impairment, a dropped packet),
//! up to [`MAX_EVENTS`]; stepping then only moves an index through it, so a step costs the same
//! on a 10,000-event transfer as on a handshake.

use serde::{Deserialize, Serialize};
use sim::link::{DropRule, LinkConfig, Match};
use sim::trace::{Fate, retransmissions};
use sim::{Event, EventKind, Scenario, Side, WorldConfig};

/// More events than a reader will step through; a run stops here (and says so).
pub const MAX_EVENTS: usize = 12_000;

/// Everything about a run the reader can change.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub scenario: Scenario,
    pub seed: u64,
    /// Chance the wire loses a packet, 0–1.
    pub loss: f64,
    pub delay_ms: u64,
    pub jitter_ms: u64,
    pub mtu: usize,
    /// Packets dropped on purpose, each as (sender, its nth packet, from 1).
    pub drops: Vec<Drop>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drop {
    pub side: Side,
    pub nth: usize,
}

impl Default for Settings {
    fn default() -> Self {
        let link = LinkConfig::default();
        Settings {
            scenario: Scenario::Handshake,
            seed: 42,
            loss: 0.0,
            delay_ms: link.delay_ms,
            jitter_ms: link.jitter_ms,
            mtu: link.mtu,
            drops: Vec::new(),
        }
    }
}

impl Settings {
    pub fn config(&self) -> WorldConfig {
        let drop = self
            .drops
            .iter()
            .map(|d| DropRule { from: Some(d.side), what: Match::Any, nth: d.nth, count: 1 })
            .collect();
        let link = LinkConfig {
            delay_ms: self.delay_ms,
            jitter_ms: self.jitter_ms,
            loss: self.loss.clamp(0.0, 1.0),
            mtu: self.mtu,
            drop,
            ..LinkConfig::default()
        };
        WorldConfig { seed: self.seed, link, ..WorldConfig::default() }
    }
}

/// One run, ready to be stepped through and drawn.
#[derive(Debug)]
pub struct Run {
    pub trace: Vec<Event>,
    /// `ends[k]` is how many events are visible after `k` steps; `ends[0] == 0`. A step is one
    /// [`sim::World::step`]: everything that happens at one moment.
    pub ends: Vec<usize>,
    /// The scenario ran to its end (rather than stopping at [`MAX_EVENTS`]).
    pub complete: bool,
    /// For each event: a TCP segment resending what its sender had sent before.
    pub retransmitted: Vec<bool>,
    /// For each packet event: which of its sender's packets it is (1-based), as a drop rule
    /// counts them.
    pub ordinal: Vec<usize>,
    pub layout: Layout,
}

/// Runs are compared by identity: a run never changes once made, and comparing two traces of
/// thousands of events on every render would cost more than the render.
impl PartialEq for Run {
    fn eq(&self, other: &Run) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Run {
    pub fn new(settings: &Settings) -> Run {
        let mut world = settings.scenario.start(settings.config());
        let mut ends = vec![0];
        let mut complete = true;
        while let Some(events) = world.step() {
            let end = ends.last().copied().unwrap_or_default() + events.len();
            ends.push(end);
            if end >= MAX_EVENTS {
                complete = world.step().is_none();
                break;
            }
        }
        let mut trace = world.into_trace();
        // Asking whether the run was over may have run one step more: not shown, not kept.
        trace.truncate(ends.last().copied().unwrap_or_default());
        let retransmitted = retransmissions(&trace);
        let mut sent = [0usize; 3];
        let ordinal = trace
            .iter()
            .map(|e| match &e.kind {
                EventKind::Packet { from, .. } => {
                    sent[*from as usize] += 1;
                    sent[*from as usize]
                }
                _ => 0,
            })
            .collect();
        let layout = Layout::new(&trace);
        Run { trace, ends, complete, retransmitted, ordinal, layout }
    }

    /// Number of steps (the last step shows every event).
    pub fn steps(&self) -> usize {
        self.ends.len() - 1
    }

    /// The events visible after `step` steps.
    pub fn visible(&self, step: usize) -> &[Event] {
        &self.trace[..self.ends[step.min(self.steps())]]
    }

    /// The events the step `step` revealed.
    pub fn revealed(&self, step: usize) -> &[Event] {
        let step = step.min(self.steps());
        if step == 0 { &[] } else { &self.trace[self.ends[step - 1]..self.ends[step]] }
    }

    /// The drop that would remove packet event `index` in a re-run with the same seed.
    pub fn drop_for(&self, index: usize) -> Option<Drop> {
        match &self.trace.get(index)?.kind {
            EventKind::Packet { from, .. } => Some(Drop { side: *from, nth: self.ordinal[index] }),
            _ => None,
        }
    }
}

/// Where each event sits on the ladder. Time runs down the page: an interval of virtual time
/// takes vertical space in proportion, within bounds, so a 10 ms flight slopes visibly and a
/// 10-second TIME-WAIT does not take ten screens (it is drawn as a break marked with its
/// length). Events on one side never overlap: each label gets its row.
#[derive(Debug, Default)]
pub struct Layout {
    /// y of each event (for a packet: when it leaves).
    pub y: Vec<f32>,
    /// y of each packet's arrival, if it arrives.
    pub arrival: Vec<Option<f32>>,
    /// Compressed stretches of time: (y of the break, µs elapsed).
    pub breaks: Vec<(f32, u64)>,
    pub height: f32,
    /// The greatest vertical distance from a packet's departure to its arrival.
    longest_flight: f32,
}

/// Pixels per millisecond of virtual time, and the bounds on one gap.
const PX_PER_MS: f32 = 3.0;
const MIN_GAP: f32 = 6.0;
const MAX_GAP: f32 = 60.0;
/// Gaps longer than this are drawn as a break of fixed height.
const BREAK_US: u64 = 1_000_000;
const BREAK_GAP: f32 = 44.0;
/// Vertical room for one label on one side.
pub const ROW: f32 = 18.0;
pub const TOP: f32 = 44.0;

impl Layout {
    fn new(trace: &[Event]) -> Layout {
        // Marks: every event, and every packet's arrival, in time order (arrivals before the
        // events they cause at the same instant).
        let mut marks: Vec<(u64, u8, usize)> = Vec::with_capacity(trace.len() * 2);
        for (index, event) in trace.iter().enumerate() {
            marks.push((event.at_us, 1, index));
            if let EventKind::Packet { fate: Fate::Delivered { at_us, .. }, .. } = &event.kind {
                marks.push((*at_us, 0, index));
            }
        }
        marks.sort_by_key(|&(at, kind, index)| (at, kind, index));
        let mut layout = Layout {
            y: vec![0.0; trace.len()],
            arrival: vec![None; trace.len()],
            ..Layout::default()
        };
        let (mut y, mut last_at) = (TOP, marks.first().map(|m| m.0).unwrap_or_default());
        let mut side_row = [f32::MIN; 3];
        for (at, kind, index) in marks {
            let dt = at - last_at;
            if dt >= BREAK_US {
                layout.breaks.push((y + BREAK_GAP / 2.0, dt));
                y += BREAK_GAP;
            } else if dt > 0 {
                y += (dt as f32 / 1000.0 * PX_PER_MS).clamp(MIN_GAP, MAX_GAP);
            }
            last_at = at;
            if kind == 0 {
                layout.arrival[index] = Some(y);
                continue;
            }
            let side = side_of(&trace[index]) as usize;
            y = y.max(side_row[side] + ROW);
            side_row[side] = y;
            layout.y[index] = y;
        }
        layout.height = y + TOP;
        layout.longest_flight = layout
            .arrival
            .iter()
            .zip(&layout.y)
            .filter_map(|(arrival, y)| arrival.map(|a| a - y))
            .fold(0.0, f32::max);
        layout
    }

    /// How far above a window a packet may have left and still cross it.
    pub fn longest_flight(&self) -> f32 {
        self.longest_flight
    }

    /// The range of events whose marks fall in `top..bottom`, as indices into the trace
    /// (events are laid out in order, so this is a binary search).
    pub fn between(&self, top: f32, bottom: f32) -> std::ops::Range<usize> {
        self.y.partition_point(|&y| y < top)..self.y.partition_point(|&y| y <= bottom)
    }
}

/// The host whose timeline an event is drawn on.
pub fn side_of(event: &Event) -> Side {
    match &event.kind {
        EventKind::Packet { from, .. } => *from,
        EventKind::State { socket, .. } | EventKind::App { socket, .. } => socket.side,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_handshake_is_a_few_steps_and_each_reveals_what_happened_at_one_moment() {
        let run = Run::new(&Settings::default());
        assert!(run.complete);
        assert_eq!(run.visible(0).len(), 0);
        assert_eq!(run.visible(run.steps()).len(), run.trace.len());
        let times: Vec<Vec<u64>> =
            (1..=run.steps()).map(|s| run.revealed(s).iter().map(|e| e.at_us).collect()).collect();
        for step in &times {
            assert!(step.iter().all(|t| *t == step[0]), "one moment per step: {times:?}");
        }
        assert!(run.steps() <= 6, "{} steps", run.steps());
    }

    #[test]
    fn the_layout_goes_down_the_page_and_arrivals_follow_departures() {
        let settings = Settings { scenario: Scenario::GracefulClose, ..Settings::default() };
        let run = Run::new(&settings);
        let y = &run.layout.y;
        assert!(y.windows(2).all(|w| w[0] <= w[1]), "{y:?}");
        for (index, arrival) in run.layout.arrival.iter().enumerate() {
            if let Some(arrival) = arrival {
                assert!(*arrival > y[index], "a packet arrives below where it left");
            }
        }
        // TIME-WAIT's 10 s is one break, not 30,000 pixels.
        assert_eq!(run.layout.breaks.len(), 1);
        assert!(run.layout.breaks[0].1 >= 9_000_000);
        assert!(run.layout.height < 2_000.0, "{}", run.layout.height);
        let window = run.layout.between(0.0, 200.0);
        assert!(window.start == 0 && window.end > 0 && window.end < run.trace.len());
    }

    #[test]
    fn dropping_a_packet_reruns_the_same_seed_without_it() {
        let run = Run::new(&Settings::default());
        let syn_ack = run
            .trace
            .iter()
            .position(|e| e.segment().is_some_and(|s| s.flags.syn && s.flags.ack))
            .unwrap();
        let drop = run.drop_for(syn_ack).unwrap();
        assert_eq!(drop, Drop { side: Side::Server, nth: 1 });
        let again = Run::new(&Settings { drops: vec![drop], ..Settings::default() });
        let fates: Vec<_> = again
            .trace
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Packet { fate, .. } => Some(matches!(fate, Fate::DroppedByRule { .. })),
                _ => None,
            })
            .collect();
        assert_eq!(fates[..2], [false, true], "the SYN goes, the first SYN-ACK is dropped");
        assert!(again.retransmitted.iter().any(|r| *r), "and something is sent again");
    }

    #[test]
    fn a_long_transfer_stops_at_the_event_limit_and_says_so() {
        // 8 MiB is 11,393 events; twice that goes past the limit.
        let transfer = Scenario::Transfer { bytes: 16 << 20 };
        let run = Run::new(&Settings { scenario: transfer, ..Settings::default() });
        assert!(!run.complete);
        assert!(run.trace.len() >= MAX_EVENTS && run.trace.len() < MAX_EVENTS + 100);
        assert_eq!(*run.ends.last().unwrap(), run.trace.len());
    }
}
