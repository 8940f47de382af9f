//! rudder's product charts and their install conventions.
//!
//! The Helm libraries (`rudder-values`, `rudder-render`) know nothing of
//! any product; this crate holds what is specific to the two charts rudder
//! ships:
//!
//! - [`bundled`]: the Dispatch and ISD charts, compiled in and addressed in
//!   Helm's `repo/chart` form (`dispatch/dispatch`, `opsmx/isd`);
//! - [`konvoy`]: the values of a Konvoy addon (`values: |` in
//!   `cluster.yaml`), a values layer for `--from-konvoy`;
//! - [`dispatch`]: what `dispatch init` does by convention.
//!
//! ```
//! use rudder_charts::bundled;
//! use rudder_render::{Engine, EngineOptions, RenderOptions, render_release};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let chart = bundled::load("dispatch/dispatch")?;
//! let engine = Engine::new(chart, &EngineOptions::default())?;
//! let release = RenderOptions {
//!     release_name: rudder_charts::dispatch::RELEASE_NAME.into(),
//!     namespace: "dispatch".into(),
//!     ..Default::default()
//! };
//! let rendered = render_release(&engine, Default::default(), &release)?;
//! assert!(rendered.manifests.iter().any(|m| m.kind == "Deployment"));
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod bundled;
pub mod dispatch;
mod error;
pub mod konvoy;

pub use error::{Error, Result};
