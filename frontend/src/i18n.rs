//! The interface's own words (not the course text, which lives in `content/`).

use crate::content::Lang;

#[derive(Debug)]
pub struct Text {
    pub tagline: &'static str,
    pub intro: &'static str,
    pub chapters: &'static str,
    pub chapter_number: fn(u32) -> String,
    pub previous: &'static str,
    pub next: &'static str,
    pub not_found: &'static str,
    pub back_home: &'static str,
    pub client: &'static str,
    pub server: &'static str,
    pub step: &'static str,
    pub run_to_end: &'static str,
    pub reset: &'static str,
    pub finished: &'static str,
    pub relative_numbers: &'static str,
    pub time: &'static str,
    pub handshake_caption: &'static str,
    pub echo_caption: &'static str,
    pub send: &'static str,
    pub connecting: &'static str,
    pub connected: &'static str,
    pub disconnected: &'static str,
    pub reconnect: &'static str,
    pub placeholder_message: &'static str,
}

pub fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

static EN: Text = Text {
    tagline: "Learn network programming on real network stacks",
    intro: "Every animation here is a real TCP/IP stack at work: the simulations run smoltcp in your browser, and the live widgets reach real sockets on the SockLab relay.",
    chapters: "Chapters",
    chapter_number: |n| format!("Chapter {n}"),
    previous: "Previous",
    next: "Next",
    not_found: "There is no page at this address.",
    back_home: "Back to the chapters",
    client: "Client 10.0.0.1",
    server: "Server 10.0.0.2:80",
    step: "Step",
    run_to_end: "Run to end",
    reset: "Reset",
    finished: "Nothing more will happen: both stacks are idle.",
    relative_numbers: "Relative sequence numbers",
    time: "Time",
    handshake_caption: "Live simulation: smoltcp on a virtual wire with a 10 ms one-way delay",
    echo_caption: "Live: a real TCP connection from the relay to its echo server on port 7007",
    send: "Send",
    connecting: "Connecting to the relay…",
    connected: "Connected",
    disconnected: "Not connected to the relay",
    reconnect: "Reconnect",
    placeholder_message: "Type a message",
};

static ZH: Text = Text {
    tagline: "在真实的网络协议栈上学习网络编程",
    intro: "这里的每个动画都是真实的 TCP/IP 协议栈在运行：模拟在你的浏览器里运行 smoltcp，实时组件则连到 SockLab 中继上的真实套接字。",
    chapters: "章节",
    chapter_number: |n| format!("第 {n} 章"),
    previous: "上一章",
    next: "下一章",
    not_found: "这个地址没有页面。",
    back_home: "返回章节列表",
    client: "客户端 10.0.0.1",
    server: "服务器 10.0.0.2:80",
    step: "单步",
    run_to_end: "运行到底",
    reset: "重置",
    finished: "不会再发生任何事：两端协议栈都已空闲。",
    relative_numbers: "相对序列号",
    time: "时间",
    handshake_caption: "实时模拟：smoltcp 运行在单向时延 10 ms 的虚拟链路上",
    echo_caption: "实时：中继到其 7007 端口回显服务器的真实 TCP 连接",
    send: "发送",
    connecting: "正在连接中继…",
    connected: "已连接",
    disconnected: "未连接到中继",
    reconnect: "重新连接",
    placeholder_message: "输入一条消息",
};
