//! Charts compiled into this crate, addressed in Helm's `repo/chart` form.

use std::path::Path;

use rudder_render::Chart;
use rudder_render::chart::File;

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Helm repository names for the bundled charts, as the products' docs
/// write them (`helm install … dispatch/dispatch`, `opsmx/isd`).
const REPOS: &[(&str, &str)] = &[("dispatch", "dispatch"), ("isd", "opsmx")];

/// One bundled chart.
pub struct Bundled {
    /// `dispatch/dispatch`.
    pub reference: String,
    files: &'static [ChartFile],
}

impl Bundled {
    /// The chart's files.
    pub fn files(&self) -> Vec<File> {
        self.files
            .iter()
            .map(|(n, d)| File {
                name: (*n).to_owned(),
                data: d.to_vec(),
            })
            .collect()
    }

    /// Loads the chart.
    pub fn load(&self) -> rudder_render::Result<Chart> {
        Chart::from_files(self.files(), &self.reference)
    }
}

/// Every bundled chart.
pub fn all() -> Vec<Bundled> {
    BUNDLED
        .iter()
        .map(|(name, files)| {
            let repo = REPOS
                .iter()
                .find(|(n, _)| n == name)
                .map_or(*name, |(_, r)| r);
            Bundled {
                reference: format!("{repo}/{name}"),
                files,
            }
        })
        .collect()
}

/// The bundled chart `reference` names (`dispatch/dispatch`), if any.
pub fn find(reference: &str) -> Option<Bundled> {
    all().into_iter().find(|b| b.reference == reference)
}

/// Loads a chart reference: a local directory or `.tgz` always wins; then a
/// bundled chart in `repo/chart` form.
pub fn load(reference: &str) -> crate::Result<Chart> {
    if Path::new(reference).exists() {
        return Ok(Chart::load(reference)?);
    }
    match find(reference) {
        Some(b) => Ok(b.load()?),
        None => {
            let known = all()
                .iter()
                .map(|b| b.reference.clone())
                .collect::<Vec<_>>()
                .join(", ");
            let known = if known.is_empty() {
                "none in this build".to_owned()
            } else {
                known
            };
            Err(crate::Error::UnknownChart {
                reference: reference.to_owned(),
                known,
            })
        }
    }
}
