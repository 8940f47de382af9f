//! helm-unittest's validators (`pkg/unittest/validators`): what each
//! assert checks and the failure text it prints, line for line.
//!
//! Every validator sees the documents of one template: `docs` (all of
//! them, for `hasDocuments`) and `selected` (after `documentIndex` /
//! `documentSelector`). A path-based validator runs over each selected
//! document and each node its path finds; `DocumentIndex:` and
//! `ValuesIndex:` lines name which one failed.

use crate::path;
use crate::snapshot::Comparer;
use crate::yaml3;
use base64::Engine as _;
use rudder_values::Value;

/// What a validator needs besides its parameters.
pub(crate) struct Ctx<'a> {
    pub docs: &'a [Value],
    pub selected: &'a [Value],
    pub negative: bool,
    pub snapshots: &'a mut dyn Comparer,
    pub render_error: Option<&'a str>,
}

/// The key under which non-YAML output (NOTES.txt, a failed render's
/// message) is stored, helm-unittest's `common.RAW`.
pub(crate) const RAW: &str = "raw";

/// `validators.setFailFormat`.
fn fail_format(not: bool, path: bool, actual: bool, diff: bool, custom: &str) -> String {
    let not = if not { " NOT" } else { "" };
    let mut r = format!("\nExpected{not}{custom}:\n%s\n");
    if path {
        r = format!("Path:%s{r}");
    }
    if actual {
        r.push_str("Actual:\n%s\n");
    }
    if diff {
        r.push_str("Diff:\n%s\n");
    }
    r
}

const ERROR_FORMAT: &str = "\nError:\n%s\n";

/// `validators.splitInfof`: fills `%s` with tab-indented replacements and
/// splits into lines, prefixed with the document and value indexes.
pub(crate) fn split_info(format: &str, doc: i64, value: i64, reps: &[&str]) -> Vec<String> {
    let format = format.trim_matches(['\t', '\n', ' ']);
    let mut out = String::new();
    let mut reps = reps.iter();
    let mut rest = format;
    while let Some(i) = rest.find("%s") {
        out.push_str(&rest[..i]);
        let r = reps.next().copied().unwrap_or("");
        out.push('\t');
        out.push_str(r.replace('\n', "\n\t").trim_matches(['\n', '\t', ' ']));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    let mut lines: Vec<String> = out.split('\n').map(str::to_owned).collect();
    if value >= 0 {
        lines.insert(0, format!("ValuesIndex:\t{value}"));
    }
    if doc >= 0 {
        lines.insert(0, format!("DocumentIndex:\t{doc}"));
    }
    lines
}

fn error_info(doc: i64, value: i64, message: &str) -> Vec<String> {
    split_info(ERROR_FORMAT, doc, value, &[message])
}

/// `common.TrustedMarshalYAML`: leading newlines of strings dropped, then
/// go-yaml v3 at indent 2.
pub(crate) fn marshal(v: &Value) -> String {
    fn trim(v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(s.trim_start_matches('\n').to_owned()),
            Value::Map(m) => Value::Map(Box::new(
                m.iter().map(|(k, v)| (k.clone(), trim(v))).collect(),
            )),
            Value::List(l) => Value::List(l.iter().map(trim).collect()),
            other => other.clone(),
        }
    }
    yaml3::to_string(&trim(v))
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

/// `validators.uniformContent`: spaces before line ends removed, leading
/// newlines trimmed.
pub(crate) fn uniform(text: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?m)[ ]+\r?\n").unwrap_or_else(|_| unreachable!("a constant pattern"))
    });
    re.replace_all(text, "\n")
        .trim_start_matches('\n')
        .to_owned()
}

/// `validators.diff`: a unified diff with one line of context, as
/// go-difflib prints it.
pub(crate) fn diff(expected: &str, actual: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let d = TextDiff::from_lines(expected, actual);
    let groups = d.grouped_ops(1);
    if groups.is_empty() {
        return String::new();
    }
    let mut out = String::from("--- Expected\n+++ Actual\n");
    let range = |start: usize, len: usize| {
        // difflib `_format_range_unified`.
        let begin = if len == 0 { start } else { start + 1 };
        match len {
            1 => format!("{begin}"),
            _ => format!("{begin},{len}"),
        }
    };
    for group in groups {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let (o1, o2) = (first.old_range().start, last.old_range().end);
        let (n1, n2) = (first.new_range().start, last.new_range().end);
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(o1, o2 - o1),
            range(n1, n2 - n1)
        ));
        for op in &group {
            for change in d.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                out.push(sign);
                out.push_str(change.value());
                if !change.value().ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// `validators.determineSuccess`.
fn determine(idx: usize, original: bool, new: bool) -> bool {
    if idx == 0 { new } else { original && new }
}

fn idx(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

/// The loop every path validator shares: each selected document, each
/// node its path finds. `empty` is the text when there is no document.
fn each_found(
    ctx: &mut Ctx<'_>,
    path: &str,
    unknown: impl Fn(&str) -> String,
    mut check: impl FnMut(&mut Ctx<'_>, &Value, i64, i64) -> (bool, Vec<String>),
    empty: impl Fn(&mut Ctx<'_>) -> Vec<String>,
) -> (bool, Vec<String>) {
    let mut ok = false;
    let mut errors = Vec::new();
    let selected = ctx.selected;
    for (mi, doc) in selected.iter().enumerate() {
        let (doc_ok, doc_errors) = match path::find(doc, path) {
            Err(e) => (false, error_info(idx(mi), -1, &e)),
            Ok(found) if found.is_empty() && !ctx.negative => {
                (false, error_info(idx(mi), -1, &unknown(path)))
            }
            Ok(found) => {
                let mut doc_ok = found.is_empty() && ctx.negative;
                let mut errs = Vec::new();
                for (ai, actual) in found.iter().enumerate() {
                    let (one, e) = check(ctx, actual, idx(mi), idx(ai));
                    errs.extend(e);
                    doc_ok = determine(ai, doc_ok, one);
                }
                (doc_ok, errs)
            }
        };
        errors.extend(doc_errors);
        ok = determine(mi, ok, doc_ok);
    }
    if selected.is_empty() {
        if ctx.negative {
            ok = true;
        } else {
            errors.extend(empty(ctx));
        }
    }
    (ok, errors)
}

fn unknown_path(p: &str) -> String {
    format!("unknown path {p}")
}

fn param<'a>(params: &'a Value, key: &str) -> Option<&'a Value> {
    params.as_map().and_then(|m| m.get(key))
}

fn param_str(params: &Value, key: &str) -> String {
    match param(params, key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => yaml3::to_string(other).trim_end().to_owned(),
    }
}

fn param_bool(params: &Value, key: &str) -> bool {
    matches!(param(params, key), Some(Value::Bool(true)))
}

fn param_int(params: &Value, key: &str) -> Option<i64> {
    match param(params, key) {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

fn decode_base64(text: &str) -> Option<String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// `equal` / `notEqual` (`EqualValidator`).
pub(crate) fn equal(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let expected = param(p, "value").cloned().unwrap_or_default();
    let decode = param_bool(p, "decodeBase64");
    let info = |actual: &Value, mi: i64, ai: i64, not: bool| {
        let (e, a) = (marshal(&expected), marshal(actual));
        if not {
            split_info(
                &fail_format(true, true, false, false, " to equal"),
                mi,
                ai,
                &[&path, &e],
            )
        } else {
            let d = diff(&e, &a);
            split_info(
                &fail_format(false, true, true, true, " to equal"),
                mi,
                ai,
                &[&path, &e, &a, &d],
            )
        }
    };
    each_found(
        ctx,
        &path,
        unknown_path,
        |ctx, actual, mi, ai| {
            let mut actual = actual.clone();
            if let Value::String(text) = &actual {
                let mut text = text.clone();
                if decode {
                    match decode_base64(&text) {
                        Some(t) => text = t,
                        None => {
                            return (
                                false,
                                error_info(
                                    mi,
                                    ai,
                                    &format!("unable to decode base64 expected content {text}"),
                                ),
                            );
                        }
                    }
                }
                actual = Value::String(uniform(&text));
            }
            if (expected == actual) == ctx.negative {
                (false, info(&actual, mi, ai, ctx.negative))
            } else {
                (true, Vec::new())
            }
        },
        |ctx| info(&s("no manifest found"), -1, -1, ctx.negative),
    )
}

/// `matchRegex` / `notMatchRegex`.
pub(crate) fn match_regex(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let pattern = param_str(p, "pattern");
    let decode = param_bool(p, "decodeBase64");
    if pattern.is_empty() {
        return (
            false,
            error_info(-1, -1, "expected field 'pattern' to be filled"),
        );
    }
    let re = match regex::Regex::new(&pattern) {
        Ok(re) => re,
        Err(e) => return (false, error_info(-1, -1, &e.to_string())),
    };
    let info = |actual: &str, mi: i64, ai: i64, not: bool| {
        split_info(
            &fail_format(not, true, true, false, " to match"),
            mi,
            ai,
            &[&path, &pattern, actual],
        )
    };
    each_found(
        ctx,
        &path,
        unknown_path,
        |ctx, actual, mi, ai| match actual {
            Value::String(text) => {
                let mut text = text.clone();
                if decode {
                    match decode_base64(&text) {
                        Some(t) => text = t,
                        None => {
                            return (
                                false,
                                error_info(
                                    mi,
                                    ai,
                                    &format!("unable to decode base64 expected content {text}"),
                                ),
                            );
                        }
                    }
                }
                if re.is_match(&text) == ctx.negative {
                    (false, info(&text, mi, ai, ctx.negative))
                } else {
                    (true, Vec::new())
                }
            }
            other => (
                false,
                error_info(
                    mi,
                    ai,
                    &format!("expect '{path}' to be a string, got:\n{}", marshal(other)),
                ),
            ),
        },
        |ctx| info("no manifest found", -1, -1, ctx.negative),
    )
}

/// `contains` / `notContains`.
pub(crate) fn contains(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let content = param(p, "content").cloned().unwrap_or_default();
    let count = param_int(p, "count");
    let any = param_bool(p, "any");
    let info = |actual: &Value, mi: i64, ai: i64, not: bool| {
        let e = marshal(&Value::List(vec![content.clone()]));
        let a = marshal(actual);
        split_info(
            &fail_format(not, true, true, false, " to contain"),
            mi,
            ai,
            &[&path, &e, &a],
        )
    };
    each_found(
        ctx,
        &path,
        unknown_path,
        |ctx, actual, mi, ai| {
            let Value::List(items) = actual else {
                return (
                    false,
                    error_info(
                        mi,
                        ai,
                        &format!("expect '{path}' to be an array, got:\n{}", marshal(actual)),
                    ),
                );
            };
            let mut found = 0i64;
            for item in items {
                let subset = any
                    && match (item, &content) {
                        (Value::Map(i), Value::Map(c)) => {
                            c.iter().all(|(k, v)| i.get(k) == Some(v))
                        }
                        _ => false,
                    };
                let array_like = any && !(item.as_map().is_some() && content.as_map().is_some());
                if subset || ((!any || array_like) && item == &content) {
                    found += 1;
                }
            }
            let hit = found > 0;
            match count {
                None if hit == ctx.negative => (false, info(actual, mi, ai, ctx.negative)),
                Some(n) if (hit && n == found) == ctx.negative => {
                    if hit {
                        (
                            false,
                            error_info(
                                mi,
                                ai,
                                &format!(
                                    "expect count {n} in '{path}' to be in array, got {found}:\n{}",
                                    marshal(actual)
                                ),
                            ),
                        )
                    } else {
                        (false, info(actual, mi, ai, ctx.negative))
                    }
                }
                _ => (true, Vec::new()),
            }
        },
        |ctx| info(&s("no manifest found"), 0, -1, ctx.negative),
    )
}

/// `isNullOrEmpty` / `isEmpty` / `isNotNullOrEmpty` / `isNotEmpty`.
pub(crate) fn null_or_empty(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let info = |actual: &Value, mi: i64, ai: i64, not: bool| {
        split_info(
            &fail_format(not, true, false, false, " to be null or empty, got"),
            mi,
            ai,
            &[&path, &marshal(actual)],
        )
    };
    each_found(
        ctx,
        &path,
        unknown_path,
        |ctx, actual, mi, ai| {
            // Go's reflect zero value: nil, "", 0, false, and empty collections.
            let empty = match actual {
                Value::Null => true,
                Value::Bool(b) => !b,
                Value::Int(i) => *i == 0,
                Value::UInt(u) => *u == 0,
                Value::Float(f) => *f == 0.0,
                Value::String(s) => s.is_empty(),
                Value::List(l) => l.is_empty(),
                Value::Map(m) => m.is_empty(),
            };
            if empty == ctx.negative {
                (false, info(actual, mi, ai, ctx.negative))
            } else {
                (true, Vec::new())
            }
        },
        |ctx| info(&s("no manifest found"), -1, -1, ctx.negative),
    )
}

/// `isSubset` / `isNotSubset`.
pub(crate) fn subset(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let content = param(p, "content").cloned().unwrap_or_default();
    let info = |actual: &Value, mi: i64, ai: i64, not: bool| {
        split_info(
            &fail_format(not, true, true, false, " to contain"),
            mi,
            ai,
            &[&path, &marshal(&content), &marshal(actual)],
        )
    };
    each_found(
        ctx,
        &path,
        unknown_path,
        |ctx, actual, mi, ai| match (actual, &content) {
            (Value::Map(a), Value::Map(c)) => {
                let found = c.iter().all(|(k, v)| a.get(k) == Some(v));
                if found == ctx.negative {
                    (false, info(actual, mi, ai, ctx.negative))
                } else {
                    (true, Vec::new())
                }
            }
            _ => (
                false,
                error_info(
                    mi,
                    ai,
                    &format!("expect '{path}' to be an object, got:\n{}", marshal(actual)),
                ),
            ),
        },
        |ctx| info(&s("no manifest found"), -1, -1, ctx.negative),
    )
}

/// Go's `reflect.TypeOf(v).String()` for what go-yaml v3 decodes.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::UInt(_) => "uint64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

/// `isType` / `isNotType`.
pub(crate) fn is_type(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let ty = param_str(p, "type");
    let info = |actual: &str, mi: i64, ai: i64, not: bool| {
        split_info(
            &fail_format(not, true, true, false, " to be of type"),
            mi,
            ai,
            &[&path, &ty, actual],
        )
    };
    each_found(
        ctx,
        &path,
        unknown_path,
        |ctx, actual, mi, ai| {
            let t = go_type(actual);
            if (t == ty) == ctx.negative {
                (false, info(t, mi, ai, ctx.negative))
            } else {
                (true, Vec::new())
            }
        },
        |ctx| info("no manifest found", -1, -1, ctx.negative),
    )
}

/// `greaterOrEqual` / `lessOrEqual` and their `not` forms
/// (`operatorValidator`).
pub(crate) fn compare(ctx: &mut Ctx<'_>, p: &Value, kind: &str) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let expected = param(p, "value").cloned().unwrap_or_default();
    let custom = format!(" to be {kind} then or equal to, got");
    let info = |msg: &str, mi: i64, ai: i64, not: bool| {
        split_info(
            &fail_format(not, true, false, false, &custom),
            mi,
            ai,
            &[&path, msg],
        )
    };
    each_found(
        ctx,
        &path,
        |p| format!("unknown path '{p}'"),
        |ctx, actual, mi, ai| {
            if go_type(actual) != go_type(&expected) {
                let e = error_info(
                    mi,
                    ai,
                    &format!(
                        "actual '{}' and expected '{}' types do not match",
                        go_type(actual),
                        go_type(&expected)
                    ),
                );
                return (false, e);
            }
            let ord = match (&expected, actual) {
                (Value::String(e), Value::String(a)) => Some(a.cmp(e)),
                (Value::Int(e), Value::Int(a)) => Some(a.cmp(e)),
                (Value::Float(e), Value::Float(a)) => a.partial_cmp(e),
                _ => None,
            };
            let Some(ord) = ord else {
                return (
                    false,
                    vec![format!("unsupported type '{}'", go_type(&expected))],
                );
            };
            let holds = if kind == "greater" {
                ord.is_ge()
            } else {
                ord.is_le()
            };
            // helm-unittest's compare*Values, with Go's precedence:
            // `(greater && a >= e) || ((less && a <= e) == !not)`, so the
            // greater form with `not` always passes, as upstream.
            let pass = if kind == "greater" {
                holds || ctx.negative
            } else {
                holds != ctx.negative
            };
            if pass {
                (true, Vec::new())
            } else {
                let msg = format!(
                    "the actual '{}' is not {kind} or equal to the expected '{}'",
                    go_print(actual),
                    go_print(&expected)
                );
                (false, info(&msg, mi, ai, ctx.negative))
            }
        },
        |ctx| info("no manifests found", -1, -1, ctx.negative),
    )
}

/// Go's `fmt.Sprintf("%v", v)` for scalars.
fn go_print(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Float(f) => yaml3::go_float(*f)
            .replace(".inf", "+Inf")
            .replace(".nan", "NaN"),
        Value::Null => "<nil>".into(),
        other => yaml3::to_string(other).trim_end().to_owned(),
    }
}

/// `exists` / `notExists` / `isNull` / `isNotNull` (`ExistsValidator`).
pub(crate) fn exists(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let info = |mi: i64, not: bool| {
        let f = format!(
            "Path:%s expected to {}exists",
            if not { "NOT " } else { "" }
        );
        split_info(&f, mi, -1, &[&path])
    };
    let mut ok = false;
    let mut errors = Vec::new();
    for (i, doc) in ctx.selected.iter().enumerate() {
        match path::find(doc, &path) {
            Err(e) => {
                ok = false;
                errors.extend(error_info(idx(i), -1, &e));
            }
            Ok(found) if found.is_empty() != ctx.negative => {
                ok = false;
                errors.extend(info(idx(i), ctx.negative));
            }
            Ok(_) => ok = determine(i, ok, true),
        }
    }
    if ctx.selected.is_empty() {
        if ctx.negative {
            ok = true;
        } else {
            errors.extend(info(-1, false));
        }
    }
    (ok, errors)
}

/// `isKind` and `isAPIVersion`: `field` is `kind` or `apiVersion`.
pub(crate) fn is_field(
    ctx: &mut Ctx<'_>,
    p: &Value,
    field: &str,
    custom: &str,
) -> (bool, Vec<String>) {
    let of = param_str(p, "of");
    let info = |actual: &Value, mi: i64, not: bool| {
        if not {
            split_info(
                &fail_format(true, false, false, false, custom),
                mi,
                -1,
                &[&of],
            )
        } else {
            split_info(
                &fail_format(false, false, true, false, custom),
                mi,
                -1,
                &[&of, &marshal(actual)],
            )
        }
    };
    let mut ok = false;
    let mut errors = Vec::new();
    for (i, doc) in ctx.selected.iter().enumerate() {
        let actual = doc
            .as_map()
            .and_then(|m| m.get(field))
            .cloned()
            .unwrap_or_default();
        if (actual.as_str() == Some(of.as_str())) == ctx.negative {
            ok = false;
            errors.extend(info(&actual, idx(i), ctx.negative));
            continue;
        }
        ok = determine(i, ok, true);
    }
    if ctx.selected.is_empty() {
        if ctx.negative {
            ok = true;
        } else {
            errors.extend(info(&s("no manifest found"), -1, false));
        }
    }
    (ok, errors)
}

/// `hasDocuments`.
pub(crate) fn has_documents(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let count = param_int(p, "count").unwrap_or(0);
    let n = if param_bool(p, "filterAware") {
        ctx.selected.len()
    } else {
        ctx.docs.len()
    };
    let n = idx(n);
    if (n == count) != ctx.negative {
        return (true, Vec::new());
    }
    let custom = " documents count to be";
    let (e, a) = (count.to_string(), n.to_string());
    if ctx.negative {
        (
            false,
            split_info(
                &fail_format(true, false, false, false, custom),
                -1,
                -1,
                &[&e],
            ),
        )
    } else {
        (
            false,
            split_info(
                &fail_format(false, false, true, false, custom),
                -1,
                -1,
                &[&e, &a],
            ),
        )
    }
}

/// `lengthEqual` / `notLengthEqual`.
pub(crate) fn length_equal(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let single = param_str(p, "path");
    let paths: Vec<String> = match param(p, "paths") {
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let count = param_int(p, "count");
    if !single.is_empty() && count.is_none_or(|c| c < 0) {
        return (
            false,
            error_info(-1, -1, "'count' field must be set if 'path' is used"),
        );
    }
    if !single.is_empty() && !paths.is_empty() {
        return (
            false,
            error_info(-1, -1, "'paths' couldn't be used with 'path'"),
        );
    }
    let info = |path: &str, count: &str, actual: &str, mi: i64, not: bool| {
        split_info(
            &fail_format(not, true, true, false, " to match count"),
            mi,
            -1,
            &[path, count, actual],
        )
    };
    let neg = ctx.negative;
    let counts = |doc: &Value, path: &str, mi: i64| -> (bool, Vec<String>, i64) {
        let found = match path::find(doc, path) {
            Ok(f) => f,
            Err(e) => return (false, error_info(mi, -1, &e), 0),
        };
        let mut ok = found.is_empty() && neg;
        let mut errs = Vec::new();
        let mut len = 0;
        for (ai, actual) in found.iter().enumerate() {
            let list = match actual {
                Value::List(l) => Some(l),
                _ => None,
            };
            if list.is_none() && count.is_none() {
                errs.extend(error_info(mi, idx(ai), &format!("{path} is not array")));
                continue;
            }
            len = idx(list.map_or(0, Vec::len));
            let mut one = true;
            if let Some(c) = count.filter(|c| (len == *c) == neg) {
                errs.extend(info(path, &c.to_string(), &len.to_string(), mi, neg));
                one = false;
            }
            ok = determine(ai, ok, one);
        }
        (ok, errs, len)
    };
    let mut ok = false;
    let mut errors = Vec::new();
    for (mi, doc) in ctx.selected.iter().enumerate() {
        let (one, errs) = if !single.is_empty() {
            let (o, e, _) = counts(doc, &single, idx(mi));
            (o, e)
        } else {
            let mut all_ok = true;
            let mut errs = Vec::new();
            let mut lens: Vec<(String, i64)> = Vec::new();
            for path in &paths {
                let (o, e, len) = counts(doc, path, idx(mi));
                if !o {
                    all_ok = false;
                    errs.extend(e);
                }
                lens.push((path.clone(), len));
            }
            if all_ok {
                lens.sort();
                let first = lens.first().map(|l| l.1);
                if let Some((path, len)) = lens.iter().find(|(_, l)| (Some(*l) == first) == neg) {
                    errs.extend(info(path, "-1", &len.to_string(), idx(mi), neg));
                    all_ok = false;
                }
            }
            (all_ok, errs)
        };
        errors.extend(errs);
        ok = determine(mi, ok, one);
    }
    if ctx.selected.is_empty() {
        if neg {
            ok = true;
        } else {
            errors.extend(info("", "", "no manifest found", -1, false));
        }
    }
    (ok, errors)
}

/// The raw text of a document (NOTES.txt, or a failed render's message).
fn raw(doc: &Value) -> String {
    doc.as_map()
        .and_then(|m| m.get(RAW))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_default()
}

/// `equalRaw` / `notEqualRaw`.
pub(crate) fn equal_raw(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let expected = param_str(p, "value");
    let info = |actual: &str, not: bool| {
        let (e, a) = (marshal(&s(&expected)), marshal(&s(actual)));
        if not {
            split_info(
                &fail_format(true, false, false, false, " to equal"),
                -1,
                -1,
                &[&e],
            )
        } else {
            let d = diff(&e, &a);
            split_info(
                &fail_format(false, false, true, true, " to equal"),
                -1,
                -1,
                &[&e, &a, &d],
            )
        }
    };
    raw_loop(
        ctx,
        |ctx, text| {
            let actual = uniform(text);
            if (expected == actual) == ctx.negative {
                Some(info(&actual, ctx.negative))
            } else {
                None
            }
        },
        |neg| info("no manifest found", neg),
    )
}

/// `matchRegexRaw` / `notMatchRegexRaw`.
pub(crate) fn match_regex_raw(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let pattern = param_str(p, "pattern");
    if pattern.is_empty() {
        return (
            false,
            error_info(-1, -1, "expected field 'pattern' to be filled"),
        );
    }
    let re = match regex::Regex::new(&pattern) {
        Ok(re) => re,
        Err(e) => return (false, error_info(-1, -1, &e.to_string())),
    };
    let info = |actual: &str, not: bool| {
        split_info(
            &fail_format(not, false, true, false, " to match"),
            -1,
            -1,
            &[&pattern, actual],
        )
    };
    raw_loop(
        ctx,
        |ctx, text| {
            let actual = uniform(text);
            if re.is_match(&actual) == ctx.negative {
                Some(info(&actual, ctx.negative))
            } else {
                None
            }
        },
        |neg| info("no manifest found", neg),
    )
}

fn raw_loop(
    ctx: &mut Ctx<'_>,
    mut check: impl FnMut(&mut Ctx<'_>, &str) -> Option<Vec<String>>,
    empty: impl Fn(bool) -> Vec<String>,
) -> (bool, Vec<String>) {
    let mut ok = false;
    let mut errors = Vec::new();
    let selected = ctx.selected;
    for (i, doc) in selected.iter().enumerate() {
        match check(ctx, &raw(doc)) {
            Some(e) => {
                ok = false;
                errors.extend(e);
            }
            None => ok = determine(i, ok, true),
        }
    }
    if selected.is_empty() {
        if ctx.negative {
            ok = true;
        } else {
            errors.extend(empty(false));
        }
    }
    (ok, errors)
}

/// `containsDocument`.
pub(crate) fn contains_document(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let (kind, api) = (param_str(p, "kind"), param_str(p, "apiVersion"));
    let (name, ns) = (param_str(p, "name"), param_str(p, "namespace"));
    let any = param_bool(p, "any");
    let mut joined = format!("Kind = {kind}, apiVersion = {api}");
    if !name.is_empty() {
        joined.push_str(&format!(", Name = {name}"));
    }
    if !ns.is_empty() {
        joined.push_str(&format!(", Namespace = {ns}"));
    }
    let info = |mi: i64, not: bool| {
        split_info(
            &fail_format(not, false, false, false, " to contain document"),
            mi,
            -1,
            &[&joined],
        )
    };
    let field =
        |doc: &Value, path: &str| doc.lookup(path).and_then(Value::as_str).map(str::to_owned);
    let matches = |doc: &Value| {
        // A document without the field does not disqualify it
        // (helm-unittest's matchKind / matchAPIVersion).
        field(doc, "kind").is_none_or(|k| k == kind)
            && field(doc, "apiVersion").is_none_or(|a| a == api)
            && (name.is_empty() || field(doc, "metadata.name").as_deref() == Some(name.as_str()))
            && (ns.is_empty() || field(doc, "metadata.namespace").as_deref() == Some(ns.as_str()))
    };
    let mut ok = false;
    let mut errors = Vec::new();
    for (i, doc) in ctx.selected.iter().enumerate() {
        let hit = matches(doc);
        let one = if hit == ctx.negative {
            errors.extend(info(idx(i), ctx.negative));
            false
        } else {
            if any != ctx.negative {
                return (true, Vec::new());
            }
            true
        };
        ok = determine(i, ok, one);
    }
    if ctx.selected.is_empty() {
        if ctx.negative {
            ok = true;
        } else {
            errors.extend(info(-1, false));
        }
    }
    (ok, errors)
}

/// `failedTemplate` / `notFailedTemplate`.
pub(crate) fn failed_template(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let message = param_str(p, "errorMessage");
    let pattern = param_str(p, "errorPattern");
    if !message.is_empty() && !pattern.is_empty() {
        return (
            false,
            error_info(
                -1,
                -1,
                "single attribute 'errorMessage' or 'errorPattern' supported at the same time",
            ),
        );
    }
    let custom = if pattern.is_empty() {
        " to equal"
    } else {
        " to match"
    };
    let shown = if message.is_empty() {
        pattern.clone()
    } else {
        message.clone()
    };
    let info = |actual: &str, mi: i64, not: bool| {
        if not {
            split_info(
                &fail_format(true, false, false, false, custom),
                mi,
                -1,
                &[&shown],
            )
        } else {
            split_info(
                &fail_format(false, false, true, false, custom),
                mi,
                -1,
                &[&shown, actual],
            )
        }
    };
    // An invalid pattern is matched literally (helm-unittest falls back
    // to the escaped pattern).
    let re = regex::Regex::new(&pattern)
        .or_else(|_| regex::Regex::new(&regex::escape(&pattern)))
        .ok();
    let check = |actual: &str, mi: i64, neg: bool| -> (bool, Vec<String>) {
        if !pattern.is_empty() {
            let hit = re.as_ref().is_some_and(|r| r.is_match(actual))
                || actual.contains(pattern.as_str());
            if hit == neg {
                return (false, info(actual, mi, neg));
            }
        } else if !message.is_empty() && (actual == message) == neg {
            return (false, info(actual, mi, neg));
        }
        (true, Vec::new())
    };
    if let Some(err) = ctx.render_error {
        return check(err, -1, ctx.negative);
    }
    let mut ok = true;
    let mut errors = Vec::new();
    for (i, doc) in ctx.selected.iter().enumerate() {
        if message.is_empty() && pattern.is_empty() && !ctx.negative {
            continue;
        }
        let (one, e) = check(&raw(doc), idx(i), ctx.negative);
        errors.extend(e);
        ok = determine(i, ok, one);
    }
    if ctx.selected.is_empty() && !ctx.negative {
        ok = false;
        errors.extend(info("No failed document", -1, false));
    }
    (ok, errors)
}

/// `matchSnapshot` (optionally only a `path` of each document, or with
/// `matchRegex` / `notMatchRegex` patterns instead of the stored text).
pub(crate) fn match_snapshot(ctx: &mut Ctx<'_>, p: &Value) -> (bool, Vec<String>) {
    let path = param_str(p, "path");
    let nested = |key: &str| {
        param(p, key)
            .map(|v| param_str(v, "pattern"))
            .unwrap_or_default()
    };
    let (want, unwanted) = (nested("matchRegex"), nested("notMatchRegex"));
    let mut ok = ctx.selected.is_empty() && !ctx.negative;
    let mut errors = Vec::new();
    let selected = ctx.selected;
    for (mi, doc) in selected.iter().enumerate() {
        let found = match path::find(doc, &path) {
            Ok(f) => f,
            Err(e) => {
                errors.extend(error_info(idx(mi), -1, &e));
                ok = determine(mi, ok, false);
                continue;
            }
        };
        if found.is_empty() && !ctx.negative {
            errors.extend(error_info(idx(mi), -1, &unknown_path(&path)));
            ok = determine(mi, ok, false);
            continue;
        }
        let mut doc_ok = found.is_empty() && ctx.negative;
        for (ai, actual) in found.iter().enumerate() {
            let r = ctx
                .snapshots
                .compare(&marshal(actual), want.trim(), unwanted.trim());
            let one = r.passed != ctx.negative;
            if !one {
                let lines = if !r.message.is_empty() {
                    split_info(
                        &fail_format(ctx.negative, false, false, false, &r.message),
                        idx(mi),
                        idx(ai),
                        &[&r.cached],
                    )
                } else {
                    let custom = format!(" to match snapshot {}", r.index);
                    let shown = if ctx.negative {
                        r.cached.clone()
                    } else {
                        diff(&r.cached, &r.new)
                    };
                    split_info(
                        &fail_format(ctx.negative, true, false, false, &custom),
                        idx(mi),
                        idx(ai),
                        &[&path, &shown],
                    )
                };
                errors.extend(lines);
            }
            doc_ok = determine(ai, doc_ok, one);
        }
        ok = determine(mi, ok, doc_ok);
    }
    (ok, errors)
}

/// `matchSnapshotRaw`: the raw text (NOTES.txt) against the snapshot.
pub(crate) fn match_snapshot_raw(ctx: &mut Ctx<'_>, _p: &Value) -> (bool, Vec<String>) {
    let mut ok = ctx.selected.is_empty() && !ctx.negative;
    let mut errors = Vec::new();
    let selected = ctx.selected;
    for (i, doc) in selected.iter().enumerate() {
        let actual = uniform(&raw(doc));
        let r = ctx.snapshots.compare(&marshal(&s(&actual)), "", "");
        let one = r.passed != ctx.negative;
        if !one {
            let custom = format!(" to match snapshot {}", r.index);
            let shown = if ctx.negative {
                r.cached.clone()
            } else {
                diff(&r.cached, &r.new)
            };
            errors.extend(split_info(
                &fail_format(ctx.negative, false, false, false, &custom),
                -1,
                -1,
                &[&shown],
            ));
        }
        ok = determine(i, ok, one);
    }
    (ok, errors)
}
