//! The fuzz targets' code, shared with the regression test
//! (`tests/hostile.rs` includes `harness.rs` by path and replays every
//! input under `fixtures/hostile/<target>/`).
#![forbid(unsafe_code)]

pub mod harness;
