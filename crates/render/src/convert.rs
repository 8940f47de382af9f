//! `rudder convert`: a Helm (Go-template) chart rewritten as a rudder
//! (Jinja) chart that renders the same bytes.
//!
//! Each Go template is translated by the translator the engine uses for
//! Helm charts, into the same minijinja source calling the same runtime
//! helpers, so the converted chart's output is the original's by
//! construction. What a converted chart needs besides its templates is
//! written into its `Chart.yaml`:
//!
//! * `rudder.dev/templates: jinja`, which makes it a Jinja chart;
//! * `rudder.dev/scope: ctx`: its templates see only `ctx`, Helm's dot, as
//!   Go templates do, so a key of a value passed to `include` (`dict "list"
//!   …`) never hides a function the translation calls.
//!
//! Helm's `tpl` becomes rudder's `gotpl`: values files keep carrying Go
//! template text (`{{ .Release.Name }}-db`), which a Jinja chart's `tpl`
//! would read as Jinja. A define is written as a `{% define %}` block where
//! Go has it; an empty define (Go's `IsEmptyTree`) that another file of the
//! tree defines with a body is dropped, since Go never lets an empty
//! definition replace a full one and Jinja's defines simply take the last.
//! Every translated node stays on its Go line (padded with newline-only
//! comments), so the converted chart's errors name the lines Helm names.
//!
//! Everything else is copied byte for byte: values, schema, `.Files`,
//! subcharts in directories (converted in turn) and archived subcharts
//! (`charts/*.tgz`, left as Helm charts, which a Jinja chart may depend on).

use std::collections::HashSet;

use rudder_gotmpl::ast::Define;
use rudder_gotmpl::{Call, Functions, Limits};

use crate::chart::{Chart, File};
use crate::gotmpl::dialect::{CTX, DIALECT_ANNOTATION, JINJA, SCOPE_ANNOTATION};
use crate::gotmpl::errors::parse_error_text;
use crate::gotmpl::inventory::HelmFunctions;
use crate::{Error, Result};

/// A converted chart.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// Every file of the rudder chart, paths relative to its root.
    pub files: Vec<File>,
    /// The Go templates translated.
    pub templates: usize,
    /// Charts of the tree that are not converted, by path: archived
    /// subcharts, and subcharts that already are Jinja charts.
    pub kept: Vec<String>,
}

/// Converts the Helm chart made of `files` (paths relative to its root, as
/// [`crate::chart::read_files`] returns them). `origin` names the chart in
/// messages. Fails with every template that does not parse, or when the
/// chart is a Jinja chart already.
pub fn convert(files: Vec<File>, origin: &str) -> Result<Conversion> {
    let root = Chart::from_files(files.clone(), origin)?;
    if !crate::gotmpl::dialect::is_go_chart(&root) {
        return Err(Error::chart(
            format!("{origin}/Chart.yaml"),
            format!(
                "is a rudder (Jinja) chart already ({DIALECT_ANNOTATION}: {JINJA}); convert takes a Helm chart"
            ),
        ));
    }
    let funcs = ConvertFunctions(crate::engine::helm_functions());
    let roots = chart_roots(&files, origin)?;
    let mut out = Conversion {
        files: Vec::with_capacity(files.len()),
        templates: 0,
        kept: roots
            .iter()
            .filter(|r| !r.go)
            .map(|r| format!("{origin}/{}", r.prefix))
            .collect(),
    };
    out.kept.extend(
        files
            .iter()
            .filter(|f| is_dependency_archive(&roots, &f.name))
            .map(|f| format!("{origin}/{}", f.name)),
    );
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for f in files {
        let Some(r) = owner(&roots, &f.name).filter(|r| r.go) else {
            out.files.push(f);
            continue;
        };
        let rel = &f.name[r.prefix.len()..];
        if rel == "Chart.yaml" {
            match annotate(&String::from_utf8_lossy(&f.data)) {
                Some(text) => out.files.push(File::new(f.name, text)),
                None => errors.push(Error::chart(
                    format!("{origin}/{}", f.name),
                    format!(
                        "cannot add the annotations {DIALECT_ANNOTATION}: {JINJA} and {SCOPE_ANNOTATION}: {CTX}: \
                         `annotations` is not a block map; write it as one (one `key: value` per line) and convert again"
                    ),
                )),
            }
            continue;
        }
        if !rel.starts_with("templates/") {
            out.files.push(f);
            continue;
        }
        let path = format!("{}/{}", root.metadata.name, f.name);
        let src = String::from_utf8_lossy(&f.data).into_owned();
        match rudder_gotmpl::parse(&path, &src, &funcs, &Limits::default()) {
            Ok(t) => parsed.push((f.name, path, src, t)),
            Err(e) => errors.push(Error::GoTemplate {
                template: path,
                message: parse_error_text(&e),
            }),
        }
    }
    Error::collect(errors)?;
    let full: HashSet<String> = parsed
        .iter()
        .flat_map(|(_, _, src, t)| t.defines.iter().filter(|d| !d.is_empty(src)))
        .map(|d| d.name.clone())
        .collect();
    out.templates = parsed.len();
    let mut errors = Vec::new();
    for (name, path, src, t) in parsed {
        let keep = |d: &Define| !(d.is_empty(&src) && full.contains(d.name.as_str()));
        match rudder_gotmpl::translate_aligned(&t, &src, &funcs, &keep) {
            Ok(text) => out.files.push(File::new(name, text)),
            Err(e) => errors.push(Error::GoTemplate {
                template: path,
                message: parse_error_text(&e),
            }),
        }
    }
    Error::collect(errors)?;
    out.files.sort_by(|a, b| a.name.cmp(&b.name));
    // The converted tree must load, every converted chart as a Jinja chart
    // with Go's scope.
    for r in chart_roots(&out.files, origin)? {
        if r.go || !r.ctx {
            return Err(Error::chart(
                format!("{origin}/{}Chart.yaml", r.prefix),
                format!(
                    "the annotations {DIALECT_ANNOTATION}: {JINJA} and {SCOPE_ANNOTATION}: {CTX} did not take; add them by hand"
                ),
            ));
        }
    }
    Ok(out)
}

/// Helm's functions, with `tpl` called as `gotpl` (see the module docs).
struct ConvertFunctions(HelmFunctions);

impl Functions for ConvertFunctions {
    fn has(&self, name: &str) -> bool {
        self.0.has(name)
    }

    fn call(&self, name: &str) -> Call {
        self.0.call(name)
    }

    fn jinja_name<'a>(&self, name: &'a str) -> &'a str {
        if name == "tpl" { "gotpl" } else { name }
    }
}

/// One chart of the tree: where its files start, and whether it is a
/// Helm chart (converted) or a Jinja one (kept).
#[derive(Debug)]
struct Root {
    /// `""` for the top chart, `charts/sub/` (and deeper) for subcharts.
    prefix: String,
    go: bool,
    /// A Jinja chart with Go's scope.
    ctx: bool,
}

/// Every chart directory of the tree (where a `Chart.yaml` is, under
/// `charts/`), deepest first so [`owner`] finds the nearest.
fn chart_roots(files: &[File], origin: &str) -> Result<Vec<Root>> {
    let mut roots = Vec::new();
    for f in files {
        let Some(prefix) = f.name.strip_suffix("Chart.yaml") else {
            continue;
        };
        if !(prefix.is_empty() || is_subchart_dir(prefix)) {
            continue;
        }
        let sub: Vec<File> = files
            .iter()
            .filter_map(|g| {
                g.name
                    .strip_prefix(prefix)
                    .map(|rest| File::new(rest, g.data.clone()))
            })
            .collect();
        let chart = Chart::from_files(sub, &format!("{origin}/{prefix}"))?;
        roots.push(Root {
            prefix: prefix.to_owned(),
            go: crate::gotmpl::dialect::is_go_chart(&chart),
            ctx: crate::gotmpl::dialect::is_ctx_scope(&chart),
        });
    }
    roots.sort_by_key(|r| std::cmp::Reverse(r.prefix.len()));
    Ok(roots)
}

/// Whether `prefix` (ending in `/`) is `charts/NAME/`, repeated.
fn is_subchart_dir(prefix: &str) -> bool {
    let parts: Vec<&str> = prefix.trim_end_matches('/').split('/').collect();
    parts.len().is_multiple_of(2)
        && parts
            .chunks(2)
            .all(|p| p[0] == "charts" && !p[1].is_empty())
}

/// The nearest chart holding file `name`.
fn owner<'a>(roots: &'a [Root], name: &str) -> Option<&'a Root> {
    roots.iter().find(|r| name.starts_with(&r.prefix))
}

/// Whether `name` is a chart archive directly in a chart's `charts/`.
fn is_dependency_archive(roots: &[Root], name: &str) -> bool {
    owner(roots, name).is_some_and(|r| {
        let rel = &name[r.prefix.len()..];
        rel.strip_prefix("charts/")
            .is_some_and(|n| !n.contains('/') && n.ends_with(".tgz"))
    })
}

/// `Chart.yaml`'s text with the two annotations added, as lines of its
/// own (comments and layout kept); `None` when `annotations` is written in
/// flow style. The result is checked by loading it.
fn annotate(text: &str) -> Option<String> {
    let lines = [
        format!("{DIALECT_ANNOTATION}: {JINJA}"),
        format!("{SCOPE_ANNOTATION}: {CTX}"),
    ];
    let mut out = String::with_capacity(text.len() + 80);
    let mut rest = text.split_inclusive('\n').peekable();
    let mut found = false;
    while let Some(line) = rest.next() {
        let key = line.trim_end();
        // `annotations: {}` (an empty flow map, as helm create's charts
        // have it) becomes a block map holding the two.
        if !found
            && key
                .strip_prefix("annotations:")
                .is_some_and(|after| after.trim() == "{}")
        {
            found = true;
            out.push_str("annotations:\n");
            for l in &lines {
                out.push_str("  ");
                out.push_str(l);
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        let is_annotations = key
            .strip_prefix("annotations:")
            .is_some_and(|after| after.trim().is_empty() || after.trim_start().starts_with('#'));
        if !is_annotations {
            if key.starts_with("annotations:") {
                return None;
            }
            continue;
        }
        found = true;
        if !line.ends_with('\n') {
            out.push('\n');
        }
        // The existing entries' indentation, else two spaces.
        let indent = rest
            .clone()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| &l[..l.len() - l.trim_start().len()])
            .filter(|i| !i.is_empty())
            .unwrap_or("  ")
            .to_owned();
        for l in &lines {
            out.push_str(&indent);
            out.push_str(l);
            out.push('\n');
        }
        // A key already there would now be a duplicate: drop the old one.
        let ours = |l: &str| {
            let t = l.trim_start();
            t.starts_with(&format!("{DIALECT_ANNOTATION}:"))
                || t.starts_with(&format!("{SCOPE_ANNOTATION}:"))
        };
        while let Some(l) = rest.peek() {
            if l.starts_with(&indent) || l.trim().is_empty() {
                let l = rest.next().unwrap_or_default();
                if !ours(l) {
                    out.push_str(l);
                }
            } else {
                break;
            }
        }
    }
    if !found {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("annotations:\n");
        for l in &lines {
            out.push_str("  ");
            out.push_str(l);
            out.push('\n');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
