//! How many WebSockets each client address has open, so one address cannot take them all.

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
