//! `eq`, `ne`, `lt`, `le`, `gt`, `ge` with Go's type rules (`funcs.go`):
//! values compare only within one basic kind (bool, int, uint, float,
//! string), signed and unsigned integers with each other; a nil compares
//! unequal to anything but nil; other mixes are
//! `incompatible types for comparison`.

use minijinja::Environment;
use minijinja::value::{Rest, Value, ValueKind};
use rudder_gotmpl::helpers as h;

use super::go_error;
use crate::funcs::gofmt::type_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    String,
    Other,
}

fn kind(v: &Value) -> Kind {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => Kind::Invalid,
        ValueKind::Bool => Kind::Bool,
        ValueKind::Number if v.is_integer() => {
            if i64::try_from(v.clone()).is_ok() {
                Kind::Int
            } else {
                Kind::Uint
            }
        }
        ValueKind::Number => Kind::Float,
        ValueKind::String => Kind::String,
        _ => Kind::Other,
    }
}

fn int(v: &Value) -> i128 {
    i128::try_from(v.clone()).unwrap_or_default()
}

fn float(v: &Value) -> f64 {
    f64::try_from(v.clone()).unwrap_or_default()
}

fn incompatible(a: &Value, b: &Value) -> minijinja::Error {
    go_error(format!(
        "incompatible types for comparison: {} and {}",
        type_name(a),
        type_name(b)
    ))
}

/// Go's `eq arg1 arg2…`: true when `arg1` equals any of the others.
pub(crate) fn eq(a: &Value, others: &[Value]) -> Result<bool, minijinja::Error> {
    if others.is_empty() {
        return Err(go_error("missing argument for comparison"));
    }
    let k1 = kind(a);
    for b in others {
        let k2 = kind(b);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int | Kind::Uint, Kind::Int | Kind::Uint) => int(a) == int(b),
                _ if k1 != Kind::Invalid && k2 != Kind::Invalid => return Err(incompatible(a, b)),
                _ => false,
            }
        } else {
            match k1 {
                Kind::Invalid => true,
                Kind::Bool => a.is_true() == b.is_true(),
                Kind::Int | Kind::Uint => int(a) == int(b),
                Kind::Float => float(a) == float(b),
                Kind::String => a.as_str() == b.as_str(),
                Kind::Other => {
                    return Err(go_error(format!(
                        "non-comparable type {}: {}",
                        crate::funcs::gofmt::format_value(b),
                        type_name(b)
                    )));
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Go's `lt arg1 arg2`.
pub(crate) fn lt(a: &Value, b: &Value) -> Result<bool, minijinja::Error> {
    let (k1, k2) = (kind(a), kind(b));
    let bad = |k| matches!(k, Kind::Invalid | Kind::Bool | Kind::Other);
    if bad(k1) || bad(k2) {
        return Err(go_error("invalid type for comparison"));
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int | Kind::Uint, Kind::Int | Kind::Uint) => Ok(int(a) < int(b)),
            _ => Err(incompatible(a, b)),
        };
    }
    Ok(match k1 {
        Kind::Int | Kind::Uint => int(a) < int(b),
        Kind::Float => float(a) < float(b),
        Kind::String => a.as_str().unwrap_or_default() < b.as_str().unwrap_or_default(),
        _ => false,
    })
}

fn le(a: &Value, b: &Value) -> Result<bool, minijinja::Error> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

pub(super) fn register(env: &mut Environment<'_>) {
    env.add_function(h::EQ, |a: Value, rest: Rest<Value>| eq(&a, &rest));
    env.add_function(h::NE, |a: Value, b: Value| {
        eq(&a, std::slice::from_ref(&b)).map(|t| !t)
    });
    env.add_function(h::LT, |a: Value, b: Value| lt(&a, &b));
    env.add_function(h::LE, |a: Value, b: Value| le(&a, &b));
    env.add_function(h::GT, |a: Value, b: Value| le(&a, &b).map(|t| !t));
    env.add_function(h::GE, |a: Value, b: Value| lt(&a, &b).map(|t| !t));
}
