//! The client's address behind a reverse proxy.
//!
//! Behind nginx or an ingress, every WebSocket's TCP peer is the proxy, so the per-address
//! limit would count all learners as one. Proxies say who their client was in `Forwarded:
//! for=…` (RFC 7239) or the older `X-Forwarded-For`. Anyone can send those headers, so the relay
//! believes them only when the TCP peer is a proxy the operator named (`--trusted-proxy
//! <CIDR>`), and only as far back as the chain of trusted proxies goes: reading the hops from
//! the right (the one nearest to us), the first address that is not a trusted proxy is the
//! client. Whatever a client wrote further left is never reached, so it cannot choose its own
//! address. A header that cannot be read falls back to the peer's address.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The address the limits and logs should use for a request from `peer`.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(hops) = hops(headers) else {
        return peer; // no header, or one we cannot read: the proxy itself is all we know
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        client = *hop;
        if !is_trusted(hop) {
            break;
        }
    }
    client
}

/// The addresses a request passed through, leftmost (the original client) first: from
/// `Forwarded` if present, else `X-Forwarded-For`. `None` if neither is there or any hop is
/// not an IP address (`unknown`, an obfuscated name, garbage).
fn hops(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let forwarded: Vec<&str> =
        headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()).collect();
    if !forwarded.is_empty() {
        // `for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"`: one element per hop.
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                let for_value = element.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then_some(value)
                })?;
                node(for_value.trim().trim_matches('"'))
            })
            .collect();
    }
    let x_forwarded_for: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    if x_forwarded_for.is_empty() {
        return None;
    }
    x_forwarded_for.iter().flat_map(|value| value.split(',')).map(|hop| node(hop.trim())).collect()
}

/// One hop: `192.0.2.60`, `192.0.2.60:47011`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn node(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| text.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(peer: &str, headers: &[(&'static str, &str)], trusted: &[&str]) -> String {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, value.parse().unwrap());
        }
        let trusted: Vec<IpNet> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        client_address(peer.parse().unwrap(), &map, &trusted).to_string()
    }

    const PROXY: &str = "10.0.0.0/8";

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let forged = [("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9")];
        assert_eq!(client("198.51.100.7", &forged, &[PROXY]), "198.51.100.7");
        assert_eq!(client("10.0.0.2", &forged, &[]), "10.0.0.2");
    }

    #[test]
    fn a_trusted_proxy_is_believed_as_far_as_the_chain_of_trusted_proxies_goes() {
        let xff = |v| [("x-forwarded-for", v)];
        assert_eq!(client("10.0.0.2", &xff("198.51.100.7"), &[PROXY]), "198.51.100.7");
        // The client prepended a forged address; the proxy appended the real one.
        assert_eq!(client("10.0.0.2", &xff("203.0.113.9, 198.51.100.7"), &[PROXY]), "198.51.100.7");
        // Two proxies: the one nearest to us is skipped as trusted.
        assert_eq!(client("10.0.0.2", &xff("198.51.100.7, 10.0.0.3"), &[PROXY]), "198.51.100.7");
        // Every hop trusted: the leftmost one is the best we know.
        assert_eq!(client("10.0.0.2", &xff("10.0.0.5, 10.0.0.3"), &[PROXY]), "10.0.0.5");
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_may_carry_ports_and_ipv6() {
        let headers = [
            ("forwarded", r#"for="[2001:db8::1]:4711";proto=https, For=10.0.0.3"#),
            ("x-forwarded-for", "203.0.113.9"),
        ];
        assert_eq!(client("10.0.0.2", &headers, &[PROXY]), "2001:db8::1");
        assert_eq!(
            client("10.0.0.2", &[("forwarded", "for=198.51.100.7:80")], &[PROXY]),
            "198.51.100.7"
        );
    }

    #[test]
    fn an_unreadable_header_falls_back_to_the_peer() {
        for value in ["unknown", "_hidden", "198.51.100.7, not-an-address", ""] {
            assert_eq!(client("10.0.0.2", &[("x-forwarded-for", value)], &[PROXY]), "10.0.0.2");
        }
        assert_eq!(client("10.0.0.2", &[("forwarded", "for=unknown")], &[PROXY]), "10.0.0.2");
        assert_eq!(client("10.0.0.2", &[("forwarded", "proto=https")], &[PROXY]), "10.0.0.2");
        assert_eq!(client("10.0.0.2", &[], &[PROXY]), "10.0.0.2");
    }
}
