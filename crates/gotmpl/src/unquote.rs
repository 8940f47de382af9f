//! Go's `strconv.Unquote` and `strconv.UnquoteChar` for the literals a
//! template can hold: `"interpreted"`, `` `raw` `` and `'c'`.

const INVALID: &str = "invalid syntax";

/// The value of a string literal as written (quotes included).
pub(crate) fn unquote(text: &str) -> Result<String, String> {
    if let Some(raw) = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        // Go drops carriage returns from raw strings.
        return Ok(raw.replace('\r', ""));
    }
    let body = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .ok_or_else(|| INVALID.to_owned())?;
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while !rest.is_empty() {
        let (c, tail) = unquote_one(rest, '"')?;
        match c {
            Unit::Char(c) => out.push(c),
            Unit::Byte(b) => push_byte(&mut out, b),
        }
        rest = tail;
    }
    Ok(out)
}

/// The rune of a character constant as written (`'a'`, `'\n'`).
pub(crate) fn unquote_char(text: &str) -> Result<char, String> {
    let body = text
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .ok_or_else(|| INVALID.to_owned())?;
    let (c, tail) = unquote_one(body, '\'')?;
    if !tail.is_empty() {
        return Err(format!("malformed character constant: {text}"));
    }
    match c {
        Unit::Char(c) => Ok(c),
        Unit::Byte(b) => Ok(char::from(b)),
    }
}

enum Unit {
    Char(char),
    Byte(u8),
}

/// A `\xNN` or octal escape is a byte; Go strings may hold invalid UTF-8,
/// Rust strings cannot: a lone byte above 0x7f becomes U+FFFD.
fn push_byte(out: &mut String, b: u8) {
    if b.is_ascii() {
        out.push(char::from(b));
    } else {
        out.push('\u{FFFD}');
    }
}

fn unquote_one(s: &str, quote: char) -> Result<(Unit, &str), String> {
    let mut chars = s.chars();
    let c = chars.next().ok_or_else(|| INVALID.to_owned())?;
    if c == quote && quote == '\'' {
        return Err(INVALID.to_owned());
    }
    if c != '\\' {
        if c == quote {
            return Err(INVALID.to_owned());
        }
        return Ok((Unit::Char(c), chars.as_str()));
    }
    let e = chars.next().ok_or_else(|| INVALID.to_owned())?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' => Some('\\'),
        '\'' | '"' if e == quote => Some(e),
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((Unit::Char(c), rest));
    }
    let hex = |n: usize| -> Result<(u32, &str), String> {
        if rest.len() < n || !rest.is_char_boundary(n) {
            return Err(INVALID.to_owned());
        }
        let v = u32::from_str_radix(&rest[..n], 16).map_err(|_| INVALID.to_owned())?;
        Ok((v, &rest[n..]))
    };
    match e {
        'x' => {
            let (v, tail) = hex(2)?;
            Ok((Unit::Byte(v as u8), tail))
        }
        'u' | 'U' => {
            let (v, tail) = hex(if e == 'u' { 4 } else { 8 })?;
            let c = char::from_u32(v).ok_or_else(|| INVALID.to_owned())?;
            Ok((Unit::Char(c), tail))
        }
        '0'..='7' => {
            if rest.len() < 2 || !rest.is_char_boundary(2) {
                return Err(INVALID.to_owned());
            }
            let digits = format!("{e}{}", &rest[..2]);
            let v = u32::from_str_radix(&digits, 8).map_err(|_| INVALID.to_owned())?;
            if v > 255 {
                return Err(INVALID.to_owned());
            }
            Ok((Unit::Byte(v as u8), &rest[2..]))
        }
        _ => Err(INVALID.to_owned()),
    }
}
