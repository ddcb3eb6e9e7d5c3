//! Fuzzes the length-prefix decoder. A small limit, so that the fuzzer reaches both whole
//! frames and oversized prefixes.

#![no_main]

use framing::Scheme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scheme = Scheme::LengthPrefix { max_len: 64 };
    framing_fuzz::check(&scheme, data);
});
