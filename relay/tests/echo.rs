//! The echo endpoints, reached directly with plain sockets — as a learner's script does.

mod common;

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpStream, UdpSocket};

#[tokio::test]
async fn tcp_echo_returns_every_byte_then_closes_after_our_fin() {
    let relay = common::start().await;
    let mut stream = TcpStream::connect(relay.addrs.tcp_echo).await.unwrap();
    let sent: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let (mut reader, mut writer) = stream.split();
    let write = async {
        writer.write_all(&sent).await.unwrap();
        writer.shutdown().await.unwrap(); // FIN: "I have nothing more to send"
    };
    let mut echoed = Vec::new();
    let read = reader.read_to_end(&mut echoed); // returns at the echo server's FIN
    let (_, read) = tokio::join!(write, read);
    read.unwrap();
    assert!(echoed == sent, "echoed {} of {} bytes, or different bytes", echoed.len(), sent.len());
    relay.stop().await;
}

#[tokio::test]
async fn udp_echo_sends_each_datagram_back_unchanged() {
    let relay = common::start().await;
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let mut buf = [0u8; 4096];
    for message in [&b"hello"[..], &[0u8; 1400][..], b"x"] {
        socket.send_to(message, relay.addrs.udp_echo).await.unwrap();
        let (len, from) = tokio::time::timeout(Duration::from_secs(2), socket.recv_from(&mut buf))
            .await
            .expect("an echo within 2 s")
            .unwrap();
        assert_eq!(from, relay.addrs.udp_echo);
        assert_eq!(&buf[..len], message);
    }
    relay.stop().await;
}
