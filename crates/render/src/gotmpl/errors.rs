//! Errors of Go-dialect templates, written as Go's `text/template` writes
//! them and then as Helm 4.1.4 prints them.
//!
//! A render error becomes Go's one-line text, `template: FILE:LINE:COL:
//! executing "NAME" at <NODE>: MESSAGE`, with the location and node from
//! the translation's source map. An `include` that fails carries its inner
//! text, as Go's does (`error calling include: template: …`). At the top,
//! [`helm_format`] applies Helm's `reformatExecErrorMsg`: `required`/`fail`
//! messages as `execution error at (LOCATION): MESSAGE`, chains of template
//! errors one location per level, and anything else (an error a function
//! returned) as Go's one line.

use rudder_gotmpl::{SourceMap, line_col};

/// Helm's markers around `required`/`fail` messages (`warnWrap`).
pub(crate) const WARN_START: &str = "HELM_ERR_START";
/// The closing marker.
pub(crate) const WARN_END: &str = "HELM_ERR_END";

/// What error mapping needs to know about one translated template.
#[derive(Debug)]
pub(crate) struct GoMeta {
    /// The Go file (Helm path).
    pub(crate) file: String,
    /// Its Go source.
    pub(crate) src: std::sync::Arc<str>,
    /// The template name Go executes: the file path or the define's name.
    pub(crate) executing: String,
    /// The translation's source map.
    pub(crate) map: SourceMap,
}

/// Go's text for a render error `e` raised in the template `meta`.
pub(crate) fn exec_error_text(meta: &GoMeta, e: &minijinja::Error) -> String {
    let detail = match e.kind() {
        minijinja::ErrorKind::OutOfFuel => format!(
            "the template ran past rudder's limit of {} steps; look for a loop that never ends",
            crate::FUEL
        ),
        _ => e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned),
    };
    let span = e.range().and_then(|r| meta.map.find(r));
    let Some(span) = span else {
        return format!("template: {}: {detail}", meta.file);
    };
    let (line, col) = line_col(&meta.src, span.go_pos);
    let message = match span.func.as_deref() {
        Some(f @ ("required" | "fail")) if !detail.starts_with("template: ") => {
            format!("error calling {f}: {WARN_START}{detail}{WARN_END}")
        }
        // rudder's function errors start with the function's name (the
        // Jinja dialect has no `error calling` frame); Go's frame names it
        // already, and Sprig's own messages do not repeat it.
        Some(f) => {
            // `mustFirst` reports as `first`, the function it wraps.
            let base = f.strip_prefix("must").map(|b| {
                let mut c = b.chars();
                c.next()
                    .map(|h| h.to_ascii_lowercase().to_string() + c.as_str())
                    .unwrap_or_default()
            });
            // `push` is `append` under another name.
            let alias = matches!(f, "push" | "mustPush").then(|| "append".to_owned());
            let reason = [Some(f.to_owned()), base, alias]
                .into_iter()
                .flatten()
                .find_map(|name| {
                    detail
                        .strip_prefix(name.as_str())
                        .and_then(|r| r.strip_prefix(": "))
                })
                .unwrap_or(&detail);
            format!("error calling {f}: {reason}")
        }
        None => detail,
    };
    format!(
        "template: {}:{line}:{col}: executing {:?} at <{}>: {message}",
        meta.file, meta.executing, span.context
    )
}

/// Helm's `parse error at (FILE:LINE): MESSAGE` for a translation error.
pub(crate) fn parse_error_text(e: &rudder_gotmpl::Error) -> String {
    let text = e.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    if tokens.len() < 3 {
        return format!("parse error in ({}): {text}", tokens.get(1).unwrap_or(&""));
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// One level of a chain of template errors (Helm's `TraceableError`).
#[derive(Debug, PartialEq, Eq)]
struct Level<'a> {
    location: &'a str,
    executing: Option<(&'a str, &'a str)>,
    message: &'a str,
}

/// Parses one level; `None` when the text is not a template error.
fn parse_level(s: &str) -> Option<(Level<'_>, Option<&str>)> {
    let rem = s.strip_prefix("template: ")?;
    if rem.starts_with("no template ") {
        return Some((
            Level {
                location: "",
                executing: None,
                message: s,
            },
            None,
        ));
    }
    if let Some((location, after)) = rem.split_once(": executing ")
        && let Some(after) = after.strip_prefix('"')
        && let Some(q) = after.find('"')
    {
        let name = &after[..q];
        let rest = after[q + 1..].strip_prefix(" at <")?;
        let (node, msg) = rest.split_once(">: ")?;
        let (message, next) = split_next(msg);
        return Some((
            Level {
                location,
                executing: Some((name, node)),
                message,
            },
            next,
        ));
    }
    let sep = rem.rfind(": ")?;
    let (message, next) = split_next(&rem[sep + 2..]);
    Some((
        Level {
            location: &rem[..sep],
            executing: None,
            message,
        },
        next,
    ))
}

/// A message as Helm shows it (cut at a chained ` template:` error), and
/// the error it wraps: what follows `error calling NAME: `, which Helm's
/// walk then parses (and gives up on unless it is a template error).
fn split_next(msg: &str) -> (&str, Option<&str>) {
    let shown = match msg.find(" template:") {
        Some(cut) => &msg[..cut],
        None => msg,
    };
    let wrapped = msg
        .strip_prefix("error calling ")
        .and_then(|rest| rest.split_once(": "))
        .map(|(_, inner)| inner);
    (shown, wrapped)
}

/// Helm's `reformatExecErrorMsg` of Go's text `text` for file `file`.
pub(crate) fn helm_format(file: &str, text: &str) -> String {
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({file}): {text}");
    }
    if let Some(start) = tokens[2].find(WARN_START)
        && let Some(end) = tokens[2][start..].find(WARN_END)
    {
        let msg = &tokens[2][start + WARN_START.len()..start + end];
        return format!("execution error at ({}): {msg}", tokens[1]);
    }
    let mut levels: Vec<Level<'_>> = Vec::new();
    let mut current = Some(text);
    while let Some(cur) = current {
        // A level that is not a template error (a function's own error)
        // ends Helm's walk: it prints Go's text as it is.
        let Some((level, next)) = parse_level(cur) else {
            return text.to_owned();
        };
        if levels.last() != Some(&level) {
            levels.push(level);
        }
        current = next;
    }
    let mut out = String::new();
    for l in &levels {
        if !l.location.is_empty() {
            out.push_str(l.location);
            out.push_str("\n  ");
        }
        if let Some((name, node)) = l.executing {
            out.push_str(&format!("executing {name:?} at <{node}>:\n    "));
        }
        out.push_str(l.message);
        out.push('\n');
    }
    out.trim().to_owned()
}

/// Helm removes every `<no value>` (Go's text for a missing value) from a
/// rendered file and from `tpl`'s result.
pub(crate) fn strip_no_value(text: String) -> String {
    if text.contains("<no value>") {
        text.replace("<no value>", "")
    } else {
        text
    }
}
