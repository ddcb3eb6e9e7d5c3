//! Fuzzes the parser of the page's messages (`wire::ClientMsg` from a WebSocket text frame).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| relay_fuzz::client_msg(data));
