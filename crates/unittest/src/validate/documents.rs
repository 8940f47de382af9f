//! Validators of the document set: `isKind`/`isAPIVersion`,
//! `hasDocuments`, `lengthEqual`, `containsDocument`, `failedTemplate`.

use super::text::raw;
use super::*;

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
