//! Which host names the relay answers to: the guard against DNS rebinding.
//!
//! A relay on a learner's laptop listens on 127.0.0.1. Any web site can make a name it owns
//! resolve to 127.0.0.1 (*DNS rebinding*): a page loaded from `evil.example` first, then
//! re-resolved, reaches the learner's relay with `Host: evil.example:8080` and
//! `Origin: http://evil.example:8080`. To the browser that is the page's own origin, so the
//! origin check ([`crate::admission`]) cannot tell it apart from the relay's own pages. Only the
//! *name* can: nobody reaches a relay on loopback by a name that is not loopback's.
//!
//! So, as Vite, webpack-dev-server and Jupyter do, a relay whose site listens on loopback
//! answers only requests whose `Host` is `localhost` or a loopback address (`127.0.0.1`, any of
//! 127.0.0.0/8, `[::1]`), with any port, plus the names an operator gives with `--allow-host`.
//! On any other address the same rule applies once `--allow-host` is given; without it a
//! public relay answers any name (behind a proxy, the proxy's `server_name` picks them).
//!
//! IP literals cannot be rebound: a page at `http://127.0.0.1:8080` really is on loopback. A
//! name can, so names are compared exactly: `localhost.` (a fully qualified spelling) and
//! `app.localhost` are refused, since a resolver may send them to DNS.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::{HeaderMap, Uri, header};

/// A host as a request names it (without the port), or as `--allow-host` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Ip(IpAddr),
    /// A DNS name, lowercase.
    Name(String),
}

impl Host {
    /// The `host[:port]` of a `Host` header or an absolute request target (RFC 9110 §7.2):
    /// `None` if it is not one (userinfo, a bad port, an empty or malformed host).
    pub fn from_authority(authority: &str) -> Option<Host> {
        let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
            let (literal, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                after => Some(after.strip_prefix(':')?),
            };
            return parse_port(port).and(literal.parse().ok().map(Host::Ip));
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        // An IPv6 address must be in brackets: `::1` alone is not a host.
        if host.contains(':') {
            return None;
        }
        parse_port(port)?;
        host.parse().ok()
    }

    /// Whether this is loopback: the name `localhost` or an address in 127.0.0.0/8 or ::1
    /// (also written as an IPv4-mapped IPv6 address).
    pub fn is_loopback(&self) -> bool {
        match self {
            Host::Ip(ip) => ip.to_canonical().is_loopback(),
            Host::Name(name) => name == "localhost",
        }
    }
}

/// `None` for a port that is not 1 to 5 digits of a `u16`; no port at all is fine.
fn parse_port(port: Option<&str>) -> Option<()> {
    match port {
        None => Some(()),
        Some(port) if port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) => {
            port.parse::<u16>().ok().map(drop)
        }
        Some(_) => None,
    }
}

/// A bare host: an IPv4 or IPv6 address (brackets optional) or a DNS name — letters, digits,
/// `-` and `.` in labels of at most 63 — compared without regard to case.
impl FromStr for Host {
    type Err = String;

    fn from_str(text: &str) -> Result<Host, String> {
        let literal = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
        if let Ok(ip) = literal.parse() {
            return Ok(Host::Ip(ip));
        }
        let name = text.to_ascii_lowercase();
        let label_ok = |label: &str| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        // A trailing dot is allowed (`localhost.`): it is a different name, not a typo.
        let labels = name.strip_suffix('.').unwrap_or(&name);
        // A name of digits and dots only is a mangled address (`127.1`, `0177.0.0.1`), which
        // a browser would have rewritten as an address before sending it.
        let numeric = labels.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if name.len() <= 253 && !numeric && labels.split('.').all(label_ok) {
            Ok(Host::Name(name))
        } else {
            Err(format!("{text:?} is not a host name or an IP address (no scheme, port or path)"))
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
            Host::Ip(ip) => ip.fmt(f),
            Host::Name(name) => f.write_str(name),
        }
    }
}

/// The names a relay answers to, decided once at start.
#[derive(Debug, Clone)]
pub struct HostRule {
    /// Whether requests are checked at all: the site listens on loopback, or names were given.
    checked: bool,
    /// `--allow-host`, besides loopback.
    allowed: Vec<Host>,
}

/// Why a request's host was not answered: the refusal's own words ([`crate::admission`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unanswered {
    /// No `Host` header, or more than one (RFC 9112 §3.2 requires exactly one).
    NoHost,
    /// A host this relay does not answer to, as the request spelled it.
    Other { host: String, allowed: Vec<String> },
}

impl HostRule {
    pub fn new(site_on_loopback: bool, allowed: Vec<Host>) -> HostRule {
        HostRule { checked: site_on_loopback || !allowed.is_empty(), allowed }
    }

    pub fn is_checked(&self) -> bool {
        self.checked
    }

    /// Loopback's names and the allowed ones, as a refusal lists them.
    pub fn names(&self) -> Vec<String> {
        let loopback = ["localhost", "127.0.0.1", "[::1]"].map(String::from);
        loopback.into_iter().chain(self.allowed.iter().map(Host::to_string)).collect()
    }

    fn allows(&self, host: &Host) -> bool {
        host.is_loopback() || self.allowed.iter().any(|a| a.same_as(host))
    }

    /// Whether a request with these headers and this target is answered. An absolute target
    /// (`GET http://name/ HTTP/1.1`) names a host of its own, which must pass as well as `Host`.
    pub fn check(&self, headers: &HeaderMap, uri: &Uri) -> Result<(), Unanswered> {
        if !self.checked {
            return Ok(());
        }
        let mut hosts = headers.get_all(header::HOST).iter();
        let (Some(host), None) = (hosts.next(), hosts.next()) else {
            return Err(Unanswered::NoHost);
        };
        let named = String::from_utf8_lossy(host.as_bytes());
        let authorities =
            std::iter::once(named.as_ref()).chain(uri.authority().map(|a| a.as_str()));
        for authority in authorities {
            if !Host::from_authority(authority).is_some_and(|h| self.allows(&h)) {
                return Err(Unanswered::Other { host: authority.into(), allowed: self.names() });
            }
        }
        Ok(())
    }
}

impl Host {
    /// The same host, an IPv4-mapped IPv6 address being the IPv4 address it maps.
    fn same_as(&self, other: &Host) -> bool {
        match (self, other) {
            (Host::Ip(a), Host::Ip(b)) => a.to_canonical() == b.to_canonical(),
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for Unanswered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unanswered::NoHost => {
                f.write_str("a request must carry exactly one Host header (RFC 9112, section 3.2)")
            }
            Unanswered::Other { host, allowed } => write!(
                f,
                "this relay answers only to {}, not to {host:?}: a page that reaches a relay on \
                 loopback by another name may be a foreign site (DNS rebinding). Open the course \
                 at http://localhost:PORT/, or name this host with --allow-host",
                allowed.join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(allowed: &[&str]) -> HostRule {
        HostRule::new(true, allowed.iter().map(|a| a.parse().unwrap()).collect())
    }

    fn answered(rule: &HostRule, host: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, host.parse().unwrap());
        rule.check(&headers, &Uri::from_static("/")).is_ok()
    }

    #[test]
    fn loopback_is_answered_by_any_of_its_spellings_and_any_port() {
        let rule = rule(&[]);
        for host in [
            "localhost",
            "localhost:8080",
            "LOCALHOST:8080",
            "127.0.0.1",
            "127.0.0.1:8080",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:8080",
            "[0:0:0:0:0:0:0:1]:8080",
            "[::ffff:127.0.0.1]:8080",
            "[::ffff:7f00:1]:8080",
        ] {
            assert!(answered(&rule, host), "{host}");
        }
    }

    #[test]
    fn names_that_merely_look_like_loopback_are_refused() {
        let rule = rule(&[]);
        for host in [
            "evil.example:8080",
            "attacker.test",
            "127.0.0.1.nip.io:8080",
            "localhost.evil.example:8080",
            "evil.localhost:8080",
            "localhost.:8080",
            "localhost.",
            "127.0.0.1.:8080",
            "2130706433:8080",
            "0x7f000001",
            "0177.0.0.1:8080",
            "127.1:8080",
            "::1",
            "[::1",
            "::ffff:127.0.0.1:8080",
            "[::1]8080",
            "[::1]:",
            "[fe80::1%25lo]:8080",
            "localhost:99999",
            "localhost:8080:8080",
            "localhost:-1",
            "user@localhost:8080",
            "localhost/",
            "",
            ":8080",
            "[::]:8080",
            "0.0.0.0:8080",
            "10.0.0.1:8080",
        ] {
            assert!(!answered(&rule, host), "{host}");
        }
    }

    #[test]
    fn allowed_names_are_answered_exactly_and_without_regard_to_case() {
        let rule = rule(&["socklab.lan", "192.168.1.10", "[fd00::1]"]);
        for host in ["socklab.lan:8080", "SockLab.LAN", "192.168.1.10:80", "[fd00::1]:8080"] {
            assert!(answered(&rule, host), "{host}");
        }
        for host in ["evil.socklab.lan", "socklab.lan.evil.example", "socklab.lan.", "192.168.1.11"]
        {
            assert!(!answered(&rule, host), "{host}");
        }
    }

    #[test]
    fn one_host_header_exactly() {
        let rule = rule(&[]);
        let root = Uri::from_static("/");
        assert_eq!(rule.check(&HeaderMap::new(), &root), Err(Unanswered::NoHost));
        let mut two = HeaderMap::new();
        two.append(header::HOST, "localhost".parse().unwrap());
        two.append(header::HOST, "evil.example".parse().unwrap());
        assert_eq!(rule.check(&two, &root), Err(Unanswered::NoHost));
    }

    #[test]
    fn an_absolute_target_must_name_an_answered_host_too() {
        let rule = rule(&[]);
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "localhost:8080".parse().unwrap());
        let absolute = Uri::from_static("http://evil.example:8080/ws");
        assert!(
            matches!(rule.check(&headers, &absolute), Err(Unanswered::Other { host, .. }) if host == "evil.example:8080")
        );
        assert!(rule.check(&headers, &Uri::from_static("http://127.0.0.1:8080/")).is_ok());
    }

    #[test]
    fn unchecked_unless_on_loopback_or_named() {
        let public = HostRule::new(false, vec![]);
        assert!(!public.is_checked());
        assert!(answered(&public, "course.example.org"));
        assert!(public.check(&HeaderMap::new(), &Uri::from_static("/")).is_ok());
        let named = HostRule::new(false, vec!["course.example.org".parse().unwrap()]);
        assert!(answered(&named, "course.example.org"));
        assert!(answered(&named, "localhost:8080"));
        assert!(!answered(&named, "evil.example"));
    }

    #[test]
    fn the_flag_takes_bare_hosts_only() {
        assert_eq!("SockLab.lan".parse::<Host>(), Ok(Host::Name("socklab.lan".into())));
        assert_eq!("[::1]".parse::<Host>(), Ok(Host::Ip("::1".parse().unwrap())));
        assert_eq!("::1".parse::<Host>(), Ok(Host::Ip("::1".parse().unwrap())));
        for bad in [
            "http://socklab.lan",
            "socklab.lan:8080",
            "socklab.lan/",
            "",
            "a..b",
            "-a.b",
            "a_b",
            "127.1",
            "*.lan",
        ] {
            assert!(bad.parse::<Host>().is_err(), "{bad}");
        }
    }

    #[test]
    fn refusals_say_what_is_answered_and_what_to_do() {
        let rule = rule(&["socklab.lan"]);
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "evil.example:8080".parse().unwrap());
        let refusal = rule.check(&headers, &Uri::from_static("/")).unwrap_err().to_string();
        assert!(refusal.contains("localhost, 127.0.0.1, [::1], socklab.lan"), "{refusal}");
        assert!(refusal.contains("\"evil.example:8080\""), "{refusal}");
        assert!(refusal.contains("--allow-host"), "{refusal}");
        assert!(!refusal.contains('\n'), "{refusal}");
    }
}
