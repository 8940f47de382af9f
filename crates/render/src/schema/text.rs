//! How schema messages spell values paths, JSON values and counts.

use std::fmt::Write as _;

use serde_json::Value as Json;

use super::{MAX_VALUE_CHARS, Token};

/// A values path as `--set` takes it: `a.b[0].c`, dots and other special
/// characters in keys escaped with `\` (`a\.b`); the top level is `(top
/// level)`.
pub(super) fn render_path(path: &[Token]) -> String {
    if path.is_empty() {
        return "(top level)".to_owned();
    }
    render_relative(path)
}

pub(super) fn render_relative(path: &[Token]) -> String {
    let mut s = String::new();
    for t in path {
        match t {
            Token::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                for c in k.chars() {
                    if matches!(c, '.' | ',' | '=' | '[' | ']' | '\\') {
                        s.push('\\');
                    }
                    s.push(c);
                }
            }
            Token::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// A JSON pointer into the schema file (`/properties/port`), `/` for the
/// root.
pub(super) fn pointer(path: &[Token]) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut s = String::new();
    for t in path {
        s.push('/');
        match t {
            Token::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Token::Index(i) => {
                let _ = write!(s, "{i}");
            }
        }
    }
    s
}

/// The offending value for a message: strings say so (`the string "80"`,
/// the usual `--set-string` or quoting mistake), the rest is short JSON.
pub(super) fn describe_value(v: &Json) -> String {
    match v {
        Json::String(_) => format!("the string {}", short_json(v)),
        Json::Object(_) => format!("the map {}", short_json(v)),
        Json::Array(_) => format!("the list {}", short_json(v)),
        _ => short_json(v),
    }
}

/// JSON, cut at [`MAX_VALUE_CHARS`] characters.
pub(super) fn short_json(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() <= MAX_VALUE_CHARS {
        return s;
    }
    let mut cut: String = s.chars().take(MAX_VALUE_CHARS).collect();
    cut.push('…');
    cut
}

pub(super) fn quote(s: &str) -> String {
    Json::String(s.to_owned()).to_string()
}

/// A JSON Schema type in values words: `an integer`, `a map`, `null`.
pub(super) fn article(t: &str) -> String {
    match t {
        "null" => "null".to_owned(),
        "integer" => "an integer".to_owned(),
        "object" => "a map".to_owned(),
        "array" => "a list".to_owned(),
        _ => format!("a {t}"),
    }
}

pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}
