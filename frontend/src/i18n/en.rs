//! English.

use sim::Side;
use sim::dissect::Layer;
use sim::readiness::LoopKind;
use sim::scenario::ScenarioKind;

use super::{Clause, Labs, Reader};
use crate::labs::sticky::model::Framing;

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
    echo_caption: "Live: a real TCP connection from the relay to its echo server on port 7007",
    send: "Send",
    connecting: "Connecting to the relay…",
    connected: "Connected",
    disconnected: "Not connected to the relay",
    retrying: |s| format!("trying again in {s} s"),
    placeholder_message: "Type a message",
};
