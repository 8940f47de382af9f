#![no_main]
//! See `rudder_fuzz::harness::set_flags`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rudder_fuzz::harness::set_flags(data));
