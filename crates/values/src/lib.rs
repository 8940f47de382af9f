//! Helm-exact values for rudder.
#![forbid(unsafe_code)]

mod error;
mod value;
pub mod yaml;

pub use error::{Error, Result};
pub use value::{Map, Value};
