//! Limits that need bookkeeping: how many WebSockets each client address has open, and token
//! buckets for message and datagram rates.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct PerIp {
    max: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One WebSocket's place in its address's count; gives it back when dropped.
#[derive(Debug)]
pub struct Slot {
    ip: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl PerIp {
    pub fn new(max: usize) -> PerIp {
        PerIp { max, open: Arc::default() }
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// A slot for `ip`, or `None` if it already has the maximum open.
    pub fn take(&self, ip: IpAddr) -> Option<Slot> {
        let mut open = self.open.lock().expect("no code panics while holding this lock");
        let count = open.entry(ip).or_default();
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Slot { ip, open: self.open.clone() })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().expect("no code panics while holding this lock");
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            // Forget addresses with nothing open, so the map does not grow with every visitor.
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// A token bucket: `rate` events a second on average, bursts of up to `burst`.
#[derive(Debug)]
pub struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: std::time::Instant,
}

impl Bucket {
    pub fn new(rate: u32, burst: u32) -> Bucket {
        let burst = f64::from(burst.max(1));
        Bucket { rate: f64::from(rate), burst, tokens: burst, last: std::time::Instant::now() }
    }

    /// Take one token if there is one.
    pub fn take(&mut self) -> bool {
        let now = std::time::Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_its_rate() {
        let mut bucket = Bucket::new(1000, 5);
        assert_eq!((0..10).filter(|_| bucket.take()).count(), 5);
        std::thread::sleep(std::time::Duration::from_millis(20));
        // ~20 tokens refilled, capped at the burst of 5.
        assert_eq!((0..10).filter(|_| bucket.take()).count(), 5);
    }

    #[test]
    fn per_ip_slots_are_given_back() {
        let limits = PerIp::new(1);
        let ip = IpAddr::from([127, 0, 0, 1]);
        let slot = limits.take(ip).unwrap();
        assert!(limits.take(ip).is_none());
        assert!(limits.take(IpAddr::from([127, 0, 0, 2])).is_some(), "other addresses unaffected");
        drop(slot);
        assert!(limits.take(ip).is_some());
    }
}
