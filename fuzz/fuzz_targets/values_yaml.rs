#![no_main]
//! See `rudder_fuzz::harness::values_yaml`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rudder_fuzz::harness::values_yaml(data));
