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
//! - [`link`]: packets in flight, ordered by arrival time.
//! - [`trace`]: the typed events a run produces (packets on the wire, state changes, app calls).
//! - [`world`]: the event loop that moves time forward and polls the stacks.
//! - [`scenario`]: named, serialisable setups such as the three-way handshake.
//!
//! **Determinism.** Time only moves when [`World::step`] moves it, and the only randomness
//! (smoltcp's initial sequence numbers and ephemeral ports) comes from the scenario's seed, so
//! the same scenario and seed give a byte-identical trace natively and in wasm.

pub mod link;
pub mod nic;
pub mod scenario;
pub mod trace;
pub mod world;

pub use scenario::Scenario;
pub use trace::{Event, EventKind, Segment, Side, TcpState};
pub use world::World;
