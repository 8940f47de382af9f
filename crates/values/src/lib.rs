//! Helm-exact values: values files, the `--set` family and coalescing, as
//! Helm 4.1.4 computes them — the first stage of rudder's pipeline, with
//! no knowledge of templates.
//!
//! - [`ValuesOptions`] is one command line's values flags (`-f`,
//!   `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`);
//!   [`ValuesOptions::merge`] combines them with Helm's precedence by kind
//!   into [`UserValues`], reading files through a [`ReadFile`] you choose
//!   ([`FsReader`] for the file system);
//! - [`yaml`] reads values files as Helm does (go-yaml v2 scalars, YAML
//!   1.1 booleans, anchors with budgets) and prints `toYaml`'s YAML;
//! - [`merge`] holds Helm's coalescing rules, which `rudder-render` applies
//!   to chart defaults and subcharts;
//! - [`Value`] and [`Map`] are the tree: ordered maps, exact integers.
//!
//! ```
//! use rudder_values::{FsReader, Value, ValuesOptions};
//!
//! # fn main() -> Result<(), rudder_values::Error> {
//! let flags = ValuesOptions {
//!     set: vec!["image.tag=1.2.3,replicas=3".into()],
//!     set_string: vec!["replicas=4".into()],
//!     ..Default::default()
//! };
//! let user = flags.merge(&mut FsReader)?;
//! // --set-string wins over --set, whatever the order on the command line.
//! assert_eq!(user.values.get("replicas"), Some(&Value::String("4".into())));
//! assert_eq!(
//!     Value::Map(Box::new(user.values)).get_path(["image", "tag"]),
//!     Some(&Value::String("1.2.3".into()))
//! );
//!
//! // Errors say which flag, which text, and what to do; print them with `{e}`.
//! let bad = ValuesOptions { set: vec!["a[x]=1".into()], ..Default::default() };
//! let e = bad.merge(&mut FsReader).unwrap_err();
//! assert!(e.to_string().starts_with("--set \"a[x]=1\""), "{e}");
//! # Ok(())
//! # }
//! ```
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
