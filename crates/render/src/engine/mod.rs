//! The template engine: a loaded chart compiled once into a minijinja
//! environment, rendering the chart's template files for any number of
//! releases, from any number of threads (Helm's `pkg/engine`).
//!
//! The environment is set up for YAML, not HTML: no auto-escaping, trailing
//! newlines kept, undefined values printing as nothing (Helm's
//! `missingkey=zero`) unless strict, values printed with Go's `%v`. Every
//! template file of the chart and of every subchart (under its alias) is
//! available by its Helm path, e.g. `dispatch/charts/argo-cd/templates/x`;
//! named templates (`{% define %}`) live beside them. What a render changes
//! lives in per-render state ([`state`]), never in the engine, so renders
//! neither wait for each other nor share their random streams.
//!
//! The engine only renders files; coalescing values, the schema, and
//! turning rendered files into the manifest stream are the stages around
//! it, joined by [`crate::release`].

pub(crate) mod calls;
pub(crate) mod defines;
mod hints;
mod objects;
pub(crate) mod repeats;
mod scope;
pub(crate) mod stack;
pub(crate) mod state;
mod subcharts;

use std::collections::HashMap;
use std::sync::Arc;

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use rudder_values::Value as V;

use crate::chart::Chart;
use crate::funcs::convert;
use crate::funcs::dicts::{Dict, Extended};
use crate::funcs::random::Rng;
use crate::{Error, Result};

pub use objects::{DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, KubeVersion};

/// Helm's limit on nested `include`/`tpl` calls (per template name).
pub const MAX_INCLUDE_DEPTH: usize = 1000;
/// rudder's limit on all nested `include`/`tpl` calls together, whatever
/// their names: a ring of many named templates calling each other stays
/// under Helm's per-name limit while nesting without end (each level holds
/// a render's state, tens of KiB).
const MAX_TOTAL_NESTING: usize = 10 * MAX_INCLUDE_DEPTH;
/// rudder's limit on `include`/`tpl`/`template` calls in one render,
/// nested or not: a helper that includes itself twice per level stays
/// under every nesting limit while its calls double per level (Helm runs
/// such a chart until it is killed). The largest public charts make a few
/// thousand calls; a million takes about 3 s.
const MAX_INCLUDE_CALLS: usize = 1_000_000;
/// rudder's limit on the bytes those calls return in one render (each
/// level's result counted, as each level copies it).
const MAX_INCLUDE_OUTPUT: usize = 512 << 20;
/// Instructions one template render may run (minijinja fuel): ends runaway
/// loops in well under a second.
pub const FUEL: u64 = 10_000_000;
/// Stack reserved for a render: the deepest value a template can build with
/// [`FUEL`] steps (about 1.7M levels) is freed recursively in far less.
pub(crate) const RENDER_STACK_BYTES: usize = 1 << 30;

const DEFINE_PREFIX: &str = "define:";

/// How an [`Engine`] compiles templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineOptions {
    /// `--strict`: using an undefined value is an error instead of
    /// rendering as nothing.
    pub strict: bool,
    /// Keep the template excerpt under a chart rule's own message (`fail`,
    /// `required`), as `--debug`; without it the message stands alone.
    pub debug: bool,
    /// Render on the caller's own stack instead of a fresh 1 GiB stack
    /// (both on the calling thread). Saves mapping that stack and faulting
    /// in the pages a render touches (~3 µs a small render); only for
    /// callers that already run on a stack that large, or that render
    /// charts and values they trust (a template can build a value deep
    /// enough to overflow a small stack when it is freed).
    pub same_thread: bool,
    /// The most stack a render may use, in bytes (default: 1 GiB, or an
    /// eighth of the process's address-space limit). A program that caps
    /// its memory counts this in: the stack is not heap, and a template
    /// that recurses without bound fills it.
    pub max_stack: Option<usize>,
    /// Accept any release name: helm-unittest renders as `RELEASE-NAME`
    /// (uppercase, which Helm's release-name check refuses) and checks a
    /// name only when a suite sets one; `rudder unittest` does the same.
    pub any_release_name: bool,
}

/// A chart compiled for rendering. Load once, render many releases, from
/// as many threads as you like: `Engine` is `Send + Sync` and holds nothing
/// a render changes.
#[derive(Debug)]
pub struct Engine {
    pub(crate) chart: Chart,
    env: Environment<'static>,
    /// The Go-template files among the templates (the dialect of every
    /// chart not annotated as Jinja).
    go: Arc<crate::gotmpl::dialect::GoSet>,
    pub(crate) same_thread: bool,
    pub(crate) max_stack: Option<usize>,
    debug: bool,
    pub(crate) any_release_name: bool,
    /// `--strict`: unknown values keys are errors (see `coalesce::unknown`).
    pub(crate) strict: bool,
    /// The chart tree's `values.schema.json` files, compiled on first use.
    pub(crate) schemas: crate::schema::Cache,
    /// Each Jinja define's home: an error inside a define names the file
    /// that holds it and shows its own lines.
    define_homes: HashMap<String, Home>,
}

/// The file a Jinja define was lifted from.
#[derive(Debug)]
struct Home {
    file: String,
    text: Arc<str>,
    /// Line `n` of the define's compiled body is line `n + line_offset` of
    /// `text` (`defines::Define::line_offset`).
    line_offset: usize,
}

/// The release-wide objects every template of a render sees.
pub(crate) struct ReleaseObjects {
    release: Value,
    capabilities: Value,
}

impl ReleaseObjects {
    /// `.Release` and `.Capabilities` of one release.
    pub(crate) fn new(
        name: &str,
        namespace: &str,
        is_upgrade: bool,
        revision: i64,
        kube: &KubeVersion,
        api_versions: &[String],
    ) -> ReleaseObjects {
        ReleaseObjects {
            release: objects::release(name, namespace, is_upgrade, revision),
            capabilities: objects::capabilities(kube, api_versions),
        }
    }
}

/// What rendering a chart's template files produced (Helm's
/// `engine.Render` result), before it becomes a manifest stream.
#[derive(Debug, Default)]
pub(crate) struct RenderedFiles {
    /// Rendered manifest files (Helm path, text): not partials, not empty,
    /// not `NOTES.txt`.
    pub(crate) texts: Vec<(String, String)>,
    /// The top chart's rendered `NOTES.txt`.
    pub(crate) notes: Option<String>,
    /// Every template that failed.
    pub(crate) errors: Vec<Error>,
}

impl Engine {
    /// Compiles `chart` (templates are compiled on first use and kept).
    pub fn new(chart: Chart, options: &EngineOptions) -> Result<Engine> {
        let mut env = base_environment(options);
        crate::gotmpl::register_fallbacks(&mut env);
        let funcs = Arc::new(crate::gotmpl::inventory::HelmFunctions::new(
            env.globals().map(|(n, _)| n.to_owned()),
        ));
        let mut sources: HashMap<String, String> = HashMap::new();
        let mut go = crate::gotmpl::dialect::GoSet::default();
        let mut files = Vec::new();
        collect_templates(&chart, &chart.metadata.name, &mut files);
        // Helm parses templates deepest path first, then in reverse
        // lexical order, so a parent's define wins over a subchart's.
        files.sort_by(|(a, ..), (b, ..)| {
            let (da, db) = (a.matches('/').count(), b.matches('/').count());
            db.cmp(&da).then_with(|| b.cmp(a))
        });
        let mut errors = Vec::new();
        let mut define_homes = HashMap::new();
        for (path, source, dialect) in files {
            if dialect == Dialect::Go {
                if let Err(mut message) = go.add_file(&mut sources, &path, &source, &funcs) {
                    let chart = path.split("/templates/").next().unwrap_or(&path);
                    with_hint(
                        &mut message,
                        hints::other_dialect(source.as_bytes(), chart, true),
                    );
                    errors.push(Error::GoTemplate {
                        template: path,
                        message,
                    });
                }
                continue;
            }
            match defines::extract(&source) {
                Ok((text, defs)) => {
                    let home: Option<Arc<str>> = (!defs.is_empty()).then(|| source.as_str().into());
                    for d in defs {
                        if let Some(home) = &home {
                            define_homes.insert(
                                d.name.clone(),
                                Home {
                                    file: path.clone(),
                                    text: home.clone(),
                                    line_offset: d.line_offset,
                                },
                            );
                        }
                        let key = format!("{DEFINE_PREFIX}{}", d.name);
                        if dialect == Dialect::JinjaCtx {
                            go.set_ctx_only(key.clone());
                        }
                        sources.insert(key, d.body);
                    }
                    if dialect == Dialect::JinjaCtx {
                        go.set_ctx_only(path.clone());
                    }
                    sources.insert(path, text);
                }
                Err((line, message)) => errors.push(Error::Template {
                    template: path,
                    within: None,
                    line: Some(line),
                    message,
                }),
            }
        }
        Error::collect(errors)?;
        let go = Arc::new(go);
        crate::gotmpl::register_engine_calls(&mut env, go.clone(), funcs, options.strict);
        let sources = Arc::new(sources);
        let dynamic = go.clone();
        env.set_loader(move |name| {
            Ok(sources
                .get(name)
                .cloned()
                .or_else(|| dynamic.dynamic_source(name)))
        });
        Ok(Engine {
            chart,
            env,
            go,
            same_thread: options.same_thread,
            max_stack: options.max_stack,
            debug: options.debug,
            any_release_name: options.any_release_name,
            strict: options.strict,
            schemas: crate::schema::Cache::default(),
            define_homes,
        })
    }

    /// The chart this engine renders.
    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// Renders every template file of `chart` (the chart as coalescing left
    /// it: disabled subcharts removed) with `values`, the top chart's
    /// `.Values`. Call inside a [`state::RenderState`].
    pub(crate) fn render_files(
        &self,
        chart: &Chart,
        values: Arc<V>,
        release: &ReleaseObjects,
    ) -> RenderedFiles {
        let mut out = RenderedFiles::default();
        let top = chart.metadata.name.clone();
        let values = convert::values(values);
        self.render_chart(chart, &top, &values, release, &mut out);
        // Helm executes files deepest path first, then in reverse lexical
        // order, and stops at the first failure: listing rudder's errors in
        // that order puts Helm's own error first.
        out.errors.sort_by_key(|e| match e {
            Error::GoTemplate { template, .. } | Error::Template { template, .. } => Some((
                std::cmp::Reverse(template.matches('/').count()),
                std::cmp::Reverse(template.clone()),
            )),
            _ => None,
        });
        out.errors = repeats::merge(std::mem::take(&mut out.errors));
        out
    }

    /// Renders every template file of `chart` (at Helm path `path`) and its
    /// subcharts into `out`, in the order Helm executes them: deepest path
    /// first, then reverse lexical (`engine.sortTemplates`). The order
    /// matters beyond errors: templates may change the maps they share
    /// (`set . "k" v`, `set .Values.x "k" v`), and a file sees what the
    /// files executed before it changed.
    fn render_chart(
        &self,
        chart: &Chart,
        path: &str,
        values: &Value,
        release: &ReleaseObjects,
        out: &mut RenderedFiles,
    ) {
        let mut scopes = Vec::new();
        chart_scopes(chart, path.to_owned(), values.clone(), true, &mut scopes);
        let mut files: Vec<(String, usize, &crate::chart::File)> = scopes
            .iter()
            .enumerate()
            // A library chart only lends its named templates.
            .filter(|(_, s)| s.chart.metadata.kind.as_deref() != Some("library"))
            .flat_map(|(i, s)| {
                s.chart
                    .templates
                    .iter()
                    .map(move |f| (format!("{}/{}", s.path, f.name), i, f))
            })
            // Partials are never rendered as files, only included (Helm).
            .filter(|(name, ..)| !name.rsplit('/').next().is_some_and(|b| b.starts_with('_')))
            .collect();
        files.sort_by(|(a, ..), (b, ..)| {
            let (da, db) = (a.matches('/').count(), b.matches('/').count());
            db.cmp(&da).then_with(|| b.cmp(a))
        });
        for (name, i, f) in files {
            self.render_file(&scopes[i], name, f, release, out);
        }
    }

    /// Renders the template file `f` (Helm path `name`) of the chart
    /// `chart` into `out`.
    fn render_file(
        &self,
        chart: &ChartScope<'_>,
        name: String,
        f: &crate::chart::File,
        release: &ReleaseObjects,
        out: &mut RenderedFiles,
    ) {
        let ChartScope {
            path,
            is_root,
            chart_obj,
            files,
            base,
            is_go,
            ctx_scope,
            subs,
            extra,
            values,
            ..
        } = chart;
        let (path, is_root, is_go, ctx_scope) = (path.as_str(), *is_root, *is_go, *ctx_scope);
        let root = Value::from_object(scope::Root {
            values: values.clone(),
            release: release.release.clone(),
            chart: chart_obj.clone(),
            capabilities: release.capabilities.clone(),
            template: objects::template(&name, base),
            files: files.clone(),
            subcharts: subcharts::value(subs, &release.release, &release.capabilities, &name),
        });
        let root = Extended::value(root, extra.clone());
        let text = if is_go {
            let rendered = self
                .env
                .get_template(&name)
                .and_then(|t| t.render(crate::gotmpl::dialect::go_context(root)));
            match rendered {
                Ok(t) => crate::gotmpl::errors::strip_no_value(t),
                Err(e) => {
                    let text = crate::gotmpl::dialect::go_error_text(&self.go, &name, &e);
                    let mut message = crate::gotmpl::errors::helm_format(&name, &text);
                    with_hint(&mut message, hints::other_dialect(&f.data, path, true));
                    out.errors.push(Error::GoTemplate {
                        message,
                        template: name,
                    });
                    return;
                }
            }
        } else {
            let rendered = self.env.get_template(&name).and_then(|t| {
                t.render(if ctx_scope {
                    crate::gotmpl::dialect::go_context(root)
                } else {
                    calls::context_for(root)
                })
            });
            match rendered {
                Ok(t) if ctx_scope => crate::gotmpl::errors::strip_no_value(t),
                Ok(t) => t,
                Err(e) => {
                    // A chart rule's failure is the author's message:
                    // shown alone unless --debug.
                    let rule = calls::take_chart_rule().filter(|_| !self.debug);
                    let mut error = template_error(&name, &e, &self.define_homes, rule);
                    if let Error::Template { message, .. } = &mut error
                        && e.kind() == ErrorKind::SyntaxError
                    {
                        with_hint(message, hints::other_dialect(&f.data, path, false));
                    }
                    out.errors.push(error);
                    return;
                }
            }
        };
        let base_name = name.rsplit('/').next().unwrap_or(&name);
        if name.ends_with("NOTES.txt") {
            if is_root && f.name == "templates/NOTES.txt" {
                out.notes = Some(text);
            }
            return;
        }
        if base_name.starts_with('_') || text.trim().is_empty() {
            return;
        }
        out.texts.push((name, text));
    }
}

/// One chart of the tree as its templates see it, for one render.
struct ChartScope<'c> {
    chart: &'c Chart,
    path: String,
    values: Value,
    is_root: bool,
    chart_obj: Value,
    files: Value,
    base: String,
    is_go: bool,
    ctx_scope: bool,
    subs: Arc<[subcharts::Sub]>,
    /// The keys templates add to the chart's `.` (see [`Extended`]).
    extra: Arc<Dict>,
}

/// `chart` (at Helm path `path`) and its subcharts, each with its values.
fn chart_scopes<'c>(
    chart: &'c Chart,
    path: String,
    values: Value,
    is_root: bool,
    out: &mut Vec<ChartScope<'c>>,
) {
    for sub in &chart.dependencies {
        // A subchart sees its own part of the tree (shared, not copied).
        let sub_values = subcharts::sub_values(&values, sub.name());
        chart_scopes(
            sub,
            format!("{path}/charts/{}", sub.name()),
            sub_values,
            false,
            out,
        );
    }
    out.push(ChartScope {
        chart,
        chart_obj: objects::chart(chart, is_root),
        files: Value::from_object(objects::Files(chart.files.clone())),
        base: format!("{path}/templates"),
        is_go: crate::gotmpl::dialect::is_go_chart(chart),
        ctx_scope: crate::gotmpl::dialect::is_ctx_scope(chart),
        subs: subcharts::tree(chart, &path, &values),
        extra: Arc::default(),
        values,
        is_root,
        path,
    });
}

/// Helm's function names as the Go-template translator sees them, for
/// translating outside an engine (`rudder convert`).
pub(crate) fn helm_functions() -> crate::gotmpl::inventory::HelmFunctions {
    let mut env = base_environment(&EngineOptions::default());
    crate::gotmpl::register_fallbacks(&mut env);
    crate::gotmpl::inventory::HelmFunctions::new(env.globals().map(|(n, _)| n.to_owned()))
}

/// The environment both dialects share: YAML output, Go's printing, the
/// function library and the engine calls.
fn base_environment(options: &EngineOptions) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    let mut syntax = minijinja::syntax::SyntaxConfig::builder();
    syntax.keep_trailing_newline(true);
    if let Ok(s) = syntax.build() {
        env.set_syntax(s);
    }
    env.set_undefined_behavior(if options.strict {
        UndefinedBehavior::Strict
    } else {
        UndefinedBehavior::Chainable
    });
    env.set_fuel(Some(FUEL));
    env.set_debug(true);
    // Outside a render (a library user calling a function through the
    // environment) these are the sources; a render brings its own.
    crate::funcs::register(&mut env, Rng::new(None), crate::funcs::Clock::new(None));
    // Jinja's own `string`, `tojson` and `pprint` walk values without a
    // bound; a namespace holding itself would recurse until the stack
    // overflows. They print as rudder prints everything else: Go's
    // text, Helm's JSON.
    env.add_filter("string", crate::funcs::strings::to_string);
    env.add_filter("tojson", crate::funcs::encoding::to_json);
    env.add_filter("pprint", crate::funcs::encoding::to_pretty_json);
    calls::register(&mut env);
    env
}

/// Prints a value as Go does; nil prints as nothing in Jinja templates and
/// as Go's `<no value>` in Go templates (Helm removes it from the file).
pub(crate) fn print_value(
    out: &mut minijinja::Output<'_>,
    value: &Value,
    go: bool,
) -> std::result::Result<(), minijinja::Error> {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None if go => {
            out.write_str("<no value>").map_err(Into::into)
        }
        ValueKind::Undefined | ValueKind::None => Ok(()),
        ValueKind::String => out
            .write_str(value.as_str().unwrap_or_default())
            .map_err(Into::into),
        // Go prints a value with a String method (Capabilities.KubeVersion)
        // through it.
        _ if let Some(k) = value.downcast_object_ref::<KubeVersion>() => {
            out.write_str(&k.version).map_err(Into::into)
        }
        _ => {
            let text =
                crate::funcs::bounded("printing", || crate::funcs::gofmt::format_value(value))?;
            out.write_str(&text).map_err(Into::into)
        }
    }
}

/// Every template file of the chart tree, by Helm path, subcharts under
/// each name they can take (alias or chart name), with its chart's
/// dialect. A library chart lends only its `_` files (Helm's
/// `isTemplateValid`).
fn collect_templates(chart: &Chart, path: &str, out: &mut Vec<(String, String, Dialect)>) {
    let dialect = if crate::gotmpl::dialect::is_go_chart(chart) {
        Dialect::Go
    } else if crate::gotmpl::dialect::is_ctx_scope(chart) {
        Dialect::JinjaCtx
    } else {
        Dialect::Jinja
    };
    let library = chart.metadata.kind.as_deref() == Some("library");
    for f in chart.templates.iter() {
        let base = f.name.rsplit('/').next().unwrap_or(&f.name);
        if library && !base.starts_with('_') {
            continue;
        }
        out.push((
            format!("{path}/{}", f.name),
            String::from_utf8_lossy(&f.data).into_owned(),
            dialect,
        ));
    }
    for sub in &chart.dependencies {
        let reqs = chart.metadata.dependencies.iter().flatten();
        let mut names: Vec<&str> = reqs
            .filter(|r| {
                r.name == sub.name()
                    && crate::funcs::semver::satisfies(&r.version, &sub.metadata.version)
            })
            .map(|r| r.effective_name())
            .collect();
        if names.is_empty() {
            names.push(sub.name());
        }
        for n in names {
            collect_templates(sub, &format!("{path}/charts/{n}"), out);
        }
    }
}

/// How a template file is compiled and which names it sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// A Go template, translated.
    Go,
    /// Jinja, seeing `ctx` and its keys.
    Jinja,
    /// Jinja with Go's scope: `ctx` only.
    JinjaCtx,
}

/// Appends `hint`, when there is one, as the message's last line.
fn with_hint(message: &mut String, hint: Option<String>) {
    if let Some(hint) = hint {
        message.push('\n');
        message.push_str(&hint);
    }
}

fn template_error(
    name: &str,
    e: &minijinja::Error,
    homes: &HashMap<String, Home>,
    rule: Option<String>,
) -> Error {
    // An include's failure: the cause is reported, the include call's
    // line is where the file reached it.
    let (e, caller_line) = repeats::unframe(e);
    // `fail`/`required`: the chart author's message needs no excerpt.
    let rule = rule.filter(|r| e.detail() == Some(r.as_str()));
    let mut message = match e.kind() {
        ErrorKind::OutOfFuel => format!(
            "the template ran past rudder's limit of {FUEL} steps; look for a loop that never ends or a very large range"
        ),
        _ => e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned),
    };
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = std::error::Error::source(inner);
    }
    let within = e
        .name()
        .filter(|n| *n != name)
        .map(|n| n.trim_start_matches(DEFINE_PREFIX).to_owned());
    let home = within.as_deref().and_then(|w| homes.get(w));
    let snippet = e.display_debug_info().to_string();
    let snippet = snippet
        .lines()
        .skip_while(|l| !l.contains('|'))
        .take_while(|l| !l.starts_with("Referenced variables") && !l.contains("~~~~~~~~~"))
        .map(|l| match home {
            Some(home) => file_row(l, home),
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    if rule.is_none() && !snippet.trim().is_empty() {
        message = format!("{message}\n{snippet}");
    }
    // Reported at the helper's file, with the including file named (see
    // `repeats`: one problem however many files include it).
    if home.is_some() {
        message.push('\n');
        message.push_str(repeats::INCLUDED_FROM);
        message.push_str(name);
        if let Some(line) = caller_line {
            message.push(':');
            message.push_str(&line.to_string());
        }
    }
    Error::Template {
        template: home.map_or_else(|| name.to_owned(), |h| h.file.clone()),
        within,
        line: e.line().map(|l| l + home.map_or(0, |h| h.line_offset)),
        message,
    }
}

/// An excerpt row (`  12 | text`, `  12 > text`) of a define's compiled
/// source, showing the file's line instead: the compiled lines before
/// the body are padding, the rest of the body's line is its home's
/// `line_offset` (`defines::extract` keeps columns).
fn file_row(row: &str, home: &Home) -> String {
    let trimmed = row.trim_start();
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let rest = &trimmed[digits..];
    let (Ok(n), Some(marker)) = (
        trimmed[..digits].parse::<usize>(),
        rest.strip_prefix(" | ")
            .map(|_| " | ")
            .or_else(|| rest.strip_prefix(" > ").map(|_| " > ")),
    ) else {
        return row.to_owned();
    };
    let n = n + home.line_offset;
    let Some(line) = n.checked_sub(1).and_then(|i| home.text.lines().nth(i)) else {
        return row.to_owned();
    };
    // minijinja's row format (`debug.rs`: `{:>4} | {}`).
    format!("{n:>4}{marker}{line}")
}

#[cfg(test)]
mod tests;
