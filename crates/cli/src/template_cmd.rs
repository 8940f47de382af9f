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
        write_atomically(dir, path, content.as_bytes())?;
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

/// Writes `data` to `dir/path` via a temporary file and a rename, so a
/// failed run leaves no half-written file (the temporary file is removed on
/// failure).
///
/// Nothing below `dir` is followed: a directory on the way that is a
/// symbolic link is refused (Helm follows it and writes wherever it
/// points; the README promises no escape), missing directories are created
/// one by one, and the temporary file has a unique random name created
/// exclusively (`O_CREAT|O_EXCL`, which does not follow a link), so a
/// planted link cannot redirect it and two runs into one directory do not
/// share it. The rename replaces a link at the target itself, never what
/// it points to. `dir` itself is the user's to choose, link or not.
fn write_atomically(dir: &Path, path: &str, data: &[u8]) -> std::io::Result<()> {
    let target = dir.join(path);
    let mut parent = dir.to_path_buf();
    let mut parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let file_name = parts.pop().unwrap_or_default();
    std::fs::create_dir_all(dir).map_err(|e| at(dir, e))?;
    for part in parts {
        parent.push(part);
        ensure_dir(&parent)?;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".rudder-tmp")
        .tempfile_in(&parent)
        .map_err(|e| at(&parent, e))?;
    std::io::Write::write_all(tmp.as_file_mut(), data).map_err(|e| at(&target, e))?;
    // On failure `persist` hands the file back; dropping it removes it.
    tmp.persist(&target).map_err(|e| at(&target, e.error))?;
    Ok(())
}

/// Makes sure `path` is a real directory (not a link), creating it if
/// missing; another run creating it at the same time is fine.
fn ensure_dir(path: &Path) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    let check = |meta: std::fs::Metadata| {
        if meta.file_type().is_symlink() {
            Err(Error::new(
                ErrorKind::AlreadyExists,
                format!(
                    "{} is a symbolic link; rudder does not follow links inside --output-dir (remove it, or choose another directory)",
                    path.display()
                ),
            ))
        } else if meta.is_dir() {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::AlreadyExists,
                format!(
                    "{} is a file where rudder needs a directory; remove it, or choose another --output-dir",
                    path.display()
                ),
            ))
        }
    };
    match std::fs::symlink_metadata(path) {
        Ok(meta) => check(meta),
        Err(e) if e.kind() == ErrorKind::NotFound => match std::fs::create_dir(path) {
            Ok(()) => Ok(()),
            // Created by another run in between: check what is there now.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                check(std::fs::symlink_metadata(path).map_err(|e| at(path, e))?)
            }
            Err(e) => Err(at(path, e)),
        },
        Err(e) => Err(at(path, e)),
    }
}

/// The error with the path it concerns (std's messages name none).
fn at(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
#[path = "template_cmd_tests.rs"]
mod tests;
