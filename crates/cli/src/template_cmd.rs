//! `rudder template [NAME] CHART [flags]`.

use std::io::Write;

use std::path::Path;

use crate::Failure;
use crate::args::Release;

pub(crate) fn run(
    release: &Release,
    output_dir: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let rendered = crate::release::render(release, err)?;
    match (output_dir, &release.post_renderer) {
        (None, None) => out.write_all(rendered.stream(&release.stream)?.as_bytes())?,
        (None, Some(p)) => {
            let stream = rendered.stream(&release.stream)?;
            out.write_all(crate::post_render::run(p, &stream)?.as_bytes())?;
        }
        (Some(dir), None) => write_output_dir(&rendered, &release.stream, dir, out)?,
        (Some(_), Some(_)) => return Err(crate::post_render::with_output_dir()),
    }
    Ok(())
}

/// `--output-dir`: one file per template, every document appended, each
/// file written atomically; a `wrote PATH` line per document as Helm prints.
fn write_output_dir(
    rendered: &rudder_render::Rendered,
    stream: &rudder_render::StreamOptions,
    dir: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let docs = rendered.output_documents(stream);
    let mut files: Vec<(&str, String)> = Vec::new();
    for (path, text) in &docs {
        match files.iter_mut().find(|(p, _)| p == path) {
            Some((_, content)) => content.push_str(text),
            None => files.push((path, text.clone())),
        }
    }
    // Every path is checked before anything is written.
    for (path, _) in &files {
        check_inside(path)?;
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
    if !stream.show_only.is_empty() {
        // Helm filters what it printed, which with --output-dir is nothing.
        let list = stream.show_only.join(", ");
        return Err(rudder_render::Error::Chart {
            path: "--show-only".to_owned(),
            message: format!("could not find template {list} in chart: --show-only cannot be combined with --output-dir"),
        }
        .into());
    }
    Ok(())
}

/// Refuses an output path that would leave `--output-dir`: absolute, or
/// with a `..` component. (Chart names, aliases and chart file paths are
/// checked on load, so this is a second line of defence.)
fn check_inside(path: &str) -> Result<(), rudder_render::Error> {
    use std::path::Component;
    let inside = !path.is_empty()
        && std::path::Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && !path.split(['/', '\\']).any(|p| p == "..");
    if inside {
        return Ok(());
    }
    Err(rudder_render::Error::Chart {
        path: path.to_owned(),
        message: "this template path would be written outside --output-dir; nothing was written"
            .to_owned(),
    })
}

/// Writes via a temporary file and a rename, so a failed run leaves no
/// half-written file (the temporary file is removed on failure).
fn write_atomically(target: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = target.with_extension("rudder-tmp");
    let result = std::fs::write(&tmp, data).and_then(|()| std::fs::rename(&tmp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
#[path = "template_cmd_tests.rs"]
mod tests;
