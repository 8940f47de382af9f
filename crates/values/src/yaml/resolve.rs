//! Scalar resolution exactly as go-yaml v2 (`resolve.go`, `decode.go`) does
//! it when decoding into `interface{}`, plus the Go number formatting that
//! sigs.k8s.io/yaml and go-yaml use when they turn numbers back into text.

use crate::Value;

/// Long form of the YAML core tags (`!!str` is `tag:yaml.org,2002:str`).
pub(super) const CORE: &str = "tag:yaml.org,2002:";

/// How a tag asks a scalar to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    /// No tag: plain scalars resolve, quoted ones are strings.
    Implicit,
    Str,
    Binary,
    Bool,
    Int,
    Float,
    Null,
    Timestamp,
    /// `!!map`, `!!seq`, `!foo`, `!`: go-yaml keeps the text as a string.
    Other,
}

impl Want {
    /// Classifies a full tag (`handle + suffix` from the parser).
    pub(super) fn from_tag(full: &str) -> Want {
        match full.strip_prefix(CORE) {
            Some("str") => Want::Str,
            Some("binary") => Want::Binary,
            Some("bool") => Want::Bool,
            Some("int") => Want::Int,
            Some("float") => Want::Float,
            Some("null") => Want::Null,
            Some("timestamp") => Want::Timestamp,
            _ => Want::Other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Want::Str | Want::Implicit | Want::Other => "!!str",
            Want::Binary => "!!binary",
            Want::Bool => "!!bool",
            Want::Int => "!!int",
            Want::Float => "!!float",
            Want::Null => "!!null",
            Want::Timestamp => "!!timestamp",
        }
    }
}

/// What go-yaml's `resolve` found, before the tag check.
enum Found {
    Null,
    Bool(bool),
    Int(Value),
    Float(f64),
    Timestamp,
    Str,
}

impl Found {
    fn name(&self) -> &'static str {
        match self {
            Found::Null => "!!null",
            Found::Bool(_) => "!!bool",
            Found::Int(_) => "!!int",
            Found::Float(_) => "!!float",
            Found::Timestamp => "!!timestamp",
            Found::Str => "!!str",
        }
    }
}

/// Resolves one scalar. `plain` is true for an untagged plain scalar, whose
/// type comes from its text; a quoted scalar without a tag is a string
/// (go-yaml `decoder.scalar`: `n.tag == "" && !n.implicit`).
///
/// Errors are go-yaml's "cannot decode !!str `x` as a !!int" cases.
pub(super) fn scalar(text: &str, plain: bool, want: Want) -> Result<Value, String> {
    match want {
        Want::Implicit if !plain => return Ok(Value::String(text.to_owned())),
        Want::Str | Want::Other => return Ok(Value::String(text.to_owned())),
        Want::Binary => {
            return decode_base64(text)
                .map(|bytes| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
                .ok_or_else(|| "!!binary value contains invalid base64 data".to_owned());
        }
        _ => {}
    }
    let found = resolve(text, want == Want::Implicit || want == Want::Timestamp);
    let ok = match (&found, want) {
        (_, Want::Implicit) => true,
        (Found::Null, Want::Null) | (Found::Bool(_), Want::Bool) => true,
        (Found::Int(_), Want::Int) | (Found::Float(_), Want::Float) => true,
        (Found::Timestamp, Want::Timestamp) => true,
        // go-yaml turns an int into a float for `!!float`, but only Go ints
        // (i64), not the uint64 it uses above i64::MAX.
        (Found::Int(Value::Int(i)), Want::Float) => {
            return Ok(Value::Float(*i as f64));
        }
        _ => false,
    };
    if !ok {
        return Err(format!(
            "cannot decode {} `{text}` as a {}",
            found.name(),
            want.name()
        ));
    }
    Ok(match found {
        Found::Null => Value::Null,
        Found::Bool(b) => Value::Bool(b),
        Found::Int(v) => v,
        Found::Float(f) => Value::Float(f),
        // go-yaml v2 hands timestamps to `interface{}` as their text.
        Found::Timestamp | Found::Str => Value::String(text.to_owned()),
    })
}

/// sigs.k8s.io/yaml `convertToJSONableObject`: a key go-yaml produced,
/// written as a JSON object key; the key back when helm cannot use it
/// (null, above `i64::MAX`, a list or a map).
pub(super) fn json_key(key: Value) -> Result<String, Value> {
    Ok(match key {
        Value::String(s) => s,
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        // FormatFloat(f, 'g', -1, 32): 3.14159265358979 -> "3.1415927".
        Value::Float(f) => float_key_text(f),
        other => return Err(other),
    })
}

/// True when go-yaml would read this untagged plain text as a string; the
/// emitter uses it to decide whether a string needs quotes.
pub(super) fn is_plain_string(text: &str) -> bool {
    matches!(resolve(text, true), Found::Str)
}

/// go-yaml v2 `resolve` with the `resolveTable` hint on the first byte.
fn resolve(text: &str, timestamps: bool) -> Found {
    let Some(&first) = text.as_bytes().first() else {
        return Found::Null;
    };
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Found::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Found::Bool(false);
        }
        "~" | "null" | "Null" | "NULL" => return Found::Null,
        ".nan" | ".NaN" | ".NAN" => return Found::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Found::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Found::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match first {
        b'.' => match go_parse_float(text) {
            Some(f) => Found::Float(f),
            None => Found::Str,
        },
        b'0'..=b'9' | b'+' | b'-' => {
            if timestamps && is_timestamp(text) {
                return Found::Timestamp;
            }
            let plain: std::borrow::Cow<'_, str> = if text.as_bytes().contains(&b'_') {
                text.chars()
                    .filter(|&c| c != '_')
                    .collect::<String>()
                    .into()
            } else {
                text.into()
            };
            if let Some(v) = go_parse_int(&plain) {
                return Found::Int(v);
            }
            if is_yaml_style_float(&plain)
                && let Some(f) = go_parse_float(&plain)
            {
                return Found::Float(f);
            }
            Found::Str
        }
        _ => Found::Str,
    }
}

/// `strconv.ParseInt(s, 0, 64)`, then `strconv.ParseUint(s, 0, 64)`: an
/// optional sign (ParseInt only), a `0x`/`0o`/`0b`/`0` base prefix, digits.
fn go_parse_int(s: &str) -> Option<Value> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let signed = body.len() != s.len();
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        let v = i128::try_from(magnitude).ok()?.checked_neg()?;
        i64::try_from(v).ok().map(Value::Int)
    } else if let Ok(i) = i64::try_from(magnitude) {
        Some(Value::Int(i))
    } else if signed {
        None // ParseUint takes no sign; `+9223372036854775808` is a float.
    } else {
        u64::try_from(magnitude).ok().map(Value::UInt)
    }
}

/// go-yaml's `yamlStyleFloat`:
/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` for decimal text: Go's literal syntax with
/// `_` between digits; out of range is an error (Rust would give ±inf).
/// Hex floats, `Inf` and `NaN` never reach here (the callers' hints rule
/// them out), so they are refused.
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut clean = String::with_capacity(s.len());
    let mut prev_digit = false;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'_' => {
                // Go's underscoreOK: `_` only between digits.
                let next_digit = b.get(i + 1).is_some_and(u8::is_ascii_digit);
                if !prev_digit || !next_digit {
                    return None;
                }
            }
            b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-' => clean.push(char::from(c)),
            _ => return None,
        }
        prev_digit = c.is_ascii_digit();
    }
    let f: f64 = clean.parse().ok()?;
    f.is_finite().then_some(f)
}

/// go-yaml v2 `parseTimestamp`: `YYYY-M-D`, optionally followed by
/// `[Tt ]h:m:s[.frac]` and, after `T`/`t`, a `Z` or `±hh:mm` zone.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i - start < min {
            return None;
        }
        s[start..*i].parse().ok()
    };
    let expect = |i: &mut usize, c: u8| -> Option<()> { (b.get(*i) == Some(&c)).then(|| *i += 1) };
    let parsed = (|| -> Option<()> {
        let year = num(&mut i, 4, 4)?;
        expect(&mut i, b'-')?;
        let month = num(&mut i, 1, 2)?;
        expect(&mut i, b'-')?;
        let day = num(&mut i, 1, 2)?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days {
            return None;
        }
        if i == b.len() {
            return Some(());
        }
        let sep = b[i];
        if !matches!(sep, b'T' | b't' | b' ') {
            return None;
        }
        i += 1;
        if num(&mut i, 1, 2)? > 23 {
            return None;
        }
        expect(&mut i, b':')?;
        if num(&mut i, 1, 2)? > 59 {
            return None;
        }
        expect(&mut i, b':')?;
        if num(&mut i, 1, 2)? > 59 {
            return None;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            num(&mut i, 1, usize::MAX)?;
        }
        if i == b.len() {
            return (sep == b' ').then_some(());
        }
        if sep == b' ' {
            return None;
        }
        if b[i] == b'Z' {
            i += 1;
        } else {
            if !matches!(b[i], b'+' | b'-') {
                return None;
            }
            i += 1;
            if num(&mut i, 2, 2)? > 23 {
                return None;
            }
            expect(&mut i, b':')?;
            if num(&mut i, 2, 2)? > 59 {
                return None;
            }
        }
        (i == b.len()).then_some(())
    })();
    parsed.is_some()
}

/// go-yaml's `isBase60Float`: sexagesimal numbers like `1:30` are strings
/// when read but quoted when written, for YAML 1.1 parsers.
pub(super) fn is_base60_float(s: &str) -> bool {
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let group = &s[start..i];
        let ok = match group.len() {
            1 => true,
            2 => group.as_bytes()[0] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// `base64.StdEncoding.DecodeString`: padded standard alphabet; `\r` and
/// `\n` are skipped as Go does.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let chunks = clean.len() / 4;
    for (n, chunk) in clean.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && n + 1 != chunks) {
            return None;
        }
        let mut acc = 0u32;
        for &c in &chunk[..4 - pad] {
            acc = (acc << 6) | value(c)?;
        }
        acc <<= 6 * pad as u32;
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - pad]);
    }
    Some(out)
}

/// Shortest decimal digits of `f` (finite, non-zero) and the position of
/// the decimal point: `f = 0.DIGITS × 10^point`, as Go's `decimalSlice`.
fn shortest_digits(formatted_e: &str) -> (String, i32) {
    // `formatted_e` is Rust's `{:e}` of a positive number: "1.2345e6".
    let (mantissa, exp) = formatted_e.split_once('e').unwrap_or((formatted_e, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// `strconv.FormatFloat(f, fmt, -1, bits)` for `fmt` in `e`, `f`, `g`.
pub(crate) fn go_format_float(f: f64, fmt: char, bits32: bool) -> String {
    // With bits = 32 Go first rounds to float32, which may overflow to ±Inf.
    let f = if bits32 { f64::from(f as f32) } else { f };
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    let neg = f.is_sign_negative();
    let (digits, point) = if f == 0.0 {
        (String::new(), 0)
    } else if bits32 {
        shortest_digits(&format!("{:e}", (f as f32).abs()))
    } else {
        shortest_digits(&format!("{:e}", f.abs()))
    };
    let nd = digits.len() as i32;
    let exp = point - 1;
    let use_e = match fmt {
        'e' => true,
        'f' => false,
        // Go: "if precision was the shortest possible, use precision 6".
        _ => nd > 0 && !(-4..6).contains(&exp),
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if use_e {
        let first = digits.chars().next().unwrap_or('0');
        out.push(first);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp = if nd == 0 { 0 } else { exp };
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let abs = exp.unsigned_abs();
        if abs < 10 {
            out.push('0');
        }
        out.push_str(&abs.to_string());
    } else {
        // %f with the shortest digits.
        if point <= 0 {
            out.push('0');
        } else {
            for k in 0..point {
                out.push(
                    digits
                        .as_bytes()
                        .get(k as usize)
                        .map_or('0', |&c| char::from(c)),
                );
            }
        }
        if nd > point {
            out.push('.');
            for k in point..nd {
                let c = if k < 0 {
                    '0'
                } else {
                    char::from(digits.as_bytes()[k as usize])
                };
                out.push(c);
            }
        }
    }
    out
}

/// How Go's `encoding/json` writes a float64: `%f` between 1e-6 and 1e21,
/// `%e` outside with `e-09` tidied to `e-9`.
pub(super) fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = go_format_float(f, 'e', false);
        // "1e-07" -> "1e-7"
        if let Some(pos) = s.find("e-0") {
            let mut t = s.clone();
            t.remove(pos + 2);
            return t;
        }
        s
    } else {
        go_format_float(f, 'f', false)
    }
}

/// The text go-yaml writes for a float64 that sigs.k8s.io/yaml passed
/// through JSON: JSON text, re-read by go-yaml (integers come back as
/// ints), then printed with `FormatFloat(f, 'g', -1, 64)`.
pub(super) fn float_yaml_text(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let json = go_json_float(f);
    if let Some(v) = go_parse_int(&json) {
        return match v {
            Value::Int(i) => i.to_string(),
            Value::UInt(u) => u.to_string(),
            _ => json,
        };
    }
    go_format_float(f, 'g', false)
}

/// sigs.k8s.io/yaml's key text for a float key:
/// `FormatFloat(f, 'g', -1, 32)` with `.inf`/`-.inf`/`.nan`.
pub(super) fn float_key_text(f: f64) -> String {
    match go_format_float(f, 'g', true).as_str() {
        "+Inf" => ".inf".to_owned(),
        "-Inf" => "-.inf".to_owned(),
        "NaN" => ".nan".to_owned(),
        other => other.to_owned(),
    }
}
