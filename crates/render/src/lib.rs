//! Load Helm charts and render them into `helm template`'s manifest stream.
//!
//! rudder renders Helm charts whose templates are written in Jinja
//! (minijinja) instead of Go templates; everything else — chart layout,
//! values semantics, object and function names, output — is Helm's.
//!
//! * [`Chart::load`] reads a chart directory or `.tgz`, subcharts included.
//! * [`chart_values`] computes the `.Values` its templates see, exactly as
//!   `helm template` does (defaults, subcharts under their names or aliases,
//!   `global`, conditions, tags, `import-values`).
//! * [`Engine`] compiles a chart once and renders any number of releases
//!   ([`Engine::render`]); [`Rendered::stream`] prints the result as `helm
//!   template` does.
//!
//! ```
//! use rudder_render::{Chart, Engine, EngineOptions, RenderOptions, StreamOptions};
//! use rudder_values::{FsReader, ValuesOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::env::temp_dir().join(format!("rudder-doc-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("templates"))?;
//! std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n")?;
//! std::fs::write(dir.join("values.yaml"), "image: {tag: latest}\n")?;
//! std::fs::write(
//!     dir.join("templates/cm.yaml"),
//!     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ Release.Name }}-config\n\
//!      data:\n  tag: {{ Values.image.tag | quote }}\n",
//! )?;
//!
//! let engine = Engine::new(Chart::load(&dir)?, &EngineOptions::default())?;
//! let opts = ValuesOptions { set: vec!["image.tag=1.2.3".into()], ..Default::default() };
//! let user = opts.merge(&mut FsReader)?;
//! let release = RenderOptions { release_name: "web".into(), ..Default::default() };
//! let out = engine.render(user.values, &release)?.stream(&StreamOptions::default())?;
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
//! # Templates
//!
//! Templates see `Values`, `Release`, `Chart`, `Capabilities`, `Template`
//! and `Files` with Helm's field names, and `ctx`, Helm's dot (the root
//! object, or the value passed to a named template). Named templates are
//! `{% define "name" %}…{% enddefine %}` blocks in any template file, called
//! with `include("name", ctx)`. The calling convention for Helm's functions
//! — the value a Helm user pipes is the filter's input, the other arguments
//! keep Helm's order — is documented in [`funcs`].
#![forbid(unsafe_code)]

pub mod chart;
mod engine;
mod error;
pub mod funcs;
mod gotmpl;
pub mod lint;
pub mod schema;
mod values;

#[cfg(test)]
mod test_support;

pub use chart::Chart;
pub use engine::{
    Crd, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, Engine, EngineOptions, FUEL, Hook,
    INSTALL_ORDER, KubeVersion, MAX_INCLUDE_DEPTH, Manifest, RenderOptions, Rendered,
    StreamOptions,
};
pub use error::{Error, Result};
pub use values::{ChartValues, chart_values};
