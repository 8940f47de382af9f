//! The Go-template dialect in the engine: which charts use it, compiling
//! their files, and the engine calls that must know a template's dialect
//! (`include`, `template`, `tpl`, printing nil).
//!
//! A chart is a Helm (Go-template) chart unless its `Chart.yaml` says
//! `annotations: {rudder.dev/templates: jinja}`. Both dialects share one
//! minijinja environment, every function and object; a Go file is
//! translated by [`rudder_gotmpl`] and registered under its Helm path, its
//! defines under `define:NAME`, exactly where the Jinja dialect puts them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use minijinja::value::Value;
use minijinja::{ErrorKind, State};
use rudder_gotmpl::Limits;

use super::errors::{GoMeta, exec_error_text, parse_error_text, strip_no_value};
use super::inventory::HelmFunctions;
use crate::chart::Chart;
use crate::engine::repeats::include_frame;

/// The annotation a Jinja chart carries, and its value.
pub(crate) const DIALECT_ANNOTATION: &str = "rudder.dev/templates";
/// The value that makes a chart a Jinja chart.
pub(crate) const JINJA: &str = "jinja";
/// The annotation that gives a Jinja chart's templates Go's scope and
/// printing: they see only `ctx` (Helm's dot), never its keys as names, so
/// no key of a value passed to `include` can hide a function (`include "x"
/// (dict "list" 1)` and a call to `list`); and a nil prints as Go's `<no
/// value>`, which Helm removes from a file's output but not from what
/// `include` returns (a checksum of an included file sees it). `rudder
/// convert` writes it: the translated templates read everything through
/// `ctx`, as Go templates read dot.
pub(crate) const SCOPE_ANNOTATION: &str = "rudder.dev/scope";
/// Its one value.
pub(crate) const CTX: &str = "ctx";

/// Marks an error text that is already Go's complete text (a
/// `{{template}}` call passes its callee's error on unchanged).
pub(crate) const PASS: &str = "\u{1}go\u{1}";

/// Whether `chart`'s templates are Go templates (Helm's) — every chart not
/// annotated as Jinja.
pub(crate) fn is_go_chart(chart: &Chart) -> bool {
    let annotated = chart
        .metadata
        .raw
        .get("annotations")
        .and_then(|a| a.as_map())
        .and_then(|a| a.get(DIALECT_ANNOTATION))
        .and_then(|v| v.as_str());
    annotated != Some(JINJA)
}

/// Whether a Jinja chart's templates see only `ctx` ([`SCOPE_ANNOTATION`]).
pub(crate) fn is_ctx_scope(chart: &Chart) -> bool {
    chart
        .metadata
        .raw
        .get("annotations")
        .and_then(|a| a.as_map())
        .and_then(|a| a.get(SCOPE_ANNOTATION))
        .and_then(|v| v.as_str())
        == Some(CTX)
}

/// The Go-dialect templates of an engine and what their errors need.
#[derive(Debug, Default)]
pub(crate) struct GoSet {
    /// By registered template name (file path or `define:NAME`).
    metas: HashMap<String, Arc<GoMeta>>,
    /// `tpl` texts translated at run time, by registered name.
    dynamic: Mutex<HashMap<String, (String, Arc<GoMeta>)>>,
    /// Jinja templates (files and defines) of charts with Go's scope.
    ctx_only: std::collections::HashSet<String>,
}

impl GoSet {
    /// Whether the template registered as `name` is a Go template.
    pub(crate) fn is_go(&self, name: &str) -> bool {
        self.metas.contains_key(name) || name.starts_with(TPL_PREFIX)
    }

    /// Whether the Jinja template registered as `name` sees only `ctx`.
    pub(crate) fn is_ctx_only(&self, name: &str) -> bool {
        self.ctx_only.contains(name)
    }

    /// Gives the Jinja template registered as `name` Go's scope.
    pub(crate) fn set_ctx_only(&mut self, name: String) {
        self.ctx_only.insert(name);
    }

    /// What error mapping needs for template `name`.
    pub(crate) fn meta(&self, name: &str) -> Option<Arc<GoMeta>> {
        if let Some(m) = self.metas.get(name) {
            return Some(m.clone());
        }
        let dynamic = self.dynamic.lock().unwrap_or_else(|p| p.into_inner());
        dynamic.get(name).map(|(_, m)| m.clone())
    }

    /// The source of a `tpl` template registered at run time.
    pub(crate) fn dynamic_source(&self, name: &str) -> Option<String> {
        let dynamic = self.dynamic.lock().unwrap_or_else(|p| p.into_inner());
        dynamic.get(name).map(|(s, _)| s.clone())
    }

    /// Translates the Go file `path` and adds its body and defines to
    /// `sources`. Files come in Helm's parse order; a later define of a
    /// name replaces an earlier one unless it is empty (Go's
    /// `AddParseTree`).
    pub(crate) fn add_file(
        &mut self,
        sources: &mut HashMap<String, String>,
        path: &str,
        src: &str,
        funcs: &HelmFunctions,
    ) -> Result<(), String> {
        let t = rudder_gotmpl::translate(path, src, funcs, &Limits::default())
            .map_err(|e| parse_error_text(&e))?;
        let src: Arc<str> = Arc::from(src);
        for d in t.defines {
            let key = format!("define:{}", d.name);
            if d.empty && sources.contains_key(&key) {
                continue;
            }
            self.metas.insert(
                key.clone(),
                Arc::new(GoMeta {
                    file: path.to_owned(),
                    src: src.clone(),
                    executing: d.name,
                    map: d.output.map,
                }),
            );
            sources.insert(key, d.output.source);
        }
        self.metas.insert(
            path.to_owned(),
            Arc::new(GoMeta {
                file: path.to_owned(),
                src,
                executing: path.to_owned(),
                map: t.main.map,
            }),
        );
        sources.insert(path.to_owned(), t.main.source);
        Ok(())
    }
}

const TPL_PREFIX: &str = "tpl\u{1}";

/// The context a Go template renders with: only `ctx` (Go's dot), so no key
/// of the data can hide a function name.
pub(crate) fn go_context(dot: Value) -> Value {
    Value::from_pairs([("ctx", dot)])
}

/// Go's text for an error `e` of the Go template registered as `name`.
pub(crate) fn go_error_text(go: &GoSet, name: &str, e: &minijinja::Error) -> String {
    if let Some(detail) = e.detail()
        && let Some(rest) = detail.strip_prefix(PASS)
    {
        return rest.to_owned();
    }
    match go.meta(name) {
        Some(meta) => exec_error_text(&meta, e),
        None => format!("template: {name}: {}", e.detail().unwrap_or_default()),
    }
}

fn fail(msg: String) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, msg)
}

/// Renders the template registered as `key` with `dot`, in its dialect.
/// A Go template's failure comes back as Go's text.
fn render_named(
    state: &State,
    go: &GoSet,
    key: &str,
    dot: Value,
    jinja_context: &dyn Fn(Value) -> Value,
) -> Result<Option<String>, minijinja::Error> {
    let t = match state.env().get_template(key) {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::TemplateNotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if go.is_go(key) {
        return t
            .render(go_context(dot))
            .map(Some)
            .map_err(|e| fail(go_error_text(go, key, &e)));
    }
    let ctx = if go.is_ctx_only(key) {
        go_context(dot)
    } else {
        jinja_context(dot)
    };
    let framed = !go.is_go(state.name());
    t.render(ctx)
        .map(Some)
        .map_err(|e| if framed { include_frame(e) } else { e })
}

/// Helm's `include NAME DATA`: a define by name, else a template file by
/// its path (`include (print $.Template.BasePath "/cm.yaml") .`).
pub(crate) fn include(
    state: &State,
    go: &GoSet,
    name: &str,
    dot: Value,
    jinja_context: &dyn Fn(Value) -> Value,
) -> Result<String, minijinja::Error> {
    let key = format!("define:{name}");
    if let Some(out) = render_named(state, go, &key, dot.clone(), jinja_context)? {
        return Ok(out);
    }
    if !name.starts_with("define:")
        && let Some(out) = render_named(state, go, name, dot, jinja_context)?
    {
        return Ok(out);
    }
    let caller_go = go.is_go(state.name());
    Err(if caller_go {
        fail(format!(
            "template: no template {name:?} associated with template \"gotpl\""
        ))
    } else {
        minijinja::Error::new(
            ErrorKind::TemplateNotFound,
            format!(
                "include: no template named {name:?}; define it with {{% define \"{name}\" %}}"
            ),
        )
    })
}

/// Go's `{{template "name" dot}}`: like include, but a missing template
/// reads `template "x" not defined` and the callee's error passes through.
pub(crate) fn template(
    state: &State,
    go: &GoSet,
    name: &str,
    dot: Value,
    jinja_context: &dyn Fn(Value) -> Value,
) -> Result<String, minijinja::Error> {
    let mut keys = vec![format!("define:{name}")];
    keys.push(name.to_owned());
    for key in keys {
        let t = match state.env().get_template(&key) {
            Ok(t) => t,
            Err(e) if e.kind() == ErrorKind::TemplateNotFound => continue,
            Err(e) => return Err(e),
        };
        return if go.is_go(&key) {
            t.render(go_context(dot))
                .map_err(|e| fail(format!("{PASS}{}", go_error_text(go, &key, &e))))
        } else {
            let ctx = if go.is_ctx_only(&key) {
                go_context(dot)
            } else {
                jinja_context(dot)
            };
            let framed = !go.is_go(state.name());
            t.render(ctx)
                .map_err(|e| if framed { include_frame(e) } else { e })
        };
    }
    Err(fail(format!("template {name:?} not defined")))
}

/// Helm's `tpl TEXT DATA` from a Go template: the text is translated once
/// (cached by text) and rendered as a template named `gotpl`, as Helm does.
pub(crate) fn go_tpl(
    state: &State,
    go: &GoSet,
    funcs: &HelmFunctions,
    text: &str,
    dot: Value,
) -> Result<String, minijinja::Error> {
    let key = format!("{TPL_PREFIX}{text}");
    let known = {
        let dynamic = go.dynamic.lock().unwrap_or_else(|p| p.into_inner());
        dynamic.contains_key(&key)
    };
    if !known {
        let t = rudder_gotmpl::translate("gotpl", text, funcs, &Limits::default())
            .map_err(|e| fail(format!("cannot parse template {}: {e}", go_quote(text))))?;
        let meta = Arc::new(GoMeta {
            file: "gotpl".to_owned(),
            src: Arc::from(text),
            executing: "gotpl".to_owned(),
            map: t.main.map,
        });
        let mut dynamic = go.dynamic.lock().unwrap_or_else(|p| p.into_inner());
        dynamic.insert(key.clone(), (t.main.source, meta));
    }
    let t = state.env().get_template(&key)?;
    t.render(go_context(dot)).map(strip_no_value).map_err(|e| {
        fail(format!(
            "error during tpl function execution for {}: {}",
            go_quote(text),
            go_error_text(go, &key, &e)
        ))
    })
}

/// Go's `%q`.
fn go_quote(s: &str) -> String {
    crate::funcs::gofmt::go_quote(s)
}
