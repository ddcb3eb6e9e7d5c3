//! The virtual wire between the hosts: delay, jitter, loss, duplication, reordering, MTU,
//! bandwidth, and rules that drop particular packets so a lesson can stage an exact situation.
//!
//! The link decides each packet's [`Fate`] the moment it is sent, using the run's seeded RNG,
//! and keeps delivered packets in a heap ordered by arrival time. A sequence number breaks ties
//! so that packets due at the same instant arrive in sending order: the heap alone would not
//! promise that, and determinism depends on it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};
use smoltcp::time::{Duration, Instant};

use crate::rng::Rng;
use crate::trace::{Fate, Packet, Side, Transport};

/// How the wire behaves. Probabilities are per packet, in [0, 1].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default)]
pub struct LinkConfig {
    /// One-way propagation delay.
    pub delay_ms: u64,
    /// Extra delay, uniform in [0, jitter_ms], drawn per packet.
    pub jitter_ms: u64,
    pub loss: f64,
    pub duplicate: f64,
    /// Chance that a packet is held back one extra `delay_ms`, letting later ones overtake it.
    pub reorder: f64,
    /// Largest IP packet the wire carries; the hosts' interfaces use it as their MTU.
    pub mtu: usize,
    /// Bits per millisecond (= kbit/s); 0 means unlimited. A packet occupies the wire for
    /// `bits / rate` before its propagation delay starts, and packets queue behind each other.
    pub kbit_per_s: u64,
    /// Packets to drop on purpose, e.g. "the first SYN-ACK".
    pub drop: Vec<DropRule>,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            delay_ms: 10,
            jitter_ms: 0,
            loss: 0.0,
            duplicate: 0.0,
            reorder: 0.0,
            mtu: 1500,
            kbit_per_s: 0,
            drop: Vec::new(),
        }
    }
}

/// Drop the `nth` (1-based) packet from `from` that matches `what`, and `count - 1` more
/// matching packets after it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct DropRule {
    pub from: Option<Side>,
    pub what: Match,
    #[serde(default = "one")]
    pub nth: usize,
    #[serde(default = "one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

impl DropRule {
    /// Drop the first packet from `from` that matches `what`.
    pub fn first(from: Side, what: Match) -> DropRule {
        DropRule { from: Some(from), what, nth: 1, count: 1 }
    }
}

/// Which packets a [`DropRule`] counts.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// A SYN without ACK: a connection request.
    Syn,
    SynAck,
    /// A TCP segment carrying data.
    Data,
    Fin,
    Rst,
    /// A TCP segment with only the ACK flag and no data.
    PureAck,
    Udp,
    Any,
}

impl Match {
    fn matches(self, packet: &Packet) -> bool {
        let Transport::Tcp(s) = &packet.transport else {
            return matches!(self, Match::Udp | Match::Any);
        };
        let f = s.flags;
        match self {
            Match::Syn => f.syn && !f.ack,
            Match::SynAck => f.syn && f.ack,
            Match::Data => s.payload_len > 0,
            Match::Fin => f.fin,
            Match::Rst => f.rst,
            Match::PureAck => f.ack && !(f.syn || f.fin || f.rst) && s.payload_len == 0,
            Match::Udp => false,
            Match::Any => true,
        }
    }
}

#[derive(Debug)]
pub struct Link {
    config: LinkConfig,
    rng: Rng,
    /// Matches seen so far, per drop rule.
    rule_hits: Vec<usize>,
    /// When each direction's transmitter is free again (bandwidth model), per sending side.
    busy_until: [Instant; 3],
    sent: u64,
    in_flight: BinaryHeap<Reverse<InFlight>>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct InFlight {
    arrives: Instant,
    order: u64,
    to: Side,
    packet: Vec<u8>,
}

impl Link {
    pub fn new(config: LinkConfig, rng: Rng) -> Self {
        Link {
            rule_hits: vec![0; config.drop.len()],
            config,
            rng,
            busy_until: [Instant::ZERO; 3],
            sent: 0,
            in_flight: BinaryHeap::new(),
        }
    }

    pub fn mtu(&self) -> usize {
        self.config.mtu
    }

    /// Put a packet on the wire at `now`, heading for `to` (`None`: no such host).
    pub fn send(
        &mut self,
        now: Instant,
        from: Side,
        to: Option<Side>,
        bytes: &[u8],
        packet: &Packet,
    ) -> Fate {
        // Random draws happen in a fixed order for every packet, whatever its fate, so that
        // changing one knob does not reshuffle everything after it.
        let lost = self.rng.chance(self.config.loss);
        let duplicated = self.rng.chance(self.config.duplicate);
        let reordered = self.rng.chance(self.config.reorder);
        let jitter = self.rng.up_to(self.config.jitter_ms * 1000);
        let dup_jitter = self.rng.up_to(self.config.jitter_ms * 1000);

        if let Some(rule) = self.rule_that_drops(from, packet) {
            return Fate::DroppedByRule { rule };
        }
        if bytes.len() > self.config.mtu {
            return Fate::TooBig;
        }
        // The packet occupies the transmitter even if it is then lost or has nowhere to go.
        let start = now.max(self.busy_until[from as usize]);
        let on_wire_until = start + self.transmission_time(bytes.len());
        self.busy_until[from as usize] = on_wire_until;
        let Some(to) = to else {
            return Fate::NoSuchHost;
        };
        if lost {
            return Fate::Lost;
        }
        let delay = Duration::from_millis(self.config.delay_ms);
        let extra = if reordered { delay } else { Duration::ZERO };
        let arrives = on_wire_until + delay + extra + Duration::from_micros(jitter);
        self.enqueue(arrives, to, bytes.to_vec());
        let duplicate_at = duplicated.then(|| {
            let again = on_wire_until + delay + Duration::from_micros(dup_jitter);
            self.enqueue(again, to, bytes.to_vec());
            micros(again)
        });
        Fate::Delivered { at_us: micros(arrives), duplicate_at_us: duplicate_at }
    }

    fn rule_that_drops(&mut self, from: Side, packet: &Packet) -> Option<usize> {
        let mut dropping = None;
        for (index, rule) in self.config.drop.iter().enumerate() {
            if rule.from.is_some_and(|f| f != from) || !rule.what.matches(packet) {
                continue;
            }
            self.rule_hits[index] += 1;
            let hit = self.rule_hits[index];
            if dropping.is_none() && hit >= rule.nth && hit < rule.nth + rule.count {
                dropping = Some(index);
            }
        }
        dropping
    }

    fn transmission_time(&self, len: usize) -> Duration {
        match self.config.kbit_per_s {
            0 => Duration::ZERO,
            rate => Duration::from_micros(len as u64 * 8 * 1000 / rate),
        }
    }

    fn enqueue(&mut self, arrives: Instant, to: Side, packet: Vec<u8>) {
        self.sent += 1;
        self.in_flight.push(Reverse(InFlight { arrives, order: self.sent, to, packet }));
    }

    /// When the next packet arrives, if any is in flight.
    pub fn next_arrival(&self) -> Option<Instant> {
        self.in_flight.peek().map(|Reverse(p)| p.arrives)
    }

    /// Take the next packet that has arrived by `now`.
    pub fn pop_arrived(&mut self, now: Instant) -> Option<(Side, Vec<u8>)> {
        if self.next_arrival()? > now {
            return None;
        }
        self.in_flight.pop().map(|Reverse(p)| (p.to, p.packet))
    }
}

pub fn micros(instant: Instant) -> u64 {
    instant.total_micros() as u64
}
