//! The event loop: time moves only when something is due.
//!
//! Like smoltcp itself, the world never reads a real clock. [`World::step`] asks each stack
//! when it next needs attention (`poll_at`: a retransmission timer, TIME-WAIT expiry…), the
//! link when its next packet lands, and the script when the next application call is due;
//! it jumps the virtual clock straight to the earliest of those and runs. A 10-second
//! TIME-WAIT therefore costs no real time at all.

use super::*;

/// Upper bound on idle wake-ups in one [`World::step`]; a stack that keeps asking to be polled
/// without doing anything would otherwise spin forever.
const MAX_IDLE_WAKEUPS: usize = 10_000;

impl World {
    /// Run until something new happens, and return the new events; `None` once neither
    /// stack, the wire nor the script has anything left to do.
    pub fn step(&mut self) -> Option<&[Event]> {
        let before = self.trace.len();
        for _ in 0..MAX_IDLE_WAKEUPS {
            self.settle();
            if self.trace.len() > before {
                return Some(&self.trace[before..]);
            }
            self.advance_clock()?;
        }
        None
    }

    /// Run until `duration_ms` of virtual time has passed (or nothing is left to happen), and
    /// return the events of that span.
    pub fn advance(&mut self, duration_ms: u64) -> &[Event] {
        let before = self.trace.len();
        let until = self.now + Duration::from_millis(duration_ms);
        loop {
            self.settle();
            match self.next_wakeup() {
                Some(next) if next <= until => self.deliver_until(next.max(self.now)),
                _ => break,
            }
        }
        self.now = self.now.max(until);
        &self.trace[before..]
    }

    /// Step until nothing is left to happen or `max_events` events have been recorded; `true`
    /// if the run finished.
    pub fn run(&mut self, max_events: usize) -> bool {
        while self.trace.len() < max_events {
            if self.step().is_none() {
                return true;
            }
        }
        false
    }

    fn advance_clock(&mut self) -> Option<()> {
        let next = self.next_wakeup()?;
        self.deliver_until(next.max(self.now));
        Some(())
    }

    fn deliver_until(&mut self, now: Instant) {
        self.now = now;
        while let Some((to, packet)) = self.link.pop_arrived(self.now) {
            self.host_mut(to).nic.rx.push_back(packet);
        }
    }

    /// Run due calls, applications and stacks until nothing more happens at this instant.
    fn settle(&mut self) {
        loop {
            let mut progress = self.run_due_calls();
            for side in Side::HOSTS {
                progress |= self.run_apps(side);
                progress |= self.poll(side);
                progress |= self.run_apps(side);
            }
            progress |= self.run_server_loop();
            if !progress {
                return;
            }
        }
    }

    /// The earliest moment at which a stack timer fires, a packet arrives, a call is due, or a
    /// rate-limited reader may read again.
    fn next_wakeup(&mut self) -> Option<Instant> {
        let now = self.now;
        let mut next = self.link.next_arrival();
        let mut consider = |t: Option<Instant>| {
            if let Some(t) = t {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        };
        consider(self.script.front().map(|s| Instant::from_millis(s.at_ms as i64)));
        for host in &mut self.hosts {
            consider(host.iface.poll_at(now, &host.sockets));
            for sock in &host.socks {
                let waiting = !sock.udp && sock.app.reader.is_some() && {
                    let socket = host.sockets.get::<tcp::Socket>(sock.handle);
                    socket.can_recv()
                };
                if waiting && sock.app.next_read > now {
                    consider(Some(sock.app.next_read));
                }
            }
        }
        next
    }

    /// Poll one stack; put what it sent on the wire. `true` if anything happened.
    fn poll(&mut self, side: Side) -> bool {
        let now = self.now;
        let host = self.host_mut(side);
        host.iface.poll(now, &mut host.nic, &mut host.sockets);
        let packets = std::mem::take(&mut host.nic.tx);
        let mut changed = false;
        for index in 0..self.hosts[host_index(side)].socks.len() {
            changed |= self.record_state(SocketId { side, index });
        }
        for bytes in &packets {
            self.transmit(side, bytes);
        }
        changed || !packets.is_empty()
    }

    pub(super) fn transmit(&mut self, from: Side, bytes: &[u8]) {
        let Some(mut packet) = Packet::parse(bytes) else {
            // Only TCP and UDP are enabled in these stacks, so anything else is a bug worth seeing.
            debug_assert!(false, "unexpected packet on the wire: {bytes:02x?}");
            return;
        };
        let (src, dst) = (packet.ip.src, packet.ip.dst);
        if let crate::trace::Transport::Tcp(segment) = &mut packet.transport {
            let forward = (src, segment.src_port, dst, segment.dst_port);
            let reverse = (dst, segment.dst_port, src, segment.src_port);
            if segment.flags.syn {
                self.isn.insert(forward, segment.seq);
            }
            if let Some(isn) = self.isn.get(&forward) {
                segment.rel_seq = segment.seq.wrapping_sub(*isn);
            }
            if let (Some(ack), Some(isn)) = (segment.ack, self.isn.get(&reverse)) {
                segment.rel_ack = Some(ack.wrapping_sub(*isn));
            }
        }
        let to = match Ipv4Address::from(dst) {
            Self::CLIENT_ADDR => Some(Side::Client),
            Self::SERVER_ADDR => Some(Side::Server),
            _ => None,
        };
        let fate = self.link.send(self.now, from, to, bytes, &packet);
        self.record(EventKind::Packet { from, packet, fate, bytes: bytes.to_vec() });
    }
}
