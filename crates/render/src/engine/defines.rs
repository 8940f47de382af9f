//! Named templates: `{% define "name" %}…{% enddefine %}` blocks.
//!
//! Jinja has no `define`; Helm charts need one (`include "x.labels" .`).
//! rudder lifts every define block out of every template file before
//! compiling: the body becomes a template of its own, callable with
//! `include("name", ctx)`, and the block is replaced in the file by a Jinja
//! comment holding the same number of newlines, so line numbers in error
//! messages stay those of the file. Whitespace control works as on any Jinja
//! tag: `{%- define … %}` trims before the tag, `-%}` after it.

use std::sync::LazyLock;

use regex::Regex;

/// One named template lifted out of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Define {
    /// The name given to `define`.
    pub(crate) name: String,
    /// The body, padded so its first line keeps its line number.
    pub(crate) body: String,
}

static TAG: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"\{%(-?)\s*(define\s+"((?:[^"\\]|\\.)*)"|enddefine)\s*(-?)%\}"#).ok()
});

/// Splits `source` into the file's own text and its define blocks; an
/// error carries its line.
pub(crate) fn extract(source: &str) -> Result<(String, Vec<Define>), (usize, String)> {
    let Some(tag) = TAG.as_ref() else {
        return Err((1, "internal error: define pattern".to_owned()));
    };
    if !source.contains("define") {
        return Ok((source.to_owned(), Vec::new()));
    }
    let newlines = |a: usize, b: usize| source[a..b].matches('\n').count();
    let lead_ws = |at: usize| source[at..].len() - source[at..].trim_start().len();
    let mut text = String::with_capacity(source.len());
    let mut defines = Vec::new();
    // (name, where the removed block starts, where the body starts)
    let mut open: Option<(String, usize, usize)> = None;
    let mut cursor = 0;
    for caps in tag.captures_iter(source) {
        let Some(all) = caps.get(0) else { continue };
        let (start, end) = (all.start(), all.end());
        let trim_before = caps.get(1).is_some_and(|m| !m.as_str().is_empty());
        let trim_after = caps.get(4).is_some_and(|m| !m.as_str().is_empty());
        let line = 1 + newlines(0, start);
        match (caps.get(3), open.take()) {
            (Some(name), None) => {
                let mut before = &source[cursor..start];
                if trim_before {
                    before = before.trim_end();
                }
                text.push_str(before);
                let block_start = cursor + before.len();
                let body_start = if trim_after { end + lead_ws(end) } else { end };
                open = Some((unescape(name.as_str()), block_start, body_start));
                cursor = end;
            }
            (Some(name), Some((outer, ..))) => {
                return Err((
                    line,
                    format!(
                        "define {:?} starts inside define {outer:?}; close it with {{% enddefine %}} first",
                        name.as_str()
                    ),
                ));
            }
            (None, Some((name, block_start, body_start))) => {
                let mut body = &source[body_start.min(start)..start];
                if trim_before {
                    body = body.trim_end();
                }
                defines.push(Define {
                    name,
                    body: pad_lines(newlines(0, body_start.min(start)), body),
                });
                let block_end = if trim_after { end + lead_ws(end) } else { end };
                text.push_str(&comment_with_newlines(newlines(block_start, block_end)));
                cursor = block_end;
            }
            (None, None) => {
                return Err((line, "enddefine without a matching define".to_owned()));
            }
        }
    }
    if let Some((name, _, body_start)) = open {
        let line = newlines(0, body_start) + 1;
        return Err((
            line,
            format!("define {name:?} is never closed; add {{% enddefine %}}"),
        ));
    }
    text.push_str(&source[cursor..]);
    Ok((text, defines))
}

fn comment_with_newlines(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    format!("{{#{}#}}", "\n".repeat(n))
}

/// `n` newlines hidden in a comment, then `body`.
fn pad_lines(n: usize, body: &str) -> String {
    let mut out = comment_with_newlines(n);
    out.push_str(body);
    out
}

fn unescape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(d: &[Define]) -> Vec<(&str, &str)> {
        d.iter()
            .map(|d| (d.name.as_str(), d.body.as_str()))
            .collect()
    }

    #[test]
    fn lifts_defines_and_keeps_line_numbers() {
        let src = "a\n{% define \"x.labels\" %}\nk: v\n{% enddefine %}\nb {{ x }}\n";
        let (text, defs) = extract(src).unwrap();
        assert_eq!(text, "a\n{#\n\n#}\nb {{ x }}\n");
        assert_eq!(names(&defs), [("x.labels", "{#\n#}\nk: v\n")]);
        assert_eq!(text.lines().count(), src.lines().count());
    }

    #[test]
    fn whitespace_control_trims_around_tags() {
        let src = "a  {%- define \"n\" -%}\n  body  \n{%- enddefine -%}\n\nz";
        let (text, defs) = extract(src).unwrap();
        assert_eq!(names(&defs), [("n", "{#\n#}body")]);
        assert_eq!(text, "a{#\n\n\n\n#}z", "z stays on line 5");
    }

    #[test]
    fn several_defines_and_escaped_quotes() {
        let src = "{% define \"a\" %}1{% enddefine %}{% define \"b\\\"c\" %}2{% enddefine %}";
        let (text, defs) = extract(src).unwrap();
        assert_eq!(text, "");
        assert_eq!(names(&defs), [("a", "1"), ("b\"c", "2")]);
    }

    #[test]
    fn unbalanced_blocks_are_errors_with_lines() {
        let e = extract("x\n{% define \"a\" %}").unwrap_err();
        assert_eq!(
            e,
            (
                2,
                "define \"a\" is never closed; add {% enddefine %}".to_owned()
            )
        );
        let e = extract("{% enddefine %}").unwrap_err();
        assert_eq!(e, (1, "enddefine without a matching define".to_owned()));
        let e = extract("{% define \"a\" %}{% define \"b\" %}").unwrap_err();
        assert!(e.1.contains("starts inside define \"a\""), "{e:?}");
    }
}
