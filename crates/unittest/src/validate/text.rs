//! Validators of raw text (NOTES.txt, a failed render's message) and
//! snapshots: `equalRaw`, `matchRegexRaw`, `matchSnapshot`, `matchSnapshotRaw`.

use super::*;

/// The raw text of a document (NOTES.txt, or a failed render's message).
pub(super) fn raw(doc: &Value) -> String {
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
