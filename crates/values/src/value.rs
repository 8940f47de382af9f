//! The values tree: what `.Values` holds.
//!
//! Helm decodes values into `map[string]interface{}` through JSON, so every
//! number from a values file becomes a float64 and maps lose their order.
//! rudder keeps integers exact (`Int`/`UInt`) and maps in insertion order
//! (`IndexMap`); emitters that must match Helm's bytes (`toYaml`, `toJson`,
//! `rudder values`) sort keys the way Go does.

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// An ordered map of values, as a YAML mapping or a JSON object.
pub type Map = IndexMap<String, Value>;

/// One node of a values tree.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    /// YAML `null`/`~`/empty, JSON `null`, `--set a=null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer; every integer that fits in an `i64`.
    Int(i64),
    /// An unsigned integer above `i64::MAX`.
    UInt(u64),
    /// A floating point number.
    Float(f64),
    /// A string.
    String(String),
    /// A list.
    List(Vec<Value>),
    /// A map with string keys (Helm turns every key into a string).
    /// Boxed: a map's header is larger than every other variant, and a
    /// values tree is mostly leaves; boxing it makes a `Value` 32 bytes
    /// instead of 72 and a large values tree about a fifth smaller.
    Map(Box<Map>),
}

impl Value {
    /// Helm's name for this value's kind, as `kindOf` prints it.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::UInt(_) => "int",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// True for `Value::Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The map inside, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The map inside, mutably, if this is a map.
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Looks up a dotted path of map keys (`"argo-cd.server.replicas"`).
    ///
    /// Keys containing dots cannot be reached this way; use [`Value::get_path`].
    pub fn lookup(&self, dotted: &str) -> Option<&Value> {
        self.get_path(dotted.split('.'))
    }

    /// Looks up a path of map keys.
    pub fn get_path<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Option<&Value> {
        let mut cur = self;
        for key in path {
            cur = cur.as_map()?.get(key)?;
        }
        Some(cur)
    }

    /// Converts to a `serde_json::Value`, keeping map order.
    ///
    /// Non-finite floats have no JSON form and become `null`, as in
    /// `serde_json`; Helm's `toJson` fails on them instead.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => (*i).into(),
            Value::UInt(u) => (*u).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(l) => serde_json::Value::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    /// A copy whose maps, at every depth, are sorted by key as Go sorts
    /// map keys when it prints them (byte order).
    pub fn sorted(&self) -> Value {
        match self {
            Value::List(l) => Value::List(l.iter().map(Value::sorted).collect()),
            Value::Map(m) => {
                let mut out: Map = m.iter().map(|(k, v)| (k.clone(), v.sorted())).collect();
                out.sort_unstable_keys();
                Value::Map(Box::new(out))
            }
            other => other.clone(),
        }
    }

    /// Sorts maps by key at every depth, in place (see [`Value::sorted`]).
    pub fn sort_keys(&mut self) {
        match self {
            Value::List(l) => l.iter_mut().for_each(Value::sort_keys),
            Value::Map(m) => {
                m.sort_unstable_keys();
                m.values_mut().for_each(Value::sort_keys);
            }
            _ => {}
        }
    }
}

impl From<serde_json::Value> for Value {
    fn from(json: serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Value::UInt(u)
                } else {
                    Value::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::List(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => Value::Map(Box::new(
                o.into_iter().map(|(k, v)| (k, Value::from(v))).collect(),
            )),
        }
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Self {
        Value::Map(Box::new(map))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::UInt(u) => s.serialize_u64(*u),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(v) => s.serialize_str(v),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for v in l {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m.iter() {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a values tree")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(i64::try_from(u).map_or(Value::UInt(u), Value::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            out.insert(k, v);
        }
        Ok(Value::Map(Box::new(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_exact_integers_and_order() {
        let json: serde_json::Value =
            serde_json::from_str(r#"{"z":18446744073709551615,"a":-9223372036854775808,"f":1.5}"#)
                .unwrap();
        let v = Value::from(json.clone());
        assert_eq!(v.lookup("z"), Some(&Value::UInt(u64::MAX)));
        assert_eq!(v.lookup("a"), Some(&Value::Int(i64::MIN)));
        assert_eq!(v.to_json(), json);
        let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a", "f"]);
    }

    #[test]
    fn sorted_orders_keys_bytewise_at_every_depth() {
        let v = Value::from(serde_json::json!({"b": {"y": 1, "X": 2}, "B": [{"d": 1, "c": 2}]}));
        assert_eq!(
            serde_json::to_string(&v.sorted()).unwrap(),
            r#"{"B":[{"c":2,"d":1}],"b":{"X":2,"y":1}}"#
        );
    }

    #[test]
    fn serde_deserialize_maps_u64_into_int_when_it_fits() {
        let v: Value = serde_json::from_str("[1, 9223372036854775808]").unwrap();
        assert_eq!(
            v,
            Value::List(vec![Value::Int(1), Value::UInt(9223372036854775808)])
        );
    }
}
