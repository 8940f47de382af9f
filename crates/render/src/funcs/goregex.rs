//! Go regular expressions (`regexp/syntax`, the RE2 dialect Sprig's
//! `regex*` functions compile) rewritten into the `regex` crate's syntax.
//!
//! The two dialects agree on most patterns and disagree on a few that real
//! charts use; each rewrite below follows Go's `regexp/syntax/parse.go`:
//!
//! * `\d`, `\w`, `\s` and `\b` are ASCII-only in Go (`\s` is
//!   `[\t\n\f\r ]`, without `\v`), Unicode-aware in `regex`;
//! * inside brackets, `[` and `&&`/`--`/`~~` are plain characters in Go and
//!   nested classes or set operations in `regex`; a `-` after a Perl class
//!   (`[\w-.]`) is a literal dash in Go and an invalid range in `regex`;
//! * a `{` that starts no valid repeat count (`a{`, `{x}`, `{01}`) is a
//!   literal in Go and an error in `regex`;
//! * `\Q...\E` quotes literal text and `\123` is an octal escape in Go;
//!   `\<`/`\>` are the literal angle brackets (word boundaries in `regex`).
//!
//! What Go rejects is rejected here with Go's message (`error parsing
//! regexp: ...`), so `regexMatch` answers `false` and `mustRegex*` fail as
//! in Helm.

use std::fmt::Write as _;

use regex_syntax::ast::ErrorKind;

/// `\d`, `\s`, `\w` as Go defines them (`perl_groups.go`), written for a
/// class body.
const DIGIT: &str = "0-9";
const SPACE: &str = r"\t\n\x0C\r ";
const WORD: &str = "0-9A-Za-z_";
/// Go's largest repeat count (`parse.go` refuses counts over 1000 with
/// "invalid repeat count").
const MAX_REPEAT: u32 = 1000;

/// Rewrites Go pattern `re` for the `regex` crate, or returns Go's parse
/// error text.
pub fn translate(re: &str) -> Result<String, String> {
    let err = |code: &str, arg: &str| format!("error parsing regexp: {code}: `{arg}`");
    let mut out = String::with_capacity(re.len() + 8);
    let mut t = re;
    // Where the repetition operator just read starts, and whether its
    // non-greedy `?` was read too: Go refuses an operator that repeats
    // another (`a**`, `a+{2}`; `parse.go`'s `lastRepeat`).
    let mut last_op: Option<(usize, bool)> = None;
    while let Some(c) = t.chars().next() {
        let at = re.len() - t.len();
        let op = match c {
            '*' | '+' | '?' => Some(at + 1),
            '{' => repeat(t).map(|(_, _, after)| re.len() - after.len()),
            _ => None,
        };
        if let Some(end) = op {
            match last_op {
                Some((start, false)) if c == '?' => {
                    last_op = Some((start, true));
                }
                Some((start, _)) => {
                    return Err(err("invalid nested repetition operator", &re[start..end]));
                }
                None => last_op = Some((at, false)),
            }
        } else {
            last_op = None;
        }
        match c {
            '[' => {
                let rest = class(t, &mut out).map_err(|(code, arg)| err(code, arg))?;
                t = rest;
            }
            '{' => match repeat(t) {
                Some((min, max, after)) => {
                    let text = &t[..t.len() - after.len()];
                    if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
                        return Err(err("invalid repeat count", text));
                    }
                    out.push_str(text);
                    t = after;
                }
                // Go: "If the repeat cannot be parsed, { is a literal."
                None => {
                    out.push_str(r"\{");
                    t = &t[1..];
                }
            },
            '}' => {
                out.push_str(r"\}");
                t = &t[1..];
            }
            '(' if t.starts_with("(?") => {
                let rest = group(t, &mut out).map_err(|(code, arg)| err(code, arg))?;
                t = rest;
            }
            '\\' => {
                let rest = escape(t, &mut out).map_err(|(code, arg)| err(code, arg))?;
                t = rest;
            }
            _ => {
                out.push(c);
                t = &t[c.len_utf8()..];
            }
        }
    }
    Ok(out)
}

type Parse<'a> = Result<&'a str, (&'static str, &'a str)>;

/// Go `regexp`'s `quote`: backquoted when `strconv.CanBackquote` allows.
pub fn quote(re: &str) -> String {
    let plain = re
        .chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control()));
    if plain {
        format!("`{re}`")
    } else {
        super::gofmt::go_quote(re)
    }
}

/// `(?flags)`, `(?flags:`, `(?P<name>`, `(?<name>`: Go accepts the flags
/// `imsU` only (`regex` also knows `x`, `u`, `R`).
fn group<'a>(t: &'a str, out: &mut String) -> Parse<'a> {
    let body = &t[2..];
    for open in ["P<", "<"] {
        if let Some(name) = body.strip_prefix(open) {
            let Some(end) = name.find('>') else {
                return Err(("invalid named capture", t));
            };
            let n = &name[..end];
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err((
                    "invalid named capture",
                    &t[..t.len() - name.len() + end + 1],
                ));
            }
            out.push_str(&t[..t.len() - name.len() + end + 1]);
            return Ok(&name[end + 1..]);
        }
    }
    let mut neg = false;
    for (i, c) in body.char_indices() {
        match c {
            'i' | 'm' | 's' | 'U' => {}
            '-' if !neg => neg = true,
            // `(?:` and `(?)` are fine; a `-` must be followed by a flag.
            ':' | ')' if !(neg && body[..i].ends_with('-')) => {
                let len = 2 + i + 1;
                out.push_str(&t[..len]);
                return Ok(&t[len..]);
            }
            _ => break,
        }
    }
    Err(("invalid or unsupported Perl syntax", &t[..t.len().min(3)]))
}

/// A repeat count `{n}`, `{n,}` or `{n,m}` as Go's `parseRepeat` reads it
/// (no leading zeros): `(min, max, rest)`.
fn repeat(t: &str) -> Option<(u32, Option<u32>, &str)> {
    let (min, rest) = int(&t[1..])?;
    let (max, rest) = match rest.strip_prefix(',') {
        None => (Some(min), rest),
        Some(r) if r.starts_with('}') => (None, r),
        Some(r) => {
            let (m, r) = int(r)?;
            (Some(m), r)
        }
    };
    Some((min, max, rest.strip_prefix('}')?))
}

fn int(t: &str) -> Option<(u32, &str)> {
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || (n > 1 && t.starts_with('0')) {
        return None;
    }
    // Go saturates absurdly long counts into "invalid repeat count".
    let v = t[..n].parse().unwrap_or(u32::MAX);
    Some((v, &t[n..]))
}

/// An escape outside brackets.
fn escape<'a>(t: &'a str, out: &mut String) -> Parse<'a> {
    let next = t[1..].chars().next();
    let simple = match next {
        Some('A') => Some(r"\A"),
        Some('z') => Some(r"\z"),
        // ASCII word boundaries, as Go's `isWordChar`.
        Some('b') => Some(r"(?-u:\b)"),
        Some('B') => Some(r"(?-u:\B)"),
        Some('d') => Some("[0-9]"),
        Some('D') => Some("[^0-9]"),
        Some('s') => Some(r"[\t\n\x0C\r ]"),
        Some('S') => Some(r"[^\t\n\x0C\r ]"),
        Some('w') => Some("[0-9A-Za-z_]"),
        Some('W') => Some("[^0-9A-Za-z_]"),
        _ => None,
    };
    if let Some(s) = simple {
        out.push_str(s);
        return Ok(&t[2..]);
    }
    match next {
        Some('Q') => {
            let body = &t[2..];
            let (lit, rest) = match body.find(r"\E") {
                Some(i) => (&body[..i], &body[i + 2..]),
                None => (body, ""),
            };
            for c in lit.chars() {
                literal(c, out);
            }
            Ok(rest)
        }
        Some('p' | 'P') => {
            let rest = unicode_class(t).ok_or(("invalid character class range", t))?;
            out.push_str(&t[..t.len() - rest.len()]);
            Ok(rest)
        }
        _ => {
            let (c, rest) = char_escape(t)?;
            literal(c, out);
            Ok(rest)
        }
    }
}

/// `\pL`, `\p{Greek}`, `\P{^Han}`: the text after it, if well formed (the
/// names are passed through; both dialects use Unicode's).
fn unicode_class(t: &str) -> Option<&str> {
    let body = &t[2..];
    if let Some(b) = body.strip_prefix('{') {
        let end = b.find('}')?;
        return Some(&b[end + 1..]);
    }
    let c = body.chars().next()?;
    Some(&body[c.len_utf8()..])
}

/// Go's `parseEscape`: a character written as an escape (`\.`, `\n`,
/// `\x41`, `\x{263a}`, octal `\101`).
fn char_escape<'a>(t: &'a str) -> Result<(char, &'a str), (&'static str, &'a str)> {
    let bad = |len: usize| ("invalid escape sequence", &t[..len.min(t.len())]);
    let mut it = t[1..].chars();
    let Some(c) = it.next() else {
        return Err(("trailing backslash at end of expression", ""));
    };
    let rest = &t[1 + c.len_utf8()..];
    let ch = |v: u32, rest: &'a str| {
        char::from_u32(v)
            .map(|c| (c, rest))
            .ok_or(bad(t.len() - rest.len()))
    };
    match c {
        '1'..='7' if !rest.starts_with(|d: char| ('0'..='7').contains(&d)) => Err(bad(2)),
        '0'..='7' => {
            let n = 1 + rest
                .bytes()
                .take(2)
                .take_while(|b| (b'0'..=b'7').contains(b))
                .count();
            let v = u32::from_str_radix(&t[1..1 + n], 8).unwrap_or(0);
            ch(v, &t[1 + n..])
        }
        'x' => {
            if let Some(b) = rest.strip_prefix('{') {
                let end = b.find('}').ok_or(bad(t.len()))?;
                let hex = &b[..end];
                if hex.is_empty() || !hex.bytes().all(|d| d.is_ascii_hexdigit()) {
                    return Err(bad(4 + end));
                }
                let v = u32::from_str_radix(hex, 16).unwrap_or(u32::MAX);
                if v > 0x10FFFF {
                    return Err(bad(4 + end));
                }
                return ch(v, &b[end + 1..]);
            }
            let hex = rest
                .get(..2)
                .filter(|h| h.bytes().all(|d| d.is_ascii_hexdigit()));
            let Some(hex) = hex else {
                return Err(bad(4));
            };
            ch(u32::from_str_radix(hex, 16).unwrap_or(0), &rest[2..])
        }
        'a' => Ok(('\x07', rest)),
        'f' => Ok(('\x0C', rest)),
        'n' => Ok(('\n', rest)),
        'r' => Ok(('\r', rest)),
        't' => Ok(('\t', rest)),
        'v' => Ok(('\x0B', rest)),
        // Go: any ASCII punctuation may be escaped and means itself.
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((c, rest)),
        _ => Err(bad(1 + c.len_utf8())),
    }
}

/// One literal character, written so `regex` cannot read it as syntax.
fn literal(c: char, out: &mut String) {
    if c.is_alphanumeric() || c == ' ' || c == '_' {
        out.push(c);
    } else {
        let _ = write!(out, r"\x{{{:X}}}", c as u32);
    }
}

/// A bracketed class, read as Go's `parseClass` reads it, written with
/// every member spelled out so `regex`'s nested classes and set operators
/// never apply.
fn class<'a>(t: &'a str, out: &mut String) -> Parse<'a> {
    let whole = t;
    let mut s = &t[1..];
    out.push('[');
    if let Some(r) = s.strip_prefix('^') {
        out.push('^');
        s = r;
    }
    let mut first = true;
    while first || !s.starts_with(']') {
        first = false;
        if s.is_empty() {
            return Err(("missing closing ]", whole));
        }
        // POSIX classes `[:alpha:]`, `[:^space:]` (same ASCII sets in both).
        if s.starts_with("[:")
            && let Some(i) = s[2..].find(":]")
        {
            let name = &s[..i + 4];
            if !POSIX.contains(&name[2..name.len() - 2].trim_start_matches('^')) {
                return Err(("invalid character class range", name));
            }
            out.push_str(name);
            s = &s[i + 4..];
            continue;
        }
        if s.starts_with(r"\p") || s.starts_with(r"\P") {
            let rest = unicode_class(s).ok_or(("invalid character class range", s))?;
            out.push_str(&s[..s.len() - rest.len()]);
            s = rest;
            continue;
        }
        let perl = match s.get(..2) {
            Some(r"\d") => Some(DIGIT.to_owned()),
            Some(r"\D") => Some(format!("[^{DIGIT}]")),
            Some(r"\s") => Some(SPACE.to_owned()),
            Some(r"\S") => Some(format!("[^{SPACE}]")),
            Some(r"\w") => Some(WORD.to_owned()),
            Some(r"\W") => Some(format!("[^{WORD}]")),
            _ => None,
        };
        if let Some(p) = perl {
            out.push_str(&p);
            s = &s[2..];
            continue;
        }
        let before = s;
        let (lo, rest) = class_char(s)?;
        s = rest;
        let mut hi = lo;
        // Go: "[a-] means (a|-) so check for final ]".
        if s.len() >= 2 && s.starts_with('-') && !s[1..].starts_with(']') {
            let (h, rest) = class_char(&s[1..])?;
            if h < lo {
                return Err((
                    "invalid character class range",
                    &before[..before.len() - rest.len()],
                ));
            }
            hi = h;
            s = rest;
        }
        literal(lo, out);
        if hi != lo {
            out.push('-');
            literal(hi, out);
        }
    }
    out.push(']');
    Ok(&s[1..])
}

/// Go's `parseClassChar`.
fn class_char(s: &str) -> Result<(char, &str), (&'static str, &str)> {
    if s.starts_with('\\') {
        return char_escape(s);
    }
    let c = s.chars().next().ok_or(("missing closing ]", s))?;
    Ok((c, &s[c.len_utf8()..]))
}

/// Go's `posixGroup` names.
const POSIX: &[&str] = &[
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// The message for translated pattern `rust` (from Go pattern `go`) that
/// the `regex` crate rejects: Go's `error parsing regexp: CODE: `ARG``
/// for the errors Go reports the same way (`regexp/syntax`'s
/// `ErrMissingParen`, `ErrUnexpectedParen`, `ErrMissingRepeatArgument`),
/// else the crate's one-line reason (its display spans several lines).
pub fn parse_error(go: &str, rust: &str, e: &regex::Error) -> String {
    let Err(ast) = regex_syntax::ast::parse::Parser::new().parse(rust) else {
        // Parsed, but too big or otherwise refused after parsing.
        return e.to_string().lines().last().unwrap_or_default().to_string();
    };
    let span = ast.span();
    match ast.kind() {
        ErrorKind::GroupUnclosed => format!("error parsing regexp: missing closing ): `{go}`"),
        ErrorKind::GroupUnopened => format!("error parsing regexp: unexpected ): `{go}`"),
        ErrorKind::RepetitionMissing => {
            let op = rust[span.start.offset..].chars().next().unwrap_or('*');
            format!("error parsing regexp: missing argument to repetition operator: `{op}`")
        }
        kind => format!("{kind}"),
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn go(re: &str, s: &str) -> bool {
        regex::Regex::new(&translate(re).expect("translates"))
            .expect("compiles")
            .is_match(s)
    }

    /// Go's `lastRepeat` rule: an operator may not repeat another; the
    /// non-greedy `?` belongs to the operator before it.
    #[test]
    fn a_repeated_repetition_is_gos_error() {
        let nested = |re: &str, op: &str| {
            let want = format!("error parsing regexp: invalid nested repetition operator: `{op}`");
            assert_eq!(translate(re), Err(want), "{re}");
        };
        nested("a**", "**");
        nested("a+{2}", "+{2}");
        nested("a*??", "*??");
        nested("a{2}*", "{2}*");
        assert!(go("^a*?b+?c??d{1,2}?$", "bd"));
        assert!(go(r"^a\**$", "a**"));
        assert!(go("^(a*)*$", "aa"));
    }

    #[test]
    fn perl_class_then_dash_is_a_literal_dash() {
        assert!(go(r"^[\w-\.]+$", "web-1.b"));
        assert!(!go(r"^[\w-\.]+$", "a b"));
    }

    #[test]
    fn perl_classes_are_ascii() {
        assert!(!go(r"^\w$", "é"));
        assert!(!go(r"^\d$", "٣"));
        assert!(!go(r"^\s$", "\u{a0}"));
        assert!(!go(r"^\s$", "\x0B"));
        assert!(go(r"^[^\s]$", "\x0B"));
        assert!(go(r"\bn\b", "Ünï"));
    }

    #[test]
    fn braces_and_brackets_are_literals_where_go_says_so() {
        assert!(go("a{", "a{"));
        assert!(go("^x{01}$", "x{01}"));
        assert!(go("^x{2}$", "xx"));
        assert!(go("^x{1,}y{0,1}$", "xxy"));
        assert!(go("^[[]$", "["));
        assert!(go("^[a&&b]+$", "&&"));
        assert!(go("^[]a]+$", "]a"));
        assert!(go("^[^]a]$", "b"));
        assert!(go("^[a-]+$", "-a"));
        assert!(go(r"^\Q.*\E$", ".*"));
        assert!(go(r"^\101\<$", "A<"));
        assert!(go(r"^(?P<x>a)(?<y>b)(?i:C)$", "abc"));
        assert!(go("^[[:^alpha:][:digit:]]+$", "1-"));
    }

    #[test]
    fn go_errors_are_errors() {
        for bad in [
            "a(",
            "[a",
            "x{1001}",
            "x{3,2}",
            r"\C",
            r"\8",
            "(?x)a",
            "[[:foo:]]",
            "[z-a]",
            r"a\",
        ] {
            let t = translate(bad);
            assert!(
                t.is_err() || regex::Regex::new(&t.clone().unwrap_or_default()).is_err(),
                "{bad} -> {t:?}"
            );
        }
        assert_eq!(
            translate("[a").unwrap_err(),
            "error parsing regexp: missing closing ]: `[a`"
        );
    }
}
