//! Differential render tests (being written).
