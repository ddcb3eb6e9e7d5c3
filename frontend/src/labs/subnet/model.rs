//! The subnet calculator's arithmetic: an IPv4 address with a prefix or a netmask, taken apart.
//! `ipnet` does the network arithmetic; this module reads the input and names what it finds.

use std::net::Ipv4Addr;

use ipnet::{Ipv4Net, ipv4_mask_to_prefix};

/// The historic address class, from the first octet (RFC 791's classes; obsolete for routing
/// since CIDR, RFC 4632, but still how addresses are talked about).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// 0–127: leading bit 0, 8-bit network number.
    A,
    /// 128–191: leading bits 10, 16-bit network number.
    B,
    /// 192–223: leading bits 110, 24-bit network number.
    C,
    /// 224–239: multicast.
    D,
    /// 240–255: reserved.
    E,
}

/// What kind of address it is, by the IANA special-purpose registry (RFC 6890).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 0.0.0.0/8: "this network" (RFC 1122); 0.0.0.0 itself means "unspecified".
    ThisNetwork,
    /// 127.0.0.0/8 (RFC 1122).
    Loopback,
    /// 10/8, 172.16/12, 192.168/16 (RFC 1918): the block it is in.
    Private(&'static str),
    /// 100.64.0.0/10 (RFC 6598): carrier-grade NAT.
    Shared,
    /// 169.254.0.0/16 (RFC 3927).
    LinkLocal,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737).
    Documentation,
    /// 224.0.0.0/4 (RFC 5771).
    Multicast,
    /// 255.255.255.255 (RFC 919).
    LimitedBroadcast,
    /// 240.0.0.0/4 (RFC 1112).
    Reserved,
    Public,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    pub address: Ipv4Addr,
    pub prefix: u8,
    pub mask: Ipv4Addr,
    /// The inverted mask: the host bits.
    pub wildcard: Ipv4Addr,
    pub network: Ipv4Addr,
    /// The directed broadcast address; a /31 (RFC 3021) and a /32 have none.
    pub broadcast: Option<Ipv4Addr>,
    /// The usable host addresses, first and last.
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
    pub hosts: u64,
    pub class: Class,
    pub kind: Kind,
}

/// Why the input is not an address with a prefix or mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty,
    /// The address part is not four numbers 0–255 separated by dots.
    Address(String),
    /// No prefix or mask given.
    NoPrefix,
    /// A prefix that is not 0–32.
    Prefix(String),
    /// A mask whose 1 bits are not contiguous.
    Mask(String),
}

/// Read `10.1.2.3/8`, `10.1.2.3/255.0.0.0` or `10.1.2.3 255.0.0.0` (spaces around the parts
/// are fine) and take it apart.
pub fn analyse(input: &str) -> Result<Analysis, InputError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(InputError::Empty);
    }
    let (address, rest) = match input.split_once(['/', ' ']) {
        Some((address, rest)) => (address.trim(), rest.trim()),
        None => (input, ""),
    };
    let address: Ipv4Addr =
        address.parse().map_err(|_| InputError::Address(address.to_string()))?;
    let prefix = if rest.is_empty() {
        return Err(InputError::NoPrefix);
    } else if rest.contains('.') {
        let mask: Ipv4Addr = rest.parse().map_err(|_| InputError::Mask(rest.to_string()))?;
        ipv4_mask_to_prefix(mask).map_err(|_| InputError::Mask(rest.to_string()))?
    } else {
        rest.parse::<u8>()
            .ok()
            .filter(|p| *p <= 32)
            .ok_or_else(|| InputError::Prefix(rest.to_string()))?
    };
    let net = Ipv4Net::new(address, prefix).map_err(|_| InputError::Prefix(rest.to_string()))?;
    // Counted, not iterated: a /0 has four billion.
    let (first, last) = match prefix {
        32 => (address, address),
        31 => (net.network(), net.broadcast()),
        _ => (offset(net.network(), 1), offset(net.broadcast(), -1)),
    };
    Ok(Analysis {
        address,
        prefix,
        mask: net.netmask(),
        wildcard: net.hostmask(),
        network: net.network(),
        broadcast: (prefix < 31).then(|| net.broadcast()),
        first,
        last,
        hosts: u64::from(u32::from(last) - u32::from(first)) + 1,
        class: class(address),
        kind: kind(address),
    })
}

fn offset(address: Ipv4Addr, by: i64) -> Ipv4Addr {
    Ipv4Addr::from((i64::from(u32::from(address)) + by) as u32)
}

pub fn class(address: Ipv4Addr) -> Class {
    match address.octets()[0] {
        0..=127 => Class::A,
        128..=191 => Class::B,
        192..=223 => Class::C,
        224..=239 => Class::D,
        240..=255 => Class::E,
    }
}

pub fn kind(address: Ipv4Addr) -> Kind {
    let [a, b, c, _] = address.octets();
    match (a, b, c) {
        _ if address.is_broadcast() => Kind::LimitedBroadcast,
        (0, _, _) => Kind::ThisNetwork,
        (127, _, _) => Kind::Loopback,
        (10, _, _) => Kind::Private("10.0.0.0/8"),
        (172, 16..=31, _) => Kind::Private("172.16.0.0/12"),
        (192, 168, _) => Kind::Private("192.168.0.0/16"),
        (100, 64..=127, _) => Kind::Shared,
        (169, 254, _) => Kind::LinkLocal,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Kind::Documentation,
        (224..=239, _, _) => Kind::Multicast,
        (240..=255, _, _) => Kind::Reserved,
        _ => Kind::Public,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_broadcasts_and_host_counts() {
        // input, network, broadcast, first, last, hosts
        type Case<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, &'a str, u64);
        let cases: [Case; 8] = [
            (
                "192.168.1.10/24",
                "192.168.1.0",
                Some("192.168.1.255"),
                "192.168.1.1",
                "192.168.1.254",
                254,
            ),
            (
                "192.168.1.10 255.255.255.0",
                "192.168.1.0",
                Some("192.168.1.255"),
                "192.168.1.1",
                "192.168.1.254",
                254,
            ),
            (
                "10.20.30.40/255.0.0.0",
                "10.0.0.0",
                Some("10.255.255.255"),
                "10.0.0.1",
                "10.255.255.254",
                16_777_214,
            ),
            (
                "172.16.5.4/20",
                "172.16.0.0",
                Some("172.16.15.255"),
                "172.16.0.1",
                "172.16.15.254",
                4094,
            ),
            (
                "203.0.113.77/30",
                "203.0.113.76",
                Some("203.0.113.79"),
                "203.0.113.77",
                "203.0.113.78",
                2,
            ),
            // RFC 3021: a /31 is a point-to-point link, both addresses usable, no broadcast.
            ("10.0.0.1/31", "10.0.0.0", None, "10.0.0.0", "10.0.0.1", 2),
            ("8.8.8.8/32", "8.8.8.8", None, "8.8.8.8", "8.8.8.8", 1),
            (
                "1.2.3.4/0",
                "0.0.0.0",
                Some("255.255.255.255"),
                "0.0.0.1",
                "255.255.255.254",
                4_294_967_294,
            ),
        ];
        for (input, network, broadcast, first, last, hosts) in cases {
            let a = analyse(input).unwrap();
            assert_eq!(a.network, ip(network), "{input}");
            assert_eq!(a.broadcast, broadcast.map(ip), "{input}");
            assert_eq!((a.first, a.last, a.hosts), (ip(first), ip(last), hosts), "{input}");
            assert_eq!(u32::from(a.mask) | u32::from(a.wildcard), u32::MAX, "{input}");
        }
        assert_eq!(analyse("192.168.1.10/24").unwrap().mask, ip("255.255.255.0"));
    }

    #[test]
    fn classes_change_exactly_at_their_boundaries() {
        let cases = [
            ("0.0.0.0", Class::A),
            ("127.255.255.255", Class::A),
            ("128.0.0.0", Class::B),
            ("191.255.255.255", Class::B),
            ("192.0.0.0", Class::C),
            ("223.255.255.255", Class::C),
            ("224.0.0.0", Class::D),
            ("239.255.255.255", Class::D),
            ("240.0.0.0", Class::E),
            ("255.255.255.255", Class::E),
        ];
        for (address, expected) in cases {
            assert_eq!(class(ip(address)), expected, "{address}");
        }
    }

    #[test]
    fn special_ranges_are_named_at_their_edges() {
        let cases = [
            ("10.0.0.0", Kind::Private("10.0.0.0/8")),
            ("9.255.255.255", Kind::Public),
            ("172.15.255.255", Kind::Public),
            ("172.16.0.0", Kind::Private("172.16.0.0/12")),
            ("172.31.255.255", Kind::Private("172.16.0.0/12")),
            ("172.32.0.0", Kind::Public),
            ("192.168.0.1", Kind::Private("192.168.0.0/16")),
            ("127.0.0.1", Kind::Loopback),
            ("169.254.10.1", Kind::LinkLocal),
            ("100.64.0.1", Kind::Shared),
            ("100.128.0.1", Kind::Public),
            ("198.51.100.7", Kind::Documentation),
            ("224.0.0.251", Kind::Multicast),
            ("240.0.0.1", Kind::Reserved),
            ("255.255.255.255", Kind::LimitedBroadcast),
            ("0.0.0.0", Kind::ThisNetwork),
            ("8.8.8.8", Kind::Public),
        ];
        for (address, expected) in cases {
            assert_eq!(kind(ip(address)), expected, "{address}");
        }
    }

    #[test]
    fn invalid_input_says_what_is_wrong() {
        let cases = [
            ("", InputError::Empty),
            ("   ", InputError::Empty),
            ("192.168.1.300/24", InputError::Address("192.168.1.300".into())),
            ("hello/24", InputError::Address("hello".into())),
            ("192.168.1.10", InputError::NoPrefix),
            ("192.168.1.10/33", InputError::Prefix("33".into())),
            ("192.168.1.10/-1", InputError::Prefix("-1".into())),
            ("192.168.1.10/255.0.255.0", InputError::Mask("255.0.255.0".into())),
            ("192.168.1.10 255.255.256.0", InputError::Mask("255.255.256.0".into())),
        ];
        for (input, expected) in cases {
            assert_eq!(analyse(input), Err(expected), "{input:?}");
        }
    }
}
