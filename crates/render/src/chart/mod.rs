//! Charts: `Chart.yaml`, default values, templates, files and subcharts,
//! loaded from a directory or a `.tgz` as Helm's loader does.

mod archive;
mod ignore;
mod load;
mod metadata;

pub(crate) use archive::check_entry_path;
pub use archive::{File, MAX_ARCHIVE_BYTES, MAX_FILE_BYTES};
pub use metadata::{Dependency, ImportValue, Metadata};

use std::sync::Arc;

use rudder_values::Map;

/// A loaded chart and, recursively, its subcharts.
///
/// The file contents are shared (`Arc`): a clone, such as the chart after
/// dependency processing that every render makes, copies no file.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `Chart.yaml`.
    pub metadata: Metadata,
    /// `values.yaml`, every document merged (Helm 4's `LoadValues`).
    pub values: Map,
    /// `values.schema.json`, if any.
    pub schema: Option<Arc<[u8]>>,
    /// `templates/**`, sorted by name.
    pub templates: Arc<[File]>,
    /// Every other file (what `.Files` serves), sorted by name.
    pub files: Arc<[File]>,
    /// Subcharts from `charts/`, as directories or `.tgz`, sorted by name.
    pub dependencies: Vec<Chart>,
    /// Where the chart was loaded from, for messages: a path, or
    /// `parent/charts/sub.tgz` for an archived subchart.
    pub origin: String,
}

impl Chart {
    /// Loads a chart from a directory or a `.tgz` archive.
    pub fn load(path: impl AsRef<std::path::Path>) -> crate::Result<Chart> {
        load::load_path(path.as_ref())
    }

    /// Builds a chart from its files (paths relative to the chart root), as
    /// Helm's `loader.LoadFiles`. `origin` names the chart in messages.
    pub fn from_files(files: Vec<File>, origin: &str) -> crate::Result<Chart> {
        load::from_files(files, origin)
    }

    /// The chart's name (for a subchart loaded under an alias, the alias).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}

/// Every file of the chart directory (`.helmignore` applied, links kept
/// inside the chart) or `.tgz` archive at `path`, with paths relative to
/// the chart's root, as [`Chart::from_files`] takes them.
pub fn read_files(path: impl AsRef<std::path::Path>) -> crate::Result<Vec<File>> {
    load::read_files(path.as_ref())
}

/// A chart from `(path, text)` pairs, for tests; subcharts are
/// `charts/NAME/...`.
#[cfg(test)]
pub(crate) fn test_chart(files: &[(&str, &str)]) -> Chart {
    let files = files
        .iter()
        .map(|(n, d)| File {
            name: (*n).to_owned(),
            data: d.as_bytes().to_vec(),
        })
        .collect();
    Chart::from_files(files, "test").expect("chart loads")
}
