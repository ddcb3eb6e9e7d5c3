//! SockLab's simulation core: a real TCP/IP stack (smoltcp) on two virtual hosts joined by a
//! virtual wire, driven by a virtual clock.
//!
//! Nothing here is scripted. The [`World`] owns two smoltcp interfaces — the *client* at
//! 10.0.0.1 and the *server* at 10.0.0.2 — and a [`Link`] that carries the raw IPv4 packets
//! each stack emits to the other after a configurable one-way delay. Whatever SYNs, ACKs and
//! retransmissions appear are the ones smoltcp decided to send.
//!
//! ```text
//!   client app ─▶ smoltcp ─▶ Nic.tx ─▶ Link (delay) ─▶ Nic.rx ─▶ smoltcp ─▶ server app
//!                          ◀────────────── the same, the other way ◀─────────────
//! ```
//!
//! Components, one concern each:
//! - [`nic`]: a smoltcp `Device` that queues packets instead of touching hardware.
//! - [`link`]: the wire — delay, jitter, loss, duplication, reordering, MTU, bandwidth, and
//!   rules that drop chosen packets ("the first SYN-ACK").
//! - [`rng`]: the seeded generator behind every random choice.
//! - [`trace`]: the typed events a run produces: packets (parsed and raw, with their fate),
//!   TCP state changes, and application calls with what they returned.
//! - [`world`]: the event loop that moves time forward, runs the applications' scripted calls
//!   and polls the stacks.
//! - [`scenario`]: named, serialisable setups — handshake, close, loss, backlog, SYN flood…
//! - [`sticky`]: which message, segment and `recv()` each byte of a stream belongs to.
//! - [`readiness`]: one server loop waiting on many clients — blocking, select, epoll LT/ET.
//! - [`pcap`]: export a trace for Wireshark.
//! - [`dissect`]: a packet's bytes, field by field, for the byte view.
//!
//! **Determinism.** Time only moves when [`World::step`] moves it, and all randomness
//! (smoltcp's initial sequence numbers, ephemeral ports, the link's loss and jitter) comes from
//! the scenario's seed, so the same scenario and seed give a byte-identical trace natively and
//! in wasm. The `socklab-sim` binary runs any scenario from the command line (see README.md).

pub mod dissect;
pub mod link;
pub mod nic;
pub mod pcap;
pub mod readiness;
pub mod rng;
pub mod scenario;
pub mod sticky;
pub mod trace;
pub mod world;

pub use scenario::Scenario;
pub use trace::{Event, EventKind, Numbering, Segment, Side, SocketId, TcpState};
pub use world::{World, WorldConfig};
