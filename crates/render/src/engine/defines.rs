//! Named templates: `{% define "name" %}…{% enddefine %}` blocks.
//!
//! Jinja has no `define`; Helm charts need one (`include "x.labels" .`).
//! rudder lifts every define block out of every template file before
//! compiling: the body becomes a template of its own, callable with
//! `include("name", ctx)`, and the block is replaced in the file by a Jinja
//! comment holding the same number of newlines, so line numbers in error
//! messages stay those of the file. Whitespace control works as on any Jinja
//! tag: `{%- define … %}` trims before the tag, `-%}` after it.
//!
//! A body is compiled behind at most [`CONTEXT_LINES`] padding lines and
//! carries the rest of its first line's number as [`Define::line_offset`]:
//! padding every body to its full line made 50,000 defines in one file a
//! gigabyte of newlines to compile (20 s); now the work is linear.

/// One named template lifted out of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Define {
    /// The name given to `define`.
    pub(crate) name: String,
    /// The body, padded so that line `n` of it is line `n + line_offset`
    /// of the file, at the file's column on its first line.
    pub(crate) body: String,
    /// Lines of the file above the body's compiled line 1.
    pub(crate) line_offset: usize,
}

/// The lines minijinja shows above an error's line: a body gets that many
/// padding lines, so an excerpt shows the file's lines above it as before.
const CONTEXT_LINES: usize = 3;

/// Counts the newlines before a position, scanning each byte once while
/// the positions asked for increase (they do, in [`extract`]).
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    newlines: usize,
}

impl LineCounter<'_> {
    fn before(&mut self, pos: usize) -> usize {
        if pos < self.at {
            self.at = 0;
            self.newlines = 0;
        }
        self.newlines += memchr::memchr_iter(b'\n', &self.bytes[self.at..pos]).count();
        self.at = pos;
        self.newlines
    }
}

/// One `{% define "name" %}` or `{% enddefine %}` tag.
#[derive(Debug, PartialEq, Eq)]
struct Tag<'a> {
    start: usize,
    end: usize,
    /// `{%-`
    trim_before: bool,
    /// `-%}`
    trim_after: bool,
    /// The name as written (escapes kept); `None` for `enddefine`.
    name: Option<&'a str>,
}

/// The first tag at or after `from`: what the regex
/// `\{%(-?)\s*(define\s+"((?:[^"\\]|\\.)*)"|enddefine)\s*(-?)%\}` finds,
/// matched by hand (compiling it was a visible part of every run). `\s` is
/// Unicode whitespace; in a name, `\` escapes any character but a newline,
/// and the first unescaped `"` ends it.
fn next_tag(source: &str, mut from: usize) -> Option<Tag<'_>> {
    let b = source.as_bytes();
    while let Some(at) = memchr::memmem::find(&b[from..], b"{%") {
        let start = from + at;
        if let Some(tag) = tag_at(source, start) {
            return Some(tag);
        }
        from = start + 1;
    }
    None
}

/// The tag starting at `start` (a `{%`), if one does.
fn tag_at(source: &str, start: usize) -> Option<Tag<'_>> {
    let spaces = |i: usize| {
        i + source[i..]
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map_or(source.len() - i, |(n, _)| n)
    };
    let mut i = start + 2;
    let trim_before = source[i..].starts_with('-');
    if trim_before {
        i += 1;
    }
    i = spaces(i);
    let rest = &source[i..];
    let name = if rest.starts_with("define") {
        let quote = spaces(i + 6);
        if quote == i + 6 || !source[quote..].starts_with('"') {
            return None;
        }
        let name_start = quote + 1;
        let mut chars = source[name_start..].char_indices();
        let name_end = loop {
            match chars.next()? {
                (n, '"') => break name_start + n,
                // An escape takes any character but a newline.
                (_, '\\') if chars.next()?.1 == '\n' => return None,
                _ => {}
            }
        };
        i = name_end + 1;
        Some(&source[name_start..name_end])
    } else if rest.starts_with("enddefine") {
        i += "enddefine".len();
        None
    } else {
        return None;
    };
    i = spaces(i);
    let close = &source[i..];
    let (trim_after, end) = if close.starts_with("-%}") {
        (true, i + 3)
    } else if close.starts_with("%}") {
        (false, i + 2)
    } else {
        return None;
    };
    Some(Tag {
        start,
        end,
        trim_before,
        trim_after,
        name,
    })
}

/// Splits `source` into the file's own text and its define blocks; an
/// error carries its line.
pub(crate) fn extract(source: &str) -> Result<(String, Vec<Define>), (usize, String)> {
    if !source.contains("define") {
        return Ok((source.to_owned(), Vec::new()));
    }
    let newlines =
        |a: usize, b: usize| memchr::memchr_iter(b'\n', &source.as_bytes()[a..b]).count();
    let mut lines = LineCounter {
        bytes: source.as_bytes(),
        at: 0,
        newlines: 0,
    };
    let lead_ws = |at: usize| source[at..].len() - source[at..].trim_start().len();
    let mut text = String::with_capacity(source.len());
    let mut defines = Vec::new();
    // (name, where the removed block starts, where the body starts)
    let mut open: Option<(String, usize, usize)> = None;
    let mut cursor = 0;
    let mut from = 0;
    while let Some(Tag {
        start,
        end,
        trim_before,
        trim_after,
        name,
    }) = next_tag(source, from)
    {
        from = end;
        let line = || 1 + newlines(0, start);
        match (name, open.take()) {
            (Some(name), None) => {
                let mut before = &source[cursor..start];
                if trim_before {
                    before = before.trim_end();
                }
                text.push_str(before);
                let block_start = cursor + before.len();
                let body_start = if trim_after { end + lead_ws(end) } else { end };
                open = Some((unescape(name), block_start, body_start));
                cursor = end;
            }
            (Some(name), Some((outer, ..))) => {
                return Err((
                    line(),
                    format!(
                        "define {:?} starts inside define {outer:?}; close it with {{% enddefine %}} first",
                        name
                    ),
                ));
            }
            (None, Some((name, block_start, body_start))) => {
                let mut body = &source[body_start.min(start)..start];
                if trim_before {
                    body = body.trim_end();
                }
                let at = body_start.min(start);
                let column = source[..at]
                    .rsplit('\n')
                    .next()
                    .map_or(0, |l| l.chars().count());
                let above = lines.before(at);
                let padding = above.min(CONTEXT_LINES);
                defines.push(Define {
                    name,
                    body: pad_lines(padding, column, body),
                    line_offset: above - padding,
                });
                let block_end = if trim_after { end + lead_ws(end) } else { end };
                text.push_str(&comment_with_newlines(newlines(block_start, block_end)));
                cursor = block_end;
            }
            (None, None) => {
                return Err((line(), "enddefine without a matching define".to_owned()));
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

/// `body` behind a comment that puts it at line `n + 1`, column `column`
/// (from 0) of the compiled source, where it stands in the file: error
/// lines and carets then point into the file's own text.
fn pad_lines(n: usize, column: usize, body: &str) -> String {
    if n == 0 && column == 0 {
        return body.to_owned();
    }
    if column >= 2 || n == 0 {
        // `{#` … `#}` ending just before the body's column.
        let gap = column.saturating_sub(if n == 0 { 4 } else { 2 });
        return format!("{{#{}{}#}}{body}", "\n".repeat(n), " ".repeat(gap));
    }
    // Too close to the line's start for `#}`: the comment ends a line
    // early and `-#}` trims the newline and blanks that place the body.
    // Only a trimmed body (`-%}`) starts there, so it loses no whitespace.
    // (The blank keeps `{#-#}` from reading its `-` as the opening's.)
    format!(
        "{{# {}-#}}\n{}{body}",
        "\n".repeat(n - 1),
        " ".repeat(column)
    )
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
        // The body starts after the tag: line 2, column 23.
        let padded = format!("{{#\n{}#}}\nk: v\n", " ".repeat(21));
        assert_eq!(names(&defs), [("x.labels", padded.as_str())]);
        assert_eq!(text.lines().count(), src.lines().count());
    }

    #[test]
    fn bodies_carry_their_line_as_an_offset_not_as_padding() {
        // 2,000 defines, one a line: each body is compiled behind at most
        // CONTEXT_LINES newlines, so the compiled text grows linearly (it
        // was every body padded to its line: 2 million newlines here).
        let src: String = (0..2000)
            .map(|i| format!("{{% define \"d{i}\" %}}x{{% enddefine %}}\n"))
            .collect();
        let (text, defs) = extract(&src).unwrap();
        assert_eq!(defs.len(), 2000);
        let compiled: usize = defs.iter().map(|d| d.body.len()).sum::<usize>() + text.len();
        assert!(
            compiled < 4 * src.len(),
            "{compiled} bytes for {}",
            src.len()
        );
        let last = &defs[1999];
        assert_eq!(last.line_offset, 1999 - CONTEXT_LINES);
        // Line 1 of the compiled body, after its padding, is the file's line 2000.
        assert_eq!(last.body.matches('\n').count() + 1 + last.line_offset, 2000);
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
        let a = format!("{{#{}#}}1", " ".repeat(12));
        let b = format!("{{#{}#}}2", " ".repeat(47));
        assert_eq!(names(&defs), [("a", a.as_str()), ("b\"c", b.as_str())]);
    }

    /// The hand-written matcher finds exactly the tags of the regex rudder
    /// used before, on literal edge cases and on every mix of a few tricky
    /// pieces.
    #[test]
    fn tags_match_the_regex() {
        let re =
            regex::Regex::new(r#"\{%(-?)\s*(define\s+"((?:[^"\\]|\\.)*)"|enddefine)\s*(-?)%\}"#)
                .unwrap();
        fn by_regex<'a>(re: &regex::Regex, s: &'a str) -> Vec<Tag<'a>> {
            re.captures_iter(s)
                .map(|c| {
                    let all = c.get(0).unwrap();
                    Tag {
                        start: all.start(),
                        end: all.end(),
                        trim_before: !c[1].is_empty(),
                        trim_after: !c[4].is_empty(),
                        name: c.get(3).map(|m| m.as_str()),
                    }
                })
                .collect()
        }
        fn by_hand(s: &str) -> Vec<Tag<'_>> {
            let mut out = Vec::new();
            let mut from = 0;
            while let Some(t) = next_tag(s, from) {
                from = t.end;
                out.push(t);
            }
            out
        }
        let check = |s: &str| assert_eq!(by_hand(s), by_regex(&re, s), "{s:?}");
        for s in [
            "{% define \"a\" %}x{% enddefine %}",
            "{%-\r\n\tdefine\u{a0}\u{2003}\"a\\\"b\\\\\"\x0C-%}{%-enddefine-%}",
            "{% define \"a\\\nb\" %}",
            "{% define \"a\nb\" %}",
            "{% definex \"a\" %}{%define\"a\"%}{% define \"a %}",
            "{% define \"a\" - %}{% define \"a\" -%}{%{% enddefine %}",
            "{% enddefinex %}{%- - define \"a\" %}{% define \"é\" %}",
        ] {
            check(s);
        }
        let pieces = [
            "{%",
            "%}",
            "-",
            " ",
            "\n",
            "define",
            "enddefine",
            "\"",
            "\\",
            "x",
            "\u{a0}",
        ];
        crate::test_support::each_text(&pieces, 6, check);
    }

    /// A padded body renders as the body alone, and each of its
    /// characters sits at the line and column it has in the file.
    #[test]
    fn padded_bodies_render_unchanged_at_their_file_positions() {
        for src in [
            "{% define \"a\" -%}\nx {{ 1 }}\n{% enddefine %}",
            "{%- define \"a\" -%}\n y {{ 2 }}{% enddefine %}",
            "\n\n  {% define \"a\" %}\n  z {{ 3 }}{% enddefine %}",
            "{% define \"a\" %}w{% enddefine %}",
        ] {
            let (_, defs) = extract(src).unwrap();
            let body = &defs[0].body;
            let env = minijinja::Environment::new();
            let out = env.render_str(body, ()).unwrap();
            let start = src
                .find("-%}")
                .map_or_else(|| src.find("%}").unwrap() + 2, |i| i + 3);
            let raw = &src[start..src.find("{% enddefine").unwrap()];
            let raw = if src[..start].ends_with("-%}") {
                raw.trim_start()
            } else {
                raw
            };
            let expected = env.render_str(raw, ()).unwrap();
            assert_eq!(out, expected, "{src:?}");
            // The first visible character of the body, in both texts.
            let mark = raw.trim_start().chars().next().unwrap();
            let at = |t: &str| {
                let i = t.rfind(mark).unwrap();
                let line = t[..i].matches('\n').count();
                let col = t[..i].rsplit('\n').next().unwrap().chars().count();
                (line, col)
            };
            assert_eq!(at(body), at(src), "{src:?} as {body:?}");
        }
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
