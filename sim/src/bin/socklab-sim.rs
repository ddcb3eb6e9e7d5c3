//! `socklab-sim`: run a named scenario on the real stack and print its trace.
//!
//! ```text
//! socklab-sim <scenario> [--<param> <value>…] [--seed N] [--json] [--pcap FILE]
//! socklab-sim lost-syn --drops 3 --seed 7 --pcap lost-syn.pcap
//! socklab-sim sticky --nagle false --recv-bufsize 4 --json
//! ```

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use sim::link::LinkConfig;
use sim::readiness::LoopKind;
use sim::scenario::ScenarioKind;
use sim::sticky::TimedMessage;
use sim::{Scenario, WorldConfig};

/// Run a SockLab scenario on smoltcp and print its trace.
#[derive(Parser, Debug)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    scenario: Named,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
struct Common {
    /// Seed for every random choice (ISNs, ports, the wire's dice).
    #[arg(long, global = true, default_value_t = 1)]
    seed: u64,
    /// Print the trace as JSON (one array of events) instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Also write the packets to this pcap file (opens in Wireshark).
    #[arg(long, global = true)]
    pcap: Option<PathBuf>,
    /// One-way delay of the wire, ms.
    #[arg(long, global = true, default_value_t = 10)]
    delay_ms: u64,
    /// Extra random delay per packet, up to this many ms.
    #[arg(long, global = true, default_value_t = 0)]
    jitter_ms: u64,
    /// Probability that the wire loses a packet.
    #[arg(long, global = true, default_value_t = 0.0)]
    loss: f64,
    /// Probability that the wire duplicates a packet.
    #[arg(long, global = true, default_value_t = 0.0)]
    duplicate: f64,
    /// Probability that a packet is held back and overtaken.
    #[arg(long, global = true, default_value_t = 0.0)]
    reorder: f64,
    /// Largest IP packet on the wire.
    #[arg(long, global = true, default_value_t = 1500)]
    mtu: usize,
    /// Bandwidth in kbit/s (0: unlimited).
    #[arg(long, global = true, default_value_t = 0)]
    kbit_per_s: u64,
    /// Each socket's receive buffer, bytes.
    #[arg(long, global = true, default_value_t = 8192)]
    rx_buffer: usize,
    /// Each socket's send buffer, bytes.
    #[arg(long, global = true, default_value_t = 8192)]
    tx_buffer: usize,
    /// Stop after this many events.
    #[arg(long, global = true, default_value_t = 100_000)]
    max_events: usize,
}

/// The scenarios, each parameter optional: what is not given comes from the scenario's
/// defaults (`ScenarioKind::defaults`), the same ones the labs and the tests use.
#[derive(Subcommand, Debug)]
enum Named {
    Handshake,
    Transfer {
        #[arg(long)]
        bytes: Option<usize>,
    },
    GracefulClose,
    SimultaneousClose,
    ClosedPort,
    LostSyn {
        #[arg(long)]
        drops: Option<usize>,
    },
    LostData,
    HalfClose,
    BacklogFull {
        #[arg(long)]
        backlog: Option<usize>,
        #[arg(long)]
        clients: Option<usize>,
    },
    SynFlood {
        #[arg(long)]
        backlog: Option<usize>,
        #[arg(long)]
        syns: Option<usize>,
    },
    Udp {
        #[arg(long)]
        datagrams: Option<usize>,
    },
    Sticky {
        /// Messages to write, as AT_MS:TEXT (repeatable).
        #[arg(long = "message", value_parser = parse_message)]
        messages: Vec<TimedMessage>,
        #[arg(long, action = clap::ArgAction::Set)]
        nagle: Option<bool>,
        #[arg(long)]
        recv_bufsize: Option<usize>,
        #[arg(long)]
        read_interval_ms: Option<u64>,
        #[arg(long)]
        read_start_ms: Option<u64>,
    },
    Readiness {
        /// How the server waits: blocking, select, epoll-level, epoll-edge.
        #[arg(long, value_parser = parse_loop)]
        server: Option<LoopKind>,
        /// The server's recv() size.
        #[arg(long)]
        bufsize: Option<usize>,
        /// Read each ready socket until it is empty.
        #[arg(long, action = clap::ArgAction::Set)]
        drain: Option<bool>,
    },
}

fn parse_message(text: &str) -> Result<TimedMessage, String> {
    let (at, text) = text.split_once(':').ok_or("expected AT_MS:TEXT, e.g. 100:hello")?;
    let at_ms = at.parse().map_err(|e| format!("{at:?} is not a time in ms: {e}"))?;
    Ok(TimedMessage::text(at_ms, text))
}

/// `epoll-edge` (the CLI's spelling of `epoll_edge`).
fn parse_loop(name: &str) -> Result<LoopKind, String> {
    LoopKind::from_name(&name.replace('-', "_")).ok_or_else(|| {
        let names: Vec<String> = LoopKind::ALL.iter().map(|k| k.name().replace('_', "-")).collect();
        format!("one of {}", names.join(", "))
    })
}

/// Set `target` to `value` if one was given.
fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *target = value;
    }
}

impl Named {
    fn kind(&self) -> ScenarioKind {
        match self {
            Named::Handshake => ScenarioKind::Handshake,
            Named::Transfer { .. } => ScenarioKind::Transfer,
            Named::GracefulClose => ScenarioKind::GracefulClose,
            Named::SimultaneousClose => ScenarioKind::SimultaneousClose,
            Named::ClosedPort => ScenarioKind::ClosedPort,
            Named::LostSyn { .. } => ScenarioKind::LostSyn,
            Named::LostData => ScenarioKind::LostData,
            Named::HalfClose => ScenarioKind::HalfClose,
            Named::BacklogFull { .. } => ScenarioKind::BacklogFull,
            Named::SynFlood { .. } => ScenarioKind::SynFlood,
            Named::Udp { .. } => ScenarioKind::Udp,
            Named::Sticky { .. } => ScenarioKind::Sticky,
            Named::Readiness { .. } => ScenarioKind::Readiness,
        }
    }

    /// The scenario's defaults with the given parameters in place.
    fn into_scenario(self) -> Scenario {
        let mut scenario = self.kind().defaults();
        match (&mut scenario, self) {
            (Scenario::Transfer { bytes }, Named::Transfer { bytes: b }) => set(bytes, b),
            (Scenario::LostSyn { drops }, Named::LostSyn { drops: d }) => set(drops, d),
            (
                Scenario::BacklogFull { backlog, clients },
                Named::BacklogFull { backlog: b, clients: c },
            ) => {
                set(backlog, b);
                set(clients, c);
            }
            (Scenario::SynFlood { backlog, syns }, Named::SynFlood { backlog: b, syns: n }) => {
                set(backlog, b);
                set(syns, n);
            }
            (Scenario::Udp { datagrams }, Named::Udp { datagrams: d }) => set(datagrams, d),
            (
                Scenario::Sticky(params),
                Named::Sticky { messages, nagle, recv_bufsize, read_interval_ms, read_start_ms },
            ) => {
                if !messages.is_empty() {
                    params.messages = messages;
                }
                set(&mut params.nagle, nagle);
                set(&mut params.recv_bufsize, recv_bufsize);
                set(&mut params.read_interval_ms, read_interval_ms);
                set(&mut params.read_start_ms, read_start_ms);
            }
            (Scenario::Readiness(params), Named::Readiness { server, bufsize, drain }) => {
                set(&mut params.server, server);
                set(&mut params.bufsize, bufsize);
                set(&mut params.drain, drain);
            }
            // Scenarios without parameters.
            _ => {}
        }
        scenario
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Cli { scenario, common: c } = Cli::parse();
    let link = LinkConfig {
        delay_ms: c.delay_ms,
        jitter_ms: c.jitter_ms,
        loss: c.loss,
        duplicate: c.duplicate,
        reorder: c.reorder,
        mtu: c.mtu,
        kbit_per_s: c.kbit_per_s,
        drop: Vec::new(),
    };
    let config = WorldConfig { seed: c.seed, link, tx_buffer: c.tx_buffer, rx_buffer: c.rx_buffer };
    let mut world = scenario.into_scenario().start(config);
    let finished = world.run(c.max_events);
    let trace = world.into_trace();
    if c.json {
        println!("{}", serde_json::to_string_pretty(&trace)?);
    } else {
        for event in &trace {
            println!("{event}");
        }
        if !finished {
            println!("… stopped after {} events (--max-events)", trace.len());
        }
    }
    if let Some(path) = c.pcap {
        std::fs::write(&path, sim::pcap::to_pcap(&trace))?;
        eprintln!(
            "wrote {} ({} packets)",
            path.display(),
            trace.iter().filter(|e| e.segment().is_some()).count()
        );
    }
    Ok(())
}
