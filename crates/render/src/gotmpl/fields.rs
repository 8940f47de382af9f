//! Field access and method calls: Go's `evalField`.
//!
//! * On a map, a field is a key. A missing key is no value (Helm renders
//!   with `missingkey=zero`), or `map has no entry for key "x"` with
//!   `--strict` (`missingkey=error`).
//! * A field of a nil value taken from a map or a range element is an
//!   error: `nil pointer evaluating interface {}.x` (Helm exits 1). A nil
//!   *dot or variable* (a pipeline's result, which Go has already unwrapped
//!   to an invalid value) yields no value instead.
//! * Helm's objects (`.Files`, `.Capabilities.APIVersions`) have methods:
//!   a field naming a method calls it, with the arguments that follow.

use minijinja::value::{Rest, Value, ValueKind};
use minijinja::{Environment, ErrorKind, State};
use rudder_gotmpl::helpers as h;

use super::go_error;
use crate::funcs::gofmt::type_name;

/// Methods of Helm's objects and how many arguments each takes
/// (`Files.Get`, `APIVersions.Has`, …), and of the values functions
/// return: Go checks the count first.
const METHODS: &[(&str, usize)] = &[
    ("Get", 1),
    ("GetBytes", 1),
    ("Glob", 1),
    ("Lines", 1),
    ("AsConfig", 0),
    ("AsSecrets", 0),
    ("Has", 1),
    // `*semver.Version` (what `semver` returns).
    ("Compare", 1),
    ("LessThan", 1),
    ("GreaterThan", 1),
    ("Equal", 1),
];

fn arity(name: &str) -> Option<usize> {
    METHODS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
}

pub(super) fn register(env: &mut Environment<'_>, strict: bool) {
    env.add_function(
        h::FIELD,
        move |state: &State, base: Value, names: Rest<String>| {
            field_chain(state, base, &names, strict, Base::Interface)
        },
    );
    env.add_function(
        h::FIELD_VAR,
        move |state: &State, base: Value, names: Rest<String>| {
            field_chain(state, base, &names, strict, Base::Unwrapped)
        },
    );
    env.add_function(
        h::METHOD,
        move |state: &State, recv: Value, name: String, args: Rest<Value>| {
            method(state, &recv, &name, &args, strict)
        },
    );
}

/// What a nil base means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// Dot, a field, a range element: a nil here is an interface holding
    /// nil, and a field of it fails.
    Interface,
    /// A variable or a parenthesised pipeline: Go unwrapped it; a nil is
    /// an invalid value whose fields are no value.
    Unwrapped,
}

fn is_nil(v: &Value) -> bool {
    v.is_undefined() || v.is_none()
}

/// Go's field chain `.A.B.C` on `base`.
pub(crate) fn field_chain(
    state: &State,
    base: Value,
    names: &[String],
    strict: bool,
    kind: Base,
) -> Result<Value, minijinja::Error> {
    let mut v = base;
    for (i, name) in names.iter().enumerate() {
        if is_nil(&v) {
            if i == 0 && kind == Base::Unwrapped {
                if strict {
                    return Err(go_error(format!("nil data; no entry for key {:?}", name)));
                }
                return Ok(Value::from(()));
            }
            return Err(go_error(format!(
                "nil pointer evaluating interface {{}}.{name}"
            )));
        }
        // After the first step every value came out of a map, where Go
        // holds it as an `interface {}`.
        let iface = i > 0 || kind == Base::Interface;
        v = field(state, &v, name, strict, iface)?;
    }
    Ok(v)
}

/// One field of a non-nil value.
fn field(
    state: &State,
    v: &Value,
    name: &str,
    strict: bool,
    iface: bool,
) -> Result<Value, minijinja::Error> {
    if v.as_object().is_some() {
        // A method of one of Helm's objects, called without arguments.
        if let Some(r) = try_method(state, v, name, &[])? {
            return Ok(r);
        }
        // A value of a Go type with methods (`(semver "1.2.3").Major`,
        // Masterminds' `*semver.Version`): its methods are its attributes.
        if v.kind() != ValueKind::Map
            && let Ok(r) = v.get_attr(name)
            && !r.is_undefined()
        {
            return Ok(r);
        }
    }
    match v.kind() {
        ValueKind::Map => {
            let r = v.get_attr(name)?;
            if r.is_undefined() {
                if strict {
                    return Err(go_error(format!("map has no entry for key {name:?}")));
                }
                return Ok(Value::from(()));
            }
            Ok(super::from_values(v, Some(&Value::from(name)), r))
        }
        _ => Err(go_error(format!(
            "can't evaluate field {name} in type {}",
            if iface { "interface {}" } else { type_name(v) }
        ))),
    }
}

/// Calls method `name` of an object; `None` when it has no such method.
fn try_method(
    state: &State,
    v: &Value,
    name: &str,
    args: &[Value],
) -> Result<Option<Value>, minijinja::Error> {
    let Some(want) = arity(name) else {
        return Ok(None);
    };
    // Helm's objects ignore the state; methods need a mutable one.
    let mut scratch = state.env().empty_state();
    match v.call_method(&mut scratch, name, args) {
        Ok(r) => Ok(Some(r)),
        Err(e) if e.kind() == ErrorKind::UnknownMethod => Ok(None),
        Err(_) if want != args.len() => Err(go_error(format!(
            "wrong number of args for {name}: want {want} got {}",
            args.len()
        ))),
        Err(e) => Err(go_error(format!(
            "error calling {name}: {}",
            e.detail().unwrap_or_default()
        ))),
    }
}

/// `.X.Name arg…`: a method call, or Go's error for a field given
/// arguments.
fn method(
    state: &State,
    recv: &Value,
    name: &str,
    args: &[Value],
    _strict: bool,
) -> Result<Value, minijinja::Error> {
    if is_nil(recv) {
        return Err(go_error(format!(
            "nil pointer evaluating interface {{}}.{name}"
        )));
    }
    if recv.as_object().is_some()
        && let Some(r) = try_method(state, recv, name, args)?
    {
        return Ok(r);
    }
    match recv.kind() {
        ValueKind::Map => Err(go_error(format!(
            "{name} is not a method but has arguments"
        ))),
        _ => Err(go_error(format!(
            "can't evaluate field {name} in type {}",
            type_name(recv)
        ))),
    }
}
