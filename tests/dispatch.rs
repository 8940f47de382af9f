//! The dispatch chart (being written).

#[path = "common/mod.rs"]
mod common;
