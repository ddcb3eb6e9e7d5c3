//! SockLab's relay: a native server that lets the page touch real sockets.
//!
//! A browser cannot open a TCP connection, so the page asks the relay to do it: it sends
//! typed messages ([`wire::ClientMsg`]) over a WebSocket, the relay performs real `connect`,
//! `write` and `read` calls against its *own* echo listeners, and reports each call back
//! ([`wire::ServerMsg`]) — including exactly how many bytes each `read()` returned, which is
//! the whole point of the sticky-packet lessons.
//!
//! ```text
//!  browser ──HTTP──▶ site      static files built by Trunk (compressed, cached)
//!  browser ──WS────▶ ws ─▶ session ──TCP──▶ echo (tcp-echo listener, also open to learners'
//!                                                  own Python scripts on the same port)
//!  python ──UDP───────────────────────────▶ echo (udp-echo listener)
//! ```
//!
//! Modules, one concern each:
//! - [`config`]: command-line flags and environment variables.
//! - [`site`]: the static site, `/healthz`, caching and compression.
//! - [`echo`]: the RFC 862 TCP and UDP echo listeners.
//! - [`http_demo`]: a small real HTTP/1.1 server for the raw-HTTP lab.
//! - [`hosts`]: which host names the relay answers to (the guard against DNS rebinding).
//! - [`admission`]: who is answered (host) and who may open a WebSocket (subprotocol, origin,
//!   per-address limit).
//! - [`forwarded`]: the client's address behind a trusted reverse proxy.
//! - [`ws`]: one WebSocket connection: parsing, dispatch, shutdown.
//! - [`session`]: one relayed connection: a TCP stream (reader and writer) or a UDP socket.
//! - [`limits`]: per-client-address accounting for the WebSocket limit.
//! - [`metrics`]: `/metrics` in Prometheus' text format.
//! - [`tap`]: the live tap, broadcasting what the echo endpoints do to watching pages.
//! - [`tcp_info`]: the kernel's `TCP_INFO` for a session's socket.
//!
//! Shutdown is cooperative: every task watches one [`CancellationToken`]; on Ctrl-C/SIGTERM it
//! is cancelled, listeners stop accepting, each WebSocket is closed with code 1001 ("going
//! away"), then the echo and HTTP endpoints stop, and [`Relay::serve`] returns once they have
//! all finished.

pub mod admission;
pub mod config;
pub mod echo;
pub mod forwarded;
pub mod hosts;
pub mod http_demo;
pub mod limits;
pub mod metrics;
pub mod session;
pub mod site;
pub mod tap;
pub mod tcp_info;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::serve::ListenerExt as _;
use tokio::net::{TcpListener, UdpSocket};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use config::Config;

/// What every request handler may need, shared read-only.
#[derive(Debug)]
pub struct AppState {
    /// Where the endpoints listen: the only addresses sessions ever connect to.
    pub tcp_echo: SocketAddr,
    pub udp_echo: SocketAddr,
    pub http_demo: SocketAddr,
    pub limits: config::Limits,
    /// The host names requests may name ([`hosts`]).
    pub hosts: hosts::HostRule,
    pub per_ip: limits::PerIp,
    pub tap: tap::Tap,
    pub metrics: Arc<metrics::Metrics>,
    pub shutdown: CancellationToken,
    /// WebSocket tasks, so shutdown can wait for their close frames to go out.
    pub tasks: TaskTracker,
}

/// A relay whose sockets are bound but which is not serving yet.
#[derive(Debug)]
pub struct Relay {
    config: Config,
    site: TcpListener,
    tcp_echo: TcpListener,
    udp_echo: UdpSocket,
    http_demo: TcpListener,
}

/// How long shutdown waits for WebSockets to send their close frames.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

impl Relay {
    /// Bind every listener. Port 0 picks a free port; [`Relay::addrs`] tells which.
    pub async fn bind(config: Config) -> anyhow::Result<Relay> {
        let bind_tcp = |addr: SocketAddr, what: &'static str| async move {
            TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen for {what} on {addr}"))
        };
        let site = bind_tcp(config.listen, "the site").await?;
        let tcp_echo = bind_tcp(config.tcp_echo, "tcp-echo").await?;
        let udp_echo = UdpSocket::bind(config.udp_echo)
            .await
            .with_context(|| format!("cannot bind udp-echo on {}", config.udp_echo))?;
        let http_demo = bind_tcp(config.http_demo, "http-demo").await?;
        Ok(Relay { config, site, tcp_echo, udp_echo, http_demo })
    }

    pub fn addrs(&self) -> Addrs {
        let addr = |r: std::io::Result<SocketAddr>| r.expect("a bound socket has a local address");
        Addrs {
            site: addr(self.site.local_addr()),
            tcp_echo: addr(self.tcp_echo.local_addr()),
            udp_echo: addr(self.udp_echo.local_addr()),
            http_demo: addr(self.http_demo.local_addr()),
        }
    }

    /// Serve until `shutdown` is cancelled, then drain and return.
    pub async fn serve(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let addrs = self.addrs();
        let tasks = TaskTracker::new();
        let limits = &self.config.limits;
        let loopback =
            [addrs.site, addrs.tcp_echo, addrs.udp_echo].iter().all(|a| a.ip().is_loopback());
        let tap = tap::Tap::new(match limits.tap {
            config::TapMode::Auto => loopback,
            config::TapMode::On => true,
            config::TapMode::Off => false,
        });
        let hosts = hosts::HostRule::new(addrs.site.ip().is_loopback(), limits.allow_hosts.clone());
        if hosts.is_checked() {
            tracing::info!(
                names = hosts.names().join(", "),
                "answering only requests for these hosts"
            );
        }
        let state = Arc::new(AppState {
            hosts,
            tcp_echo: addrs.tcp_echo,
            udp_echo: addrs.udp_echo,
            http_demo: addrs.http_demo,
            per_ip: limits::PerIp::new(limits.max_ws_per_ip),
            tap: tap.clone(),
            metrics: Arc::default(),
            limits: limits.clone(),
            shutdown: shutdown.clone(),
            tasks: tasks.clone(),
        });
        // The endpoints stop only once the WebSockets have gone: a page's last word at shutdown
        // is its close frame (1001), not its session's echo server hanging up first.
        let endpoints = TaskTracker::new();
        let endpoints_stop = CancellationToken::new();
        let tcp_idle = Duration::from_secs(limits.tcp_idle_secs);
        let tcp = echo::serve_tcp(self.tcp_echo, tcp_idle, tap.clone(), endpoints_stop.clone());
        endpoints.spawn(tcp);
        let udp = echo::serve_udp(
            self.udp_echo,
            limits.udp_per_sec,
            tap,
            state.metrics.clone(),
            endpoints_stop.clone(),
        );
        endpoints.spawn(udp);
        let header_timeout = Duration::from_secs(limits.http_header_secs);
        endpoints.spawn(http_demo::serve(self.http_demo, header_timeout, endpoints_stop.clone()));
        endpoints.close();

        let app = site::router(&self.config.site_dir, state);
        // Every WebSocket report is a small frame the page is waiting for. With Nagle's
        // algorithm on, a frame written while the previous one is unacknowledged waits for the
        // browser's delayed ACK (~40 ms on Linux): a `read` right behind a `wrote` would arrive
        // 40 ms late. Reports are batched where it helps instead (`ws::write_frames`).
        let site = self.site.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(%err, "cannot set TCP_NODELAY");
            }
        });
        axum::serve(site, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await
            .context("HTTP server failed")?;

        tasks.close();
        // Every WebSocket bounds its own wait for a page that stopped reading
        // (`ws::CLOSE_GRACE`), so one still running here is a bug, not a slow client: say so,
        // and fail — after stopping the endpoints all the same.
        let drained = tokio::time::timeout(DRAIN_TIMEOUT, tasks.wait()).await;
        endpoints_stop.cancel();
        let stopped = tokio::time::timeout(DRAIN_TIMEOUT, endpoints.wait()).await;
        if drained.is_err() {
            anyhow::bail!("{} WebSockets still open {DRAIN_TIMEOUT:?} after shutdown", tasks.len());
        }
        if stopped.is_err() {
            anyhow::bail!("{} endpoints still running after shutdown", endpoints.len());
        }
        Ok(())
    }
}

/// The addresses a relay actually bound.
#[derive(Debug, Clone, Copy)]
pub struct Addrs {
    pub site: SocketAddr,
    pub tcp_echo: SocketAddr,
    pub udp_echo: SocketAddr,
    pub http_demo: SocketAddr,
}

impl Addrs {
    /// The machine-readable startup line ([`wire::StartupEvent`]), printed before the sentence.
    pub fn listening_event(&self) -> String {
        let event = wire::StartupEvent::Listening {
            site: format!("http://{}", self.site),
            tcp_echo: self.tcp_echo,
            udp_echo: self.udp_echo,
            http_demo: self.http_demo,
        };
        serde_json::to_string(&event).expect("addresses always serialise")
    }
}

impl std::fmt::Display for Addrs {
    /// The line a person reads; scripts read [`Addrs::listening_event`] instead.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SockLab is running at http://{} (tcp-echo {}, udp-echo {}, http-demo {})",
            self.site, self.tcp_echo, self.udp_echo, self.http_demo
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listening_event_is_one_line_of_json_with_every_address() {
        let addr = |port| SocketAddr::from(([127, 0, 0, 1], port));
        let addrs = Addrs {
            site: addr(8080),
            tcp_echo: addr(7007),
            udp_echo: addr(7007),
            http_demo: addr(7080),
        };
        assert_eq!(
            addrs.listening_event(),
            r#"{"event":"listening","site":"http://127.0.0.1:8080","tcp_echo":"127.0.0.1:7007","udp_echo":"127.0.0.1:7007","http_demo":"127.0.0.1:7080"}"#
        );
    }
}
