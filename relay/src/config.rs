//! Command-line flags, each also settable by an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

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

    /// Directory holding the built site (Trunk's output).
    #[arg(long = "site", env = "SOCKLAB_SITE", default_value = "dist")]
    pub site_dir: PathBuf,

    #[command(flatten)]
    pub limits: Limits,
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
}

impl Config {
    /// Every listener on 127.0.0.1 with a free port: for tests.
    pub fn ephemeral(site_dir: impl Into<PathBuf>) -> Config {
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        Config {
            listen: any,
            tcp_echo: any,
            udp_echo: any,
            site_dir: site_dir.into(),
            limits: Limits { max_message: 64 * 1024, max_sessions: 8 },
        }
    }
}
