//! Fuzz target: `aixin_fuzz::checks::bundle_reader`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aixin_fuzz::checks::bundle_reader(data));
