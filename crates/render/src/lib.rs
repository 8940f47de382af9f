//! Load Helm charts and render them into `helm template`'s manifest stream.
//!
//! rudder renders Helm charts as `helm template` does: Go-template charts
//! byte for byte (translated by `rudder-gotmpl` and evaluated by
//! minijinja), and charts that opt into Jinja with the `Chart.yaml`
//! annotation `rudder.dev/templates: jinja`. Chart layout, values
//! semantics, objects, functions and output are Helm's in both dialects.
//!
//! # The pipeline
//!
//! The modules are the stages of `helm template`, each using only the ones
//! before it (Helm's `loader` → `chartutil` → `engine` → `releaseutil`,
//! joined by `pkg/action`):
//!
//! 1. [`chart`]: [`Chart::load`] reads a chart directory or `.tgz`,
//!    subcharts included;
//! 2. coalescing: [`chart_values`] computes the `.Values` the templates see
//!    (defaults, subcharts under their names or aliases, `global`,
//!    conditions, tags, `import-values`), exactly as Helm does;
//! 3. [`schema`]: every chart's `values.schema.json`;
//! 4. the engine: [`Engine`] compiles a chart once; [`funcs`] is the
//!    function library its templates call;
//! 5. the manifest stream: [`Rendered`] holds the sorted objects and hooks,
//!    [`Rendered::stream`] prints them as `helm template` does;
//!
//! and on top, [`render_release`] runs stages 2–5 for one release. [`lint`]
//! checks a rendered release. The values types (`Map`, `Value`, the
//! `--set` family in [`ValuesOptions`]) come from `rudder-values` and are
//! re-exported here, so one dependency is enough.
//!
//! ```
//! use rudder_render::{Chart, Engine, EngineOptions, RenderOptions, StreamOptions};
//! use rudder_render::{FsReader, ValuesOptions, render_release};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("rudder-doc-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("templates"))?;
//! std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n")?;
//! std::fs::write(dir.join("values.yaml"), "image: {tag: latest}\n")?;
//! std::fs::write(
//!     dir.join("templates/cm.yaml"),
//!     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n\
//!      data:\n  tag: {{ .Values.image.tag | quote }}\n",
//! )?;
//!
//! // Load and compile once…
//! let engine = Engine::new(Chart::load(&dir)?, &EngineOptions::default())?;
//! // …then render any number of releases, from any number of threads.
//! let opts = ValuesOptions { set: vec!["image.tag=1.2.3".into()], ..Default::default() };
//! let user = opts.merge(&mut FsReader)?;
//! let release = RenderOptions { release_name: "web".into(), ..Default::default() };
//! let out = render_release(&engine, user.values, &release)?.stream(&StreamOptions::default())?;
//! assert_eq!(
//!     out,
//!     "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  \
//!      name: web-config\ndata:\n  tag: \"1.2.3\"\n"
//! );
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```
//!
//! # Errors
//!
//! Every fallible call returns [`Error`]: one enum whose variants say where
//! the problem is (chart file, template and line, values path, option).
//! Print it with `{e}`; a render reports all its problems at once
//! ([`Error::Many`]).
//!
//! ```
//! use rudder_render::{Chart, Engine, EngineOptions, Error, RenderOptions, render_release};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let chart = Chart::from_files(
//!     vec![
//!         rudder_render::chart::File::new("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n"),
//!         rudder_render::chart::File::new("templates/cm.yaml", "{{ fail \"set image.tag\" }}"),
//!     ],
//!     "demo",
//! )?;
//! let engine = Engine::new(chart, &EngineOptions::default())?;
//! let e = render_release(&engine, Default::default(), &RenderOptions::default()).unwrap_err();
//! assert!(matches!(&e, Error::GoTemplate { template, .. } if template == "demo/templates/cm.yaml"));
//! // Helm's own words: `helm template` prints `Error: ` and the same text.
//! assert_eq!(e.to_string(), "execution error at (demo/templates/cm.yaml:1:3): set image.tag");
//! # Ok(())
//! # }
//! ```
//!
//! # Templates
//!
//! Go-template charts are Helm's: `.Values`, `.Release`, `include`, Sprig,
//! with Helm's error messages. In Jinja charts, templates see `Values`,
//! `Release`, `Chart`, `Capabilities`, `Template`
//! and `Files` with Helm's field names, and `ctx`, Helm's dot (the root
//! object, or the value passed to a named template). Named templates are
//! `{% define "name" %}…{% enddefine %}` blocks in any template file, called
//! with `include("name", ctx)`. The calling convention for Helm's functions
//! — the value a Helm user pipes is the filter's input, the other arguments
//! keep Helm's order — is documented in [`funcs`].
#![forbid(unsafe_code)]

// The ground floor: glob matching as Go and Helm do it.
mod glob;
// Go's values and Helm's functions (value conversion, printing included).
pub mod funcs;
// 1. loading
pub mod chart;
// 2. coalescing
mod coalesce;
// 3. schema
pub mod schema;
// 4. the template engine (and its Go-template dialect's runtime)
mod engine;
mod gotmpl;
// 5. the manifest stream
mod manifest;
// The orchestrator, and what reads its result.
pub mod lint;
mod release;
// Tooling on top: a Helm chart rewritten as a Jinja chart.
pub mod convert;

mod error;

#[cfg(test)]
mod test_support;

pub use chart::Chart;
pub use coalesce::{ChartValues, chart_values};
pub use engine::{
    DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, Engine, EngineOptions, FUEL, KubeVersion,
    MAX_INCLUDE_DEPTH,
};
pub use error::{Error, Result};
pub use manifest::{Crd, Hook, INSTALL_ORDER, Manifest, Rendered, StreamOptions};
pub use release::{RenderOptions, name_from_template, release_values, render_release};
pub use rudder_values::{FsReader, Map, UserValues, Value, ValuesOptions};
