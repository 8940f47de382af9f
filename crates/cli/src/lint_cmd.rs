//! `rudder lint [NAME] CHART [flags]`.

use std::io::Write;

use rudder_render::Engine;
use rudder_render::lint::{self, Severity};

use crate::Failure;
use crate::args::Release;

/// Warnings go to stderr as `warning:` lines and do not fail the run;
/// errors fail it (exit 1), listed as every other failure is. Values,
/// schema and render errors are reported as usual (every one at once).
pub(crate) fn run(release: &Release, err: &mut dyn Write) -> Result<(), Failure> {
    let (chart, user) = crate::release::prepare(release, err)?;
    // The chart's `rudder.dev/external` declarations, read before the
    // engine takes the chart.
    let options = lint::Options::for_chart(&chart, &release.render.namespace);
    let engine = Engine::new(chart, &release.engine)?;
    let rendered = engine.render(user.values, &release.render)?;
    let problems = lint::check(&rendered, &options);
    let (errors, warnings): (Vec<_>, Vec<_>) =
        problems.iter().partition(|p| p.severity == Severity::Error);
    for w in &warnings {
        crate::warn(err, &w.to_string())?;
    }
    let objects = rendered.manifests.len() + rendered.hooks.len();
    if errors.is_empty() {
        writeln!(
            err,
            "lint: {objects} objects, no errors, {} warning{}",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        )?;
        return Ok(());
    }
    Err(Failure::Lint(
        errors.iter().map(ToString::to_string).collect(),
    ))
}
