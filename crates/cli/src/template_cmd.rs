//! `rudder template [NAME] CHART [flags]`.

use std::io::Write;

use rudder_render::{Chart, Engine};

use crate::Failure;
use crate::args::TemplateCmd;
use crate::values_cmd::StdinOrFs;

pub(crate) fn run(cmd: &TemplateCmd, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let user = cmd.values.merge(&mut StdinOrFs::default())?;
    for w in &user.warnings {
        writeln!(err, "warning: {w}")?;
    }
    let engine = Engine::new(Chart::load(&cmd.chart)?, &cmd.engine)?;
    let rendered = engine.render(user.values, &cmd.render)?;
    match &cmd.output_dir {
        None => out.write_all(cmd_stream(&rendered, cmd)?.as_bytes())?,
        Some(dir) => {
            for (path, content) in rendered.output_files(&cmd.stream) {
                let target = dir.join(&path);
                write_atomically(&target, content.as_bytes())?;
                writeln!(out, "wrote {}", target.display())?;
            }
        }
    }
    std::mem::forget(engine);
    Ok(())
}

fn cmd_stream(r: &rudder_render::Rendered, cmd: &TemplateCmd) -> Result<String, Failure> {
    Ok(r.stream(&cmd.stream)?)
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
