//! YAML functions: `toYaml`, `toYamlPretty`, `fromYaml`, `fromYamlArray`.

use minijinja::value::Value;
use rudder_values::{Map, Value as V, yaml};

use super::convert::to_values;

/// Helm `toYaml`: YAML as Helm prints it (go-yaml v2: keys sorted, list
/// items not indented under their key, block scalars for multi-line
/// strings), without the final newline. Like Helm, data that cannot be
/// marshalled gives the empty string.
/// `{{ Values.resources | toYaml | nindent(12) }}`
pub fn to_yaml(v: &Value) -> Result<String, minijinja::Error> {
    print_yaml(v, false)
}

/// Helm `toYamlPretty`: go-yaml v3 with a two-space indent (lists indented
/// under their key, no folding of long lines), without the final newline.
/// `{{ Values.config | toYamlPretty }}`
pub fn to_yaml_pretty(v: &Value) -> Result<String, minijinja::Error> {
    print_yaml(v, true)
}

fn print_yaml(v: &Value, pretty: bool) -> Result<String, minijinja::Error> {
    // A part of `Values` (the common `toYaml .Values.x`) prints straight
    // from the tree when the copy `to_values` makes would be the same tree
    // (the emitter orders keys itself): copying a large tree was most of
    // `toYaml .Values` on a 10 MB values file.
    let node = v
        .downcast_object_ref::<super::convert::View>()
        .filter(|view| view.pristine())
        .map(super::convert::View::node)
        .filter(|node| prints_as_is(node, 1));
    let copy;
    let tree = match node {
        Some(node) => node,
        None => {
            copy = super::bounded("toYaml", || to_values(v))?;
            &copy
        }
    };
    let mut out = if pretty {
        yaml::to_string_pretty(tree)
    } else if yaml::helm_marshal_fails(tree) {
        return Ok(String::new());
    } else {
        yaml::to_string(tree)
    };
    if out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// True when [`to_values`](super::convert::to_values) of a view of `node` would copy it unchanged:
/// no floats (which convert through template numbers) and no nesting near
/// the depth bound (which the copy reports).
fn prints_as_is(node: &V, depth: usize) -> bool {
    match node {
        V::Float(_) => false,
        V::Map(m) => {
            depth + 1 < super::MAX_VALUE_DEPTH && m.values().all(|v| prints_as_is(v, depth + 1))
        }
        V::List(l) => {
            depth + 1 < super::MAX_VALUE_DEPTH && l.iter().all(|v| prints_as_is(v, depth + 1))
        }
        V::Null | V::Bool(_) | V::Int(_) | V::UInt(_) | V::String(_) => true,
    }
}

/// Helm `fromYaml`: the first YAML document as a map; on error a map with
/// the message under `Error`, as Helm.
/// `{{ (Files.Get("config.yaml") | fromYaml).port }}`
pub fn from_yaml(text: &str) -> Value {
    match yaml::parse(text, "fromYaml") {
        Ok(V::Map(m)) => super::convert::to_template(&V::Map(m)),
        Ok(V::Null) => super::convert::to_template(&V::Map(Box::new(Map::new()))),
        Ok(other) => error_map(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            go_json_kind(&other)
        )),
        Err(e) => error_map(go_yaml_error(&e)),
    }
}

/// Helm `fromYamlArray`: the first YAML document as a list; on error a list
/// holding the message. `{{ range Values.text | fromYamlArray }}`
pub fn from_yaml_array(text: &str) -> Value {
    match yaml::parse(text, "fromYamlArray") {
        Ok(v @ V::List(_)) => super::convert::to_template(&v),
        Ok(V::Null) => Value::from(Vec::<Value>::new()),
        Ok(other) => Value::from(vec![Value::from(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            go_json_kind(&other)
        ))]),
        Err(e) => Value::from(vec![Value::from(go_yaml_error(&e))]),
    }
}

/// The text Helm's `fromYaml` puts under `Error` for a syntax error:
/// sigs.k8s.io/yaml's "error converting YAML to JSON: " and go-yaml v2's
/// "yaml: line N: PROBLEM", libyaml's problem without its context ("while
/// parsing a node"). go-yaml numbers the line from the problem mark,
/// 0-based for parser errors and 1-based for scanner errors ("while
/// scanning …", a few problems only the scanner reports), and leaves the
/// line out when it is 0.
fn go_yaml_error(e: &rudder_values::Error) -> String {
    let rudder_values::Error::Yaml { line, message, .. } = e else {
        return e.to_string();
    };
    let text = message.split("; fix the YAML").next().unwrap_or(message);
    let (context, problem) = match text.split_once(", ") {
        Some((c, p)) if c.starts_with("while ") => (c, p),
        _ => ("", text),
    };
    // libyaml's words for what rudder's parser says differently.
    let problem = match problem {
        p if p.starts_with("tabs disallowed") || p.starts_with("unexpected character") => {
            "found character that cannot start any token"
        }
        p => p,
    };
    const SCANNER: &[&str] = &[
        "mapping values are not allowed in this context",
        "found character that cannot start any token",
        "found unexpected end of stream",
        "could not find expected ':'",
    ];
    let scanner = context.starts_with("while scanning") || SCANNER.contains(&problem);
    let zero_based = line.saturating_sub(1);
    let go_line = if scanner { *line } else { zero_based };
    let at = if zero_based == 0 {
        String::new()
    } else {
        format!("line {go_line}: ")
    };
    format!("error converting YAML to JSON: yaml: {at}{problem}")
}

fn error_map(msg: String) -> Value {
    Value::from_pairs([("Error", Value::from(msg))])
}

fn go_json_kind(v: &V) -> &'static str {
    match v {
        V::Map(_) => "object",
        V::List(_) => "array",
        V::String(_) => "string",
        V::Bool(_) => "bool",
        V::Null => "null",
        _ => "number",
    }
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_filter("toYaml", |v: Value| to_yaml(&v));
    env.add_function("toYaml", |v: Value| to_yaml(&v));
    // mustToYaml: Helm's panics where toYaml returns "".
    env.add_filter("mustToYaml", |v: Value| {
        let out = to_yaml(&v)?;
        if out.is_empty() && !super::is_nil(&v) && !super::is_empty(&v) {
            return Err(super::fail(
                "mustToYaml: the value cannot be marshalled to YAML",
            ));
        }
        Ok(out)
    });
    env.add_filter("toYamlPretty", |v: Value| to_yaml_pretty(&v));
    env.add_filter("fromYaml", |s: &str| from_yaml(s));
    env.add_function("fromYaml", |s: &str| from_yaml(s));
    env.add_filter("fromYamlArray", |s: &str| from_yaml_array(s));
    env.add_function("fromYamlArray", |s: &str| from_yaml_array(s));
}
