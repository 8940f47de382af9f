//! Go's `fmt` formatting of template values: `%v` (what `toString`, `cat`,
//! `join` and Go's own output print) and the `printf` verb machinery.
//!
//! Go prints floats with the shortest round-trip digits, switching to
//! exponent form (`1e+07`) when the exponent is below -4 or at least 21 for
//! JSON / at least the precision (6 for shortest) for `%v`/`%g`. Maps print
//! as `map[k:v ...]` with sorted keys, lists as `[a b]`, nil as `<nil>`.

use super::is_nil;
use minijinja::value::{Value, ValueKind};
use std::fmt::Write;

/// Go's `%v` text of a value: `<nil>` for nil, `true`/`false`, integers
/// exactly, floats like Go (`1`, `1.5`, `1e+07`), `[a b]` for lists and
/// `map[a:1 b:2]` (keys sorted) for maps. Other objects use their display
/// form (e.g. a `semver` object prints `1.2.3`).
pub fn format_value(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 'v', &Spec::default());
    out
}

/// Go's `strval` (Sprig's string conversion): strings stay as they are,
/// everything else is `%v`.
pub fn strval(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None => match v.as_bytes() {
            Some(b) if v.kind() == ValueKind::Bytes => String::from_utf8_lossy(b).into_owned(),
            _ => format_value(v),
        },
    }
}

/// Go's type name for a value, as `%T` and `typeOf` print it.
pub fn type_name(v: &Value) -> &'static str {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "<nil>",
        ValueKind::Bool => "bool",
        ValueKind::Number if v.is_integer() => "int",
        ValueKind::Number => "float64",
        ValueKind::String => "string",
        ValueKind::Bytes => "[]uint8",
        ValueKind::Seq | ValueKind::Iterable => "[]interface {}",
        ValueKind::Map => "map[string]interface {}",
        _ if v.downcast_object_ref::<super::semver::Version>().is_some() => "*semver.Version",
        _ => "interface {}",
    }
}

/// Shortest round-trip decimal digits of a finite, non-zero `|f|` and the
/// position of the decimal point (Go's `digs.d` / `digs.dp`): the value is
/// `0.DIGITS × 10^dp`.
fn shortest_digits(f: f64) -> (String, i32) {
    // Rust's `{:e}` is also shortest round-trip: "1.234567e6".
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// Lays out digits in `%e` style: `d.ddde+XX`, at least two exponent digits.
fn layout_exp(digits: &str, dp: i32, upper: bool) -> String {
    let mut out = String::new();
    let mut chars = digits.chars();
    out.push(chars.next().unwrap_or('0'));
    let rest: String = chars.collect();
    if !rest.is_empty() {
        out.push('.');
        out.push_str(&rest);
    }
    let exp = if digits.trim_start_matches('0').is_empty() {
        0
    } else {
        dp - 1
    };
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(out, "{:02}", exp.abs());
    out
}

/// Lays out digits in `%f` style with no trailing zeros beyond the digits.
fn layout_fixed(digits: &str, dp: i32) -> String {
    let nd = digits.len() as i32;
    if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp >= nd {
        format!("{}{}", digits, "0".repeat((dp - nd) as usize))
    } else {
        let (a, b) = digits.split_at(dp as usize);
        format!("{a}.{b}")
    }
}

fn non_finite(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf" } else { "-Inf" })
    } else {
        None
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses: exponent
/// form when the decimal exponent is below -4 or at least 6 (strconv's
/// `eprec` for shortest output), hence `1e+07` and `1e-05` but `123456`.
pub fn format_float_g(f: f64) -> String {
    if let Some(s) = non_finite(f) {
        return s.to_string();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }
    let (digits, dp) = shortest_digits(f);
    let exp = dp - 1;
    let body = if !(-4..6).contains(&exp) {
        layout_exp(&digits, dp, false)
    } else {
        layout_fixed(&digits, dp)
    };
    format!("{sign}{body}")
}

/// Go `encoding/json`'s float text: `'f'` form unless the magnitude is below
/// 1e-6 or at least 1e21, then `'e'` with a one-digit negative exponent
/// (`1e-7`, `1e+21`).
pub fn format_float_json(f: f64) -> String {
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 || !f.is_finite() {
        return format!("{sign}0");
    }
    let (digits, dp) = shortest_digits(f);
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let mut s = layout_exp(&digits, dp, false);
        // Go: "clean up e-09 to e-9".
        if let Some(pos) = s.find("e-0") {
            s.replace_range(pos..pos + 3, "e-");
        }
        format!("{sign}{s}")
    } else {
        format!("{sign}{}", layout_fixed(&digits, dp))
    }
}

/// Go's `strconv.Quote`: double quotes, `\"`, `\\`, C escapes, `\xNN` for
/// other control bytes and `\u`/`\U` for non-printable runes.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if !go_is_print(c) => {
                if (c as u32) < 0x10000 {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                } else {
                    let _ = write!(out, "\\U{:08x}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`, which `%q` uses: letters, marks, numbers,
/// punctuation, symbols and the ASCII space. Without a Unicode category
/// table this treats as unprintable what Go does in practice: controls,
/// every space but U+0020 (U+00A0, U+2000–U+200A, U+3000, …), the line and
/// paragraph separators, format characters (soft hyphen, zero-width and
/// bidi marks, BOM), surrogates' replacement and private-use/unassigned
/// planes' noncharacters.
fn go_is_print(c: char) -> bool {
    let u = c as u32;
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(u, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
            | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xFFFE | 0xFFFF | 0xE000..=0xF8FF
            | 0xF0000..=0x10FFFF | 0xE0001 | 0xE0020..=0xE007F))
}

/// Flags, width and precision of one `printf` directive.
#[derive(Default, Clone)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Spec {
    /// Pads `s` to the width: spaces, or zeros after the sign with `0`.
    fn pad(&self, s: String, numeric: bool) -> String {
        let len = s.chars().count();
        let Some(w) = self.width.filter(|w| *w > len) else {
            return s;
        };
        let fill = w - len;
        if self.minus {
            format!("{s}{}", " ".repeat(fill))
        } else if self.zero {
            let split = if numeric && s.starts_with(['-', '+', ' ']) {
                1
            } else {
                0
            };
            let (sign, rest) = s.split_at(split);
            format!("{sign}{}{rest}", "0".repeat(fill))
        } else {
            format!("{}{s}", " ".repeat(fill))
        }
    }
}

/// Writes `%!verb(type=value)`, Go's marker for a verb the type lacks.
fn bad_verb(out: &mut String, verb: char, v: &Value) {
    if is_nil(v) {
        let _ = write!(out, "%!{verb}(<nil>)");
    } else {
        let _ = write!(out, "%!{verb}({}={})", type_name(v), format_value(v));
    }
}

fn write_int(out: &mut String, n: i128, verb: char, spec: &Spec) -> bool {
    let neg = n < 0;
    let mag = n.unsigned_abs();
    let mut digits = match verb {
        'd' | 'v' => mag.to_string(),
        'x' => format!("{mag:x}"),
        'X' => format!("{mag:X}"),
        'o' | 'O' => format!("{mag:o}"),
        'b' => format!("{mag:b}"),
        'c' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}');
            out.push_str(&spec.pad(c.to_string(), false));
            return true;
        }
        'q' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}');
            let q = go_quote(&c.to_string());
            let inner = q
                .get(1..q.len() - 1)
                .unwrap_or_default()
                .replace("\\\"", "\"");
            out.push_str(&spec.pad(format!("'{inner}'"), false));
            return true;
        }
        'U' => {
            out.push_str(&spec.pad(format!("U+{mag:04X}"), false));
            return true;
        }
        _ => return false,
    };
    if let Some(p) = spec.prec
        && digits.len() < p
    {
        digits = format!("{}{digits}", "0".repeat(p - digits.len()));
    }
    let prefix = match (spec.sharp, verb) {
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        (true, 'o') => "0",
        (_, 'O') => "0o",
        _ => "",
    };
    let sign = if neg {
        "-"
    } else if spec.plus && verb != 'v' {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    out.push_str(&spec.pad(format!("{sign}{prefix}{digits}"), true));
    true
}

fn write_float(out: &mut String, f: f64, verb: char, spec: &Spec) -> bool {
    if let Some(s) = non_finite(f) {
        // Go prints +Inf, -Inf and NaN with any float verb.
        if !matches!(verb, 'v' | 'g' | 'G' | 'f' | 'F' | 'e' | 'E') {
            return false;
        }
        out.push_str(&spec.pad(s.to_string(), false));
        return true;
    }
    let body = {
        match verb {
            'v' | 'g' | 'G' => match spec.prec {
                None => format_float_g(f.abs()),
                Some(p) => {
                    // Round to p significant digits, drop trailing zeros, then
                    // pick %e or %f like strconv's 'g'.
                    let p = p.max(1);
                    let s = format!("{:.*e}", p - 1, f.abs());
                    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
                    let mut digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
                    while digits.len() > 1 && digits.ends_with('0') {
                        digits.pop();
                    }
                    let dp = exp.parse::<i32>().unwrap_or(0) + 1;
                    let mut eprec = p as i32;
                    if eprec > digits.len() as i32 && digits.len() as i32 >= dp {
                        eprec = digits.len() as i32;
                    }
                    if f == 0.0 {
                        "0".to_string()
                    } else if dp - 1 < -4 || dp > eprec {
                        layout_exp(&digits, dp, false)
                    } else {
                        layout_fixed(&digits, dp)
                    }
                }
            },
            'f' | 'F' => format!("{:.*}", spec.prec.unwrap_or(6), f.abs()),
            'e' | 'E' => {
                let s = format!("{:.*e}", spec.prec.unwrap_or(6), f.abs());
                let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
                let exp: i32 = exp.parse().unwrap_or(0);
                format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
            }
            _ => return false,
        }
    };
    let body = if verb == 'G' || verb == 'E' {
        body.to_uppercase()
    } else {
        body
    };
    let sign = if f.is_sign_negative() && !f.is_nan() {
        "-"
    } else if spec.plus && verb != 'v' {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let numeric = f.is_finite();
    out.push_str(&spec.pad(format!("{sign}{body}"), numeric));
    true
}

fn write_str(out: &mut String, s: &str, verb: char, spec: &Spec) -> bool {
    let s: String = match spec.prec {
        Some(p) if verb != 'q' => s.chars().take(p).collect(),
        _ => s.to_string(),
    };
    let body = match verb {
        'v' | 's' => s,
        'q' => go_quote(&s),
        'x' => s.bytes().map(|b| format!("{b:02x}")).collect(),
        'X' => s.bytes().map(|b| format!("{b:02X}")).collect(),
        _ => return false,
    };
    out.push_str(&spec.pad(body, false));
    true
}

/// Writes one value under one verb, recursing into lists and maps the way
/// Go's `printValue` does (the verb applies to each element).
fn write_value(out: &mut String, v: &Value, verb: char, spec: &Spec) {
    let Some(_nest) = super::Nest::enter() else {
        out.push('…');
        return;
    };
    let ok = match v.kind() {
        ValueKind::Undefined | ValueKind::None => {
            if verb == 'v' {
                out.push_str(&spec.pad("<nil>".to_string(), false));
                true
            } else {
                false
            }
        }
        ValueKind::Bool => match verb {
            'v' | 't' => {
                out.push_str(&spec.pad(v.is_true().to_string(), false));
                true
            }
            _ => false,
        },
        ValueKind::Number => {
            if v.is_integer() {
                match i128::try_from(v.clone()) {
                    Ok(n) => write_int(out, n, verb, spec),
                    // u128 above i128::MAX: print exactly, verbs aside.
                    Err(_) => {
                        out.push_str(&spec.pad(v.to_string(), true));
                        true
                    }
                }
            } else {
                let f = f64::try_from(v.clone()).unwrap_or(f64::NAN);
                write_float(out, f, verb, spec)
            }
        }
        ValueKind::String | ValueKind::Bytes => write_str(out, &strval(v), verb, spec),
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            for (i, item) in v.try_iter().into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value(out, &item, verb, spec);
            }
            out.push(']');
            true
        }
        ValueKind::Map => {
            let mut entries = super::map_entries(v).unwrap_or_default();
            // Go's fmt sorts map keys; keys are strings in Helm.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            out.push_str("map[");
            for (i, (k, val)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value(out, k, verb, spec);
                out.push(':');
                write_value(out, val, verb, spec);
            }
            out.push(']');
            true
        }
        // Objects such as semver versions are Go Stringers.
        _ => write_str(out, &v.to_string(), verb, spec),
    };
    if !ok {
        bad_verb(out, verb, v);
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Reads an explicit argument index `[n]` (1-based) if one follows.
fn take_index(chars: &mut Chars<'_>, argi: &mut usize, reordered: &mut bool) {
    if chars.peek() != Some(&'[') {
        return;
    }
    chars.next();
    let mut n = String::new();
    for d in chars.by_ref() {
        if d == ']' {
            break;
        }
        n.push(d);
    }
    if let Ok(i) = n.parse::<usize>()
        && i >= 1
    {
        *argi = i - 1;
        *reordered = true;
    }
}

/// Reads a width or precision: digits, or `*` taking an integer argument.
fn read_num(chars: &mut Chars<'_>, argi: &mut usize, args: &[Value]) -> Option<usize> {
    if chars.peek() == Some(&'*') {
        chars.next();
        let n = args.get(*argi).and_then(|a| i64::try_from(a.clone()).ok());
        *argi += 1;
        return n
            .map(|n| n.unsigned_abs() as usize)
            .filter(|n| *n <= 1_000_000);
    }
    let mut n = String::new();
    while let Some(&d) = chars.peek() {
        if !d.is_ascii_digit() {
            break;
        }
        n.push(d);
        chars.next();
    }
    // Go rejects widths above 1e6 (%!(BADWIDTH)); ignore them instead of
    // allocating.
    n.parse().ok().filter(|n| *n <= 1_000_000)
}

/// Go's `fmt.Sprintf` over template values: verbs `%v %s %d %q %f %F %e %E
/// %g %G %x %X %o %O %b %c %t %T %U %%`, flags `+ - # 0 space`, widths and
/// precisions (also `*`), explicit argument indexes (`%[2]s`), and Go's
/// error markers: `%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA string=b)`,
/// `%!(NOVERB)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::with_capacity(format.len() + 16);
    let mut argi = 0usize;
    let mut reordered = false;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        // Flags.
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => break,
            }
            chars.next();
        }
        take_index(&mut chars, &mut argi, &mut reordered);
        spec.width = read_num(&mut chars, &mut argi, args);
        if chars.peek() == Some(&'.') {
            chars.next();
            take_index(&mut chars, &mut argi, &mut reordered);
            spec.prec = Some(read_num(&mut chars, &mut argi, args).unwrap_or(0));
        }
        take_index(&mut chars, &mut argi, &mut reordered);
        if spec.minus {
            spec.zero = false;
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(argi) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        argi += 1;
        match verb {
            'T' => out.push_str(&spec.pad(type_name(arg).to_string(), false)),
            // Go reads %+v as "field names", not a sign flag.
            'v' => {
                spec.plus = false;
                write_value(&mut out, arg, 'v', &spec);
            }
            _ => write_value(&mut out, arg, verb, &spec),
        }
    }
    if !reordered && argi < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, a) in args.iter().skip(argi).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if is_nil(a) {
                out.push_str("<nil>");
            } else {
                let _ = write!(out, "{}={}", type_name(a), format_value(a));
            }
        }
        out.push(')');
    }
    out
}
