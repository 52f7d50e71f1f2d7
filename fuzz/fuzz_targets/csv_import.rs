//! Fuzz target: `aixin_fuzz::checks::csv_import`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aixin_fuzz::checks::csv_import(data));
