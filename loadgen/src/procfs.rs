//! What the kernel says about a process: resident memory and CPU time, from /proc.

use std::time::Duration;

use anyhow::{Context as _, anyhow};

/// Resident set size (`VmRSS` in /proc/<pid>/status), in bytes: the memory the process
/// actually occupies, not what it has reserved.
pub fn rss_bytes(pid: u32) -> anyhow::Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse::<u64>().ok())
        .ok_or_else(|| anyhow!("no VmRSS line in {path}"))?;
    Ok(kib * 1024)
}

/// Descriptors the process has open (entries of /proc/<pid>/fd).
pub fn open_fds(pid: u32) -> anyhow::Result<u64> {
    let path = format!("/proc/{pid}/fd");
    let entries = std::fs::read_dir(&path).with_context(|| format!("listing {path}"))?;
    Ok(entries.count() as u64)
}

/// CPU time (user + system, all threads) the process has used so far.
pub fn cpu_time(pid: Pid) -> anyhow::Result<Duration> {
    let path = match pid {
        Pid::Own => "/proc/self/stat".to_string(),
        Pid::Other(pid) => format!("/proc/{pid}/stat"),
    };
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    // The command name (field 2) is in parentheses and may contain spaces: count fields from
    // after its closing parenthesis, where field 3 (state) starts.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let field = |number: usize| -> anyhow::Result<u64> {
        let text = fields.get(number - 3).ok_or_else(|| anyhow!("{path} is too short"))?;
        text.parse().with_context(|| format!("field {number} of {path}: {text:?}"))
    };
    let ticks = field(14)? + field(15)?; // utime, stime
    let per_second = rustix::param::clock_ticks_per_second();
    Ok(Duration::from_secs_f64(ticks as f64 / per_second as f64))
}

/// CPU time of a process and all its descendants still running: websockify serves each
/// connection in a forked child, so its parent alone would look idle.
pub fn tree_cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let mut total = cpu_time(Pid::Other(pid))?;
    // A descendant may exit between listing and reading; it then no longer competes for CPU.
    total += descendants(pid).into_iter().filter_map(|pid| cpu_time(Pid::Other(pid)).ok()).sum();
    Ok(total)
}

/// Every process forked, directly or not, from `pid` and still running.
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut unvisited = vec![pid];
    while let Some(parent) = unvisited.pop() {
        let children = children(parent);
        unvisited.extend(&children);
        found.extend(children);
    }
    found
}

fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace().filter_map(|pid| pid.parse().ok()).collect::<Vec<_>>()
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
pub enum Pid {
    Own,
    Other(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shells_background_child_is_its_descendant() {
        let mut shell =
            std::process::Command::new("sh").args(["-c", "sleep 30 & wait"]).spawn().unwrap();
        let pid = shell.id();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut found = descendants(pid);
        while found.is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            found = descendants(pid);
        }
        assert_eq!(found.len(), 1, "sleep should be sh's only child");
        assert!(tree_cpu_time(pid).is_ok() && rss_bytes(pid).unwrap() > 0);
        assert!(open_fds(pid).unwrap() >= 3, "stdin, stdout and stderr at least");
        for sleeper in found {
            let sleeper = rustix::process::Pid::from_raw(sleeper as i32).unwrap();
            rustix::process::kill_process(sleeper, rustix::process::Signal::TERM).unwrap();
        }
        shell.wait().unwrap();
    }
}
