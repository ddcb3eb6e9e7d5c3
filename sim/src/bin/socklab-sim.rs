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
use sim::sticky::{StickyParams, TimedMessage};
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

#[derive(Subcommand, Debug)]
enum Named {
    Handshake,
    Transfer {
        #[arg(long, default_value_t = 65536)]
        bytes: usize,
    },
    GracefulClose,
    SimultaneousClose,
    ClosedPort,
    LostSyn {
        #[arg(long, default_value_t = 2)]
        drops: usize,
    },
    LostData,
    HalfClose,
    BacklogFull {
        #[arg(long, default_value_t = 2)]
        backlog: usize,
        #[arg(long, default_value_t = 3)]
        clients: usize,
    },
    SynFlood {
        #[arg(long, default_value_t = 4)]
        backlog: usize,
        #[arg(long, default_value_t = 8)]
        syns: usize,
    },
    Udp {
        #[arg(long, default_value_t = 8)]
        datagrams: usize,
    },
    Sticky {
        /// Messages to write, as AT_MS:TEXT (repeatable).
        #[arg(long = "message", value_parser = parse_message)]
        messages: Vec<TimedMessage>,
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        nagle: bool,
        #[arg(long, default_value_t = 1024)]
        recv_bufsize: usize,
        #[arg(long, default_value_t = 0)]
        read_interval_ms: u64,
        #[arg(long, default_value_t = 150)]
        read_start_ms: u64,
    },
}

fn parse_message(text: &str) -> Result<TimedMessage, String> {
    let (at, text) = text.split_once(':').ok_or("expected AT_MS:TEXT, e.g. 100:hello")?;
    let at_ms = at.parse().map_err(|e| format!("{at:?} is not a time in ms: {e}"))?;
    Ok(TimedMessage { at_ms, text: text.to_string() })
}

impl Named {
    fn into_scenario(self) -> Scenario {
        match self {
            Named::Handshake => Scenario::Handshake,
            Named::Transfer { bytes } => Scenario::Transfer { bytes },
            Named::GracefulClose => Scenario::GracefulClose,
            Named::SimultaneousClose => Scenario::SimultaneousClose,
            Named::ClosedPort => Scenario::ClosedPort,
            Named::LostSyn { drops } => Scenario::LostSyn { drops },
            Named::LostData => Scenario::LostData,
            Named::HalfClose => Scenario::HalfClose,
            Named::BacklogFull { backlog, clients } => Scenario::BacklogFull { backlog, clients },
            Named::SynFlood { backlog, syns } => Scenario::SynFlood { backlog, syns },
            Named::Udp { datagrams } => Scenario::Udp { datagrams },
            Named::Sticky { messages, nagle, recv_bufsize, read_interval_ms, read_start_ms } => {
                let defaults = StickyParams::default();
                let messages = if messages.is_empty() { defaults.messages } else { messages };
                Scenario::Sticky(StickyParams {
                    messages,
                    nagle,
                    recv_bufsize,
                    read_interval_ms,
                    read_start_ms,
                })
            }
        }
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
