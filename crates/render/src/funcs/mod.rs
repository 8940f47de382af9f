//! Helm's template function library (Sprig plus Helm's own helpers) as typed
//! Rust functions for minijinja.
//!
//! Every Helm/Sprig function name means Helm's behaviour (Helm v4.1.4 is the
//! reference); the families live in one module each: [`strings`],
//! [`conversion`], [`dicts`], [`lists`], [`encoding`], [`semver`] and
//! [`random`]. [`gofmt`] holds Go's `%v`/`printf` formatting, which several
//! families share. [`register`] installs all of them into an environment.
//!
//! # Calling convention
//!
//! Go templates pass a piped value as the *last* argument; Jinja passes it as
//! the *first* (the filter input). rudder's rule: **the value a Helm user
//! pipes becomes the filter's input, and the remaining arguments keep Helm's
//! order.**
//!
//! | Helm | rudder |
//! |------|--------|
//! | `{{ .Values.name \| trunc 63 \| trimSuffix "-" }}` | `{{ Values.name \| trunc(63) \| trimSuffix("-") }}` |
//! | `{{ .Values.x \| default "a" }}` | `{{ Values.x \| default("a") }}` |
//! | `{{ contains "foo" .Values.s }}` | `{{ Values.s \| contains("foo") }}` |
//! | `{{ regexReplaceAll "re" .Values.s "x" }}` | `{{ Values.s \| regexReplaceAll("re", "x") }}` |
//! | `{{ ternary "a" "b" .Values.on }}` | `{{ Values.on \| ternary("a", "b") }}` |
//! | `{{ hasKey .Values.m "k" }}` | `{{ Values.m \| hasKey("k") }}` |
//! | `{{ append .Values.l 3 }}` | `{{ Values.l \| append(3) }}` |
//! | `{{ semverCompare ">=1.19" .Capabilities.KubeVersion.Version }}` | `{{ Capabilities.KubeVersion.Version \| semverCompare(">=1.19") }}` |
//!
//! For string, conversion, encoding and semver functions the subject is
//! Helm's last argument (the one Sprig designed to be piped). For dict and
//! list functions whose subject comes *first* in Sprig (`get`, `set`,
//! `unset`, `hasKey`, `pick`, `omit`, `merge`, `mergeOverwrite`, `dig`,
//! `append`, `prepend`, `concat`, `without`) the dict or list is the filter
//! input and the other arguments follow in Helm's order; `has` keeps Sprig's
//! pipe shape (`list | has(needle)`). Variadic functions used as filters
//! (`printf`, `cat`, `quote`, `squote`, `list`) put the filter input *last*,
//! exactly where Go's pipe would put it: `{{ x | printf("%s-%s", a) }}` is
//! `printf "%s-%s" a x`.
//!
//! Functions with nothing to pipe are globals: `dict("a", 1, "b", 2)`,
//! `list(1, 2)`, `until(5)`, `untilStep(0, 10, 2)`, `uuidv4()`,
//! `randAlphaNum(10)`, `printf("%s-%d", a, 1)`, `coalesce(a, b)`, `cat(a, b)`.
//! Conversions and encoders are registered both ways (`toString(x)` and
//! `x | toString`), see [`register`] for the full table.
//!
//! # Jinja builtins replaced
//!
//! Where a minijinja builtin shares a Helm name, Helm's semantics win and the
//! builtin is overwritten: `default` (Helm treats `0`, `""`, `false`, empty
//! lists and maps as missing, Jinja only undefined), `indent` (Helm indents
//! the first line too and counts spaces only), `replace`, `trim` (no
//! argument, Unicode whitespace), `title` (Go `strings.Title`: only the first
//! letter of each word changes), `upper`, `lower`, `join` (skips nil items,
//! Go formatting of items), `first`/`last` (lists only), `reverse` (lists
//! only), `split` (returns Helm's `{_0: .., _1: ..}` dict; use `splitList`
//! for a list), `int` (Go `cast.ToInt`), `list` (`x | list` is `[x]`, not
//! "convert to a list") and `dict` (positional key/value pairs; keyword
//! arguments still work).
//!
//! # Values and Go types
//!
//! Go `nil` is minijinja's `none` *and* `undefined`. Integers stay exact
//! (`i64`/`u64`/`i128`) and print as Go's `int`; floats are Go `float64` and
//! print with Go's `%v` ([`gofmt::format_value`]), e.g. `1e+07`. Helm
//! decodes every number in values files as `float64`; rudder keeps integers
//! exact, so `kindOf` of a values integer says `int` where Helm says
//! `float64`. Maps built by these functions are [`dicts::Dict`] objects,
//! which `set`, `unset`, `merge` and `mergeOverwrite` mutate in place like
//! Go maps; other (immutable) maps are copied into a new `Dict` instead.
//!
//! Top-level output formatting (Go prints `<nil>`; Helm then replaces
//! `<no value>` with nothing) is the renderer's job: [`gofmt::format_value`]
//! gives Go's text for any value.

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind};
use std::sync::Arc;

pub mod conversion;
pub mod convert;
pub mod crypto;
pub mod dicts;
pub mod encoding;
pub mod gofmt;
pub mod goregex;
pub mod inventory;
pub mod lists;
pub mod math;
pub mod paths;
pub mod random;
pub mod semver;
pub mod strcase;
pub mod strings;
pub mod time;
pub mod toml;
pub mod yaml;

#[cfg(test)]
mod tests;

pub use inventory::{INVENTORY, Origin, Pipe, Spec, known};
pub use random::{RenderStream, Rng};
pub use time::{Clock, RenderClock};

/// Installs every function of this library into `env`, replacing Jinja
/// builtins of the same name.
///
/// `rng` backs `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii` and
/// `uuidv4`; build it with [`Rng::new`] (`Some(seed)` for reproducible
/// output, `None` for OS entropy like Helm); it also draws the keys, serial
/// numbers and salts of the crypto functions. `clock` is "now" for the date
/// functions and certificate validity ([`Clock::new`]: `None` for the real
/// time, `Some(t)` for a pinned instant).
///
/// Filters (subject piped in): trunc, trim, trimAll, trimPrefix,
/// trimSuffix, upper, lower, title, untitle, swapcase, replace, contains,
/// hasPrefix, hasSuffix, regexMatch, regexFind, regexFindAll,
/// regexReplaceAll, regexReplaceAllLiteral, regexSplit, split, splitList,
/// splitn, join, repeat, indent, nindent, nospace, substr, initials, plural,
/// default, ternary, kindIs, typeIs, typeIsLike, get, set, unset, hasKey,
/// pick, omit, merge, mergeOverwrite, dig, values, append, prepend, concat,
/// first, last, uniq, has, without, compact, rest, initial, reverse,
/// sortAlpha, b64enc, b64dec, sha256sum, sha1sum, sha512sum, adler32sum,
/// semverCompare.
///
/// Globals (nothing to pipe): dict, until, untilStep, coalesce,
/// randAlphaNum, randAlpha, randNumeric, randAscii, uuidv4.
///
/// Both filter and global: printf, cat, quote, squote, list, toString,
/// empty, int, int64, float64, atoi, kindOf, typeOf, keys, deepCopy, toJson,
/// toPrettyJson, toRawJson, fromJson, fromJsonArray, semver.
pub fn register(env: &mut Environment<'_>, rng: Arc<Rng>, clock: Arc<Clock>) {
    register_all(env, rng, clock);
}

/// [`register`], returning the names registered (filters and globals).
pub(crate) fn register_all(
    env: &mut Environment<'_>,
    rng: Arc<Rng>,
    clock: Arc<Clock>,
) -> inventory::Registered {
    let mut reg = inventory::Reg::new(env);
    let env = &mut reg;
    strings::register(env);
    conversion::register(env);
    dicts::register(env);
    lists::register(env);
    encoding::register(env);
    semver::register(env);
    crypto::register(env, rng.clone(), clock.clone());
    time::register(env, clock);
    toml::register(env);
    random::register(env, rng);
    yaml::register(env);
    math::register(env);
    paths::register(env);
    strcase::register(env);
    reg.finish()
}

/// How deep the printers (`{{ }}`, `toYaml`, `toJson`) and `deepCopy` walk
/// a value: twice the YAML nesting limit. Deeper means a template built
/// something pathological, such as a namespace that contains itself, which
/// would otherwise recurse until the stack overflows.
pub const MAX_VALUE_DEPTH: usize = 2000;

thread_local! {
    static NESTING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static TOO_DEEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One level of a bounded walk; `None` (and the walk marked too deep) past
/// [`MAX_VALUE_DEPTH`].
pub(crate) struct Nest(());

impl Nest {
    pub(crate) fn enter() -> Option<Nest> {
        let depth = NESTING.with(std::cell::Cell::get);
        if depth >= MAX_VALUE_DEPTH {
            TOO_DEEP.with(|t| t.set(true));
            return None;
        }
        NESTING.with(|n| n.set(depth + 1));
        Some(Nest(()))
    }
}

impl Drop for Nest {
    fn drop(&mut self) {
        NESTING.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// Runs a walk; an error naming `func` if it went past [`MAX_VALUE_DEPTH`].
pub(crate) fn bounded<T>(func: &str, f: impl FnOnce() -> T) -> Result<T, Error> {
    let outer = TOO_DEEP.with(|t| t.replace(false));
    let out = f();
    let deep = TOO_DEEP.with(|t| t.replace(outer));
    if deep {
        return Err(fail(format!(
            "{func}: the value is nested more than {MAX_VALUE_DEPTH} levels deep (does a map or namespace contain itself?)"
        )));
    }
    Ok(out)
}

/// An `InvalidOperation` error with `msg`; messages start with the Helm
/// function name, lowercase.
pub(crate) fn fail(msg: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

/// Go's `nil`: minijinja's `none` or `undefined`.
pub(crate) fn is_nil(v: &Value) -> bool {
    v.is_none() || v.is_undefined()
}

/// A short description of a value for error messages: strings quoted,
/// numbers and bools as written, containers by kind.
pub(crate) fn describe(v: &Value) -> String {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => "nil".to_string(),
        ValueKind::String => format!("{:?}", v.as_str().unwrap_or_default()),
        ValueKind::Number | ValueKind::Bool => gofmt::format_value(v),
        ValueKind::Seq => "a list".to_string(),
        ValueKind::Map => "a map".to_string(),
        other => format!("a {other}"),
    }
}

/// A string argument, with Go's strictness: a template passing a number or
/// nil where Sprig declares `string` fails in Helm ("expected string; found
/// 1", "cannot assign nil to string"), so it fails here too.
pub(crate) fn str_arg<'a>(func: &str, what: &str, v: &'a Value) -> Result<&'a str, Error> {
    let sep = if what.is_empty() { "" } else { " " };
    v.as_str().ok_or_else(|| {
        fail(format!(
            "{func}: expected a string{sep}{what}, got {}",
            describe(v)
        ))
    })
}

/// An integer argument; floats and strings fail as in Go ("expected
/// integer; found 2.5").
pub(crate) fn int_arg(func: &str, what: &str, v: &Value) -> Result<i64, Error> {
    if v.is_integer()
        && let Ok(n) = i64::try_from(v.clone())
    {
        return Ok(n);
    }
    Err(fail(format!(
        "{func}: expected an integer {what}, got {}",
        describe(v)
    )))
}

/// The items of a sequence (or iterable), `None` for anything else.
pub(crate) fn seq_items(v: &Value) -> Option<Vec<Value>> {
    match v.kind() {
        ValueKind::Seq | ValueKind::Iterable => v.try_iter().ok().map(|it| it.collect()),
        _ => None,
    }
}

/// The entries of a map in its own order, `None` for anything else.
pub(crate) fn map_entries(v: &Value) -> Option<Vec<(Value, Value)>> {
    if v.kind() != ValueKind::Map {
        return None;
    }
    let keys = v.try_iter().ok()?;
    Some(
        keys.map(|k| {
            let val = v.get_item(&k).unwrap_or(Value::UNDEFINED);
            (k, val)
        })
        .collect(),
    )
}

/// Sprig's `empty` (and mergo's "empty value"): nil, `false`, zero numbers,
/// and zero-length strings, lists and maps. Other objects are never empty.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => true,
        ValueKind::Bool => !v.is_true(),
        ValueKind::Number => !v.is_true(),
        ValueKind::String | ValueKind::Bytes | ValueKind::Seq | ValueKind::Map => {
            v.len() == Some(0)
        }
        ValueKind::Iterable => v.try_iter().map(|mut i| i.next().is_none()).unwrap_or(true),
        _ => false,
    }
}

/// Go's `reflect.DeepEqual` over template values, which Sprig's `has`,
/// `uniq` and `without` use: an `int` never equals a `float64`, and `1`
/// never equals `"1"`.
pub(crate) fn go_equal(a: &Value, b: &Value) -> bool {
    match (a.kind(), b.kind()) {
        (ValueKind::Undefined | ValueKind::None, ValueKind::Undefined | ValueKind::None) => true,
        (ValueKind::Number, ValueKind::Number) => a.is_integer() == b.is_integer() && a == b,
        (ValueKind::Seq | ValueKind::Iterable, ValueKind::Seq | ValueKind::Iterable) => {
            match (seq_items(a), seq_items(b)) {
                (Some(x), Some(y)) => {
                    x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| go_equal(p, q))
                }
                _ => false,
            }
        }
        (ValueKind::Map, ValueKind::Map) => match (map_entries(a), map_entries(b)) {
            (Some(x), Some(y)) => {
                x.len() == y.len()
                    && x.iter().all(|(k, v)| {
                        y.iter()
                            .find(|(k2, _)| k2 == k)
                            .is_some_and(|(_, v2)| go_equal(v, v2))
                    })
            }
            _ => false,
        },
        (ka, kb) if ka == kb => a == b,
        _ => false,
    }
}

/// Shared by the function tests: an environment as the renderer sets it up
/// for printing, and a table checker that reports every failing case.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Clock, Rng, gofmt, is_nil, register};
    use minijinja::{Environment, Error};
    use std::sync::Arc;

    /// Every function registered; values printed as Helm prints them (Go's
    /// `%v`, and nothing for a top-level nil, Helm dropping `<no value>`).
    pub(crate) fn env(rng: Arc<Rng>, clock: Arc<Clock>) -> Environment<'static> {
        let mut env = Environment::new();
        register(&mut env, rng, clock);
        env.set_formatter(|out, _state, value| {
            if !is_nil(value) {
                out.write_str(&gofmt::format_value(value))?;
            }
            Ok(())
        });
        env
    }

    /// Renders each template with `render` and compares it with the
    /// expected text; fails once, listing every mismatch.
    pub(crate) fn check_table(
        cases: &[(&str, &str)],
        render: impl Fn(&str) -> Result<String, Error>,
    ) {
        let mut failures = Vec::new();
        for (tpl, want) in cases {
            match render(tpl) {
                Ok(got) if got == *want => {}
                Ok(got) => failures.push(format!("{tpl}\n   want {want:?}\n    got {got:?}")),
                Err(e) => failures.push(format!("{tpl}\n   want {want:?}\n  error {e:#}")),
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
