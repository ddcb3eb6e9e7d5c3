//! Command-line flags, each also settable by an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use ipnet::IpNet;

use crate::hosts::Host;

/// SockLab relay: serves the course site and relays the page's sockets to real echo servers.
#[derive(clap::Parser, Debug, Clone)]
#[command(version)]
pub struct Config {
    /// Address for the site, /healthz and the WebSocket.
    #[arg(long, env = "SOCKLAB_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Address of the TCP echo endpoint (the chapters' examples use port 7007).
    #[arg(long, env = "SOCKLAB_TCP_ECHO", default_value = "127.0.0.1:7007")]
    pub tcp_echo: SocketAddr,

    /// Address of the UDP echo endpoint.
    #[arg(long, env = "SOCKLAB_UDP_ECHO", default_value = "127.0.0.1:7007")]
    pub udp_echo: SocketAddr,

    /// Address of the HTTP demo server for the raw-HTTP lab.
    #[arg(long, env = "SOCKLAB_HTTP_DEMO", default_value = "127.0.0.1:7080")]
    pub http_demo: SocketAddr,

    /// Directory holding the built site (Trunk's output).
    #[arg(long = "site", env = "SOCKLAB_SITE", default_value = "dist")]
    pub site_dir: PathBuf,

    #[command(flatten)]
    pub limits: Limits,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TapMode {
    Auto,
    On,
    Off,
}

/// Bounds on what one client may use.
#[derive(clap::Args, Debug, Clone)]
pub struct Limits {
    /// Largest WebSocket message accepted from a page, in bytes.
    #[arg(long, env = "SOCKLAB_MAX_MESSAGE", default_value_t = 64 * 1024)]
    pub max_message: usize,

    /// Most sessions one WebSocket may have open at once.
    #[arg(long, env = "SOCKLAB_MAX_SESSIONS", default_value_t = 8)]
    pub max_sessions: usize,

    /// Most WebSockets one client IP address may have open at once.
    #[arg(long, env = "SOCKLAB_MAX_WS_PER_IP", default_value_t = 16)]
    pub max_ws_per_ip: usize,

    /// Close a WebSocket after this many seconds without a message from the page.
    #[arg(long, env = "SOCKLAB_WS_IDLE_SECS", default_value_t = 300)]
    pub ws_idle_secs: u64,

    /// Messages per second one WebSocket may send on average (bursts of twice that).
    #[arg(long, env = "SOCKLAB_WS_MSGS_PER_SEC", default_value_t = 100)]
    pub ws_msgs_per_sec: u32,

    /// Close a session after this many seconds with no traffic either way.
    #[arg(long, env = "SOCKLAB_SESSION_IDLE_SECS", default_value_t = 120)]
    pub session_idle_secs: u64,

    /// Datagrams per second the UDP echo answers for one source address (bursts of twice
    /// that); beyond it, datagrams are dropped, so the relay cannot be used as a reflector.
    #[arg(long, env = "SOCKLAB_UDP_PER_SEC", default_value_t = 50)]
    pub udp_per_sec: u32,

    /// Bytes one session may send in its lifetime.
    #[arg(long, env = "SOCKLAB_SESSION_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub session_bytes: u64,

    /// Close a raw TCP echo connection (e.g. a learner's script) idle for this many seconds.
    #[arg(long, env = "SOCKLAB_TCP_IDLE_SECS", default_value_t = 300)]
    pub tcp_idle_secs: u64,

    /// Seconds an HTTP client of http-demo has to send its request headers (against slow-loris).
    #[arg(long, env = "SOCKLAB_HTTP_HEADER_SECS", default_value_t = 10)]
    pub http_header_secs: u64,

    /// The live tap (watching any client's traffic at the echo endpoints): `auto` turns it on
    /// only when the site and the endpoints are all bound to loopback.
    #[arg(long, env = "SOCKLAB_TAP", value_enum, default_value_t = TapMode::Auto)]
    pub tap: TapMode,

    /// Web origins, besides the relay's own, whose pages may open WebSockets
    /// (e.g. https://course.example.org). Repeatable.
    #[arg(long = "allow-origin", env = "SOCKLAB_ALLOW_ORIGIN", value_delimiter = ',')]
    pub allow_origins: Vec<String>,

    /// Host names (or addresses), besides loopback's, that requests may name in `Host`, e.g.
    /// socklab.lan for a classroom. A relay whose site is on loopback answers only loopback's
    /// names and these; on other addresses this list, once given, applies too. Repeatable.
    #[arg(long = "allow-host", env = "SOCKLAB_ALLOW_HOST", value_delimiter = ',')]
    pub allow_hosts: Vec<Host>,

    /// Reverse proxies (CIDRs, e.g. 10.0.0.0/8) whose `Forwarded` / `X-Forwarded-For` names
    /// the real client, for the per-address limit and the logs. From any other peer those
    /// headers are ignored. Repeatable.
    #[arg(long = "trusted-proxy", env = "SOCKLAB_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for Limits {
    fn default() -> Self {
        use clap::Parser as _;
        Config::parse_from(["socklab-relay"]).limits
    }
}

impl Config {
    /// Every listener on 127.0.0.1 with a free port: for tests.
    pub fn ephemeral(site_dir: impl Into<PathBuf>) -> Config {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        Config {
            listen: any,
            tcp_echo: any,
            udp_echo: any,
            http_demo: any,
            site_dir: site_dir.into(),
            limits: Limits::default(),
        }
    }
}
