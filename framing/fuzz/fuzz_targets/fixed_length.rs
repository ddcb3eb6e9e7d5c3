//! Fuzzes the fixed-length decoder. Every 5 bytes are a message, so this mostly tests the
//! chunking.

#![no_main]

use framing::Scheme;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scheme = Scheme::FixedLength { len: 5 };
    framing_fuzz::check(&scheme, data);
});
