#![no_main]
//! See `rudder_fuzz::harness::tpl`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rudder_fuzz::harness::tpl(data));
