//! Values keys no chart knows: `--set argo-cd.konvoydex.enabled=true` (a
//! typo of `konvoyDex`) is accepted by Helm without a word and renders
//! the defaults. rudder warns, naming the closest known key; `--strict`
//! makes it an error.
//!
//! A user key path is known when the chart it belongs to (Helm's scoping:
//! the top chart, or a subchart under its name or alias) knows it in its
//! default values or in its `values.schema.json` (`properties`,
//! `patternProperties`, `additionalProperties`), or when the parent's
//! defaults mention it under the subchart's key. Below a key whose default
//! is not a non-empty map (`{}`, `null`, a scalar or a list), or whose
//! schema allows any further key, everything is accepted. `global` is
//! shared by the whole tree and is never checked; neither are `tags`, the
//! paths of dependency conditions, `import-values` targets, nor the values
//! of subcharts Chart.yaml lists but charts/ lacks.

use regex::Regex;
use rudder_values::{Map, Value};
use serde_json::Value as Json;

use crate::chart::{Chart, ImportValue};

/// More unknown keys than this are summed up in one line.
const MAX_REPORTED: usize = 20;
/// `$ref` and `allOf` nesting followed in a schema.
const MAX_SCHEMA_DEPTH: usize = 32;

/// One user values key no chart of the tree knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownKey {
    /// The dotted values path, as far as the user's value is one chain.
    pub(crate) path: String,
    /// The chart (path in the tree) the key was looked up in.
    pub(crate) chart: String,
    /// The same path with the closest known key in place of the unknown one.
    pub(crate) closest: Option<String>,
}

impl UnknownKey {
    fn why(&self) -> String {
        let hint = match &self.closest {
            Some(c) => format!("; did you mean `{c}`?"),
            None => String::new(),
        };
        format!(
            "neither the defaults nor the schema of chart {} know it{hint}",
            self.chart
        )
    }

    /// The warning `Rendered.warnings` carries.
    pub(crate) fn warning(&self) -> String {
        format!(
            "values key `{}` is unknown: {} (Helm ignores it silently; --strict makes this an error)",
            self.path,
            self.why()
        )
    }

    /// The error `--strict` reports.
    pub(crate) fn error(&self) -> rudder_values::Error {
        rudder_values::Error::Merge {
            path: self.path.clone(),
            message: format!(
                "unknown key: {}{}fix the key, or drop --strict to only warn",
                self.why(),
                if self.closest.is_some() { " " } else { "; " }
            ),
        }
    }
}

/// Warnings for unknown user keys, or with `strict` the error listing them.
pub(crate) fn check(chart: &Chart, user: &Map, strict: bool) -> crate::Result<Vec<String>> {
    if user.is_empty() {
        return Ok(Vec::new());
    }
    let found = unknown_keys(chart, user);
    if strict && !found.is_empty() {
        let mut errors: Vec<rudder_values::Error> = found.iter().map(UnknownKey::error).collect();
        let e = if errors.len() == 1 {
            errors.remove(0)
        } else {
            rudder_values::Error::Many(errors)
        };
        return Err(crate::Error::Values(e));
    }
    let mut out: Vec<String> = found
        .iter()
        .take(MAX_REPORTED)
        .map(UnknownKey::warning)
        .collect();
    if found.len() > MAX_REPORTED {
        out.push(format!(
            "{} more unknown values keys not listed",
            found.len() - MAX_REPORTED
        ));
    }
    Ok(out)
}

/// Every unknown user key of `user` for `chart`, in the user's order.
pub(crate) fn unknown_keys(chart: &Chart, user: &Map) -> Vec<UnknownKey> {
    let mut out = Vec::new();
    let schema = parse_schema(chart);
    let mut sources = vec![Source::Defaults(&chart.values)];
    if let Some(s) = &schema {
        sources.push(Source::Schema(s, s));
    }
    let walk = Walk {
        chart,
        label: chart.name().to_owned(),
        skip: chart_skips(chart, ""),
    };
    walk.root(user, "", &sources, &mut out);
    out
}

/// What knows the keys at one level of the values tree.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// A map of default values.
    Defaults(&'a Map),
    /// A schema node, and the schema's root (for `$ref`).
    Schema(&'a Json, &'a Json),
}

/// What the sources say about one key.
enum Found<'a> {
    /// Nothing knows it.
    Unknown,
    /// Known, and anything below it is accepted.
    Open,
    /// Known; these sources know what lies below it.
    Known(Vec<Source<'a>>),
}

fn lookup<'a>(sources: &[Source<'a>], key: &str) -> Found<'a> {
    let mut known = Vec::new();
    for s in sources {
        match *s {
            Source::Defaults(m) => match m.get(key) {
                None => {}
                Some(Value::Map(sub)) if !sub.is_empty() => known.push(Source::Defaults(sub)),
                Some(_) => return Found::Open,
            },
            Source::Schema(node, root) => match schema_child(node, root, key, 0) {
                SchemaSays::Nothing => {}
                SchemaSays::Open => return Found::Open,
                SchemaSays::Child(nodes) => {
                    known.extend(nodes.into_iter().map(|n| Source::Schema(n, root)));
                }
            },
        }
    }
    if known.is_empty() {
        Found::Unknown
    } else {
        Found::Known(known)
    }
}

/// The keys the sources name (for the closest-key hint).
fn known_names<'a>(sources: &[Source<'a>], out: &mut Vec<&'a str>) {
    for s in sources {
        match *s {
            Source::Defaults(m) => out.extend(m.keys().map(String::as_str)),
            Source::Schema(node, root) => schema_names(node, root, 0, out),
        }
    }
}

enum SchemaSays<'a> {
    Nothing,
    Open,
    Child(Vec<&'a Json>),
}

/// A local `$ref` (`#/$defs/x`, `#/definitions/x`) resolved, once.
fn resolve<'a>(node: &'a Json, root: &'a Json) -> &'a Json {
    match node.get("$ref").and_then(Json::as_str) {
        Some(r) if r.starts_with('#') => root.pointer(&r[1..]).unwrap_or(node),
        _ => node,
    }
}

/// The schema nodes of `node` itself and of what it composes (`$ref`,
/// `allOf`, `anyOf`, `oneOf`).
fn parts<'a>(node: &'a Json, root: &'a Json, depth: usize, out: &mut Vec<&'a Json>) {
    if depth > MAX_SCHEMA_DEPTH {
        return;
    }
    out.push(node);
    if node.get("$ref").is_some() {
        let target = resolve(node, root);
        if !std::ptr::eq(target, node) {
            parts(target, root, depth + 1, out);
        }
    }
    for k in ["allOf", "anyOf", "oneOf"] {
        for sub in node.get(k).and_then(Json::as_array).into_iter().flatten() {
            parts(sub, root, depth + 1, out);
        }
    }
}

fn schema_child<'a>(node: &'a Json, root: &'a Json, key: &str, depth: usize) -> SchemaSays<'a> {
    let mut nodes = Vec::new();
    parts(node, root, depth, &mut nodes);
    let mut found = Vec::new();
    let mut open = false;
    for n in nodes {
        if let Some(c) = n.get("properties").and_then(|p| p.get(key)) {
            found.push(c);
            continue;
        }
        let by_pattern: Vec<&Json> = n
            .get("patternProperties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .filter(|(pat, _)| Regex::new(pat).is_ok_and(|re| re.is_match(key)))
            .map(|(_, s)| s)
            .collect();
        if !by_pattern.is_empty() {
            found.extend(by_pattern);
            continue;
        }
        match n.get("additionalProperties") {
            Some(Json::Bool(true)) => open = true,
            Some(a @ Json::Object(_)) => found.push(a),
            _ => {}
        }
    }
    if open {
        SchemaSays::Open
    } else if found.is_empty() {
        SchemaSays::Nothing
    } else {
        SchemaSays::Child(found.into_iter().map(|c| resolve(c, root)).collect())
    }
}

fn schema_names<'a>(node: &'a Json, root: &'a Json, depth: usize, out: &mut Vec<&'a str>) {
    let mut nodes = Vec::new();
    parts(node, root, depth, &mut nodes);
    for n in nodes {
        if let Some(p) = n.get("properties").and_then(Json::as_object) {
            out.extend(p.keys().map(String::as_str));
        }
    }
}

fn parse_schema(chart: &Chart) -> Option<Json> {
    // A schema that is not JSON is reported by schema validation.
    serde_json::from_slice(chart.schema.as_deref()?).ok()
}

/// Dotted paths (from the user's root) accepted with all below them: the
/// dependencies' condition paths and import-values targets of `chart`,
/// whose values live at `prefix`.
fn chart_skips(chart: &Chart, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for d in chart.metadata.dependencies.iter().flatten() {
        for c in d
            .condition
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            out.push(join(prefix, c));
        }
        for iv in &d.import_values {
            if let ImportValue::Map { parent, .. } = iv
                && parent != "."
            {
                out.push(join(prefix, parent));
            }
        }
    }
    out
}

/// The map at dotted `path` in `m`.
fn table<'m>(m: &'m Map, path: &str) -> Option<&'m Map> {
    let mut cur = m;
    for k in path.split('.') {
        match cur.get(k)? {
            Value::Map(next) => cur = next,
            _ => return None,
        }
    }
    Some(cur)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// One chart's level of the walk.
struct Walk<'c> {
    chart: &'c Chart,
    /// The chart's place in the tree, e.g. `dispatch/argo-cd`.
    label: String,
    /// Paths accepted whole (conditions, import targets).
    skip: Vec<String>,
}

impl<'c> Walk<'c> {
    /// The subchart under key `key` of this chart (by alias or name), and
    /// whether Chart.yaml lists it at all.
    fn subchart(&self, key: &str) -> (Option<&'c Chart>, bool) {
        let listed = self.chart.metadata.dependencies.iter().flatten().find(|d| {
            if d.alias.is_empty() {
                d.name == key
            } else {
                d.alias == key
            }
        });
        match listed {
            Some(d) => (
                self.chart.dependencies.iter().find(|c| c.name() == d.name),
                true,
            ),
            None => (
                self.chart.dependencies.iter().find(|c| c.name() == key),
                false,
            ),
        }
    }

    /// The keys at the root of this chart's values.
    fn root(&self, user: &Map, prefix: &str, sources: &[Source<'_>], out: &mut Vec<UnknownKey>) {
        let has_tags = self
            .chart
            .metadata
            .dependencies
            .iter()
            .flatten()
            .any(|d| !d.tags.is_empty());
        // Keys imported into the root (`import-values: [name]`, or a child
        // table with parent `.`) are known as the child's table knows them.
        let imported: Vec<Map> = self
            .chart
            .metadata
            .dependencies
            .iter()
            .flatten()
            .filter_map(|d| {
                let sub = self
                    .chart
                    .dependencies
                    .iter()
                    .find(|c| c.name() == d.name)?;
                Some(d.import_values.iter().filter_map(move |iv| {
                    let child = match iv {
                        ImportValue::Exports(name) => format!("exports.{name}"),
                        ImportValue::Map { child, parent } if parent == "." => child.clone(),
                        ImportValue::Map { .. } => return None,
                    };
                    table(&sub.values, &child).cloned()
                }))
            })
            .flatten()
            .collect();
        let mut sources = sources.to_vec();
        sources.extend(imported.iter().map(Source::Defaults));
        for (key, val) in user {
            let path = join(prefix, key);
            if key == "global" || (key == "tags" && has_tags) || self.skipped(&path) {
                continue;
            }
            let (sub, listed) = self.subchart(key);
            if let Some(sub) = sub {
                let Value::Map(u) = val else { continue };
                let mut sub_sources = match lookup(&sources, key) {
                    Found::Known(s) => s,
                    _ => Vec::new(),
                };
                sub_sources.push(Source::Defaults(&sub.values));
                let schema = parse_schema(sub);
                if let Some(s) = &schema {
                    sub_sources.push(Source::Schema(s, s));
                }
                let walk = Walk {
                    chart: sub,
                    label: format!("{}/{key}", self.label),
                    skip: chart_skips(sub, &path),
                };
                walk.root(u, &path, &sub_sources, out);
                continue;
            }
            if listed {
                // Listed in Chart.yaml, missing from charts/: reported
                // elsewhere; its values are not checked.
                continue;
            }
            self.key(key, val, prefix, &sources, out);
        }
    }

    fn skipped(&self, path: &str) -> bool {
        self.skip.iter().any(|s| {
            s == path || s.starts_with(&format!("{path}.")) || path.starts_with(&format!("{s}."))
        })
    }

    /// One key below the root (or a root key that is not a subchart).
    fn key(
        &self,
        key: &str,
        val: &Value,
        prefix: &str,
        sources: &[Source<'_>],
        out: &mut Vec<UnknownKey>,
    ) {
        let path = join(prefix, key);
        if self.skipped(&path) {
            return;
        }
        match lookup(sources, key) {
            Found::Open => {}
            Found::Known(below) => {
                if let Value::Map(m) = val {
                    for (k, v) in m.iter() {
                        self.key(k, v, &path, &below, out);
                    }
                }
            }
            Found::Unknown => {
                let mut suffix = String::new();
                let mut cur = val;
                while let Value::Map(m) = cur {
                    match m.iter().next() {
                        Some((k, v)) if m.len() == 1 => {
                            suffix.push('.');
                            suffix.push_str(k);
                            cur = v;
                        }
                        _ => break,
                    }
                }
                let mut names = Vec::new();
                known_names(sources, &mut names);
                if prefix.is_empty() || self.skip.is_empty() {
                    names.extend(self.chart.dependencies.iter().map(Chart::name));
                }
                out.push(UnknownKey {
                    path: format!("{path}{suffix}"),
                    chart: self.label.clone(),
                    closest: closest(key, &names).map(|c| format!("{}{suffix}", join(prefix, c))),
                });
            }
        }
    }
}

/// The known name nearest to `key`: case differences cost nothing, then
/// optimal-string-alignment distance (a swap counts one), at most a third of the key's length (at least 1).
fn closest<'n>(key: &str, names: &[&'n str]) -> Option<&'n str> {
    let lower = key.to_lowercase();
    let limit = (key.chars().count() / 3).max(1);
    names
        .iter()
        .filter(|n| **n != key)
        .map(|n| {
            let folded = strsim::osa_distance(&lower, &n.to_lowercase());
            (folded, strsim::osa_distance(key, n), *n)
        })
        .filter(|(d, _, _)| *d <= limit)
        .min()
        .map(|(_, _, n)| n)
}

#[cfg(test)]
#[path = "unknown_tests.rs"]
mod tests;
