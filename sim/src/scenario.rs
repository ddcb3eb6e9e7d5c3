//! Named setups the lessons run. A scenario is data (serde), so the page, the tests and the CLI
//! can name one and get exactly the same run.
//!
//! Every scenario uses the same cast: `client#0` (10.0.0.1) and `server#0` (10.0.0.2, port 80);
//! some add more client sockets, more listening sockets, UDP sockets or an attacker.

use serde::{Deserialize, Serialize};

use crate::link::{DropRule, Match};
use crate::readiness::ReadinessParams;
use crate::sticky::StickyParams;
use crate::trace::{Side, SocketId};
use crate::world::{Call, World, WorldConfig};

/// The port the simulated server listens on.
pub const SERVER_PORT: u16 = 80;
/// The port the UDP scenario's server uses (RFC 862's echo port).
pub const UDP_PORT: u16 = 7;

pub const CLIENT: SocketId = SocketId { side: Side::Client, index: 0 };
pub const SERVER: SocketId = SocketId { side: Side::Server, index: 0 };

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "scenario", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scenario {
    /// The server listens; the client connects. Ends with both sides ESTABLISHED.
    Handshake,
    /// Handshake, the client sends `bytes` bytes, then both close.
    Transfer { bytes: usize },
    /// The client closes first; the server closes 100 ms later. Four segments, then the
    /// client waits in TIME-WAIT for 2 MSL.
    GracefulClose,
    /// Both sides close at the same instant; their FINs cross on the wire.
    SimultaneousClose,
    /// The client connects to port 81, where nothing listens: the server's stack answers RST.
    ClosedPort,
    /// The wire drops the client's first `drops` SYNs: retransmission with backoff.
    LostSyn { drops: usize },
    /// The wire drops the first data segment: the sender retransmits it after its RTO.
    LostData,
    /// The client sends a request and shuts down its sending side; the server still answers.
    HalfClose,
    /// `backlog` listening sockets; `clients` clients connect one after another.
    BacklogFull { backlog: usize, clients: usize },
    /// An attacker fills the server's `backlog` half-open slots with forged SYNs while a real
    /// client tries to connect, then tries again once the half-open connections time out.
    SynFlood { backlog: usize, syns: usize },
    /// The client sends `datagrams` UDP datagrams over a lossy wire: no handshake, no
    /// retransmission, boundaries kept.
    Udp { datagrams: usize },
    /// Messages written over one connection and read with a chosen `recv` size and timing.
    Sticky(StickyParams),
    /// Several clients write at scripted moments; one server loop waits and reads.
    Readiness(ReadinessParams),
}

/// Which scenario, without its parameters: the closed set menus, links and the CLI name.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    Handshake,
    Transfer,
    GracefulClose,
    SimultaneousClose,
    ClosedPort,
    LostSyn,
    LostData,
    HalfClose,
    BacklogFull,
    SynFlood,
    Udp,
    Sticky,
    Readiness,
}

impl ScenarioKind {
    pub const ALL: [ScenarioKind; 13] = [
        ScenarioKind::Handshake,
        ScenarioKind::Transfer,
        ScenarioKind::GracefulClose,
        ScenarioKind::SimultaneousClose,
        ScenarioKind::ClosedPort,
        ScenarioKind::LostSyn,
        ScenarioKind::LostData,
        ScenarioKind::HalfClose,
        ScenarioKind::BacklogFull,
        ScenarioKind::SynFlood,
        ScenarioKind::Udp,
        ScenarioKind::Sticky,
        ScenarioKind::Readiness,
    ];

    /// The name in data and links: `graceful_close`.
    pub fn name(self) -> &'static str {
        match self {
            ScenarioKind::Handshake => "handshake",
            ScenarioKind::Transfer => "transfer",
            ScenarioKind::GracefulClose => "graceful_close",
            ScenarioKind::SimultaneousClose => "simultaneous_close",
            ScenarioKind::ClosedPort => "closed_port",
            ScenarioKind::LostSyn => "lost_syn",
            ScenarioKind::LostData => "lost_data",
            ScenarioKind::HalfClose => "half_close",
            ScenarioKind::BacklogFull => "backlog_full",
            ScenarioKind::SynFlood => "syn_flood",
            ScenarioKind::Udp => "udp",
            ScenarioKind::Sticky => "sticky",
            ScenarioKind::Readiness => "readiness",
        }
    }

    pub fn from_name(name: &str) -> Option<ScenarioKind> {
        ScenarioKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The scenario with its lesson's parameters. This is the one place they are set: the
    /// CLI, the labs and the tests all start from here.
    pub fn defaults(self) -> Scenario {
        match self {
            ScenarioKind::Handshake => Scenario::Handshake,
            ScenarioKind::Transfer => Scenario::Transfer { bytes: 64 * 1024 },
            ScenarioKind::GracefulClose => Scenario::GracefulClose,
            ScenarioKind::SimultaneousClose => Scenario::SimultaneousClose,
            ScenarioKind::ClosedPort => Scenario::ClosedPort,
            ScenarioKind::LostSyn => Scenario::LostSyn { drops: 2 },
            ScenarioKind::LostData => Scenario::LostData,
            ScenarioKind::HalfClose => Scenario::HalfClose,
            ScenarioKind::BacklogFull => Scenario::BacklogFull { backlog: 2, clients: 3 },
            ScenarioKind::SynFlood => Scenario::SynFlood { backlog: 4, syns: 8 },
            ScenarioKind::Udp => Scenario::Udp { datagrams: 8 },
            ScenarioKind::Sticky => Scenario::Sticky(StickyParams::default()),
            ScenarioKind::Readiness => Scenario::Readiness(ReadinessParams::default()),
        }
    }
}

impl Scenario {
    /// Every scenario with its lesson defaults, for listings and tests.
    pub fn catalogue() -> Vec<Scenario> {
        ScenarioKind::ALL.into_iter().map(ScenarioKind::defaults).collect()
    }

    pub fn kind(&self) -> ScenarioKind {
        match self {
            Scenario::Handshake => ScenarioKind::Handshake,
            Scenario::Transfer { .. } => ScenarioKind::Transfer,
            Scenario::GracefulClose => ScenarioKind::GracefulClose,
            Scenario::SimultaneousClose => ScenarioKind::SimultaneousClose,
            Scenario::ClosedPort => ScenarioKind::ClosedPort,
            Scenario::LostSyn { .. } => ScenarioKind::LostSyn,
            Scenario::LostData => ScenarioKind::LostData,
            Scenario::HalfClose => ScenarioKind::HalfClose,
            Scenario::BacklogFull { .. } => ScenarioKind::BacklogFull,
            Scenario::SynFlood { .. } => ScenarioKind::SynFlood,
            Scenario::Udp { .. } => ScenarioKind::Udp,
            Scenario::Sticky(_) => ScenarioKind::Sticky,
            Scenario::Readiness(_) => ScenarioKind::Readiness,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The scenario's numeric parameters, by name: `[("bytes", 65536)]` for a transfer. (The
    /// sticky and readiness scenarios have structured ones instead, and none here.)
    pub fn params(&self) -> Vec<(&'static str, u64)> {
        let n = |v: usize| v as u64;
        match self {
            Scenario::Transfer { bytes } => vec![("bytes", n(*bytes))],
            Scenario::LostSyn { drops } => vec![("drops", n(*drops))],
            Scenario::BacklogFull { backlog, clients } => {
                vec![("backlog", n(*backlog)), ("clients", n(*clients))]
            }
            Scenario::SynFlood { backlog, syns } => {
                vec![("backlog", n(*backlog)), ("syns", n(*syns))]
            }
            Scenario::Udp { datagrams } => vec![("datagrams", n(*datagrams))],
            _ => Vec::new(),
        }
    }

    /// Set numeric parameter `name` (one of [`Scenario::params`]) to `value`.
    pub fn set_param(&mut self, name: &str, value: u64) -> Result<(), String> {
        let value = usize::try_from(value).map_err(|_| format!("{name} = {value} is too large"))?;
        let slot = match (self, name) {
            (Scenario::Transfer { bytes }, "bytes") => bytes,
            (Scenario::LostSyn { drops }, "drops") => drops,
            (
                Scenario::BacklogFull { backlog, .. } | Scenario::SynFlood { backlog, .. },
                "backlog",
            ) => backlog,
            (Scenario::BacklogFull { clients, .. }, "clients") => clients,
            (Scenario::SynFlood { syns, .. }, "syns") => syns,
            (Scenario::Udp { datagrams }, "datagrams") => datagrams,
            (scenario, _) => {
                let known: Vec<&str> = scenario.params().iter().map(|(name, _)| *name).collect();
                return Err(format!(
                    "{} has no parameter '{name}' (it has: {known:?})",
                    scenario.name()
                ));
            }
        };
        *slot = value;
        Ok(())
    }

    /// Build the world with this scenario's sockets, drop rules and script.
    pub fn start(&self, mut config: WorldConfig) -> World {
        match self {
            Scenario::LostSyn { drops } => config.link.drop.push(DropRule {
                from: Some(Side::Client),
                what: Match::Syn,
                nth: 1,
                count: *drops,
            }),
            Scenario::LostData => config.link.drop.push(DropRule::first(Side::Client, Match::Data)),
            Scenario::Udp { .. } if config.link.loss == 0.0 => config.link.loss = 0.25,
            _ => {}
        }
        let mut world = World::new(config);
        if let Scenario::Udp { datagrams } = self {
            udp(&mut world, *datagrams);
            return world;
        }
        let client = world.add_tcp(Side::Client);
        let server = world.add_tcp(Side::Server);
        world.schedule(0, server, Call::Listen { port: SERVER_PORT });
        let port = if matches!(self, Scenario::ClosedPort) { SERVER_PORT + 1 } else { SERVER_PORT };
        if !matches!(self, Scenario::SynFlood { .. }) {
            world.schedule(0, client, Call::Connect { port });
        }
        let read = |bufsize| Call::Read { bufsize, interval_ms: 0 };
        match self {
            Scenario::Handshake
            | Scenario::ClosedPort
            | Scenario::LostSyn { .. }
            | Scenario::Udp { .. } => {}
            Scenario::Transfer { bytes } => {
                let data = (0..*bytes).map(|i| (i % 251) as u8).collect();
                world.schedule(0, client, Call::Write { data });
                world.schedule(0, client, Call::Close);
                world.schedule(0, client, read(4096));
                world.schedule(0, server, read(4096));
                world.schedule(0, server, Call::CloseOnEof);
            }
            Scenario::GracefulClose => {
                world.schedule(0, server, read(1024));
                world.schedule(0, client, read(1024));
                world.schedule(100, client, Call::Close);
                world.schedule(200, server, Call::Close);
            }
            Scenario::SimultaneousClose => {
                world.schedule(100, client, Call::Close);
                world.schedule(100, server, Call::Close);
            }
            Scenario::LostData => {
                world.schedule(0, server, read(1024));
                world.schedule(100, client, Call::Write { data: b"hello, lossy world".to_vec() });
            }
            Scenario::HalfClose => {
                world.schedule(0, server, read(1024));
                world.schedule(0, client, read(1024));
                world.schedule(50, client, Call::Write { data: b"GET /time".to_vec() });
                world.schedule(50, client, Call::Shutdown);
                world.schedule(
                    200,
                    server,
                    Call::Write { data: b"12:00:00 and still talking".to_vec() },
                );
                world.schedule(300, server, Call::Close);
            }
            Scenario::BacklogFull { backlog, clients } => {
                for _ in 1..*backlog {
                    let listener = world.add_tcp(Side::Server);
                    world.schedule(0, listener, Call::Listen { port: SERVER_PORT });
                }
                for n in 1..*clients {
                    let another = world.add_tcp(Side::Client);
                    world.schedule(5 * n as u64, another, Call::Connect { port: SERVER_PORT });
                }
            }
            Scenario::SynFlood { backlog, syns } => {
                // Each listening socket is one half-open slot. Like a server's accept loop, it
                // listens again when its connection is gone, and gives up on a silent peer
                // after 3 s (Linux's equivalent: net.ipv4.tcp_synack_retries).
                let mut listeners = vec![server];
                listeners.extend((1..*backlog).map(|_| world.add_tcp(Side::Server)));
                for &listener in &listeners {
                    if listener != server {
                        world.schedule(0, listener, Call::Listen { port: SERVER_PORT });
                    }
                    world.schedule(0, listener, Call::HalfOpenTimeout { ms: 3_000 });
                    world.schedule(0, listener, Call::Relisten { port: SERVER_PORT });
                }
                world.schedule(
                    0,
                    World::attacker(),
                    Call::ForgeSyns { count: *syns, port: SERVER_PORT },
                );
                world.schedule(100, client, Call::Connect { port: SERVER_PORT });
                // Fewer forged SYNs than slots leave one free: the client gets in at once and
                // has nothing to retry. Otherwise it is refused and tries again after the
                // half-open connections have been given up.
                if *syns >= listeners.len() {
                    world.schedule(8_000, client, Call::Connect { port: SERVER_PORT });
                }
            }
            Scenario::Sticky(params) => params.schedule(&mut world, client, server),
            Scenario::Readiness(params) => params.schedule(&mut world, client, server),
        }
        world
    }
}

fn udp(world: &mut World, datagrams: usize) {
    let client = world.add_udp(Side::Client);
    let server = world.add_udp(Side::Server);
    world.schedule(0, server, Call::UdpBind { port: UDP_PORT });
    world.schedule(0, client, Call::UdpBind { port: 50_000 });
    for n in 0..datagrams {
        let data = format!("datagram {n}").into_bytes();
        world.schedule(20 * n as u64, client, Call::UdpSend { port: UDP_PORT, data });
    }
}
