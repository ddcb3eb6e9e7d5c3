//! A snapshot of the kernel's view of a TCP connection: `getsockopt(TCP_INFO)` on Linux.
//!
//! This is the one place in SockLab with `unsafe` code: no well-kept crate wraps TCP_INFO
//! without pulling in bindgen and libclang at build time, and the call itself is small.

use tokio::net::TcpStream;
use wire::TcpInfo;

/// Linux's TCP states (include/net/tcp_states.h), spelled as RFC 9293 spells them.
fn state_name(state: u8) -> &'static str {
    match state {
        1 => "ESTABLISHED",
        2 => "SYN-SENT",
        3 => "SYN-RECEIVED",
        4 => "FIN-WAIT-1",
        5 => "FIN-WAIT-2",
        6 => "TIME-WAIT",
        CLOSED => "CLOSED",
        8 => "CLOSE-WAIT",
        9 => "LAST-ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        _ => "UNKNOWN",
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
        state: state_name(info.tcpi_state).into(),
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
