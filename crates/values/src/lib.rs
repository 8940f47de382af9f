//! Helm-exact values for rudder.
#![forbid(unsafe_code)]

mod error;
pub mod merge;
mod options;
mod strvals;
mod value;
pub mod yaml;

pub use error::{Error, Result};
pub use options::{FsReader, ReadFile, UserValues, ValuesOptions, split_values_flag};
pub use strvals::{MAX_INDEX, MAX_NESTED_NAME_LEVEL};
pub use value::{Map, Value};
