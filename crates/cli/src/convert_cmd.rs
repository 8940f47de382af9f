//! `rudder convert CHART OUT`: a Helm chart written out as a rudder
//! (Jinja) chart (see `rudder_render::convert`), then checked by rendering
//! both with their defaults.

use std::io::Write;
use std::path::Path;

use rudder_render::chart::File;
use rudder_render::{
    Chart, Engine, EngineOptions, Map, RenderOptions, StreamOptions, render_release,
};

use crate::Failure;

pub(crate) fn run(chart: &Path, out: &Path, err: &mut dyn Write) -> Result<(), Failure> {
    let files = rudder_render::chart::read_files(chart)?;
    let origin = chart.display().to_string();
    let conversion = rudder_render::convert::convert(files.clone(), &origin)?;
    write_tree(out, &conversion.files)?;
    writeln!(
        err,
        "converted {origin} into {}: {} templates",
        out.display(),
        conversion.templates
    )?;
    for kept in &conversion.kept {
        writeln!(err, "  kept as a Helm chart: {kept}")?;
    }
    match same_output(files, conversion.files, &origin) {
        Ok(None) => writeln!(err, "checked: both render the same with their defaults")?,
        Ok(Some(line)) => crate::warn(
            err,
            &format!(
                "the rudder chart renders differently with the defaults, first at line {line}; please report it"
            ),
        )?,
        Err(e) => writeln!(
            err,
            "not checked: the chart does not render with its defaults ({})",
            e.to_string().lines().next().unwrap_or_default()
        )?,
    }
    Ok(())
}

/// Writes `files` under `dir`, which must not exist or be empty; each
/// file is created new (never through a link planted in the way).
fn write_tree(dir: &Path, files: &[File]) -> Result<(), Failure> {
    let occupied = dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
    if occupied {
        return Err(Failure::Command {
            at: dir.display().to_string(),
            message: "exists and is not empty; convert into a new directory".to_owned(),
        });
    }
    for f in files {
        let target = dir.join(&f.name);
        let at = |e: std::io::Error| Failure::Command {
            at: target.display().to_string(),
            message: format!("cannot write: {e}"),
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(at)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(at)?;
        file.write_all(&f.data).map_err(at)?;
    }
    Ok(())
}

/// The first line (1-based) where the two charts' default renders differ,
/// or `None` when they are the same.
fn same_output(
    helm: Vec<File>,
    rudder: Vec<File>,
    origin: &str,
) -> Result<Option<usize>, rudder_render::Error> {
    // Random functions and `now` pinned, so only the templates can differ.
    let opts = RenderOptions {
        seed: Some(0),
        now: Some(std::time::SystemTime::now()),
        ..RenderOptions::default()
    };
    let render = |files: Vec<File>| -> Result<String, rudder_render::Error> {
        let engine = Engine::new(Chart::from_files(files, origin)?, &EngineOptions::default())?;
        render_release(&engine, Map::default(), &opts)?.stream(&StreamOptions::default())
    };
    let (a, b) = (render(helm)?, render(rudder)?);
    if a == b {
        return Ok(None);
    }
    let differs = a.lines().zip(b.lines()).position(|(x, y)| x != y);
    Ok(Some(
        differs.unwrap_or_else(|| a.lines().count().min(b.lines().count())) + 1,
    ))
}
