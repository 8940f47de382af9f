#![no_main]
//! See `rudder_fuzz::harness::chart_load`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rudder_fuzz::harness::chart_load(data));
