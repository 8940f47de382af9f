//! Go literals as `text/template/parse` reads and prints them: `%q`
//! quoting for messages, and numbers (Go's `strconv` rules for ints,
//! hex/octal/binary, underscores, floats). Split from `parse.rs` so the
//! parser stays about the grammar.

use crate::ast::Number;

/// Go's `%q` of a string (the common cases: printable text, escapes for
/// quotes, backslashes and control characters).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number literal as Go's `newNumber` + `idealConstant` evaluate it.
pub(crate) fn number(text: &str) -> Result<Number, String> {
    let has_float_marker = if is_hex(text) {
        text.contains(['p', 'P'])
    } else {
        text.contains(['.', 'e', 'E'])
    };
    if text.ends_with('i') {
        return Err(format!(
            "imaginary constant {text} is not supported by rudder"
        ));
    }
    if !has_float_marker {
        return match parse_int(text) {
            Some(Ok(i)) => Ok(Number::Int(i)),
            Some(Err(u)) => Ok(Number::Uint(u)),
            None if text
                .chars()
                .filter(|&c| c != '_')
                .collect::<String>()
                .parse::<f64>()
                .is_ok() =>
            {
                Err(format!("integer overflow: {}", go_quote(text)))
            }
            None => Err(format!("illegal number syntax: {}", go_quote(text))),
        };
    }
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    if is_hex(text) {
        return match hex_float(&clean) {
            Some(f) if f.is_finite() => Ok(Number::Float(f)),
            _ => Err(format!("illegal number syntax: {}", go_quote(text))),
        };
    }
    match clean.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Number::Float(f)),
        _ => Err(format!("illegal number syntax: {}", go_quote(text))),
    }
}

/// `strconv.ParseFloat` of a hexadecimal float (`0x1p60`, `0x1.8p-2`,
/// underscores removed): the mantissa's hex digits, an optional fraction,
/// and the binary exponent Go requires.
fn hex_float(text: &str) -> Option<f64> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let body = body
        .strip_prefix("0x")
        .or_else(|| body.strip_prefix("0X"))?;
    let (mantissa, exp) = body.split_once(['p', 'P'])?;
    let exp: i32 = exp.parse().ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    // Up to 32 hex digits exactly; further digits only scale the value
    // (they are below a u128's precision, far below an f64's).
    let mut m: u128 = 0;
    let mut scale: i32 = 0;
    for (i, c) in int.chars().chain(frac.chars()).enumerate() {
        let d = c.to_digit(16)?;
        let in_fraction = i >= int.len();
        if m >> 124 == 0 {
            m = m * 16 + u128::from(d);
            if in_fraction {
                scale -= 4;
            }
        } else if !in_fraction {
            scale += 4;
        }
    }
    // `as f64` rounds to nearest; a power of two scales exactly.
    let f = m as f64 * 2f64.powi(exp.saturating_add(scale));
    Some(if neg { -f } else { f })
}

fn is_hex(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-']);
    t.starts_with("0x") || t.starts_with("0X")
}

/// `strconv.ParseInt(text, 0, 64)`; `Some(Err)` when it only fits a
/// uint64 (Go: "overflows int"), `None` when it is not an integer.
fn parse_int(text: &str) -> Option<Result<i64, u64>> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_owned(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_owned(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_owned(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_owned(), true)
    } else {
        (10, lower.clone(), false)
    };
    // Underscores only between digits (or after a base prefix).
    let b = digits.as_bytes();
    if b.is_empty() && (radix != 8 || lower.starts_with("0o")) {
        return None;
    }
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let prev_ok = if i == 0 { prefixed } else { b[i - 1] != b'_' };
            if !prev_ok || i + 1 == b.len() {
                return None;
            }
        }
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    let clean = if clean.is_empty() {
        "0".to_owned()
    } else {
        clean
    };
    let mag = u128::from_str_radix(&clean, radix).ok()?;
    if neg {
        if mag <= 1u128 << 63 {
            Some(Ok((mag as i128).wrapping_neg() as i64))
        } else {
            None
        }
    } else if mag <= i64::MAX as u128 {
        Some(Ok(mag as i64))
    } else if mag <= u64::MAX as u128 {
        Some(Err(mag as u64))
    } else {
        None
    }
}
