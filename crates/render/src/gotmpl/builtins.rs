//! Go's other builtin functions: `len`, `index`, `slice`, `print`,
//! `printf`, `println`, `html`, `js`, `urlquery`, `call`, and ranging.

use minijinja::Environment;
use minijinja::value::{Rest, Value, ValueKind};
use rudder_gotmpl::helpers as h;

use super::go_error;
use crate::funcs::gofmt::{format_value, sprintf, type_name};

fn is_nil(v: &Value) -> bool {
    v.is_undefined() || v.is_none()
}

/// Go's `len`: bytes of a string, entries of a map or list.
fn len(v: &Value) -> Result<usize, minijinja::Error> {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Err(go_error("len of nil pointer")),
        ValueKind::String => Ok(v.as_str().map_or(0, str::len)),
        ValueKind::Bytes => Ok(v.as_bytes().map_or(0, <[u8]>::len)),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => v
            .len()
            .or_else(|| v.try_iter().ok().map(Iterator::count))
            .ok_or_else(|| go_error(format!("len of type {}", type_name(v)))),
        _ => Err(go_error(format!("len of type {}", type_name(v)))),
    }
}

/// An integer index of a list or string (Go's `indexArg`).
fn index_arg(i: &Value, len: usize) -> Result<usize, minijinja::Error> {
    if is_nil(i) {
        return Err(go_error("cannot index slice/array with nil"));
    }
    if !i.is_integer() {
        return Err(go_error(format!(
            "cannot index slice/array with type {}",
            type_name(i)
        )));
    }
    let x = i128::try_from(i.clone()).unwrap_or(-1);
    if x < 0 || x > len as i128 {
        return Err(go_error(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

/// Go's `index item i…`.
fn index(item: Value, keys: &[Value]) -> Result<Value, minijinja::Error> {
    if is_nil(&item) {
        return Err(go_error("index of untyped nil"));
    }
    let mut item = item;
    for k in keys {
        if is_nil(&item) {
            return Err(go_error("index of nil pointer"));
        }
        item = match item.kind() {
            ValueKind::Seq | ValueKind::Iterable => {
                let n = len(&item)?;
                let x = index_arg(k, n)?;
                if x == n {
                    return Err(go_error("reflect: slice index out of range"));
                }
                let elem = item.get_item(&Value::from(x)).unwrap_or_default();
                super::from_values(&item, None, elem)
            }
            ValueKind::String => {
                let s = item.as_str().unwrap_or_default();
                let x = index_arg(k, s.len())?;
                match s.as_bytes().get(x) {
                    Some(b) => Value::from(*b),
                    None => return Err(go_error("reflect: string index out of range")),
                }
            }
            ValueKind::Map => {
                if is_nil(k) {
                    return Err(go_error("value is nil; should be of type string"));
                }
                if k.kind() != ValueKind::String {
                    return Err(go_error(format!(
                        "value has type {}; should be string",
                        type_name(k)
                    )));
                }
                match item.get_item(k) {
                    Ok(v) if !v.is_undefined() => super::from_values(&item, Some(k), v),
                    _ => Value::from(()),
                }
            }
            _ => {
                return Err(go_error(format!(
                    "can't index item of type {}",
                    type_name(&item)
                )));
            }
        };
    }
    Ok(item)
}

/// Go's `%v` of one operand (a `String` method wins, as in Go).
fn text_of(a: &Value) -> String {
    match a.downcast_object_ref::<crate::KubeVersion>() {
        Some(k) => k.version.clone(),
        None => format_value(a),
    }
}

/// Go's `fmt.Sprint`: a space between operands when neither is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = true;
    for (i, a) in args.iter().enumerate() {
        let is_string = a.kind() == ValueKind::String;
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        match a.as_str() {
            Some(s) if is_string => out.push_str(s),
            _ => out.push_str(&text_of(a)),
        }
        prev_string = is_string;
    }
    out
}

/// Go's `fmt.Sprintln`: spaces between all operands, a newline after.
fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match a.as_str() {
            Some(s) if a.kind() == ValueKind::String => out.push_str(s),
            _ => out.push_str(&text_of(a)),
        }
    }
    out.push('\n');
    out
}

/// The text the escapers work on: the one string argument, or Sprint.
fn escaper_text(args: &[Value]) -> String {
    match args {
        [one] if one.kind() == ValueKind::String => one.as_str().unwrap_or_default().to_owned(),
        _ => sprint(args),
    }
}

/// Go's `HTMLEscapeString`.
fn html(args: &[Value]) -> String {
    let s = escaper_text(args);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString`.
fn js(args: &[Value]) -> String {
    let s = escaper_text(args);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
fn urlquery(args: &[Value]) -> String {
    let s = escaper_text(args);
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Map entries in Go's order: keys sorted (byte order of the key text).
fn sorted_entries(v: &Value) -> Result<Vec<(Value, Value)>, minijinja::Error> {
    let mut keys: Vec<Value> = v.try_iter()?.collect();
    let sorted = keys.windows(2).all(|w| key_text(&w[0]) <= key_text(&w[1]));
    if !sorted {
        keys.sort_by(|a, b| key_text(a).cmp(&key_text(b)));
    }
    Ok(keys
        .into_iter()
        .map(|k| {
            let val = super::from_values(v, Some(&k), v.get_item(&k).unwrap_or_default());
            (k, val)
        })
        .collect())
}

fn key_text(k: &Value) -> std::borrow::Cow<'_, str> {
    match k.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(format_value(k)),
    }
}

fn cant_range(v: &Value) -> minijinja::Error {
    go_error(format!("range can't iterate over {}", format_value(v)))
}

/// `range x` with one or no variable: the elements (a map's values in key
/// order, `0..n` for an integer).
fn range_values(v: Value) -> Result<Value, minijinja::Error> {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Ok(Value::from(Vec::<Value>::new())),
        ValueKind::Seq
            if v.downcast_object_ref::<crate::funcs::convert::View>()
                .is_none() =>
        {
            Ok(v)
        }
        ValueKind::Seq | ValueKind::Iterable => Ok(Value::from(
            v.try_iter()?
                .map(|x| super::from_values(&v, None, x))
                .collect::<Vec<_>>(),
        )),
        ValueKind::Map => Ok(Value::from(
            sorted_entries(&v)?
                .into_iter()
                .map(|(_, x)| x)
                .collect::<Vec<_>>(),
        )),
        ValueKind::Number if v.is_integer() => {
            let n = i64::try_from(v.clone()).unwrap_or(0).max(0);
            Ok(Value::from_iter((0..n).map(Value::from)))
        }
        _ => Err(cant_range(&v)),
    }
}

/// `range $k, $v := x`: `[key, value]` pairs.
fn range_pairs(v: Value) -> Result<Value, minijinja::Error> {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Ok(Value::from(Vec::<Value>::new())),
        ValueKind::Seq | ValueKind::Iterable => {
            Ok(Value::from_iter(v.try_iter()?.enumerate().map(|(i, x)| {
                Value::from(vec![Value::from(i), super::from_values(&v, None, x)])
            })))
        }
        ValueKind::Map => Ok(Value::from_iter(
            sorted_entries(&v)?
                .into_iter()
                .map(|(k, x)| Value::from(vec![k, x])),
        )),
        ValueKind::Number if v.is_integer() => Err(go_error(format!(
            "can't use {} to iterate over more than one variable",
            format_value(&v)
        ))),
        _ => Err(cant_range(&v)),
    }
}

pub(super) fn register(env: &mut Environment<'_>) {
    env.add_function(h::LEN, |v: Value| len(&v));
    env.add_function(h::INDEX, |item: Value, keys: Rest<Value>| {
        index(item, &keys)
    });
    env.add_function(h::PRINT, |args: Rest<Value>| sprint(&args));
    env.add_function(h::PRINTLN, |args: Rest<Value>| sprintln(&args));
    env.add_function(h::PRINTF, |format: String, args: Rest<Value>| {
        sprintf(&format, &args)
    });
    env.add_function(h::HTML, |args: Rest<Value>| html(&args));
    env.add_function(h::JS, |args: Rest<Value>| js(&args));
    env.add_function(h::URLQUERY, |args: Rest<Value>| urlquery(&args));
    env.add_function(
        h::CALL,
        |_f: Value, _args: Rest<Value>| -> Result<Value, minijinja::Error> {
            Err(go_error(
                "call: rudder templates hold no Go functions to call",
            ))
        },
    );
    env.add_function(h::RANGE_VALUES, range_values);
    env.add_function(h::RANGE_PAIRS, range_pairs);
}
