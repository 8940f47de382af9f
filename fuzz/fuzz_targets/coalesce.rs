#![no_main]
//! See `rudder_fuzz::harness::coalesce`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rudder_fuzz::harness::coalesce(data));
