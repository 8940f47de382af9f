//! Load Helm charts and compute what their templates see.
//!
//! rudder renders Helm charts whose templates are written in Jinja
//! (minijinja) instead of Go templates; everything else — chart layout,
//! values semantics, object and function names, output — is Helm's.
//!
//! This crate loads a chart ([`Chart::load`]: a directory or a `.tgz`,
//! subcharts included) and computes the `.Values` its templates see
//! ([`chart_values`]) exactly as `helm template` does: defaults, subchart
//! defaults under their names or aliases, `global` propagation, conditions,
//! tags and `import-values`.
//!
//! ```
//! use rudder_render::{Chart, chart_values};
//! use rudder_values::{FsReader, ValuesOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("rudder-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n")?;
//! std::fs::write(dir.join("values.yaml"), "replicas: 1\nimage: {tag: latest}\n")?;
//!
//! let chart = Chart::load(&dir)?;
//! let opts = ValuesOptions { set: vec!["image.tag=1.2.3".into()], ..Default::default() };
//! let user = opts.merge(&mut FsReader)?;
//! let values = chart_values(&chart, user.values)?.values;
//! assert_eq!(values["image"].as_map().and_then(|m| m["tag"].as_str()), Some("1.2.3"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod chart;
mod engine;
mod error;
pub mod funcs;
pub mod schema;
mod values;

pub use chart::Chart;
pub use engine::{
    Crd, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, Engine, EngineOptions, FUEL, Hook, INSTALL_ORDER,
    KubeVersion, MAX_INCLUDE_DEPTH, Manifest, RenderOptions, Rendered, StreamOptions,
};
pub use error::{Error, Result};
pub use values::{ChartValues, chart_values};
