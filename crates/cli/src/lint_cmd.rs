//! `rudder lint [NAME] CHART [flags]`.

use std::io::Write;

use crate::Failure;
use crate::args::Release;

/// Problems go to stderr, one per line with their source; exit code 1 when
/// there is any. Values, schema and render errors are reported as usual
/// (every one at once).
pub(crate) fn run(release: &Release, err: &mut dyn Write) -> Result<(), Failure> {
    let rendered = crate::release::render(release, err)?;
    let problems = rudder_render::lint::check(&rendered);
    let objects = rendered.manifests.len() + rendered.hooks.len();
    if problems.is_empty() {
        writeln!(err, "lint: {} objects, no problems", objects)?;
        return Ok(());
    }
    Err(Failure::Lint(
        problems.iter().map(ToString::to_string).collect(),
    ))
}
