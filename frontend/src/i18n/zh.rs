//! 中文。

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
    tagline: "在真实的网络协议栈上学习网络编程",
    intro: "这里的每个动画都是真实的 TCP/IP 协议栈在运行：模拟在你的浏览器里运行 smoltcp，实时实验则连到 SockLab 中继上的真实套接字。",
    description: "一门中英双语的网络编程课程：分层模型、地址与端口、TCP 与 UDP、套接字、消息分帧、并发服务器、HTTP。浏览器里运行真实的 TCP/IP 协议栈，SockLab 中继上有真实的套接字。",
    chapters: "章节",
    appendices: "附录",
    chapter_number: |n| format!("第 {n} 章"),
    previous: "上一章",
    next: "下一章",
    on_this_page: "本页内容",
    skip_to_content: "跳到正文",
    toggle_sidebar: "章节目录",
    language: "语言",
    search: "搜索",
    search_placeholder: "搜索本课程",
    search_hint: "按 S 或 / 搜索",
    search_loading: "正在加载搜索索引…",
    search_no_results: "课程中没有匹配的内容：",
    search_failed: "无法加载搜索索引",
    close: "关闭",
    theme: "主题",
    theme_auto: "自动",
    theme_light: "浅色",
    theme_dark: "深色",
    permalink: "本节链接",
    copy: "复制",
    copied: "已复制",
    copy_failed: "复制失败",
    quiz: "测验",
    check: "检查",
    your_answer: "你的答案",
    correct: "正确。",
    incorrect: "不太对。",
    show_answer: "显示答案",
    answer: "答案",
    visited: "已读",
    quiz_score: "测验答对 {right} / {total}",
    progress: "你的学习进度只保存在这个浏览器里。",
    reset_progress: "重置进度",
    reset_confirm: "要清除已读章节和测验答案的记录吗？",
    not_found_title: "页面不存在",
    not_found: "这个地址没有页面。",
    back_home: "返回章节列表",
    lab_waiting: "这个实验在你的浏览器里运行，滚动到这里时启动。",
    lab_noscript: "这个实验需要 JavaScript 和 WebAssembly。你现在看到的是它的初始状态。",
    lab_failed: "这个实验无法启动",
    footer: "SockLab：在真实的网络协议栈上学习网络编程。",
    choose_language: "选择语言",
};

pub static LABS: Labs = Labs {
    client: "客户端 10.0.0.1",
    server: "服务器 10.0.0.2",
    host: |side| match side {
        Side::Client => "客户端",
        Side::Server => "服务器",
        Side::Attacker => "攻击者",
    },
    step: "单步",
    back: "后退",
    play: "播放",
    pause: "暂停",
    speed: "速度",
    run_to_end: "运行到底",
    reset: "重置",
    steps: "步骤",
    step_of: |step, total| format!("第 {step} 步，共 {total} 步"),
    finished: "不会再发生任何事：两端协议栈都已空闲。",
    truncated: |events| format!("运行到这里就停止了，共 {events} 个事件：这个实验最多保留这么多。"),
    close: "关闭",
    optional: "可选",
    connection_caption: "实时模拟：两台虚拟主机、一根虚拟链路上运行着真实的 TCP/IP 协议栈 smoltcp",
    scenario: "场景",
    scenario_name: |kind| match kind {
        ScenarioKind::Handshake => "三次握手",
        ScenarioKind::Transfer => "数据传输",
        ScenarioKind::GracefulClose => "正常关闭（进入 TIME-WAIT）",
        ScenarioKind::SimultaneousClose => "同时关闭",
        ScenarioKind::ClosedPort => "端口未监听（RST）",
        ScenarioKind::LostSyn => "SYN 丢失",
        ScenarioKind::LostData => "数据丢失",
        ScenarioKind::HalfClose => "半关闭",
        ScenarioKind::BacklogFull => "backlog 已满",
        ScenarioKind::SynFlood => "SYN 洪泛",
        ScenarioKind::Udp => "UDP 数据报",
        ScenarioKind::Sticky => "粘包",
        ScenarioKind::Readiness => "就绪通知",
    },
    wire: "链路",
    seed: "种子",
    loss: "丢包率 %",
    delay: "时延 ms",
    jitter: "抖动 ms",
    mtu: "MTU 字节",
    relative_numbers: "相对序列号",
    predict_mode: "预测每个报文段",
    predict_prompt: |side| {
        format!(
            "{}接下来发送什么？",
            match side {
                Side::Server => "服务器",
                Side::Attacker => "攻击者",
                Side::Client => "客户端",
            }
        )
    },
    reveal: "揭晓",
    guess_right: "✓ 正确：",
    guess_wrong: "✗ 不太对。实际是：",
    score: |right, total| format!("预测：{total} 次中答对 {right} 次"),
    ladder: "这次运行的时序图：客户端在左，服务器在右，时间向下流逝",
    later: |gap| format!("……{gap} 之后……"),
    lost: "丢失",
    dropped: "被丢弃",
    too_big: "超过 MTU",
    no_such_host: "主机不存在",
    at_start: "还什么都没发生。单步开始。",
    at_time: |us| format!("{} 时：", super::millis(us)),
    narrate: |clause| match clause {
        Clause::Sends { side, what, again, lost } => {
            let verb = if *again { "重传" } else { "发送" };
            let fate = if *lost { "，它没有到达" } else { "" };
            format!("{}{verb} {what}{fate}", (LABS.host)(*side))
        }
        Clause::Enters { side, state } => format!("{}进入 {state}", (LABS.host)(*side)),
        Clause::Calls { side, call } => format!("{}调用 {call}", (LABS.host)(*side)),
    },
    clause_separator: "；",
    packet: "报文详情",
    drop_packet: "丢弃这个报文，重新运行",
    undo_drops: |n| {
        if n == 1 {
            "撤销丢弃的报文".into()
        } else {
            format!("撤销丢弃的 {n} 个报文")
        }
    },
    layer: |layer| match layer {
        Layer::Ip => "IPv4 首部",
        Layer::Tcp => "TCP 首部",
        Layer::Udp => "UDP 首部",
        Layer::Payload => "数据",
    },
    field: "字段",
    value: "值",
    bytes: "字节",
    more_bytes: |n| format!("……还有 {n} 字节数据"),
    download_pcap: "下载 pcap",
    sticky_caption: "实时模拟：在 smoltcp 的一条 TCP 连接上写出若干消息，看接收方的 recv() 调用得到什么",
    sender: "发送方",
    receiver: "接收方",
    message_n: |n| format!("消息 {n}"),
    add_message: "添加一条消息",
    remove_message: "删除最后一条",
    gap: "两次写之间暂停（ms）",
    read_start: "开始读取的时刻（ms）",
    read_every: "每隔多久读一次（ms）",
    framing: "分帧方式",
    framing_name: |framing| match framing {
        Framing::None => "无：原样发送",
        Framing::FixedLength => "定长（补齐）",
        Framing::Delimiter => "分隔符（\\n）",
        Framing::LengthPrefix => "长度前缀（!I）",
        Framing::JsonHeader => "JSON 报头 + 正文",
    },
    sticky_summary: |messages, segments, recvs, stuck, split| {
        let mut s =
            format!("{messages} 条消息以 {segments} 个报文段发出，经 {recvs} 次 recv() 调用收到");
        if stuck > 0 {
            s += &format!("；其中 {stuck} 次调用返回了粘在一起的多条消息");
        }
        if split > 0 {
            s += &format!("；有 {split} 条消息被拆到了不同的调用里");
        }
        s + "。"
    },
    stream_label: |bytes, segments, recvs| {
        format!(
            "字节流：共 {bytes} 字节，被发送方的协议栈切成 {segments} 个报文段，被接收方切成 {recvs} 次 recv() 的结果"
        )
    },
    segment_n: |n| format!("报文段 {n}"),
    recv_n: |n| format!("recv {n}"),
    byte: "字节",
    bytes_word: "字节",
    holds_messages: |messages| format!("（来自消息 {messages}）"),
    waiting_header: |have, need| format!("等待报头：已有 {have}/{need} 字节"),
    waiting_body: |have, need| format!("等待正文：已有 {have}/{need} 字节"),
    waiting_delimiter: |have| format!("已有 {have} 字节，尚未遇到分隔符"),
    decoder_failed: "解码器停止了：字节流已经错位",
    udp_title: "同样的消息走 UDP",
    udp_note: "每次发送就是一个数据报：要么完整到达，要么（在这条链路上有四分之一的概率）根本不到。不粘、不拆——但也不保证送达。",
    datagram_arrived: "作为一个数据报完整到达",
    datagram_lost: "丢失",
    real_title: "真实地试一试",
    real_note: "中继把同样的字节背靠背地写进一个真实的 TCP 套接字（Nagle 按上面的设置），由它的回显服务器原样送回。下面是中继所在内核真实返回的 read() 调用。",
    real_button: "通过中继发送",
    real_summary: |sent, reads| format!("{sent} 字节分 {reads} 次 read() 调用收回："),
    relay_unreachable: |reason| format!("无法连接中继（{reason}）。上面的模拟不依赖它，照常可用。"),
    readiness_caption: "实时模拟：三个客户端、一个服务器循环，smoltcp 上真实的接收缓冲区",
    server_loop: "服务器的等待方式",
    loop_name: |kind| match kind {
        LoopKind::Blocking => "阻塞 recv()，一次服务一个客户端",
        LoopKind::Select => "select() / poll()",
        LoopKind::EpollLevel => "epoll，水平触发",
        LoopKind::EpollEdge => "epoll，边缘触发（EPOLLET）",
    },
    drain: "一直读到空（EAGAIN）",
    readiness_summary: |kind, unread| match (kind, unread) {
        (_, 0) => "客户端发送的每个字节都被读到了。".into(),
        (LoopKind::Blocking, n) => {
            format!("有 {n} 字节始终没有被读：服务器还在服务第一个客户端，其他客户端只能等。")
        }
        (LoopKind::EpollEdge, n) => format!(
            "有 {n} 字节始终没有被读：边缘触发只报告新到的数据，每次通知只读一小块，剩下的就留在了缓冲区里。"
        ),
        (_, n) => format!("有 {n} 字节始终没有被读。"),
    },
    readiness_chart: "服务器上每个客户端的接收缓冲区随时间的变化：数据到达时上升，每次读取（圆点）时下降；竖线是循环的唤醒",
    wakeups: "唤醒",
    client_n: |n| format!("客户端 {n}"),
    unread: |n| if n == 0 { "全部读完".into() } else { format!("{n} 字节未读") },
    calls_made: |n| format!("服务器发出的 {n} 次调用"),
    subnet_caption: "IPv4 地址与子网计算器",
    subnet_input: "带前缀或子网掩码的地址，例如 192.168.1.10/24 或 10.0.0.7 255.0.0.0",
    subnet_error: |error| match error {
        InputError::Empty => "请输入带前缀的地址，例如 192.168.1.10/24。".into(),
        InputError::Address(a) => {
            format!("“{a}”不是 IPv4 地址：应为四个 0 到 255 的数，用点分隔。")
        }
        InputError::NoPrefix => "请加上前缀长度或子网掩码：/24 或 255.255.255.0。".into(),
        InputError::Prefix(p) => format!("“{p}”不是前缀长度：应为 0 到 32 的整数。"),
        InputError::Mask(m) => format!(
            "“{m}”不是子网掩码：它的 1 必须全部排在前面（255.255.255.0，而不是 255.0.255.0）。"
        ),
    },
    subnet_address: "地址",
    subnet_class: "类别",
    class_name: |class| match class {
        Class::A => "A 类（首字节 0–127）",
        Class::B => "B 类（128–191）",
        Class::C => "C 类（192–223）",
        Class::D => "D 类（224–239，组播）",
        Class::E => "E 类（240–255，保留）",
    },
    subnet_kind: "用途",
    kind_name: |kind| match kind {
        Kind::ThisNetwork => "“本网络”（0.0.0.0/8，RFC 1122）".into(),
        Kind::Loopback => "环回地址（127.0.0.0/8）：不会离开本机".into(),
        Kind::Private(block) => format!("私有地址（{block}，RFC 1918）：不在互联网上路由"),
        Kind::Shared => "共享地址空间（100.64.0.0/10，RFC 6598）：运营商级 NAT".into(),
        Kind::LinkLocal => "链路本地地址（169.254.0.0/16，RFC 3927）：只在本链路内有效".into(),
        Kind::Documentation => "文档专用（RFC 5737）：只用于示例".into(),
        Kind::Multicast => "组播地址（224.0.0.0/4）".into(),
        Kind::LimitedBroadcast => "受限广播地址（255.255.255.255）".into(),
        Kind::Reserved => "保留地址（240.0.0.0/4）".into(),
        Kind::Public => "公网地址：在互联网上路由".into(),
    },
    subnet_mask: "子网掩码",
    subnet_network: "网络地址",
    subnet_broadcast: "广播地址",
    no_broadcast: "无（/31 和 /32 没有广播地址）",
    subnet_hosts: "主机地址",
    subnet_count: "主机数",
    host_count: |hosts, prefix| match prefix {
        32 => "1：单个主机".into(),
        31 => "2：点对点链路，两个地址都可用（RFC 3021）".into(),
        _ => format!("{hosts}（2^{} − 2：网络地址和广播地址不能分给主机）", 32 - prefix),
    },
    bits_label: |prefix| format!("地址、子网掩码和网络地址的二进制形式；前 {prefix} 位是网络部分"),
    prefix_bits: |n| format!("网络位（{n} 位）"),
    host_bits: |n| format!("主机位（{n} 位）"),
    console_caption: "实时：中继为你打开一个连到它的某个端点的真实套接字，上面发生的一切都在这里",
    relay_connected: "已连接到中继",
    connecting: "正在连接中继…",
    reconnecting: |n| format!("正在重新连接中继（第 {n} 次尝试）…"),
    disconnected: "无法连接中继",
    retrying: |s| format!("{s} 秒后重试"),
    endpoint: "端点",
    endpoint_name: |endpoint| match endpoint {
        Endpoint::TcpEcho => "TCP 回显",
        Endpoint::UdpEcho => "UDP 回显",
        Endpoint::HttpDemo => "HTTP 演示服务器",
    },
    connect: "连接",
    close_socket: "关闭",
    message: "消息",
    send: "发送",
    send_batch: |n| format!("背靠背发送 {n} 次"),
    nagle: "Nagle 算法",
    half_close: "半关闭（shutdown）",
    opened: |ms, us| format!("connect() 用时 {ms}.{us:03} ms"),
    got_fin: "read() → 0：对端发来了 FIN，不会再发送数据",
    got_rst: "连接被重置（RST）",
    sent_fin: "shutdown(SHUT_WR)：我们的 FIN 已发出；仍然可以继续读",
    nagle_on: "TCP_NODELAY 关闭：Nagle 算法开启",
    nagle_off: "TCP_NODELAY 开启：Nagle 算法关闭",
    segments: "个报文段",
    retransmits: "重传",
    unacked: "未确认",
    tcp_info_closed: "为什么是 CLOSED 而不是 TIME-WAIT？两个 FIN 都已经走完，Linux 把这条连接最后的 60 秒交给了一个单独的小型 TIME-WAIT 套接字（用 ss -tan 能看到它），这个套接字本身就标成了关闭。",
    tcp_info_note: "内核自己对这条连接的看法（getsockopt TCP_INFO），每秒刷新：平滑往返时间及其偏差、拥塞窗口、两个方向的 MSS。",
    http_template: "从这里开始",
    http_request: "请求（在线路上每行以 CRLF 结尾）",
    http_crlf: "HTTP/1.1 的每一行以 CR LF（\\r\\n）结尾，一个空行表示首部字段结束：你输入的每个换行，控制台都会转成 CR LF。",
    status_line: "状态行",
    status_class: |code| match code / 100 {
        1 => format!("{code}：信息"),
        2 => format!("{code}：成功"),
        3 => format!("{code}：重定向——看 Location"),
        4 => format!("{code}：客户端错误"),
        5 => format!("{code}：服务器错误"),
        _ => code.to_string(),
    },
    header_fields: "首部字段",
    header_note: |name| match name.to_ascii_lowercase().as_str() {
        "content-type" => "正文的媒体类型".into(),
        "content-length" => "正文的字节数：接收方由此知道正文在哪里结束".into(),
        "transfer-encoding" => "chunked：正文分块传送，每块带着自己的大小".into(),
        "location" => "资源现在所在的位置".into(),
        "date" => "响应生成的时间".into(),
        "connection" => "close：服务器发完这个响应就关闭连接".into(),
        _ => String::new(),
    },
    body_kind: |body| match body {
        HttpBody::Sized { expected, got } => {
            format!("正文：已收到 {expected} 字节中的 {} 字节（Content-Length）", got.len())
        }
        HttpBody::Chunked { chunks, .. } => {
            format!("正文：分块传输，目前 {} 块（最后一块大小为 0）", chunks.len())
        }
        HttpBody::UntilClose(got) => format!("正文：{} 字节，直到服务器关闭连接", got.len()),
    },
    chunk_size: |n| match n {
        0 => "大小为 0：最后一块，正文到此结束".into(),
        n => format!("一个 {n} 字节的块（大小用十六进制表示）"),
    },
    chunked_content: "把各块拼起来的内容",
    http_complete: "完整的响应已经收到。",
    http_waiting: "正在等待首部的其余部分…",
    tap_title: "实时监听：从回显服务器这边看你自己的程序",
    tap_note: "打开监听，然后在运行中继的那台机器的终端里执行下面的命令：你的脚本的连接、读和写会出现在下面，正是回显服务器看到的样子。",
    tap_start: "监听回显端口",
    tap_stop: "停止监听",
    tap_accepted: "accept()：一个新连接",
    tap_closed: "收到 FIN，回显服务器也关闭了",
    tap_ended: "连接结束",
};
