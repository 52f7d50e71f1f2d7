//! Fuzz target: `aixin_fuzz::checks::payload`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aixin_fuzz::checks::payload(data));
