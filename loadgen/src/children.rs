//! The processes under test: the release relay and websockify, started here on 127.0.0.1,
//! watched, and stopped here.
//!
//! Both are killed if the load generator fails half-way (`kill_on_drop`; websockify's
//! per-connection children end with their connections), so a failed run leaves nothing
//! listening. Their output is drained into a short tail — a child blocked on a
//! full stderr pipe would stall the benchmark — and the tail is shown when something fails.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use rustix::process::{Pid, Signal, kill_process};
use tokio::io::{AsyncBufReadExt as _, AsyncRead, BufReader};
use tokio::process::{Child, Command};

use crate::procfs;

/// How long a child may take to come up, or to exit after SIGTERM, before we give up on it.
const START_TIMEOUT: Duration = Duration::from_secs(10);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Lines of a child's output kept for error messages.
const TAIL_LINES: usize = 20;

/// Flags of newer relays, passed only if the relay binary has them (`--help`), so the load
/// generator works with relays from before and after each was added: limits that would cut a
/// benchmark short, lifted, and extra listeners, moved to a free loopback port so that two
/// relays on one machine do not collide.
const OPTIONAL_FLAGS: [(&str, &str); 7] = [
    ("--max-ws-per-ip", "1000000"),
    ("--ws-msgs-per-sec", "1000000"),
    ("--session-bytes", "1000000000000"),
    ("--ws-idle-secs", "3600"),
    ("--session-idle-secs", "3600"),
    ("--tcp-idle-secs", "3600"),
    ("--http-demo", "127.0.0.1:0"),
];

/// A running child process and the tail of what it printed.
#[derive(Debug)]
pub struct Process {
    name: &'static str,
    child: Child,
    tail: Tail,
}

impl Process {
    pub fn pid(&self) -> anyhow::Result<u32> {
        self.child.id().ok_or_else(|| anyhow!("{} has already exited", self.name))
    }

    /// The last lines the process printed, labelled, for error messages.
    pub fn last_output(&self) -> String {
        let kept = self.tail.0.lock().expect("no panics while holding the tail lock");
        if kept.is_empty() {
            return format!("({} printed nothing)", self.name);
        }
        let lines: Vec<&str> = kept.iter().map(|line| line.as_str()).collect();
        format!("{}'s last output:\n  {}", self.name, lines.join("\n  "))
    }

    /// Ask the process to stop (SIGTERM, so the relay closes its WebSockets and websockify
    /// stops its per-connection children). If it has not exited in time, kill it and every
    /// process it forked, so that nothing is left behind, and say so.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.pid()?;
        signal(pid, Signal::TERM).with_context(|| format!("sending SIGTERM to {}", self.name))?;
        match tokio::time::timeout(STOP_TIMEOUT, self.child.wait()).await {
            Ok(status) => {
                let status = status.with_context(|| format!("waiting for {}", self.name))?;
                // SIGTERM is the exit we asked for; anything else means it was unwell.
                if !status.success() && status.code().is_some() {
                    bail!(
                        "{} exited with {status} when stopped\n{}",
                        self.name,
                        self.last_output()
                    );
                }
                Ok(())
            }
            Err(_) => {
                for descendant in procfs::descendants(pid) {
                    // It may have exited meanwhile, which is what we want anyway.
                    let _ = signal(descendant, Signal::KILL);
                }
                self.child.kill().await.with_context(|| format!("killing {}", self.name))?;
                bail!(
                    "{} did not exit within {STOP_TIMEOUT:?} of SIGTERM; killed it and its \
                     children",
                    self.name
                )
            }
        }
    }
}

fn signal(pid: u32, signal: Signal) -> anyhow::Result<()> {
    let pid =
        i32::try_from(pid).ok().and_then(Pid::from_raw).ok_or_else(|| anyhow!("pid {pid}"))?;
    Ok(kill_process(pid, signal)?)
}

/// The relay under test and the addresses it reported.
#[derive(Debug)]
pub struct Relay {
    pub process: Process,
    pub site: SocketAddr,
    pub tcp_echo: SocketAddr,
    /// The command line, for the report: how to reproduce this relay.
    pub command: String,
}

/// Where the servers under test may run: anywhere, or on one core only (`--pin`).
#[derive(Debug, Clone, Copy)]
pub enum Cores {
    Any,
    Only(usize),
}

impl Cores {
    /// A command that runs `bin` on these cores (util-linux's `taskset`, which execs `bin` in
    /// the same process, so its pid and /proc times are `bin`'s).
    fn command(self, bin: &Path) -> Command {
        match self {
            Cores::Any => Command::new(bin),
            Cores::Only(core) => {
                let mut command = Command::new("taskset");
                command.arg("--cpu-list").arg(core.to_string()).arg(bin);
                command
            }
        }
    }
}

/// Start `bin` with every listener on a free 127.0.0.1 port (and `extra` flags) and wait for
/// its "running" line.
pub async fn start_relay(
    bin: &Path,
    cores: Cores,
    max_sessions: u32,
    extra: &[&str],
) -> anyhow::Result<Relay> {
    if !bin.is_file() {
        bail!(
            "no relay binary at {}: build it with `cargo build -p relay --release --bin \
             socklab-relay` or pass --relay-bin",
            bin.display()
        );
    }
    let help = relay_help(bin).await?;
    let mut args: Vec<String> = [
        "--site",
        "dist",
        "--listen",
        "127.0.0.1:0",
        "--tcp-echo",
        "127.0.0.1:0",
        "--udp-echo",
        "127.0.0.1:0",
        "--max-sessions",
    ]
    .map(String::from)
    .into();
    args.push(max_sessions.to_string());
    for (flag, value) in OPTIONAL_FLAGS {
        if help.split_whitespace().any(|word| word == flag) {
            args.extend([flag.to_string(), value.to_string()]);
        }
    }
    args.extend(extra.iter().map(|arg| arg.to_string()));
    let command = format!("{} {}", bin.display(), args.join(" "));

    let mut child = cores
        .command(bin)
        .args(&args)
        // Warnings only: an info line per WebSocket would be thousands of lines to drain.
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let tail = Tail::default();
    tail.drain(child.stderr.take().expect("stderr is piped"));
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let process = Process { name: "the relay", child, tail };

    let listening = async {
        while let Some(line) = stdout.next_line().await? {
            if let Some(found) = parse_listening(&line) {
                return found.map(Some);
            }
            // A relay from before the JSON line printed only the sentence.
            if line.starts_with("SockLab is running at") {
                return parse_running_line(&line).map(Some);
            }
        }
        Ok(None)
    };
    let (site, tcp_echo) = match tokio::time::timeout(START_TIMEOUT, listening).await {
        Ok(Ok(Some(addrs))) => addrs,
        Ok(Ok(None)) => bail!("the relay exited before it was running\n{}", process.last_output()),
        Ok(Err(err)) => bail!("reading the relay's startup line: {err:#}"),
        Err(_) => {
            bail!("the relay was not running within {START_TIMEOUT:?}\n{}", process.last_output())
        }
    };
    process.tail.drain(stdout.into_inner());
    Ok(Relay { process, site, tcp_echo, command })
}

/// `{"event":"listening","site":"http://127.0.0.1:P","tcp_echo":"127.0.0.1:Q",…}` → the site
/// and tcp-echo addresses, which must be loopback: we send load to nothing else. `None` if the
/// line is not a startup event at all.
fn parse_listening(line: &str) -> Option<anyhow::Result<(SocketAddr, SocketAddr)>> {
    let event = serde_json::from_str::<wire::StartupEvent>(line).ok()?;
    let wire::StartupEvent::Listening { site, tcp_echo, .. } = event;
    Some((|| {
        let site: SocketAddr = site
            .strip_prefix("http://")
            .ok_or_else(|| anyhow!("site {site:?} is not http://"))?
            .parse()
            .context("the site address")?;
        for addr in [site, tcp_echo] {
            if addr.ip() != Ipv4Addr::LOCALHOST {
                bail!("{addr} is not 127.0.0.1");
            }
        }
        Ok((site, tcp_echo))
    })())
}

async fn relay_help(bin: &Path) -> anyhow::Result<String> {
    let output = tokio::time::timeout(START_TIMEOUT, Command::new(bin).arg("--help").output())
        .await
        .map_err(|_| anyhow!("{} --help did not finish within {START_TIMEOUT:?}", bin.display()))?
        .with_context(|| format!("running {} --help", bin.display()))?;
    if !output.status.success() {
        bail!("{} --help failed: {}", bin.display(), String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The sentence relays printed before they had a JSON startup line, kept so that a relay
/// from before can still be measured (a "before" row in docs/BENCHMARKS.md):
/// `SockLab is running at http://127.0.0.1:P (tcp-echo 127.0.0.1:Q, udp-echo 127.0.0.1:R)`.
fn parse_running_line(line: &str) -> anyhow::Result<(SocketAddr, SocketAddr)> {
    let after = |marker: &str| -> anyhow::Result<SocketAddr> {
        let rest = line.split_once(marker).ok_or_else(|| anyhow!("no {marker:?}"))?.1;
        let end = rest.find([' ', ',', ')']).unwrap_or(rest.len());
        let addr: SocketAddr = rest[..end].parse().with_context(|| format!("after {marker:?}"))?;
        if addr.ip() != Ipv4Addr::LOCALHOST {
            bail!("{addr} is not 127.0.0.1");
        }
        Ok(addr)
    };
    Ok((after("http://")?, after("(tcp-echo ")?))
}

/// websockify bridging a fresh 127.0.0.1 port to `target`.
#[derive(Debug)]
pub struct Websockify {
    pub process: Process,
    pub addr: SocketAddr,
    /// The command line, for the report.
    pub command: String,
}

/// Start websockify in inetd mode: we bind the listening socket and hand it over as stdin,
/// so there is no window in which the port is free and no need to poll until it listens.
pub fn start_websockify(
    bin: &Path,
    cores: Cores,
    target: SocketAddr,
) -> anyhow::Result<Websockify> {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .context("binding a port for websockify")?;
    let addr = listener.local_addr()?;
    let mut child = cores
        .command(bin)
        .arg("--inetd")
        .arg(target.to_string())
        .stdin(Stdio::from(OwnedFd::from(listener)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {} (apt-get install websockify)", bin.display()))?;
    let tail = Tail::default();
    tail.drain(child.stdout.take().expect("stdout is piped"));
    tail.drain(child.stderr.take().expect("stderr is piped"));
    let command = format!("{} --inetd {target}", bin.display());
    Ok(Websockify { process: Process { name: "websockify", child, tail }, addr, command })
}

/// Append a child's last output to an error: why a target failed is often only in its log.
pub fn with_output<T>(result: anyhow::Result<T>, output: String) -> anyhow::Result<T> {
    result.map_err(|err| anyhow!("{err:#}\n{output}"))
}

/// The last [`TAIL_LINES`] lines of a child's output, filled by background drain tasks.
#[derive(Debug, Clone, Default)]
struct Tail(Arc<Mutex<VecDeque<String>>>);

impl Tail {
    fn drain(&self, output: impl AsyncRead + Unpin + Send + 'static) {
        let tail = self.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(output).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let mut kept = tail.0.lock().expect("no panics while holding the tail lock");
                if kept.len() == TAIL_LINES {
                    kept.pop_front();
                }
                kept.push_back(line);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_line_yields_loopback_addresses() {
        let line = "SockLab is running at http://127.0.0.1:41000 (tcp-echo 127.0.0.1:41001, \
                    udp-echo 127.0.0.1:41002)";
        let (site, echo) = parse_running_line(line).unwrap();
        assert_eq!((site.port(), echo.port()), (41000, 41001));
    }

    #[test]
    fn the_listening_event_yields_loopback_addresses() {
        let line = r#"{"event":"listening","site":"http://127.0.0.1:41000","tcp_echo":"127.0.0.1:41001","udp_echo":"127.0.0.1:41002","http_demo":"127.0.0.1:41003"}"#;
        let (site, echo) = parse_listening(line).unwrap().unwrap();
        assert_eq!((site.port(), echo.port()), (41000, 41001));
        let public = line.replace("http://127.0.0.1", "http://0.0.0.0");
        assert!(parse_listening(&public).unwrap().is_err());
        assert!(parse_listening("SockLab is running at http://127.0.0.1:41000").is_none());
    }

    #[test]
    fn a_relay_listening_beyond_loopback_is_refused() {
        let line = "SockLab is running at http://0.0.0.0:41000 (tcp-echo 127.0.0.1:41001, \
                    udp-echo 127.0.0.1:41002)";
        assert!(parse_running_line(line).is_err());
    }
}
