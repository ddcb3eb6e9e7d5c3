//! Fuzzes the JSON-header decoder. A body must match the header's MD5, which a fuzzer will
//! rarely guess, so this target mostly exercises the length prefix and the JSON parsing.

#![no_main]

use framing::Scheme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scheme = Scheme::JsonHeader { max_header: 256, max_body: 64 };
    framing_fuzz::check(&scheme, data);
});
