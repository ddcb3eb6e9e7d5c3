//! English.

use sim::Side;
use sim::dissect::Layer;
use sim::readiness::LoopKind;
use sim::scenario::ScenarioKind;

use super::{Clause, Labs, Reader};
use crate::labs::console::HttpBody;
use crate::labs::sticky::model::Framing;
use crate::labs::subnet::model::{Class, InputError, Kind};
use wire::Endpoint;

pub static READER: Reader = Reader {
    site_name: "SockLab",
    tagline: "Learn network programming on real network stacks",
    intro: "Every animation here is a real TCP/IP stack at work: the simulations run smoltcp in your browser, and the live labs reach real sockets on the SockLab relay.",
    description: "A bilingual course on network programming — layers, addresses, TCP and UDP, sockets, framing, concurrent servers, HTTP — with real TCP/IP stacks in your browser and real sockets on the SockLab relay.",
    chapters: "Chapters",
    appendices: "Appendices",
    chapter_number: |n| format!("Chapter {n}"),
    previous: "Previous",
    next: "Next",
    on_this_page: "On this page",
    skip_to_content: "Skip to the content",
    toggle_sidebar: "Chapter list",
    language: "Language",
    search: "Search",
    search_placeholder: "Search the course",
    search_hint: "Press S or / to search",
    search_loading: "Loading the search index…",
    search_no_results: "Nothing in this course matches",
    search_failed: "The search index could not be loaded",
    close: "Close",
    theme: "Theme",
    theme_auto: "Auto",
    theme_light: "Light",
    theme_dark: "Dark",
    permalink: "Link to this section",
    copy: "Copy",
    copied: "Copied",
    copy_failed: "Copy failed",
    quiz: "Quiz",
    check: "Check",
    your_answer: "Your answer",
    correct: "Right.",
    incorrect: "Not quite.",
    show_answer: "Show the answer",
    answer: "Answer",
    visited: "Read",
    quiz_score: "{right} of {total} quiz answers right",
    progress: "Your progress is kept in this browser only.",
    reset_progress: "Reset progress",
    reset_confirm: "Forget which chapters you have read and your quiz answers?",
    not_found_title: "Page not found",
    not_found: "There is no page at this address.",
    back_home: "Back to the chapters",
    lab_waiting: "This lab runs in your browser. It starts when you scroll to it.",
    lab_noscript: "This lab needs JavaScript and WebAssembly. What you see is its starting state.",
    lab_failed: "This lab could not start",
    footer: "SockLab: network programming on real network stacks.",
    choose_language: "Choose a language",
};

pub static LABS: Labs = Labs {
    client: "Client 10.0.0.1",
    server: "Server 10.0.0.2",
    host: |side| match side {
        Side::Client => "Client",
        Side::Server => "Server",
        Side::Attacker => "Attacker",
    },
    step: "Step",
    back: "Back",
    play: "Play",
    pause: "Pause",
    speed: "Speed",
    run_to_end: "Run to end",
    reset: "Reset",
    steps: "Steps",
    step_of: |step, total| format!("Step {step} of {total}"),
    finished: "Nothing more will happen: both stacks are idle.",
    truncated: |events| {
        format!("The run stops here, after {events} events: that is all this lab keeps.")
    },
    close: "Close",
    optional: "optional",
    connection_caption: "Live simulation: smoltcp, a real TCP/IP stack, on two virtual hosts and a virtual wire",
    scenario: "Scenario",
    scenario_name: |kind| match kind {
        ScenarioKind::Handshake => "Three-way handshake",
        ScenarioKind::Transfer => "Data transfer",
        ScenarioKind::GracefulClose => "Graceful close (into TIME-WAIT)",
        ScenarioKind::SimultaneousClose => "Simultaneous close",
        ScenarioKind::ClosedPort => "Closed port (RST)",
        ScenarioKind::LostSyn => "Lost SYN",
        ScenarioKind::LostData => "Lost data",
        ScenarioKind::HalfClose => "Half-close",
        ScenarioKind::BacklogFull => "Backlog full",
        ScenarioKind::SynFlood => "SYN flood",
        ScenarioKind::Udp => "UDP datagrams",
        ScenarioKind::Sticky => "Sticky packets",
        ScenarioKind::Readiness => "Readiness",
    },
    wire: "The wire",
    seed: "Seed",
    loss: "Loss %",
    delay: "Delay ms",
    jitter: "Jitter ms",
    mtu: "MTU bytes",
    relative_numbers: "Relative sequence numbers",
    predict_mode: "Predict each segment",
    predict_prompt: |side| {
        format!(
            "What does the {} send next?",
            match side {
                Side::Server => "server",
                Side::Attacker => "attacker",
                Side::Client => "client",
            }
        )
    },
    reveal: "Reveal",
    guess_right: "✓ Right:",
    guess_wrong: "✗ Not quite. It was:",
    score: |right, total| format!("Predictions: {right} of {total} right"),
    ladder: "Sequence diagram of the run: client on the left, server on the right, time going down",
    later: |gap| format!("… {gap} later …"),
    lost: "lost",
    dropped: "dropped",
    too_big: "too big for the MTU",
    no_such_host: "no such host",
    at_start: "Nothing has happened yet. Step to begin.",
    at_time: |us| format!("At {}:", super::millis(us)),
    narrate: |clause| match clause {
        Clause::Sends { side, what, again, lost } => {
            let verb = if *again { "resends" } else { "sends" };
            let fate = if *lost { ", which never arrives" } else { "" };
            format!("{} {verb} {what}{fate}", (LABS.host)(*side).to_lowercase())
        }
        Clause::Enters { side, state } => {
            format!("{} enters {state}", (LABS.host)(*side).to_lowercase())
        }
        Clause::Calls { side, call } => {
            format!("{} calls {call}", (LABS.host)(*side).to_lowercase())
        }
    },
    clause_separator: "; ",
    packet: "Packet details",
    drop_packet: "Drop this packet and run again",
    undo_drops: |n| {
        if n == 1 {
            "Undo the dropped packet".into()
        } else {
            format!("Undo the {n} dropped packets")
        }
    },
    layer: |layer| match layer {
        Layer::Ip => "IPv4 header",
        Layer::Tcp => "TCP header",
        Layer::Udp => "UDP header",
        Layer::Payload => "Data",
    },
    field: "Field",
    value: "Value",
    bytes: "Bytes",
    more_bytes: |n| format!("… and {n} more bytes of data"),
    download_pcap: "Download pcap",
    sticky_caption: "Live simulation: messages written over one TCP connection on smoltcp, and what the receiver's recv() calls get",
    sender: "The sender",
    receiver: "The receiver",
    message_n: |n| format!("Message {n}"),
    add_message: "Add a message",
    remove_message: "Remove the last",
    gap: "Pause between writes, ms",
    read_start: "Starts reading at, ms",
    read_every: "Reads every, ms",
    framing: "Framing",
    framing_name: |framing| match framing {
        Framing::None => "None: raw messages",
        Framing::FixedLength => "Fixed length (padded)",
        Framing::Delimiter => "Delimiter (\\n)",
        Framing::LengthPrefix => "Length prefix (!I)",
        Framing::JsonHeader => "JSON header + body",
    },
    sticky_summary: |messages, segments, recvs, stuck, split| {
        let mut s = format!(
            "{messages} messages went out in {segments} segments and came in through {recvs} recv() calls"
        );
        if stuck > 0 {
            s += &format!("; {stuck} of those calls returned several messages stuck together");
        }
        if split > 0 {
            s += &format!("; {split} messages were split across calls");
        }
        s + "."
    },
    stream_label: |bytes, segments, recvs| {
        format!(
            "The byte stream: {bytes} bytes, cut into {segments} segments by the sender's stack and into {recvs} recv() results by the receiver"
        )
    },
    segment_n: |n| format!("segment {n}"),
    recv_n: |n| format!("recv {n}"),
    byte: "byte",
    bytes_word: "bytes",
    holds_messages: |messages| format!("(from message {messages})"),
    waiting_header: |have, need| format!("waiting for the header: {have} of {need} bytes"),
    waiting_body: |have, need| format!("waiting for the body: {have} of {need} bytes"),
    waiting_delimiter: |have| format!("{have} bytes and no delimiter yet"),
    decoder_failed: "the decoder stopped: the stream is out of step",
    udp_title: "The same messages over UDP",
    udp_note: "Each send is one datagram: it arrives whole, or (on this wire, a quarter of the time) not at all. No sticking, no splitting — and no promise of delivery.",
    datagram_arrived: "arrived as one datagram",
    datagram_lost: "lost",
    real_title: "Try it for real",
    real_note: "The same bytes, written back to back into a real TCP socket by the relay (Nagle as set above), echoed by its echo server. These are the read() calls the relay's kernel really returned.",
    real_button: "Send through the relay",
    real_summary: |sent, reads| format!("{sent} bytes came back in {reads} read() calls:"),
    relay_unreachable: |reason| {
        format!("The relay cannot be reached ({reason}). The simulation above works without it.")
    },
    readiness_caption: "Live simulation: three clients, one server loop, real receive buffers on smoltcp",
    server_loop: "The server waits with",
    loop_name: |kind| match kind {
        LoopKind::Blocking => "blocking recv(), one client at a time",
        LoopKind::Select => "select() / poll()",
        LoopKind::EpollLevel => "epoll, level-triggered",
        LoopKind::EpollEdge => "epoll, edge-triggered (EPOLLET)",
    },
    drain: "Read until empty (EAGAIN)",
    readiness_summary: |kind, unread| match (kind, unread) {
        (_, 0) => "Every byte the clients sent was read.".into(),
        (LoopKind::Blocking, n) => format!(
            "{n} bytes were never read: the server is still serving its first client, and the others wait."
        ),
        (LoopKind::EpollEdge, n) => format!(
            "{n} bytes were never read: an edge-triggered wait reports only new data, and one small read per report leaves the rest behind."
        ),
        (_, n) => format!("{n} bytes were never read."),
    },
    readiness_chart: "Each client's receive buffer over time on the server: it rises when data arrives, falls at each read (dots); vertical lines are the loop's wake-ups",
    wakeups: "wake-ups",
    client_n: |n| format!("Client {n}"),
    unread: |n| if n == 0 { "all read".into() } else { format!("{n} B unread") },
    calls_made: |n| format!("The {n} calls the server made"),
    subnet_caption: "IPv4 address and subnet calculator",
    subnet_input: "An address with a prefix or a netmask, e.g. 192.168.1.10/24 or 10.0.0.7 255.0.0.0",
    subnet_error: |error| match error {
        InputError::Empty => "Type an address with a prefix, e.g. 192.168.1.10/24.".into(),
        InputError::Address(a) => {
            format!("“{a}” is not an IPv4 address: four numbers from 0 to 255, separated by dots.")
        }
        InputError::NoPrefix => {
            "Add the prefix length or the netmask: /24, or 255.255.255.0.".into()
        }
        InputError::Prefix(p) => {
            format!("“{p}” is not a prefix length: a whole number from 0 to 32.")
        }
        InputError::Mask(m) => format!(
            "“{m}” is not a netmask: its 1 bits must all come first (255.255.255.0, not 255.0.255.0)."
        ),
    },
    subnet_address: "Address",
    subnet_class: "Class",
    class_name: |class| match class {
        Class::A => "A (first octet 0–127)",
        Class::B => "B (128–191)",
        Class::C => "C (192–223)",
        Class::D => "D (224–239, multicast)",
        Class::E => "E (240–255, reserved)",
    },
    subnet_kind: "Kind",
    kind_name: |kind| match kind {
        Kind::ThisNetwork => "“this network” (0.0.0.0/8, RFC 1122)".into(),
        Kind::Loopback => "loopback (127.0.0.0/8): never leaves the host".into(),
        Kind::Private(block) => format!("private ({block}, RFC 1918): not routed on the internet"),
        Kind::Shared => "shared address space (100.64.0.0/10, RFC 6598): carrier-grade NAT".into(),
        Kind::LinkLocal => "link-local (169.254.0.0/16, RFC 3927): only on its own link".into(),
        Kind::Documentation => "documentation (RFC 5737): for examples, never used".into(),
        Kind::Multicast => "multicast (224.0.0.0/4)".into(),
        Kind::LimitedBroadcast => "limited broadcast (255.255.255.255)".into(),
        Kind::Reserved => "reserved (240.0.0.0/4)".into(),
        Kind::Public => "public: routed on the internet".into(),
    },
    subnet_mask: "Netmask",
    subnet_network: "Network",
    subnet_broadcast: "Broadcast",
    no_broadcast: "none (a /31 or /32 has no broadcast address)",
    subnet_hosts: "Host addresses",
    subnet_count: "Number of hosts",
    host_count: |hosts, prefix| match prefix {
        32 => "1: a single host".into(),
        31 => "2: a point-to-point link, both addresses usable (RFC 3021)".into(),
        _ => format!(
            "{hosts} (2^{} − 2: the network and broadcast addresses are not hosts)",
            32 - prefix
        ),
    },
    bits_label: |prefix| {
        format!(
            "The address, netmask and network in binary; the first {prefix} bits are the network part"
        )
    },
    prefix_bits: |n| format!("network bits ({n})"),
    host_bits: |n| format!("host bits ({n})"),
    console_caption: "Live: a real socket, opened by the relay to one of its endpoints, and everything that happens on it",
    relay_connected: "Connected to the relay",
    connecting: "Connecting to the relay…",
    reconnecting: |n| format!("Reconnecting to the relay (attempt {n})…"),
    disconnected: "The relay cannot be reached",
    retrying: |s| format!("trying again in {s} s"),
    endpoint: "Endpoint",
    endpoint_name: |endpoint| match endpoint {
        Endpoint::TcpEcho => "TCP echo",
        Endpoint::UdpEcho => "UDP echo",
        Endpoint::HttpDemo => "HTTP demo server",
    },
    connect: "Connect",
    close_socket: "Close",
    message: "Message",
    send: "Send",
    send_batch: |n| format!("Send {n}× back to back"),
    nagle: "Nagle's algorithm",
    half_close: "Half-close (shutdown)",
    opened: |ms, us| format!("connect() took {ms}.{us:03} ms"),
    got_fin: "read() → 0: the peer sent FIN and will send no more",
    got_rst: "the connection was reset (RST)",
    sent_fin: "shutdown(SHUT_WR): our FIN is on its way; reading goes on",
    nagle_on: "TCP_NODELAY off: Nagle's algorithm on",
    nagle_off: "TCP_NODELAY on: Nagle's algorithm off",
    segments: "segments",
    retransmits: "retransmits",
    unacked: "unacked",
    tcp_info_closed: "CLOSED, not TIME-WAIT? Both FINs have passed, so Linux has handed the connection's last 60 seconds to a small separate TIME-WAIT socket (“ss -tan” shows it) and marked this one closed.",
    tcp_info_note: "The kernel's own view of this connection (getsockopt TCP_INFO), refreshed every second: the smoothed round-trip time and its variation, the congestion window, the MSS each way.",
    http_template: "Start from",
    http_request: "Request (each line ends in CRLF on the wire)",
    http_crlf: "HTTP/1.1 lines end in CR LF (\\r\\n), and a blank line ends the header fields: the console turns each line break you type into CR LF.",
    status_line: "Status line",
    status_class: |code| match code / 100 {
        1 => format!("{code}: informational"),
        2 => format!("{code}: success"),
        3 => format!("{code}: redirection — look at Location"),
        4 => format!("{code}: client error"),
        5 => format!("{code}: server error"),
        _ => code.to_string(),
    },
    header_fields: "Header fields",
    header_note: |name| match name.to_ascii_lowercase().as_str() {
        "content-type" => "the body's media type".into(),
        "content-length" => "the body's length in bytes: the reader knows where it ends".into(),
        "transfer-encoding" => "chunked: the body comes in chunks, each with its size".into(),
        "location" => "where the resource is now".into(),
        "date" => "when the response was made".into(),
        "connection" => "close: the server closes after this response".into(),
        _ => String::new(),
    },
    body_kind: |body| match body {
        HttpBody::Sized { expected, got } => {
            format!("Body: {} of {expected} bytes (Content-Length)", got.len())
        }
        HttpBody::Chunked { chunks, .. } => {
            format!("Body: chunked, {} chunks so far (the last has size 0)", chunks.len())
        }
        HttpBody::UntilClose(got) => format!("Body: {} bytes, until the server closes", got.len()),
    },
    chunk_size: |n| match n {
        0 => "size 0: the last chunk, the end of the body".into(),
        n => format!("a chunk of {n} bytes (its size in hexadecimal)"),
    },
    chunked_content: "The content, chunks put together",
    http_complete: "The whole response is in.",
    http_waiting: "Waiting for the rest of the header…",
    tap_title: "The live tap: your own program, seen from the echo server",
    tap_note: "Turn the tap on, then run this in a terminal on the machine where the relay runs: your script's connection, reads and writes appear below, as the echo server sees them.",
    tap_start: "Watch the echo port",
    tap_stop: "Stop watching",
    tap_accepted: "accept(): a new connection",
    tap_closed: "FIN received, the echo server closed too",
    tap_ended: "connection ended",
};
