//! Pieces of one line of block-style YAML, for [`super::head`] and the values fast path: keys,
//! quoted and plain scalars, flow collections that close on their line.
//!
//! Every function is conservative: it accepts only text that saphyr-parser
//! (the full parser) reads the same way without error, under go-yaml v2's
//! scalar resolution as `rudder_values::yaml` applies it, and returns
//! `None` (or [`KeySplit::Bail`]) for anything else.

use std::borrow::Cow;

/// Characters the scanner takes as they are: printable ASCII, tab, line
/// feed, and non-ASCII except the C1 controls and the byte order mark
/// (which saphyr treats specially). `\r` and other controls go to the full
/// parser. `Some(has_tabs)` when all are fine.
pub(crate) fn chars_ok(doc: &str) -> Option<bool> {
    // Branch-free, so the loop vectorizes: it runs over every rendered byte.
    let (mut controls, mut tabs) = (false, false);
    for &b in doc.as_bytes() {
        controls |= (b < b' ' && b != b'\n' && b != b'\t') | (b == 0x7F);
        tabs |= b == b'\t';
    }
    let ok = !controls && (doc.is_ascii() || non_ascii_ok(doc));
    ok.then_some(tabs)
}

fn non_ascii_ok(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_ascii() || matches!(c, '\u{A0}'..='\u{FEFE}' | '\u{FF00}'..='\u{FFFD}' | '\u{10000}'..)
    })
}

/// Bytes that end the plain part of a key or value on a block line:
/// `:` (a key's end), `#` (a comment when after a space) and the flow
/// indicators.
static STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 7 {
        t[b":#[]{},"[i] as usize] = true;
        i += 1;
    }
    t
};

/// Offset of the first byte of `b[from..]` in [`STOPS`].
fn next_stop(b: &[u8], mut from: usize) -> usize {
    while from < b.len() && !STOPS[b[from] as usize] {
        from += 1;
    }
    from
}

/// `s` without trailing spaces.
pub(crate) fn trim_spaces_end(s: &str) -> &str {
    let n = s
        .as_bytes()
        .iter()
        .rev()
        .take_while(|&&b| b == b' ')
        .count();
    &s[..s.len() - n]
}

/// `s` without leading spaces.
pub(crate) fn trim_spaces_start(s: &str) -> &str {
    let n = s.as_bytes().iter().take_while(|&&b| b == b' ').count();
    &s[n..]
}

/// A block sequence entry: `-` followed by a space or the end of the line.
pub(crate) fn is_dash(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.first() == Some(&b'-') && matches!(b.get(1), None | Some(b' '))
}

/// What the start of a line in a block collection holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeySplit<'a> {
    /// An implicit key (its text) and the offset just after its `:`.
    Key(Cow<'a, str>, usize),
    /// A scalar or collection with no key.
    NotKey,
    /// Something the scanner leaves to the full parser.
    Bail,
}

/// Longest implicit key the scanner takes; YAML allows 1024 characters.
const MAX_KEY: usize = 1000;

/// Splits `key: value` (or `key:` at the end of the line).
pub(crate) fn split_key(text: &str) -> KeySplit<'_> {
    let b = text.as_bytes();
    match b.first() {
        None | Some(b'[' | b'{' | b'|' | b'>') => return KeySplit::NotKey,
        Some(b'"' | b'\'') => {
            let Some(q) = quoted(b, 0) else {
                return KeySplit::Bail;
            };
            let after = q.end + text[q.end..].len() - trim_spaces_start(&text[q.end..]).len();
            return match (b.get(after), b.get(after + 1)) {
                (Some(b':'), None | Some(b' ')) if !q.escaped && after < MAX_KEY => {
                    let key = &text[1..q.end - 1];
                    if b[0] == b'\'' && key.contains("''") {
                        KeySplit::Key(Cow::Owned(key.replace("''", "'")), after + 1)
                    } else {
                        KeySplit::Key(Cow::Borrowed(key), after + 1)
                    }
                }
                (Some(b':'), _) => KeySplit::Bail,
                _ => KeySplit::NotKey,
            };
        }
        Some(_) => {}
    }
    if !plain_start_ok(b) {
        return KeySplit::Bail;
    }
    let mut i = 0;
    // A flow indicator inside a plain scalar (`[ -f $x ] || cp …`, a
    // shell command) is text in block context; in a key it is left to the
    // full parser.
    let mut flow = false;
    loop {
        i = next_stop(b, i);
        match b.get(i) {
            None => return KeySplit::NotKey,
            Some(b':') if matches!(b.get(i + 1), None | Some(b' ')) => {
                let key = trim_spaces_end(&text[..i]);
                if flow || i >= MAX_KEY || !key_ok(key) {
                    return KeySplit::Bail;
                }
                return KeySplit::Key(Cow::Borrowed(key), i + 1);
            }
            Some(b':') => {}
            Some(b'#') if b[i - 1] == b' ' => return KeySplit::NotKey,
            Some(b'#') => {}
            Some(_) => flow = true,
        }
        i += 1;
    }
}

/// A plain key the full parser turns into a string key without error: not
/// null (an error), not a merge key, not a number too big for an int64
/// (an error).
fn key_ok(key: &str) -> bool {
    // A long key that starts with a digit may be a number too large for an
    // exact integer, or a timestamp: left to the parser. A key with any
    // other letter (`09-IT-manager.ldif`) is neither.
    let numeric = |c: &u8| c.is_ascii_hexdigit() || b"+-._: xXoOtTzZ".contains(c);
    let too_big = key.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && key.len() >= 18
        && key.as_bytes().iter().all(numeric);
    let null_or_merge = key.len() <= 4 && matches!(key, "" | "~" | "null" | "Null" | "NULL" | "<<");
    !(too_big || null_or_merge)
}

/// A plain scalar may start here: not an indicator, and `-`, `?`, `:` only
/// when glued to the next character. Anchors, aliases and tags are left to
/// the full parser.
fn plain_start_ok(b: &[u8]) -> bool {
    match b.first() {
        None => false,
        Some(b'-' | b'?' | b':') => !matches!(
            b.get(1),
            None | Some(b' ' | b',' | b'[' | b']' | b'{' | b'}')
        ),
        Some(&c) => !INDICATORS[usize::from(c)],
    }
}

/// Characters that cannot start a plain scalar (`-`, `?` and `:` apart).
static INDICATORS: [bool; 256] = {
    let mut t = [false; 256];
    let set = b",[]{}#&*!|>'\"%@`";
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = true;
        i += 1;
    }
    t
};

/// A quoted scalar's extent.
#[derive(Debug)]
pub(crate) struct Quoted {
    /// Offset just after the closing quote.
    pub(crate) end: usize,
    /// A double-quoted scalar with backslash escapes.
    pub(crate) escaped: bool,
}

/// A quoted scalar starting at `b[at]` and closing on the same line, with
/// only escapes saphyr knows.
pub(crate) fn quoted(b: &[u8], at: usize) -> Option<Quoted> {
    let quote = b[at];
    let mut i = at + 1;
    let mut escaped = false;
    while i < b.len() {
        match b[i] {
            b'\'' if quote == b'\'' => {
                if b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                return Some(Quoted {
                    end: i + 1,
                    escaped,
                });
            }
            b'"' if quote == b'"' => {
                return Some(Quoted {
                    end: i + 1,
                    escaped,
                });
            }
            b'\\' if quote == b'"' => {
                escaped = true;
                i += 1 + escape_len(&b[i + 1..])?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Length of a valid escape after `\` (saphyr's
/// `resolve_flow_scalar_escape_sequence`).
fn escape_len(b: &[u8]) -> Option<usize> {
    let digits = match b.first()? {
        b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"'
        | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' => return Some(1),
        b'x' => 2,
        b'u' => 4,
        b'U' => 8,
        _ => return None,
    };
    let hex = b.get(1..=digits)?;
    let text = std::str::from_utf8(hex).ok()?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    char::from_u32(u32::from_str_radix(text, 16).ok()?)?;
    Some(1 + digits)
}

/// What may follow a complete value on its line: spaces, then nothing or a
/// comment.
pub(crate) fn trailing_ok(rest: &str) -> bool {
    let trimmed = trim_spaces_start(rest);
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
}

/// A block scalar header after `|` or `>`: a chomping indicator at most
/// (explicit indentation is left to the full parser), then a comment or
/// nothing.
pub(crate) fn block_header_ok(rest: &str) -> bool {
    let rest = rest.strip_prefix(['-', '+']).unwrap_or(rest);
    trailing_ok(rest)
}

/// A plain scalar value in block context running to the end of its line
/// (or to a comment), trimmed; `None` if it is not one the scanner takes.
pub(crate) fn plain_value(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    if !plain_start_ok(b) {
        return None;
    }
    let mut end = 0;
    loop {
        end = next_stop(b, end);
        match b.get(end) {
            None => break,
            // `key: a: b` is an error ("mapping values are not allowed").
            Some(b':') if matches!(b.get(end + 1), None | Some(b' ')) => return None,
            Some(b'#') if b[end - 1] == b' ' => break,
            Some(_) => end += 1,
        }
    }
    let value = trim_spaces_end(&text[..end]);
    (!is_non_finite(value)).then_some(value)
}

/// go-yaml reads these as infinities or NaN, which sigs.k8s.io/yaml
/// cannot pass through JSON: an error in the full parse.
fn is_non_finite(s: &str) -> bool {
    if !matches!(s.as_bytes().first(), Some(b'.' | b'+' | b'-')) {
        return false;
    }
    matches!(
        s,
        ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
    )
}

/// True when go-yaml v2 certainly resolves this plain scalar to a string:
/// not a bool or null word, and not starting like a number (those are left
/// to the full parser).
pub(crate) fn is_string(s: &str) -> bool {
    !matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | "~"
            | "null"
            | "Null"
            | "NULL"
    ) && !matches!(
        s.as_bytes().first(),
        None | Some(b'0'..=b'9' | b'+' | b'-' | b'.')
    )
}

/// Deepest flow nesting the scanner follows.
const MAX_FLOW_DEPTH: usize = 32;

/// A flow collection starting at `b[at]` and closing on the same line:
/// the offset after it, and whether it is empty. Plain scalars in it hold
/// no `:` and no `#`; keys are scalars followed by `: `; no trailing
/// commas.
pub(crate) fn flow(b: &[u8], at: usize, depth: usize) -> Option<(usize, bool)> {
    if depth > MAX_FLOW_DEPTH {
        return None;
    }
    let (close, map) = match b.get(at)? {
        b'[' => (b']', false),
        b'{' => (b'}', true),
        _ => return None,
    };
    let mut i = skip_spaces(b, at + 1);
    if b.get(i) == Some(&close) {
        return Some((i + 1, true));
    }
    loop {
        if map {
            i = flow_scalar(b, i, true)?;
            i = skip_spaces(b, i);
            if b.get(i) != Some(&b':') || b.get(i + 1) != Some(&b' ') {
                return None;
            }
            i = skip_spaces(b, i + 1);
        }
        i = match b.get(i)? {
            b'[' | b'{' => flow(b, i, depth + 1)?.0,
            _ => flow_scalar(b, i, false)?,
        };
        i = skip_spaces(b, i);
        match *b.get(i)? {
            b',' => {
                i = skip_spaces(b, i + 1);
                if matches!(b.get(i), None | Some(b',' | b']' | b'}')) {
                    return None;
                }
            }
            c if c == close => return Some((i + 1, false)),
            _ => return None,
        }
    }
}

/// A scalar inside a flow collection; the offset after it (before any
/// spaces that follow).
fn flow_scalar(b: &[u8], at: usize, key: bool) -> Option<usize> {
    if matches!(b.get(at)?, b'"' | b'\'') {
        return quoted(b, at).map(|q| q.end);
    }
    if !plain_start_ok(&b[at..]) {
        return None;
    }
    let mut end = at;
    while end < b.len() && !b",[]{}:#".contains(&b[end]) {
        end += 1;
    }
    let text = trim_spaces_end(std::str::from_utf8(&b[at..end]).ok()?);
    let ok = if key {
        key_ok(text)
    } else {
        !text.is_empty() && !is_non_finite(text)
    };
    // `:` ends a key; anywhere else it is left to the full parser.
    let stop = b.get(end);
    let ok = ok && (stop != Some(&b':') || key) && stop != Some(&b'#');
    ok.then_some(at + text.len())
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}
