//! A packet's bytes, field by field: what each byte range of the IPv4 header, the TCP or UDP
//! header and the payload means — for the lab's byte view, where hovering a field lights up its
//! bytes and the layers show as nested boxes (encapsulation, seen in a real packet).
//!
//! Fields that share a byte (IPv4's version and header length, TCP's data offset and flags)
//! are one field here, since the view highlights whole bytes.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Which layer a field belongs to.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Ip,
    Tcp,
    Udp,
    Payload,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub layer: Layer,
    /// The field's name as RFC 791 / RFC 9293 / RFC 768 call it.
    pub name: &'static str,
    pub bytes: Range<usize>,
    /// The value, decoded for a reader: `10.0.0.1`, `SYN, ACK`, `1460`.
    pub value: String,
}

/// Every field of a raw IPv4 packet carrying TCP or UDP. Stops, without panicking, where the
/// bytes end or stop making sense.
pub fn dissect(packet: &[u8]) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut field = |layer, name, bytes: Range<usize>, value: String| {
        fields.push(Field { layer, name, bytes, value })
    };
    let be16 = |at: usize| u16::from_be_bytes([packet[at], packet[at + 1]]);
    let be32 = |at: usize| {
        u32::from_be_bytes([packet[at], packet[at + 1], packet[at + 2], packet[at + 3]])
    };
    if packet.len() < 20 {
        return fields;
    }
    let ihl = usize::from(packet[0] & 0x0f) * 4;
    let total = usize::from(be16(2)).min(packet.len());
    if ihl < 20 || total < ihl {
        return fields;
    }
    use Layer::*;
    field(Ip, "Version, IHL", 0..1, format!("IPv{}, header {ihl} bytes", packet[0] >> 4));
    field(Ip, "DSCP, ECN", 1..2, format!("{:#04x}", packet[1]));
    field(Ip, "Total Length", 2..4, format!("{total} bytes"));
    field(Ip, "Identification", 4..6, format!("{:#06x}", be16(4)));
    let flags = be16(6);
    let df = if flags & 0x4000 != 0 { "DF" } else { "—" };
    field(Ip, "Flags, Fragment Offset", 6..8, format!("{df}, offset {}", flags & 0x1fff));
    field(Ip, "Time to Live", 8..9, packet[8].to_string());
    let protocol = packet[9];
    let protocol_name = match protocol {
        6 => "TCP (6)".to_string(),
        17 => "UDP (17)".to_string(),
        other => other.to_string(),
    };
    field(Ip, "Protocol", 9..10, protocol_name);
    field(Ip, "Header Checksum", 10..12, format!("{:#06x}", be16(10)));
    let address = |at: usize| {
        format!("{}.{}.{}.{}", packet[at], packet[at + 1], packet[at + 2], packet[at + 3])
    };
    field(Ip, "Source Address", 12..16, address(12));
    field(Ip, "Destination Address", 16..20, address(16));
    if ihl > 20 {
        field(Ip, "Options", 20..ihl, format!("{} bytes", ihl - 20));
    }
    let t = ihl; // transport header start
    let payload_start = match protocol {
        6 if total >= t + 20 => {
            let offset = usize::from(packet[t + 12] >> 4) * 4;
            if offset < 20 || t + offset > total {
                return fields;
            }
            field(Tcp, "Source Port", t..t + 2, be16(t).to_string());
            field(Tcp, "Destination Port", t + 2..t + 4, be16(t + 2).to_string());
            field(Tcp, "Sequence Number", t + 4..t + 8, be32(t + 4).to_string());
            field(Tcp, "Acknowledgment Number", t + 8..t + 12, be32(t + 8).to_string());
            let bits = packet[t + 13];
            let names = [
                (0x02, "SYN"),
                (0x01, "FIN"),
                (0x04, "RST"),
                (0x08, "PSH"),
                (0x10, "ACK"),
                (0x20, "URG"),
            ];
            let set: Vec<&str> =
                names.iter().filter(|(b, _)| bits & b != 0).map(|(_, n)| *n).collect();
            field(
                Tcp,
                "Data Offset, Flags",
                t + 12..t + 14,
                format!("header {offset} bytes; {}", set.join(", ")),
            );
            field(Tcp, "Window", t + 14..t + 16, be16(t + 14).to_string());
            field(Tcp, "Checksum", t + 16..t + 18, format!("{:#06x}", be16(t + 16)));
            field(Tcp, "Urgent Pointer", t + 18..t + 20, be16(t + 18).to_string());
            tcp_options(&packet[..t + offset], t + 20, &mut field);
            t + offset
        }
        17 if total >= t + 8 => {
            field(Udp, "Source Port", t..t + 2, be16(t).to_string());
            field(Udp, "Destination Port", t + 2..t + 4, be16(t + 2).to_string());
            field(Udp, "Length", t + 4..t + 6, format!("{} bytes", be16(t + 4)));
            field(Udp, "Checksum", t + 6..t + 8, format!("{:#06x}", be16(t + 6)));
            t + 8
        }
        _ => return fields,
    };
    if total > payload_start {
        let data = &packet[payload_start..total];
        let text = String::from_utf8_lossy(&data[..data.len().min(32)]).into_owned();
        let more = if data.len() > 32 { "…" } else { "" };
        field(
            Payload,
            "Data",
            payload_start..total,
            format!("{} bytes {text:?}{more}", data.len()),
        );
    }
    fields
}

/// TCP options (RFC 9293 §3.2), each as a field.
fn tcp_options(
    header: &[u8],
    mut at: usize,
    field: &mut impl FnMut(Layer, &'static str, Range<usize>, String),
) {
    while at < header.len() {
        let kind = header[at];
        let len = match kind {
            // End of the list: the rest of the header is padding.
            0 => header.len() - at,
            1 => 1,
            _ if at + 1 < header.len() => usize::from(header[at + 1]).max(2),
            _ => return,
        };
        let end = (at + len).min(header.len());
        let body = if kind <= 1 { &[][..] } else { &header[at + 2.min(len)..end] };
        let (name, value) = match kind {
            0 => ("Option: End of List", format!("and {} bytes of padding", len - 1)),
            1 => ("Option: No-Operation", String::new()),
            2 if body.len() == 2 => {
                ("Option: Maximum Segment Size", u16::from_be_bytes([body[0], body[1]]).to_string())
            }
            3 if body.len() == 1 => ("Option: Window Scale", format!("shift {}", body[0])),
            4 => ("Option: SACK Permitted", String::new()),
            5 => ("Option: SACK", format!("{} blocks", body.len() / 8)),
            8 if body.len() == 8 => {
                let value = u32::from_be_bytes([body[0], body[1], body[2], body[3]]);
                ("Option: Timestamps", format!("value {value}"))
            }
            _ => ("Option", format!("kind {kind}")),
        };
        field(Layer::Tcp, name, at..end, value);
        if kind == 0 {
            return;
        }
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{EventKind, Transport};
    use crate::{Scenario, WorldConfig};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn fields_tile_the_packet_and_agree_with_the_parsed_trace() {
        let mut world = Scenario::HalfClose.start(WorldConfig::default());
        world.run(10_000);
        let mut seen_payload = false;
        for event in world.trace() {
            let EventKind::Packet { packet, bytes, .. } = &event.kind else { continue };
            let fields = dissect(bytes);
            // Every byte belongs to exactly one field, in order.
            let mut next = 0;
            for f in &fields {
                assert_eq!(f.bytes.start, next, "{f:?}");
                next = f.bytes.end;
            }
            assert_eq!(next, bytes.len());
            let value =
                |name: &str| fields.iter().find(|f| f.name == name).map(|f| f.value.clone());
            let Transport::Tcp(segment) = &packet.transport else { continue };
            assert_eq!(value("Sequence Number"), Some(segment.seq.to_string()));
            assert!(value("Data Offset, Flags").unwrap().ends_with(&segment.flags.label()));
            assert_eq!(
                value("Source Address").as_deref(),
                Some(
                    &format!(
                        "{}.{}.{}.{}",
                        packet.ip.src[0], packet.ip.src[1], packet.ip.src[2], packet.ip.src[3]
                    )[..]
                )
            );
            if let Some(mss) = segment.mss {
                assert_eq!(value("Option: Maximum Segment Size"), Some(mss.to_string()));
            }
            seen_payload |=
                fields.iter().any(|f| f.layer == Layer::Payload && f.value.contains("GET /time"));
        }
        assert!(seen_payload);
    }

    #[test]
    fn truncated_or_foreign_bytes_give_what_can_be_read() {
        assert!(dissect(&[0x45, 0, 0]).is_empty());
        let mut world = Scenario::Handshake.start(WorldConfig::default());
        world.run(100);
        let EventKind::Packet { bytes, .. } =
            &world.trace().iter().find(|e| e.segment().is_some()).unwrap().kind
        else {
            unreachable!()
        };
        for cut in 0..bytes.len() {
            dissect(&bytes[..cut]); // must not panic
        }
    }
}
