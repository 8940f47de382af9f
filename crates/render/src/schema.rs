//! `values.schema.json`: checking a chart's values against its JSON Schema,
//! as `helm template` does after coalescing (Helm's `ValidateAgainstSchema`
//! in `pkg/chart/common/util/jsonschema.go`).
//!
//! Helm validates with `santhosh-tekuri/jsonschema` v6; rudder uses `boon`,
//! the same author's Rust port of that library, so drafts, keyword semantics
//! and what counts as an invalid schema are the same:
//! * drafts 4, 6, 7, 2019-09 and 2020-12, chosen by `$schema`; without it
//!   2020-12 (so draft-07 `items: [...]` is an invalid schema there);
//! * an integer-valued number is an `integer` in every draft (`1.0` from a
//!   values file or `--set-json` passes `type: integer`);
//! * `format` is asserted for draft-07 and older only;
//! * the schema itself is checked against its draft's metaschema.
//!
//! Which charts are checked (Helm's recursion): the top chart's schema
//! against the top values, then every subchart that survived dependency
//! processing (aliases applied, disabled ones removed) against
//! `values[<name or alias>]`, recursively. A subchart whose key is missing or
//! null is skipped; one whose key is not a map is an error.
//!
//! Helm stops at the first broken schema and prints its validator's output;
//! rudder reports every problem of every chart at once, one line each: the
//! chart, the values path as `--set` spells it, the rule in plain words, the
//! offending value and the schema file.
//!
//! `$ref`s: Helm loads `file:` URLs from disk, `http(s):` from the network
//! and resolves unknown `urn:`s to the permissive schema `true`. rudder never
//! uses the network: a remote `$ref` (or an unknown remote `$schema`) makes
//! the schema invalid, with a message saying so. `file:` URLs name files of
//! the chart (`compiled.rs`), never the disk; `urn:` behaves as in Helm.

use std::borrow::Cow;

use boon::{ErrorKind, InstanceToken, ValidationError};
use rudder_values::Map;
use serde_json::Value as Json;

use crate::{Chart, Error, Result};

mod compiled;
mod text;
pub(crate) use compiled::Cache;
use text::{
    article, describe_value, plural, pointer, quote, render_path, render_relative, short_json,
};

/// The URL Helm gives every schema (`file:///values.schema.json`): relative
/// `$ref`s resolve against it, and its messages name it.
const SCHEMA_URL: &str = "file:///values.schema.json";

/// Where a schema rudder checked against its metaschema itself is compiled
/// (`compiled.rs`): boon does not check schemas under json-schema.org
/// again. Shown as `values.schema.json`, like [`SCHEMA_URL`].
const CHECKED_URL: &str = "https://json-schema.org/values.schema.json";

/// The rule of an `additionalProperties: false` violation.
const NOT_ALLOWED: &str = "is not allowed (the schema allows no other keys here)";

/// Longest rendering of an offending value before it is cut with `…`.
const MAX_VALUE_CHARS: usize = 60;

/// Checks the coalesced values against the `values.schema.json` of the chart
/// and of each of its (processed) subcharts, as `helm template` does.
///
/// `chart` must be the chart after dependency processing and `values` its
/// coalesced `.Values`: both as [`crate::chart_values`] returns them
/// (`ChartValues::chart`, `ChartValues::values`). Every violation and every
/// unusable schema is reported, each as one [`Error::Schema`] (several are
/// folded into [`Error::Many`]).
pub fn validate(chart: &Chart, values: &Map) -> Result<()> {
    validate_with(chart, values, &Cache::default())
}

/// [`validate`] with the compiled schemas kept in `cache`: an
/// [`crate::Engine`] compiles each schema once, not on every render.
pub(crate) fn validate_with(chart: &Chart, values: &Map, cache: &Cache) -> Result<()> {
    let mut errors = Vec::new();
    if has_schema(chart) {
        let json = Json::Object(
            values
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect(),
        );
        check_chart(
            chart,
            chart.name(),
            &json,
            &mut Vec::new(),
            &mut errors,
            cache,
        );
    } else {
        // Nothing to validate against: only the shape of the subcharts'
        // values is checked, without converting the tree to JSON (5% of a
        // run with a 10 MB values file).
        check_shapes(chart, chart.name(), values, &mut Vec::new(), &mut errors);
    }
    Error::collect(errors)
}

/// Some chart of the tree has a `values.schema.json`.
fn has_schema(chart: &Chart) -> bool {
    chart.schema.is_some() || chart.dependencies.iter().any(has_schema)
}

/// [`check_chart`] for a tree without schemas: subchart values must be
/// maps (or missing, or null).
fn check_shapes(
    chart: &Chart,
    label: &str,
    values: &Map,
    prefix: &mut Vec<Token>,
    errors: &mut Vec<Error>,
) {
    for sub in &chart.dependencies {
        let name = sub.name();
        let sub_label = format!("{label}/charts/{name}");
        prefix.push(Token::Key(name.to_owned()));
        match values.get(name) {
            None | Some(rudder_values::Value::Null) => {}
            Some(rudder_values::Value::Map(sub_values)) => {
                check_shapes(sub, &sub_label, sub_values, prefix, errors);
            }
            Some(other) => errors.push(not_a_map(sub, sub_label, prefix, &other.to_json())),
        }
        prefix.pop();
    }
}

/// Helm's "invalid type for values" for a subchart's values.
fn not_a_map(sub: &Chart, label: String, path: &[Token], got: &Json) -> Error {
    Error::Schema {
        chart: label,
        file: format!("{}/values.schema.json", sub.origin),
        message: format!(
            "{}: must be a map of the subchart's values, got {}",
            render_path(path),
            describe_value(got)
        ),
    }
}

/// One chart's schema, then its subcharts'. `prefix` is the values path of
/// `values` from the top chart (the subchart keys).
fn check_chart(
    chart: &Chart,
    label: &str,
    values: &Json,
    prefix: &mut Vec<Token>,
    errors: &mut Vec<Error>,
    cache: &Cache,
) {
    let file = format!("{}/values.schema.json", chart.origin);
    let err = |message: String| Error::Schema {
        chart: label.to_owned(),
        file: file.clone(),
        message,
    };
    if let Some(bytes) = &chart.schema {
        match check_one(bytes, &chart.files, values, cache) {
            Ok(violations) => errors.extend(violations.into_iter().map(|v| {
                let mut path = prefix.clone();
                path.extend(v.path.iter().cloned());
                err(v.describe(&path))
            })),
            Err(message) => errors.push(err(message)),
        }
    }
    for sub in &chart.dependencies {
        let name = sub.name();
        let sub_label = format!("{label}/charts/{name}");
        prefix.push(Token::Key(name.to_owned()));
        // Helm: a missing or nil subchart key means "nothing to validate";
        // anything but a map is "invalid type for values".
        match values.get(name) {
            None | Some(Json::Null) => {}
            Some(sub_values @ Json::Object(_)) => {
                check_chart(sub, &sub_label, sub_values, prefix, errors, cache);
            }
            Some(other) => errors.push(not_a_map(sub, sub_label, prefix, other)),
        }
        prefix.pop();
    }
}

/// Validates `values` with one schema file (compiled once per `cache`):
/// the violations, or why the schema is unusable.
fn check_one(
    bytes: &[u8],
    files: &std::sync::Arc<[crate::chart::File]>,
    values: &Json,
    cache: &Cache,
) -> std::result::Result<Vec<Violation>, String> {
    violations(&*cache.get(bytes, files)?, values)
}

/// The violations of `values` against a compiled schema.
fn violations(
    compiled: &compiled::Compiled,
    values: &Json,
) -> std::result::Result<Vec<Violation>, String> {
    // Helm recovers from validator panics ("unable to validate schema");
    // boon debug-asserts on its own bugs, so rudder guards the same way.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = Vec::new();
        if let Err(e) = compiled.schemas.validate(values, compiled.index) {
            let walk = Walk {
                instance: values,
                schema: Some(&compiled.doc),
                draft2020: compiled
                    .doc
                    .get("$schema")
                    .and_then(Json::as_str)
                    .is_none_or(|u| u.contains("2020-12")),
            };
            walk.collect(&e, &[], &mut out);
        }
        dedup(&mut out);
        out
    }));
    run.map_err(|_| VALIDATOR_FAILURE.to_owned())
}

/// What a panic in the validator becomes.
const VALIDATOR_FAILURE: &str = "values.schema.json could not be checked (validator failure)";

/// Drops Helm's made-up base URL from schema locations.
fn local_url(s: &str) -> Cow<'_, str> {
    let mut s = Cow::Borrowed(s);
    for url in [SCHEMA_URL, CHECKED_URL] {
        if s.contains(url) {
            s = Cow::Owned(s.replace(url, "values.schema.json"));
        }
    }
    s
}

/// One step of a values path.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Key(String),
    Index(usize),
}

/// One broken rule: where (relative to the validated values), what rule and
/// the value found there (if it is worth showing).
#[derive(Debug, Clone, PartialEq)]
struct Violation {
    path: Vec<Token>,
    rule: String,
    value: Option<Json>,
    /// Name the value's type too (`the string "80"`): for type errors, where
    /// a quoted number or `--set-string` is the usual cause.
    typed: bool,
}

impl Violation {
    fn rule_and_value(&self) -> String {
        match &self.value {
            Some(v) if self.typed => format!("{}, got {}", self.rule, describe_value(v)),
            Some(v) => format!("{}, got {}", self.rule, short_json(v)),
            None => self.rule.clone(),
        }
    }

    /// `PATH: RULE, got VALUE`, with `path` the full path from the top values.
    fn describe(&self, path: &[Token]) -> String {
        let mut s = format!("{}: {}", render_path(path), self.rule_and_value());
        // Helm copies `global` into every subchart's values, so a subchart
        // schema that forbids unknown keys must list it.
        if self.rule == NOT_ALLOWED
            && path.len() >= 2
            && path.last() == Some(&Token::Key("global".into()))
        {
            s.push_str(
                "; Helm gives every subchart a `global` key: list it in the subchart's schema",
            );
        }
        s
    }
}

/// Flattens boon's error tree into leaves.
fn collect(e: &ValidationError<'_, '_>, instance: &Json, out: &mut Vec<Violation>) {
    let walk = Walk {
        instance,
        schema: None,
        draft2020: true,
    };
    walk.collect(e, &[], out);
}

/// What flattening boon's error tree needs: the validated JSON, and the
/// schema document (to correct item indices, see [`Walk::index_fix`]).
struct Walk<'a> {
    instance: &'a Json,
    schema: Option<&'a Json>,
    /// The schema is draft 2020-12 (`prefixItems`), not an older one.
    draft2020: bool,
}

impl Walk<'_> {
    /// Flattens one error node. `fixes` are `(token position, offset)` pairs
    /// added to item indices of this node's location and its causes'.
    fn collect(
        &self,
        e: &ValidationError<'_, '_>,
        fixes: &[(usize, usize)],
        out: &mut Vec<Violation>,
    ) {
        let instance = self.instance;
        let mut path = location(e);
        for &(pos, delta) in fixes {
            if let Some(Token::Index(i)) = path.get_mut(pos) {
                *i += delta;
            }
        }
        let mut own_fixes;
        let mut fixes = fixes;
        // Only the outermost node of the `items` schema is fixed; its causes
        // share its schema location but are already fixed through `fixes`.
        if let Some(fix) = self
            .index_fix(e.schema_url, &path)
            .filter(|fix| !fixes.iter().any(|f| f.0 == fix.0))
        {
            own_fixes = fixes.to_vec();
            own_fixes.push(fix);
            if let Some(Token::Index(i)) = path.get_mut(fix.0) {
                *i += fix.1;
            }
            fixes = &own_fixes;
        }
        // `show`: whether the value at `path` belongs in the message.
        let mut leaf = |path: &[Token], rule: String, show: bool| {
            let value = if show {
                lookup(instance, path).cloned()
            } else {
                None
            };
            out.push(Violation {
                path: path.to_vec(),
                rule,
                value,
                typed: false,
            });
        };
        match &e.kind {
            ErrorKind::Group
            | ErrorKind::Schema { .. }
            | ErrorKind::Reference { .. }
            | ErrorKind::ContentSchema
            | ErrorKind::AllOf => {
                if e.causes.is_empty() {
                    leaf(&path, "does not match the schema".into(), true);
                }
                for c in &e.causes {
                    self.collect(c, fixes, out);
                }
            }
            ErrorKind::PropertyName { prop } => {
                let name = Json::String(prop.clone());
                let mut inner = Vec::new();
                for c in &e.causes {
                    collect(c, &name, &mut inner);
                }
                dedup(&mut inner);
                let rules: Vec<String> = inner.iter().map(|v| v.rule.clone()).collect();
                // boon (like santhosh-tekuri/jsonschema, hence Helm's "at ''")
                // loses the map's location here: recover it.
                let mut p = self.map_with_key(e.schema_url, prop).unwrap_or(path);
                p.push(Token::Key(prop.clone()));
                let rules = if rules.is_empty() {
                    "is not allowed".to_owned()
                } else {
                    rules.join(", ")
                };
                leaf(&p, format!("key name {rules}"), false);
            }
            ErrorKind::AnyOf | ErrorKind::OneOf(None) => {
                let kw = if matches!(e.kind, ErrorKind::AnyOf) {
                    "anyOf"
                } else {
                    "oneOf"
                };
                let alternatives: Vec<String> = e
                    .causes
                    .iter()
                    .map(|c| {
                        let mut inner = Vec::new();
                        self.collect(c, fixes, &mut inner);
                        dedup(&mut inner);
                        inner
                            .iter()
                            .map(|v| match v.path.strip_prefix(path.as_slice()) {
                                Some([]) | None => v.rule.clone(),
                                Some(rest) => format!("{} {}", render_relative(rest), v.rule),
                            })
                            .collect::<Vec<_>>()
                            .join(" and ")
                    })
                    .filter(|s| !s.is_empty())
                    .collect();
                let rule = if alternatives.is_empty() {
                    format!("must match one of the schema's {kw} alternatives")
                } else {
                    format!(
                        "must match one of the schema's {kw} alternatives ({})",
                        alternatives.join("; or ")
                    )
                };
                leaf(&path, rule, true);
            }
            ErrorKind::OneOf(Some((i, j))) => leaf(
                &path,
                format!("must match exactly one oneOf alternative, but matches #{i} and #{j}"),
                true,
            ),
            ErrorKind::Not => leaf(&path, "must not match the schema's \"not\"".into(), true),
            ErrorKind::FalseSchema => leaf(
                &path,
                "is not allowed (the schema is false here)".into(),
                true,
            ),
            ErrorKind::RefCycle { url, .. } => leaf(
                &path,
                format!("cannot be checked: $ref cycle at {}", local_url(url)),
                false,
            ),
            ErrorKind::Type { got: _, want } => {
                let want: Vec<String> = want.iter().map(|t| article(&t.to_string())).collect();
                leaf(&path, format!("must be {}", want.join(" or ")), true);
                if let Some(last) = out.last_mut() {
                    last.typed = true;
                }
            }
            ErrorKind::Enum { want } => {
                let rule = match want.as_slice() {
                    [one] => format!("must be {}", short_json(one)),
                    many => format!(
                        "must be one of {}",
                        many.iter().map(short_json).collect::<Vec<_>>().join(", ")
                    ),
                };
                leaf(&path, rule, true);
            }
            ErrorKind::Const { want } => leaf(&path, format!("must be {}", short_json(want)), true),
            ErrorKind::Format { want, err, .. } => {
                leaf(&path, format!("must be a valid {want} ({err})"), true);
            }
            ErrorKind::MinProperties { got, want } => leaf(
                &path,
                format!(
                    "must have at least {want} {}, has {got}",
                    plural(*want, "key")
                ),
                false,
            ),
            ErrorKind::MaxProperties { got, want } => leaf(
                &path,
                format!(
                    "must have at most {want} {}, has {got}",
                    plural(*want, "key")
                ),
                false,
            ),
            ErrorKind::AdditionalProperties { got } => {
                for key in got {
                    let mut p = path.clone();
                    p.push(Token::Key(key.to_string()));
                    leaf(&p, NOT_ALLOWED.into(), true);
                }
            }
            ErrorKind::Required { want } => {
                for key in want {
                    let mut p = path.clone();
                    p.push(Token::Key((*key).to_owned()));
                    leaf(&p, "is required".into(), false);
                }
            }
            ErrorKind::Dependency { prop, missing }
            | ErrorKind::DependentRequired { prop, missing } => {
                let mut set = path.clone();
                set.push(Token::Key((*prop).to_owned()));
                for key in missing {
                    let mut p = path.clone();
                    p.push(Token::Key((*key).to_owned()));
                    leaf(
                        &p,
                        format!("is required when {} is set", render_path(&set)),
                        false,
                    );
                }
            }
            ErrorKind::MinItems { got, want } => leaf(
                &path,
                format!(
                    "must have at least {want} {}, has {got}",
                    plural(*want, "item")
                ),
                false,
            ),
            ErrorKind::MaxItems { got, want } => leaf(
                &path,
                format!(
                    "must have at most {want} {}, has {got}",
                    plural(*want, "item")
                ),
                false,
            ),
            ErrorKind::Contains => leaf(
                &path,
                "must contain an item matching the schema's \"contains\"".into(),
                true,
            ),
            ErrorKind::MinContains { got, want } => leaf(
                &path,
                format!(
                    "must contain at least {want} {} matching the schema's \"contains\", has {}",
                    plural(*want, "item"),
                    got.len()
                ),
                false,
            ),
            ErrorKind::MaxContains { got, want } => leaf(
                &path,
                format!(
                    "must contain at most {want} {} matching the schema's \"contains\", has {}",
                    plural(*want, "item"),
                    got.len()
                ),
                false,
            ),
            ErrorKind::UniqueItems { got: [i, j] } => leaf(
                &path,
                format!("must have unique items, but [{i}] and [{j}] are equal"),
                false,
            ),
            ErrorKind::AdditionalItems { got } => leaf(
                &path,
                format!(
                    "has {got} more {} than the schema allows",
                    plural(*got, "item")
                ),
                false,
            ),
            ErrorKind::MinLength { want, .. } => leaf(
                &path,
                format!(
                    "must be at least {want} {} long",
                    plural(*want, "character")
                ),
                true,
            ),
            ErrorKind::MaxLength { want, .. } => leaf(
                &path,
                format!("must be at most {want} {} long", plural(*want, "character")),
                true,
            ),
            ErrorKind::Pattern { want, .. } => {
                leaf(
                    &path,
                    format!("must match the pattern {}", quote(want)),
                    true,
                );
            }
            ErrorKind::ContentEncoding { want, err } => {
                leaf(&path, format!("must be {want}-encoded ({err})"), true);
            }
            ErrorKind::ContentMediaType { want, err, .. } => {
                leaf(&path, format!("must be {want} ({err})"), true);
            }
            ErrorKind::Minimum { want, .. } => leaf(&path, format!("must be >= {want}"), true),
            ErrorKind::Maximum { want, .. } => leaf(&path, format!("must be <= {want}"), true),
            ErrorKind::ExclusiveMinimum { want, .. } => {
                leaf(&path, format!("must be > {want}"), true)
            }
            ErrorKind::ExclusiveMaximum { want, .. } => {
                leaf(&path, format!("must be < {want}"), true)
            }
            ErrorKind::MultipleOf { want, .. } => {
                leaf(&path, format!("must be a multiple of {want}"), true);
            }
        }
    }
}

impl Walk<'_> {
    /// The JSON pointer into our own schema document of a schema location
    /// (`file:///values.schema.json#/properties/a` gives `/properties/a`).
    fn own_pointer<'u>(&self, schema_url: &'u str) -> Option<&'u str> {
        let frag = schema_url
            .strip_prefix(SCHEMA_URL)
            .or_else(|| schema_url.strip_prefix(CHECKED_URL))?
            .strip_prefix('#')?;
        (!frag.contains('%')).then_some(frag)
    }

    /// boon (like santhosh-tekuri/jsonschema, so Helm too) numbers the items
    /// checked by `items` after `prefixItems` (2020-12), or by
    /// `additionalItems` after an `items` list (older drafts), from 0 instead
    /// of from the end of the list. For a node validated by such a schema,
    /// the offset to add to its last item index.
    fn index_fix(&self, schema_url: &str, path: &[Token]) -> Option<(usize, usize)> {
        let ptr = self.own_pointer(schema_url)?;
        let (parent, list_kw) = if self.draft2020 {
            (ptr.strip_suffix("/items")?, "prefixItems")
        } else {
            (ptr.strip_suffix("/additionalItems")?, "items")
        };
        let n = self
            .schema?
            .pointer(parent)?
            .get(list_kw)?
            .as_array()?
            .len();
        match path.last() {
            Some(Token::Index(_)) => Some((path.len() - 1, n)),
            _ => None,
        }
    }

    /// Where the map holding key `prop` is: from the schema location when it
    /// is a chain of `properties`, else the only map in the values with that
    /// key.
    fn map_with_key(&self, schema_url: &str, prop: &str) -> Option<Vec<Token>> {
        let has_key = |p: &[Token]| {
            lookup(self.instance, p)
                .and_then(Json::as_object)
                .is_some_and(|m| m.contains_key(prop))
        };
        if let Some(ptr) = self.own_pointer(schema_url) {
            let segs: Vec<String> = ptr
                .split('/')
                .skip(1)
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            if segs.len().is_multiple_of(2) && segs.chunks(2).all(|c| c[0] == "properties") {
                let path: Vec<Token> = segs.chunks(2).map(|c| Token::Key(c[1].clone())).collect();
                if has_key(&path) {
                    return Some(path);
                }
            }
        }
        let mut found = Vec::new();
        find_maps_with_key(self.instance, prop, &mut Vec::new(), &mut found);
        match found.len() {
            1 => found.pop(),
            _ => None,
        }
    }
}

/// Every map in `v` that has key `key` (stops after two: only a unique one
/// is useful).
fn find_maps_with_key(v: &Json, key: &str, path: &mut Vec<Token>, found: &mut Vec<Vec<Token>>) {
    if found.len() > 1 {
        return;
    }
    match v {
        Json::Object(m) => {
            if m.contains_key(key) {
                found.push(path.clone());
            }
            for (k, child) in m {
                path.push(Token::Key(k.clone()));
                find_maps_with_key(child, key, path, found);
                path.pop();
            }
        }
        Json::Array(l) => {
            for (i, child) in l.iter().enumerate() {
                path.push(Token::Index(i));
                find_maps_with_key(child, key, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Removes repeated leaves (boon can report one rule through several
/// `$ref`/`allOf` routes), keeping the first.
fn dedup(v: &mut Vec<Violation>) {
    let mut seen: Vec<Violation> = Vec::with_capacity(v.len());
    v.retain(|x| {
        if seen.contains(x) {
            false
        } else {
            seen.push(x.clone());
            true
        }
    });
}

fn location(e: &ValidationError<'_, '_>) -> Vec<Token> {
    e.instance_location
        .tokens
        .iter()
        .map(|t| match t {
            InstanceToken::Prop(p) => Token::Key(p.to_string()),
            InstanceToken::Item(i) => Token::Index(*i),
        })
        .collect()
}

fn lookup<'a>(mut v: &'a Json, path: &[Token]) -> Option<&'a Json> {
    for t in path {
        v = match t {
            Token::Key(k) => v.get(k.as_str())?,
            Token::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
