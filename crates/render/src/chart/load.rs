//! Loading charts from disk: Helm's `loader.LoadDir`, `LoadArchive` and
//! `LoadFiles`.

use std::path::{Path, PathBuf};

use super::archive::{File, check_entry_path, read_tgz, strip_bom};
use super::{Chart, Metadata};
use crate::{Error, Result};

pub(super) fn load_path(path: &Path) -> Result<Chart> {
    from_files(read_files(path)?, &path.display().to_string())
}

/// The files of a chart directory (`.helmignore` applied) or `.tgz`.
pub(super) fn read_files(path: &Path) -> Result<Vec<File>> {
    let origin = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: origin.clone(),
        source,
    })?;
    if meta.is_dir() {
        read_dir(path)
    } else {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: origin.clone(),
            source,
        })?;
        read_tgz(&bytes, &origin)
    }
}

/// Every regular file under `root`, sorted, with paths relative to it.
/// Symbolic links are followed only while they stay inside the chart.
fn read_dir(root: &Path) -> Result<Vec<File>> {
    let canon_root = root.canonicalize().map_err(|source| Error::Io {
        path: root.display().to_string(),
        source,
    })?;
    let rules = match std::fs::read_to_string(root.join(".helmignore")) {
        Ok(text) => super::ignore::Rules::parse(&text),
        Err(_) => super::ignore::Rules::parse(""),
    };
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !rules.ignore(&relative(root, e.path()), e.file_type().is_dir()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
            Error::chart(path, format!("cannot read chart directory: {e}"))
        })?;
        let path = entry.path();
        if entry.path_is_symlink() {
            let target = path.canonicalize().map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            if !target.starts_with(&canon_root) {
                return Err(Error::chart(
                    path.display().to_string(),
                    format!(
                        "symbolic link points outside the chart (to {}); copy the file into the chart instead",
                        target.display()
                    ),
                ));
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(root, path);
        if rel.split('/').any(|part| part == ".git") {
            continue;
        }
        let data = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        files.push(File {
            name: rel,
            data: strip_bom(data),
        });
    }
    Ok(files)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Helm's `LoadFiles`: sorts files into the chart's parts.
pub(super) fn from_files(files: Vec<File>, origin: &str) -> Result<Chart> {
    let mut chart_yaml = None;
    let mut values = None;
    let mut schema = None;
    let mut requirements = None;
    let mut templates = Vec::new();
    let mut other = Vec::new();
    let mut subcharts: std::collections::BTreeMap<String, Vec<File>> = Default::default();

    for f in files {
        check_entry_path(&f.name)
            .map_err(|m| Error::chart(origin, format!("file {:?} {m}", f.name)))?;
        match f.name.as_str() {
            "Chart.yaml" => chart_yaml = Some(f),
            "values.yaml" => values = Some(f),
            "values.schema.json" => schema = Some(f.data),
            "requirements.yaml" => requirements = Some(f),
            name if name.starts_with("templates/") => templates.push(f),
            name if name.starts_with("charts/") => {
                let rest = &name["charts/".len()..];
                let (top, _) = rest.split_once('/').unwrap_or((rest, ""));
                subcharts.entry(top.to_owned()).or_default().push(f);
            }
            _ => other.push(f),
        }
    }

    let at = |file: &str| format!("{origin}/{file}");
    let Some(chart_yaml) = chart_yaml else {
        return Err(Error::chart(
            origin,
            "Chart.yaml is missing: this is not a chart directory or archive",
        ));
    };
    let mut metadata = Metadata::parse(&text(&chart_yaml, &at("Chart.yaml"))?, &at("Chart.yaml"))?;
    // apiVersion v1 charts list their dependencies in requirements.yaml.
    if metadata.api_version == "v1" {
        if let Some(req) = requirements {
            let path = at("requirements.yaml");
            let wrapped = format!(
                "apiVersion: v1\nname: x\nversion: 0.0.0\n{}",
                text(&req, &path)?
            );
            metadata.dependencies = Metadata::parse(&wrapped, &path)?.dependencies;
        }
    } else if let Some(req) = requirements {
        other.push(req);
    }
    let values = match values {
        Some(f) => {
            let path = at("values.yaml");
            rudder_values::yaml::parse_values(&text(&f, &path)?, &path)?
        }
        None => Default::default(),
    };

    let mut dependencies = Vec::new();
    let mut errors = Vec::new();
    for (name, files) in subcharts {
        // Helm skips names starting with '_' or '.' under charts/.
        if name.starts_with(['_', '.']) {
            continue;
        }
        let sub_origin = at(&format!("charts/{name}"));
        let loaded = if name.ends_with(".tgz") {
            match files.as_slice() {
                [f] if f.name == format!("charts/{name}") => {
                    read_tgz(&f.data, &sub_origin).and_then(|fs| from_files(fs, &sub_origin))
                }
                _ => Err(Error::chart(
                    &sub_origin,
                    "a directory named like an archive; rename it",
                )),
            }
        } else {
            let prefix = format!("charts/{name}/");
            let inner = files
                .into_iter()
                .filter_map(|f| {
                    f.name.strip_prefix(&prefix).map(|n| File {
                        name: n.to_owned(),
                        data: f.data,
                    })
                })
                .collect::<Vec<_>>();
            if inner.is_empty() {
                continue;
            }
            from_files(inner, &sub_origin)
        };
        match loaded {
            Ok(c) => dependencies.push(c),
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;

    Ok(Chart {
        metadata,
        values,
        schema: schema.map(Into::into),
        templates: templates.into(),
        files: other.into(),
        dependencies,
        origin: origin.to_owned(),
    })
}

fn text(f: &File, path: &str) -> Result<String> {
    String::from_utf8(f.data.clone()).map_err(|e| {
        Error::chart(
            path,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}
