//! helm-unittest's validators (`pkg/unittest/validators`): what each
//! assert checks and the failure text it prints, line for line.
//!
//! Every validator sees the documents of one template: `docs` (all of
//! them, for `hasDocuments`) and `selected` (after `documentIndex` /
//! `documentSelector`). A path-based validator runs over each selected
//! document and each node its path finds; `DocumentIndex:` and
//! `ValuesIndex:` lines name which one failed.
//!
//! This module holds what every validator shares (failure formats, the
//! per-document loop, parameters); the validators are grouped as
//! helm-unittest's docs group them: [`values`] (asserts on a path's
//! value), [`documents`] (asserts on the document set or a failed render)
//! and [`text`] (asserts on raw text and snapshots).

use crate::path;
use crate::snapshot::Comparer;
use crate::yaml3;
use base64::Engine as _;
use rudder_values::Value;

mod documents;
mod text;
mod values;

pub(crate) use documents::{
    contains_document, failed_template, has_documents, is_field, length_equal,
};
pub(crate) use text::{equal_raw, match_regex_raw, match_snapshot, match_snapshot_raw};
pub(crate) use values::{
    compare, contains, equal, exists, is_type, match_regex, null_or_empty, subset,
};

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
