//! Defaults, emptiness, type tests and conversions (Sprig's `defaults.go`,
//! `reflect.go` and `numeric.go` conversions, which use spf13/cast).
//!
//! Conversions never fail in Helm: `cast` errors are dropped and the zero
//! value (`0`) comes back, so `int "12abc"` is `0`.

use super::gofmt::type_name;
use super::{fail, is_empty, str_arg};
use minijinja::Error;
use minijinja::value::{Rest, Value, ValueKind};

/// Helm `default D V`: `V` unless it is empty (nil, `false`, `0`, `0.0`,
/// `""`, empty list or map), then `D`. Unlike Jinja's builtin, which only
/// replaces undefined. `{{ Values.x | default("a") }}`
pub fn default(given: Value, fallback: Option<Value>) -> Value {
    if is_empty(&given) {
        fallback.unwrap_or(Value::from(()))
    } else {
        given
    }
}

/// Helm `empty V`: Sprig's emptiness (see [`default`]); `" "` and `"0"` are
/// not empty. `{{ Values.x | empty }}` or `{{ empty(x) }}`
pub fn empty(v: Value) -> bool {
    is_empty(&v)
}

/// Helm `coalesce A B ...`: the first non-empty value, nil when none.
/// `{{ coalesce(Values.a, Values.b, "x") }}`
pub fn coalesce(args: Rest<Value>) -> Value {
    args.0
        .into_iter()
        .find(|v| !is_empty(v))
        .unwrap_or(Value::from(()))
}

/// Helm `ternary T F COND`: `T` when `COND` is true. Go requires a real
/// bool ("cannot assign nil to bool"), so anything else fails.
/// `{{ Values.enabled | ternary("on", "off") }}`
pub fn ternary(cond: &Value, if_true: Value, if_false: Value) -> Result<Value, Error> {
    if cond.kind() != ValueKind::Bool {
        return Err(fail(format!(
            "ternary: expected a bool condition, got {}",
            super::describe(cond)
        )));
    }
    Ok(if cond.is_true() { if_true } else { if_false })
}

/// Go `trimZeroDecimal` from cast: `"1.0"` and `"1.00"` lose the zero
/// fraction so they parse as integers; `"1.5"` does not.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return s.get(..i).unwrap_or(s),
            b'.' => return s,
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Go `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading
/// `0` prefixes, `_` between digits.
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..)?.to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    // Underscores must sit between digits (a prefix counts as a digit).
    let bytes = digits.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'_' {
            let prev_ok = if i == 0 {
                prefixed
            } else {
                bytes.get(i - 1) != Some(&b'_')
            };
            let next_ok = bytes.get(i + 1).is_some_and(|n| *n != b'_');
            if !prev_ok || !next_ok {
                return None;
            }
        }
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if clean.is_empty() || clean.starts_with(['+', '-']) {
        return None;
    }
    let mag = u64::from_str_radix(&clean, radix).ok()?;
    if neg {
        if mag == 1u64 << 63 {
            Some(i64::MIN)
        } else {
            i64::try_from(mag).ok().map(|m| -m)
        }
    } else {
        i64::try_from(mag).ok()
    }
}

/// cast's `ToInt64`: bools 0/1, floats truncated, strings parsed Go-style,
/// anything else 0.
fn to_i64(v: &Value) -> i64 {
    match v.kind() {
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::Number if v.is_integer() => i64::try_from(v.clone())
            .or_else(|_| i128::try_from(v.clone()).map(|n| n as i64))
            .unwrap_or(0),
        ValueKind::Number => f64::try_from(v.clone()).map(|f| f as i64).unwrap_or(0),
        ValueKind::String => v
            .as_str()
            .and_then(|s| parse_go_int(trim_zero_decimal(s)))
            .unwrap_or(0),
        _ => 0,
    }
}

/// Helm `int V` (cast `ToInt`): `"12"` → 12, `"0x1F"` → 31, `"010"` → 8,
/// `"1.0"` → 1, `1.9` → 1, `true` → 1; unparsable (`"12abc"`, `"1.5"`, nil)
/// → 0. `{{ Values.port | int }}`
pub fn int(v: Value) -> i64 {
    to_i64(&v)
}

/// Helm `int64 V`: same as [`int`] (Go's `int` is 64-bit).
pub fn int64(v: Value) -> i64 {
    to_i64(&v)
}

/// Go `strconv.ParseFloat`, which also takes `inf`, `NaN` and `_` between
/// digits.
fn parse_go_float(s: &str) -> Option<f64> {
    let clean: String = s.chars().filter(|c| *c != '_').collect();
    if clean.len() != s.len() && (s.starts_with('_') || s.ends_with('_') || s.contains("__")) {
        return None;
    }
    let lower = clean.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    // Rust accepts "infinity"/"nan" too; Go takes "inf", "infinity", "nan".
    if unsigned.starts_with("0x") {
        return None;
    }
    clean.parse::<f64>().ok()
}

/// Helm `float64 V` (cast `ToFloat64`): numbers and numeric strings
/// (`"1.5"`, `"1e3"`), bools 0/1; anything else 0.
/// `{{ Values.ratio | float64 }}`
pub fn float64(v: Value) -> f64 {
    match v.kind() {
        ValueKind::Bool => f64::from(u8::from(v.is_true())),
        ValueKind::Number => f64::try_from(v.clone()).unwrap_or(0.0),
        ValueKind::String => v.as_str().and_then(parse_go_float).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Helm `atoi S` (Go `strconv.Atoi`): base 10 with optional sign only;
/// anything else 0. `{{ "42" | atoi }}`
pub fn atoi(s: &Value) -> Result<i64, Error> {
    let s = str_arg("atoi", "", s)?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(0);
    }
    Ok(s.parse::<i64>().unwrap_or(0))
}

/// Go's `reflect.Kind` name of a value, as Helm's `kindOf` prints it:
/// `int`, `float64`, `string`, `bool`, `map`, `slice`, `invalid` (nil),
/// `ptr` (objects such as semver versions).
pub fn kind_of(v: Value) -> &'static str {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "invalid",
        ValueKind::Bool => "bool",
        ValueKind::Number if v.is_integer() => "int",
        ValueKind::Number => "float64",
        ValueKind::String => "string",
        ValueKind::Bytes | ValueKind::Seq | ValueKind::Iterable => "slice",
        ValueKind::Map => "map",
        _ => "ptr",
    }
}

/// Helm `kindIs KIND V`. `{{ Values.x | kindIs("map") }}`
pub fn kind_is(v: Value, kind: &Value) -> Result<bool, Error> {
    Ok(kind_of(v) == str_arg("kindIs", "kind", kind)?)
}

/// Helm `typeOf V`: Go's type name: `int`, `float64`, `string`, `bool`,
/// `map[string]interface {}`, `[]interface {}`, `<nil>`.
pub fn type_of(v: Value) -> &'static str {
    type_name(&v)
}

/// Helm `typeIs TYPE V`. `{{ x | typeIs("string") }}`
pub fn type_is(v: Value, ty: &Value) -> Result<bool, Error> {
    Ok(type_name(&v) == str_arg("typeIs", "type", ty)?)
}

/// Helm `typeIsLike TYPE V`: `typeIs`, also matching a pointer to `TYPE`.
pub fn type_is_like(v: Value, ty: &Value) -> Result<bool, Error> {
    let ty = str_arg("typeIsLike", "type", ty)?;
    let actual = type_name(&v);
    Ok(actual == ty || actual.strip_prefix('*') == Some(ty))
}

/// Helm `toStrings V`: each item of a list printed with Go's `%v` (nil
/// items dropped); a non-list is a one-item list, nil an empty one.
pub fn to_strings(v: Value) -> Value {
    let strs: Vec<Value> = match super::seq_items(&v) {
        Some(items) => items
            .iter()
            .filter(|i| !super::is_nil(i))
            .map(|i| Value::from(super::gofmt::strval(i)))
            .collect(),
        None if super::is_nil(&v) => Vec::new(),
        None => vec![Value::from(super::gofmt::strval(&v))],
    };
    Value::from(strs)
}

/// Helm `all V…`: true when no argument is empty (Sprig's `empty`).
pub fn all(args: Rest<Value>) -> bool {
    args.iter().all(|v| !super::is_empty(v))
}

/// Helm `any V…`: true when some argument is not empty.
pub fn any(args: Rest<Value>) -> bool {
    args.iter().any(|v| !super::is_empty(v))
}

/// Helm `deepEqual A B` (Go `reflect.DeepEqual`): an `int` never equals a
/// `float64`, nor `1` the string `"1"`.
pub fn deep_equal(a: Value, b: Value) -> bool {
    super::go_equal(&a, &b)
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_filter("default", default);
    env.add_function("empty", empty);
    env.add_filter("empty", empty);
    env.add_function("coalesce", coalesce);
    env.add_filter("ternary", ternary);
    for (name, f) in [("int", int as fn(Value) -> i64), ("int64", int64)] {
        env.add_function(name, f);
        env.add_filter(name, f);
    }
    env.add_function("float64", float64);
    env.add_filter("float64", float64);
    env.add_function("atoi", atoi);
    env.add_filter("atoi", atoi);
    env.add_function("kindOf", kind_of);
    env.add_filter("kindOf", kind_of);
    env.add_filter("kindIs", kind_is);
    env.add_function("typeOf", type_of);
    env.add_filter("typeOf", type_of);
    env.add_filter("typeIs", type_is);
    env.add_filter("typeIsLike", type_is_like);
    env.add_function("toStrings", to_strings);
    env.add_function("all", all);
    env.add_function("any", any);
    env.add_function("deepEqual", deep_equal);
}
