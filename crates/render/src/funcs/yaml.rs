//! YAML functions: `toYaml`, `fromYaml`, `fromYamlArray`.

use minijinja::Environment;
use minijinja::value::Value;
use rudder_values::{Map, Value as V, yaml};

use super::convert::to_values;

/// Helm `toYaml`: YAML as Helm prints it (go-yaml v2: keys sorted, list
/// items not indented under their key, block scalars for multi-line
/// strings), without the final newline. Like Helm, data that cannot be
/// marshalled gives the empty string.
/// `{{ Values.resources | toYaml | nindent(12) }}`
pub fn to_yaml(v: &Value) -> Result<String, minijinja::Error> {
    // A part of `Values` (the common `toYaml .Values.x`) prints straight
    // from the tree when the copy `to_values` makes would be the same tree
    // (the emitter orders keys itself): copying a large tree was most of
    // `toYaml .Values` on a 10 MB values file.
    let node = v
        .downcast_object_ref::<super::convert::View>()
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
    if yaml::helm_marshal_fails(tree) {
        return Ok(String::new());
    }
    let mut out = yaml::to_string(tree);
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
            "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            go_json_kind(&other)
        )),
        Err(e) => error_map(e.to_string()),
    }
}

/// Helm `fromYamlArray`: the first YAML document as a list; on error a list
/// holding the message. `{{ range Values.text | fromYamlArray }}`
pub fn from_yaml_array(text: &str) -> Value {
    match yaml::parse(text, "fromYamlArray") {
        Ok(v @ V::List(_)) => super::convert::to_template(&v),
        Ok(V::Null) => Value::from(Vec::<Value>::new()),
        Ok(other) => Value::from(vec![Value::from(format!(
            "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            go_json_kind(&other)
        ))]),
        Err(e) => Value::from(vec![Value::from(e.to_string())]),
    }
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

pub(crate) fn register(env: &mut Environment<'_>) {
    env.add_filter("toYaml", |v: Value| to_yaml(&v));
    env.add_function("toYaml", |v: Value| to_yaml(&v));
    env.add_filter("fromYaml", |s: &str| from_yaml(s));
    env.add_function("fromYaml", |s: &str| from_yaml(s));
    env.add_filter("fromYamlArray", |s: &str| from_yaml_array(s));
    env.add_function("fromYamlArray", |s: &str| from_yaml_array(s));
}
