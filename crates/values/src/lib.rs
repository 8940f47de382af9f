//! Helm-exact values for rudder.
#![forbid(unsafe_code)]

mod error;
pub mod merge;
mod strvals;
mod value;
pub mod yaml;

pub use error::{Error, Result};
pub use value::{Map, Value};
