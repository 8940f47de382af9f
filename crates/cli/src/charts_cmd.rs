//! `rudder charts`, `rudder pull`, `rudder completions`.

use std::io::Write;
use std::path::Path;

use crate::Failure;

/// Lists the bundled charts: reference, version, app version, description.
pub(crate) fn list(out: &mut dyn Write) -> Result<(), Failure> {
    writeln!(
        out,
        "{:<22} {:<10} {:<12} DESCRIPTION",
        "NAME", "VERSION", "APP VERSION"
    )?;
    for b in rudder_charts::bundled::all() {
        let chart = b.load()?;
        let raw = &chart.metadata.raw;
        let text = |k: &str| raw.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        writeln!(
            out,
            "{:<22} {:<10} {:<12} {}",
            b.reference,
            chart.metadata.version,
            chart.metadata.app_version.clone().unwrap_or_default(),
            text("description")
        )?;
    }
    Ok(())
}

/// Writes a bundled chart's files under `dir`.
pub(crate) fn pull(reference: &str, dir: &Path, err: &mut dyn Write) -> Result<(), Failure> {
    let Some(b) = rudder_charts::bundled::find(reference) else {
        let _ = rudder_charts::bundled::load(reference)?;
        return Ok(());
    };
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Failure::Command {
            at: dir.display().to_string(),
            message: "exists and is not empty; pull into a new directory".to_owned(),
        });
    }
    for f in b.files() {
        let target = dir.join(&f.name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &f.data)?;
    }
    writeln!(err, "pulled {} into {}", b.reference, dir.display())?;
    Ok(())
}

/// Prints a completion script.
pub(crate) fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<(), Failure> {
    // clap_complete panics when its writer fails (a closed pipe); write
    // into memory, then out through the usual error path.
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut crate::args::command(), "rudder", &mut buf);
    out.write_all(&buf)?;
    Ok(())
}
