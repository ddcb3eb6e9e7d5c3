//! The attacker of the SYN-flood scenario: forged SYNs from addresses nobody owns.

use super::*;

impl World {
    /// Craft `count` SYNs from addresses in 10.0.1.0/24 that no host owns.
    pub(super) fn forge_syns(&mut self, count: usize, port: u16) {
        for _ in 0..count {
            let host = 1 + (self.rng.next_u64() % 254) as u8;
            let src = Ipv4Address::new(10, 0, 1, host);
            let tcp = TcpRepr {
                src_port: 1024 + (self.rng.next_u64() % 60000) as u16,
                dst_port: port,
                control: TcpControl::Syn,
                seq_number: TcpSeqNumber(self.rng.next_u64() as i32),
                ack_number: None,
                window_len: 64240,
                window_scale: None,
                max_seg_size: Some(1460),
                sack_permitted: false,
                sack_ranges: [None; 3],
                timestamp: None,
                payload: &[],
            };
            let ip = Ipv4Repr {
                src_addr: src,
                dst_addr: Self::SERVER_ADDR,
                next_header: IpProtocol::Tcp,
                payload_len: tcp.buffer_len(),
                hop_limit: 64,
            };
            let mut bytes = vec![0; ip.buffer_len() + tcp.buffer_len()];
            let caps = ChecksumCapabilities::default();
            let mut ip_packet = Ipv4Packet::new_unchecked(&mut bytes[..]);
            ip.emit(&mut ip_packet, &caps);
            let mut tcp_packet = TcpPacket::new_unchecked(ip_packet.payload_mut());
            tcp.emit(
                &mut tcp_packet,
                &IpAddress::Ipv4(src),
                &IpAddress::Ipv4(Self::SERVER_ADDR),
                &caps,
            );
            self.transmit(Side::Attacker, &bytes);
        }
    }
}
