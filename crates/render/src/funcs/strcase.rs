//! Case conversion, wrapping and abbreviation (Sprig's `snakecase`,
//! `kebabcase`, `camelcase` from huandu/xstrings v1.5; `wrap`, `wrapWith`,
//! `abbrev`, `abbrevboth` from Masterminds/goutils), plus `hello` and the
//! deprecated `trimall`.

use super::{int_arg, str_arg};
use minijinja::Error;
use minijinja::value::Value;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

/// Go `unicode.IsPunct` (categories P*); for ASCII these are the
/// punctuation marks that are not symbols (`$+<=>^`|~` are symbols).
fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{3001}'..='\u{3003}' | '\u{00a1}' | '\u{00bf}' | '\u{00b7}')
}

/// xstrings `isAlphabet`: a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    c.is_alphabetic()
        && !matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// xstrings `nextWord`: the type and text of the first word of `s`.
fn next_word(s: &str) -> (Word, &str, &str) {
    let mut chars = s.char_indices().peekable();
    let Some((_, first)) = chars.next() else {
        return (Word::Invalid, "", "");
    };
    let mut end = first.len_utf8();
    let take_while = |end: &mut usize, pred: &dyn Fn(char) -> bool| {
        for c in s[*end..].chars() {
            if !pred(c) {
                break;
            }
            *end += c.len_utf8();
        }
    };
    let wt = if is_connector(first) {
        take_while(&mut end, &is_connector);
        Word::Connector
    } else if is_punct(first) {
        take_while(&mut end, &is_punct);
        Word::Punct
    } else if first.is_uppercase() {
        if let Some(next) = s[end..].chars().next() {
            if next.is_uppercase() {
                // An acronym: all the capitals, less the last one when a
                // lowercase letter follows ("HTTPServer" is "HTTP", "Server").
                let mut prev_size = 0;
                let mut stopped_on = None;
                for c in s[end..].chars() {
                    if !c.is_uppercase() {
                        stopped_on = Some(c);
                        break;
                    }
                    prev_size = c.len_utf8();
                    end += prev_size;
                }
                if stopped_on.is_some_and(is_alphabet) {
                    end -= prev_size;
                }
            } else if is_alphabet(next) {
                take_while(&mut end, &|c| is_alphabet(c) && !c.is_uppercase());
            }
        }
        Word::Upper
    } else if is_alphabet(first) {
        take_while(&mut end, &|c| is_alphabet(c) && !c.is_uppercase());
        Word::Alphabet
    } else if first.is_numeric() {
        take_while(&mut end, &char::is_numeric);
        Word::Number
    } else {
        take_while(&mut end, &|c| {
            !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
        });
        Word::Other
    };
    (wt, &s[..end], &s[end..])
}

fn to_lower(buf: &mut String, wt: Word, s: &str, connector: char) {
    if wt != Word::Upper && wt != Word::Connector {
        buf.push_str(s);
        return;
    }
    for c in s.chars() {
        if is_connector(c) {
            buf.push(connector);
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// xstrings `camelCaseToLowerCase`, behind `snakecase` and `kebabcase`.
fn lower_case_words(s: &str, connector: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut buf = String::with_capacity(s.len() + 4);
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Word::Connector {
            to_lower(&mut buf, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if !matches!(wt, Word::Invalid | Word::Punct | Word::Connector) {
                    buf.push(connector);
                }
            }
            Word::Connector => to_lower(&mut buf, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let num = word;
                (wt, word, remaining) = next_word(remaining);
                if wt != Word::Alphabet {
                    to_lower(&mut buf, Word::Number, num, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                buf.push(connector);
                to_lower(&mut buf, Word::Number, num, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if !matches!(wt, Word::Invalid | Word::Connector | Word::Punct) {
                    buf.push(connector);
                }
            }
        }
    }
    to_lower(&mut buf, wt, word, connector);
    buf
}

/// Helm `snakecase S`: `"FirstName"` → `"first_name"`.
pub fn snakecase(s: &Value) -> Result<String, Error> {
    Ok(lower_case_words(str_arg("snakecase", "", s)?, '_'))
}

/// Helm `kebabcase S`: `"FirstName"` → `"first-name"`.
pub fn kebabcase(s: &Value) -> Result<String, Error> {
    Ok(lower_case_words(str_arg("kebabcase", "", s)?, '-'))
}

/// Helm `camelcase S` (xstrings `ToPascalCase`): connectors dropped, the
/// letter after each one and the first letter upper-cased, the rest kept
/// (`"http_server"` → `"HttpServer"`).
pub fn camelcase(s: &Value) -> Result<String, Error> {
    let s = str_arg("camelcase", "", s)?;
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut r0 = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            r0 = Some(c.to_uppercase().collect::<String>());
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = r0 else {
        return Ok(out);
    };
    for c in chars {
        let r1 = std::mem::take(&mut r0);
        let r1_conn = r1.chars().all(is_connector);
        if is_connector(c) && r1_conn {
            out.push_str(&r1);
            r0 = c.to_string();
            continue;
        }
        if r1_conn {
            r0 = c.to_uppercase().collect();
        } else {
            out.push_str(&r1);
            r0 = c.to_string();
        }
    }
    out.push_str(&r0);
    Ok(out)
}

/// goutils `AbbreviateFull` (Apache Commons' `abbreviate`), on bytes as in
/// Go; `None` where goutils returns an error (Sprig then prints `""`).
fn abbreviate_full(s: &str, offset: i64, width: i64) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    if width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= width {
        return Some(s.to_string());
    }
    let mut offset = offset.min(len);
    if len - offset < width - 3 {
        offset = len - (width - 3);
    }
    let cut = |a: i64, b: i64| s.get(a as usize..b as usize).map(str::to_string);
    if offset <= 4 {
        return Some(format!("{}...", cut(0, width - 3)?));
    }
    if width < 7 {
        return None;
    }
    if offset + width - 3 < len {
        let rest = abbreviate_full(s.get(offset as usize..)?, 0, width - 3)?;
        return Some(format!("...{rest}"));
    }
    Some(format!("...{}", cut(len - (width - 3), len)?))
}

/// Helm `abbrev WIDTH S`: `S` cut to `WIDTH` bytes ending in `...`.
pub fn abbrev(width: &Value, s: &Value) -> Result<String, Error> {
    let w = int_arg("abbrev", "width", width)?;
    let s = str_arg("abbrev", "", s)?;
    if w < 4 {
        return Ok(s.to_string());
    }
    Ok(abbreviate_full(s, 0, w).unwrap_or_default())
}

/// Helm `abbrevboth LEFT RIGHT S`: abbreviated on both sides.
pub fn abbrevboth(left: &Value, right: &Value, s: &Value) -> Result<String, Error> {
    let l = int_arg("abbrevboth", "offset", left)?;
    let r = int_arg("abbrevboth", "width", right)?;
    let s = str_arg("abbrevboth", "", s)?;
    if r < 4 || l > 0 && r < 7 {
        return Ok(s.to_string());
    }
    Ok(abbreviate_full(s, l, r).unwrap_or_default())
}

/// goutils `WrapCustom` over bytes, as Go slices strings.
fn wrap_custom(s: &str, width: i64, newline: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let b = s.as_bytes();
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(len + len / width + 1);
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (width + offset + 1).min(len);
        let space = b[offset..end].iter().rposition(|c| *c == b' ');
        if let Some(i) = space {
            let at = offset + i;
            out.extend_from_slice(&b[offset..at]);
            out.extend_from_slice(newline.as_bytes());
            offset = at + 1;
        } else if long_words {
            out.extend_from_slice(&b[offset..offset + width]);
            out.extend_from_slice(newline.as_bytes());
            offset += width;
        } else {
            let end = width + offset;
            match b[end..].iter().position(|c| *c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(i) => {
                    let at = i + end;
                    out.extend_from_slice(&b[offset..at]);
                    out.extend_from_slice(newline.as_bytes());
                    offset = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    String::from_utf8_lossy(&out).into_owned()
}

/// Helm `wrap WIDTH S`: lines broken at spaces to `WIDTH` bytes; long
/// words stay whole.
pub fn wrap(width: &Value, s: &Value) -> Result<String, Error> {
    let w = int_arg("wrap", "width", width)?;
    Ok(wrap_custom(str_arg("wrap", "", s)?, w, "\n", false))
}

/// Helm `wrapWith WIDTH SEP S`: as `wrap`, with `SEP` for the breaks, and
/// long words cut.
pub fn wrap_with(width: &Value, sep: &Value, s: &Value) -> Result<String, Error> {
    let w = int_arg("wrapWith", "width", width)?;
    let sep = str_arg("wrapWith", "separator", sep)?;
    Ok(wrap_custom(str_arg("wrapWith", "", s)?, w, sep, true))
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_function("hello", || "Hello!");
    env.add_filter("trimall", super::strings::trim_all);
    env.add_function("snakecase", snakecase);
    env.add_function("kebabcase", kebabcase);
    env.add_function("camelcase", camelcase);
    env.add_function("abbrev", abbrev);
    env.add_function("abbrevboth", abbrevboth);
    env.add_function("wrap", wrap);
    env.add_function("wrapWith", wrap_with);
}
