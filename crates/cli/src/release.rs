//! What every rendering command shares: load the chart (local or bundled),
//! read the user's values (Konvoy block, files, flags), render.

use std::io::{Read, Write};

use rudder_render::{Chart, Engine, Rendered, render_release};
use rudder_values::{Map, ReadFile, UserValues};

use crate::Failure;
use crate::args::Release;

/// The chart and the user's values for a release; warnings already printed.
pub(crate) fn prepare(
    release: &Release,
    err: &mut dyn Write,
) -> Result<(Chart, UserValues), Failure> {
    let chart = rudder_charts::bundled::load(&release.chart)?;
    let mut base = Map::new();
    if let Some(k) = &release.konvoy {
        let text = std::fs::read_to_string(&k.path).map_err(|source| Failure::Command {
            at: format!("--from-konvoy {}", k.path),
            message: source.to_string(),
        })?;
        let addon = k.addon.clone().unwrap_or_else(|| chart.name().to_owned());
        let found = rudder_charts::konvoy::addon_values(&text, &k.path, &addon)?;
        if found.disabled {
            crate::warn(
                err,
                &format!(
                    "addon {addon:?} is disabled in {} (enabled: false); rendering it anyway",
                    k.path
                ),
            )?;
        }
        base = found.values;
    }
    let user = release.values.merge_over(base, &mut StdinOrFs::default())?;
    crate::warn_all(err, &user.warnings)?;
    Ok((chart, user))
}

/// Renders the release; Helm's coalescing warnings printed.
pub(crate) fn render(release: &Release, err: &mut dyn Write) -> Result<Rendered, Failure> {
    let (chart, user) = prepare(release, err)?;
    render_prepared(chart, user, release, err)
}

/// Renders a release from what [`prepare`] gave; Helm's coalescing
/// warnings printed.
pub(crate) fn render_prepared(
    chart: Chart,
    user: UserValues,
    release: &Release,
    err: &mut dyn Write,
) -> Result<Rendered, Failure> {
    crate::memory::doing(crate::memory::Doing::Rendering(chart.name().to_owned()));
    let engine = Engine::new(chart, &release.engine)?;
    let mut rendered = render_release(&engine, user.values, &release.render)?;
    crate::warn_all(err, &rendered.warnings)?;
    // The process ends soon after: the OS reclaims these faster than drop
    // (the values tree of a 10 MB values file takes tens of ms to free).
    std::mem::forget(std::mem::take(&mut rendered.values));
    std::mem::forget(engine);
    Ok(rendered)
}

/// Files from disk; `-` is standard input, read once (a second `-` gets
/// what is left: nothing, as in Helm).
#[derive(Default)]
pub(crate) struct StdinOrFs {
    stdin_used: bool,
}

impl ReadFile for StdinOrFs {
    fn read(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        let shown = if path.trim() == "-" {
            "- (standard input)"
        } else {
            path
        };
        crate::memory::doing(crate::memory::Doing::ReadingValues(shown.to_owned()));
        if path.trim() != "-" {
            if let Ok(meta) = std::fs::metadata(path)
                && meta.len() > crate::progress::LARGE_FILE
            {
                // Parsing takes about a second per 10 MB.
                #[allow(clippy::cast_precision_loss)]
                let mb = meta.len() as f64 / 1e6;
                crate::progress::line(&format!("reading values file {path} ({mb:.1} MB)…"));
            }
            return std::fs::read(path);
        }
        let mut buf = Vec::new();
        if !std::mem::replace(&mut self.stdin_used, true) {
            std::io::stdin().lock().read_to_end(&mut buf)?;
        }
        Ok(buf)
    }
}
