//! Fuzzes the delimiter decoder. A two-byte delimiter, so that it can be split across reads.

#![no_main]

use framing::Scheme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scheme = Scheme::Delimiter { delimiter: b"\r\n".to_vec(), max_len: 64 };
    framing_fuzz::check(&scheme, data);
});
