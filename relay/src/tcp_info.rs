//! A snapshot of the kernel's view of a TCP connection: `getsockopt(TCP_INFO)` on Linux.
//!
//! This is the one place in SockLab with `unsafe` code: no well-kept crate wraps TCP_INFO
//! without pulling in bindgen and libclang at build time, and the call itself is small.

use tokio::net::TcpStream;
use wire::{TcpInfo, TcpState};

/// Linux's TCP states (include/net/tcp_states.h).
fn state(state: u8) -> TcpState {
    match state {
        1 => TcpState::Established,
        2 => TcpState::SynSent,
        3 => TcpState::SynReceived,
        4 => TcpState::FinWait1,
        5 => TcpState::FinWait2,
        6 => TcpState::TimeWait,
        CLOSED => TcpState::Closed,
        8 => TcpState::CloseWait,
        9 => TcpState::LastAck,
        10 => TcpState::Listen,
        11 => TcpState::Closing,
        _ => TcpState::Unknown,
    }
}

/// Linux's TCP_CLOSE: the kernel has finished with the connection.
const CLOSED: u8 = 7;

/// Whether the kernel has finished with the connection (state CLOSED). Where `TCP_INFO`
/// cannot be read, says no.
#[cfg(target_os = "linux")]
pub fn is_closed(stream: &TcpStream) -> bool {
    raw(stream).is_ok_and(|info| info.tcpi_state == CLOSED)
}

#[cfg(target_os = "linux")]
pub fn snapshot(stream: &TcpStream) -> std::io::Result<TcpInfo> {
    let info = raw(stream)?;
    Ok(TcpInfo {
        state: state(info.tcpi_state),
        rtt_us: info.tcpi_rtt,
        rttvar_us: info.tcpi_rttvar,
        snd_cwnd: info.tcpi_snd_cwnd,
        snd_mss: info.tcpi_snd_mss,
        rcv_mss: info.tcpi_rcv_mss,
        retransmits: info.tcpi_retransmits,
        total_retrans: info.tcpi_total_retrans,
        unacked: info.tcpi_unacked,
    })
}

#[cfg(target_os = "linux")]
fn raw(stream: &TcpStream) -> std::io::Result<libc::tcp_info> {
    use std::os::fd::AsRawFd as _;

    let mut info = std::mem::MaybeUninit::<libc::tcp_info>::zeroed();
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: the fd belongs to `stream`, which outlives the call; `info` points to a zeroed
    // buffer of `len` bytes that the kernel fills (up to `len`) and whose every bit pattern is
    // a valid `tcp_info` (integers only), so it is initialised whatever the kernel writes.
    #[allow(unsafe_code)]
    let (result, info) = unsafe {
        let result = libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_TCP,
            libc::TCP_INFO,
            info.as_mut_ptr().cast(),
            &mut len,
        );
        (result, info.assume_init())
    };
    if result != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(info)
}

#[cfg(not(target_os = "linux"))]
pub fn snapshot(_stream: &TcpStream) -> std::io::Result<TcpInfo> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "TCP_INFO is read on Linux only"))
}

#[cfg(not(target_os = "linux"))]
pub fn is_closed(_stream: &TcpStream) -> bool {
    false
}
