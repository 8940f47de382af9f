//! Functions Helm charts call that the function library does not have yet:
//! Sprig's integer arithmetic and path helpers, registered as Go-order
//! globals only when the environment has no global of that name (the
//! function library's own registration always wins). Sprig converts
//! arithmetic arguments with `cast.ToInt64` (floats truncated, strings
//! parsed, anything else 0) and returns int64.

use minijinja::Environment;
use minijinja::value::{Rest, Value, ValueKind};

use super::go_error;

/// Sprig's `toInt64` (`cast.ToInt64`, errors ignored).
fn to_i64(v: &Value) -> i64 {
    match v.kind() {
        ValueKind::Bool => i64::from(v.is_true()),
        ValueKind::Number if v.is_integer() => i64::try_from(v.clone()).unwrap_or(0),
        ValueKind::Number => f64::try_from(v.clone()).map_or(0, |f| f as i64),
        ValueKind::String => {
            let s = v.as_str().unwrap_or_default();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().map(|f| f as i64))
                .unwrap_or(0)
        }
        _ => 0,
    }
}

fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_owned()
}

/// Go's `path.Clean`.
fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

fn path_dir(p: &str) -> String {
    match p.rfind('/') {
        Some(i) => path_clean(&p[..=i]),
        None => ".".into(),
    }
}

fn path_ext(p: &str) -> String {
    let base_start = p.rfind('/').map_or(0, |i| i + 1);
    match p[base_start..].rfind('.') {
        Some(i) => p[base_start + i..].to_owned(),
        None => String::new(),
    }
}

/// Registers each fallback not already a global of `env`.
pub(super) fn register(env: &mut Environment<'_>) {
    let have: std::collections::HashSet<String> =
        env.globals().map(|(n, _)| n.to_owned()).collect();
    let mut add = |name: &str, f: Value| {
        if !have.contains(name) {
            env.add_global(name.to_owned(), f);
        }
    };
    add(
        "add",
        Value::from_function(|xs: Rest<Value>| xs.iter().map(to_i64).fold(0i64, i64::wrapping_add)),
    );
    add(
        "add1",
        Value::from_function(|x: Value| to_i64(&x).wrapping_add(1)),
    );
    add(
        "sub",
        Value::from_function(|a: Value, b: Value| to_i64(&a).wrapping_sub(to_i64(&b))),
    );
    add(
        "mul",
        Value::from_function(|a: Value, xs: Rest<Value>| {
            xs.iter()
                .fold(to_i64(&a), |acc, x| acc.wrapping_mul(to_i64(x)))
        }),
    );
    add(
        "div",
        Value::from_function(|a: Value, b: Value| -> Result<i64, minijinja::Error> {
            let d = to_i64(&b);
            if d == 0 {
                return Err(go_error("runtime error: integer divide by zero"));
            }
            Ok(to_i64(&a).wrapping_div(d))
        }),
    );
    add(
        "mod",
        Value::from_function(|a: Value, b: Value| -> Result<i64, minijinja::Error> {
            let d = to_i64(&b);
            if d == 0 {
                return Err(go_error("runtime error: integer divide by zero"));
            }
            Ok(to_i64(&a).wrapping_rem(d))
        }),
    );
    let max = |a: Value, xs: Rest<Value>| xs.iter().map(to_i64).fold(to_i64(&a), i64::max);
    add("max", Value::from_function(max));
    add("biggest", Value::from_function(max));
    add(
        "min",
        Value::from_function(|a: Value, xs: Rest<Value>| {
            xs.iter().map(to_i64).fold(to_i64(&a), i64::min)
        }),
    );
    add(
        "tuple",
        Value::from_function(|xs: Rest<Value>| Value::from(xs.0)),
    );
    add("base", Value::from_function(|p: String| path_base(&p)));
    add("dir", Value::from_function(|p: String| path_dir(&p)));
    add("clean", Value::from_function(|p: String| path_clean(&p)));
    add("ext", Value::from_function(|p: String| path_ext(&p)));
    add(
        "isAbs",
        Value::from_function(|p: String| p.starts_with('/')),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_go() {
        assert_eq!(path_base("a/b/c.yaml"), "c.yaml");
        assert_eq!(path_base("a/b/"), "b");
        assert_eq!(path_dir("a/b/c.yaml"), "a/b");
        assert_eq!(path_dir("c.yaml"), ".");
        assert_eq!(path_clean("a//b/../c/."), "a/c");
        assert_eq!(path_ext("x/y.tar.gz"), ".gz");
    }

    #[test]
    fn integers_cast_as_sprig_does() {
        assert_eq!(to_i64(&Value::from(2.9)), 2);
        assert_eq!(to_i64(&Value::from("12")), 12);
        assert_eq!(to_i64(&Value::from(())), 0);
    }
}
