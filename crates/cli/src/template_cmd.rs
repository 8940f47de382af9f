//! `rudder template [NAME] CHART [flags]`.

use std::io::Write;

use rudder_render::{Chart, Engine};

use crate::Failure;
use crate::args::TemplateCmd;
use crate::values_cmd::StdinOrFs;

pub(crate) fn run(
    cmd: &TemplateCmd,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let user = cmd.values.merge(&mut StdinOrFs::default())?;
    for w in &user.warnings {
        writeln!(err, "warning: {w}")?;
    }
    let engine = Engine::new(Chart::load(&cmd.chart)?, &cmd.engine)?;
    let rendered = engine.render(user.values, &cmd.render)?;
    match &cmd.output_dir {
        None => out.write_all(rendered.stream(&cmd.stream)?.as_bytes())?,
        Some(dir) => write_output_dir(&rendered, cmd, dir, out)?,
    }
    std::mem::forget(engine);
    Ok(())
}

/// `--output-dir`: one file per template, every document appended, each
/// file written atomically; a `wrote PATH` line per document as Helm prints.
fn write_output_dir(
    rendered: &rudder_render::Rendered,
    cmd: &TemplateCmd,
    dir: &std::path::Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let docs = rendered.output_documents(&cmd.stream);
    let mut files: Vec<(&str, String)> = Vec::new();
    for (path, text) in &docs {
        match files.iter_mut().find(|(p, _)| p == path) {
            Some((_, content)) => content.push_str(text),
            None => files.push((path, text.clone())),
        }
    }
    for (path, content) in &files {
        write_atomically(&dir.join(path), content.as_bytes())?;
    }
    // Helm joins the directory as typed and the path with '/'.
    let shown = dir.display().to_string();
    for (path, _) in &docs {
        writeln!(out, "wrote {shown}/{path}")?;
    }
    writeln!(out)?;
    if !cmd.stream.show_only.is_empty() {
        // Helm filters what it printed, which with --output-dir is nothing.
        let list = cmd.stream.show_only.join(", ");
        return Err(rudder_render::Error::Chart {
            path: "--show-only".to_owned(),
            message: format!("could not find template {list} in chart: --show-only cannot be combined with --output-dir"),
        }
        .into());
    }
    Ok(())
}

/// Writes via a temporary file and a rename, so a failed run leaves no
/// half-written file.
fn write_atomically(target: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = target.with_extension("rudder-tmp");
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, target)
}
