//! Export a trace as a libpcap file that Wireshark and tshark open.
//!
//! Packets are written as the sending host emitted them, at their sending time — a capture
//! taken at the sender, so packets the wire later dropped are in it too, as they would be in a
//! real capture on the sending machine. The hosts speak raw IP (no Ethernet), hence the link
//! type `LINKTYPE_RAW`.

use std::time::Duration;

use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};

use crate::trace::{Event, EventKind};

/// The trace's packets as a pcap file.
pub fn to_pcap(trace: &[Event]) -> Vec<u8> {
    let header = PcapHeader { datalink: DataLink::RAW, ..PcapHeader::default() };
    let mut writer =
        PcapWriter::with_header(Vec::new(), header).expect("writing to a Vec cannot fail");
    for event in trace {
        if let EventKind::Packet { bytes, .. } = &event.kind {
            let packet =
                PcapPacket::new(Duration::from_micros(event.at_us), bytes.len() as u32, bytes);
            writer.write_packet(&packet).expect("writing to a Vec cannot fail");
        }
    }
    writer.into_writer()
}
