//! Fuzzes the http-demo server's handling of whatever a learner (or anyone) types at it.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| relay_fuzz::http_request(data));
