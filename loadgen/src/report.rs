//! Markdown tables on stdout, ready to paste into docs/BENCHMARKS.md.

use crate::children::Cores;
use crate::cli::{LOADGEN_CORE, ThroughputArgs};
use crate::memory::Measured;
use crate::soak::Soaked;
use crate::throughput::{Results, Row};

/// Resident bytes per session the relay should stay within (WebSocket share + upstream TCP).
const SESSION_BUDGET: u64 = 30_000;

pub fn throughput(
    args: &ThroughputArgs,
    cores: Cores,
    relay: &str,
    websockify: &str,
    results: &Results,
) {
    println!(
        "### {} clients × {} B, closed loop, {:?} warm-up + {:?} measured per target\n",
        args.clients, args.bytes, args.warmup, args.measure
    );
    println!("- relay: `{relay}`");
    println!("- websockify: `{websockify}`");
    match cores {
        Cores::Any => {
            println!("- cores on this machine: {}, shared by all\n", machine_cores())
        }
        Cores::Only(core) => println!(
            "- pinned (`--pin`): relay and websockify on core {core}, the load generator on \
             core {LOADGEN_CORE}\n"
        ),
    }
    println!(
        "| target | round trips/s | p50 µs | p99 µs | round trips | mismatches | CPU loadgen | \
         CPU relay | CPU websockify | server CPU µs per round trip |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in [&results.direct, &results.relay, &results.websockify] {
        let latency = &row.tally.latency_us;
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {} | {:.1} |",
            row.target,
            thousands(row.per_second().round() as u64),
            thousands(latency.value_at_quantile(0.50)),
            thousands(latency.value_at_quantile(0.99)),
            thousands(row.tally.round_trips),
            row.tally.mismatches,
            row.cpu.loadgen,
            row.cpu.relay,
            row.cpu.websockify.map_or("—".into(), |cores| format!("{cores:.2}")),
            row.server_us_per_round_trip(),
        );
    }
    println!(
        "\nCPU columns: cores busy during the measured window. The relay process also hosts \
         the tcp-echo server, so it works in every row; websockify counts its forked \
         per-connection children. Server CPU per round trip: the relay process (echo \
         server included) plus websockify where it is in the path, per round trip.\n"
    );

    let p99 = |row: &Row| row.tally.latency_us.value_at_quantile(0.99) as f64;
    let ratios = [
        Ratio {
            name: "relay / websockify throughput",
            value: results.relay.per_second() / results.websockify.per_second(),
            goal: Goal::AtLeast(5.0),
        },
        Ratio {
            name: "relay p99 / websockify p99",
            value: p99(&results.relay) / p99(&results.websockify),
            goal: Goal::AtMost(0.3),
        },
        Ratio {
            name: "relay / direct throughput",
            value: results.relay.per_second() / results.direct.per_second(),
            goal: Goal::AtLeast(0.5),
        },
        Ratio {
            name: "server CPU per round trip, relay / direct",
            value: results.relay.server_us_per_round_trip()
                / results.direct.server_us_per_round_trip(),
            goal: Goal::AtMost(2.0),
        },
        Ratio {
            name: "server CPU per round trip, websockify / relay",
            value: results.websockify.server_us_per_round_trip()
                / results.relay.server_us_per_round_trip(),
            goal: Goal::AtLeast(8.0),
        },
    ];
    println!("| ratio | value | target | met |");
    println!("|---|---:|---:|---|");
    for ratio in ratios {
        let (target, met) = match ratio.goal {
            Goal::AtLeast(goal) => (format!("≥ {goal}"), ratio.value >= goal),
            Goal::AtMost(goal) => (format!("≤ {goal}"), ratio.value <= goal),
        };
        let met = if met { "yes" } else { "**no**" };
        println!("| {} | {:.2} | {target} | {met} |", ratio.name, ratio.value);
    }
}

pub fn memory(relay: &str, m: &Measured) {
    println!(
        "### Relay memory: {} tcp-echo sessions on {} WebSockets ({} per WebSocket)\n",
        thousands(m.sessions.into()),
        thousands(m.websockets.into()),
        m.per_ws
    );
    println!("- relay: `{relay}`");
    println!(
        "- open-file limit: {} (was {})",
        thousands(m.open_files.now),
        thousands(m.open_files.was)
    );
    if let Some(why) = &m.shortfall {
        println!("- **fewer sessions than asked**: {why}");
    }
    let open_secs = m.rss.open_time.as_secs_f64();
    println!(
        "- opening took {open_secs:.1} s ({} sessions/s)\n",
        thousands((f64::from(m.sessions) / open_secs).round() as u64)
    );
    let per_session = |rss: u64| rss.saturating_sub(m.rss.start) / u64::from(m.sessions);
    println!("| relay VmRSS | MiB | per session |");
    println!("|---|---:|---:|");
    println!("| at start | {:.1} | — |", mib(m.rss.start));
    println!(
        "| every session opened, idle | {:.1} | {} B |",
        mib(m.rss.opened),
        thousands(per_session(m.rss.opened))
    );
    println!(
        "| after one {}-byte echo on each | {:.1} | {} B |",
        m.bytes,
        mib(m.rss.echoed),
        thousands(per_session(m.rss.echoed))
    );
    let worst = per_session(m.rss.opened).max(per_session(m.rss.echoed));
    let met = if worst <= SESSION_BUDGET { "met" } else { "**missed**" };
    println!(
        "\nTarget ≤ {} B per session (WebSocket share, upstream TCP and the in-process echo \
         server's side): {met}.",
        thousands(SESSION_BUDGET)
    );
}

#[derive(Debug)]
struct Ratio {
    name: &'static str,
    value: f64,
    goal: Goal,
}

#[derive(Debug)]
enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

/// Cores available to this process, as the reader of a table needs to know.
/// `bytes` in MiB.
fn mib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}

fn machine_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// 1234567 → "1,234,567": tables of large numbers are read by eye.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

pub fn soak(relay: &str, soaked: &Soaked) {
    let totals = &soaked.totals;
    println!(
        "### Soak: {} WebSocket clients × {} s, messages of 0–{} random bytes\n",
        soaked.clients,
        soaked.secs,
        thousands(soaked.max_bytes as u64)
    );
    println!("- relay: `{relay}`");
    println!("- cores on this machine: {}\n", machine_cores());
    println!(
        "| round trips | of them batches | MiB sent | MiB echoed | sessions opened | mismatched | lost |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {:.1} | {:.1} | {} | {} | {} |\n",
        thousands(totals.round_trips),
        thousands(totals.batches),
        mib(totals.bytes_sent),
        mib(totals.bytes_echoed),
        thousands(totals.sessions),
        totals.mismatches,
        totals.lost
    );
    println!(
        "| relay process | at start | after the warm-up (baseline) | peak | after they left |"
    );
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| resident memory (MiB) | {:.1} | {:.1} | {:.1} | {:.1} |",
        mib(soaked.cold_rss),
        mib(soaked.rss.baseline),
        mib(soaked.rss.peak),
        mib(soaked.rss.after)
    );
    println!(
        "| open descriptors | | {} | {} | {} |\n",
        soaked.fds.baseline, soaked.fds.peak, soaked.fds.after
    );
    println!(
        "SIGTERM under load: {} of {} clients got close code 1001; the relay exited in {} ms.\n",
        soaked.going_away,
        soaked.shutdown_clients,
        soaked.exit_after.as_millis()
    );
    if soaked.failures.is_empty() {
        println!("Nothing lost, nothing leaked.");
    } else {
        println!("**Failed:**\n");
        for failure in &soaked.failures {
            println!("- {failure}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
