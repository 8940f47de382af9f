//! `Values` as templates see it: a view over the coalesced values tree.
//!
//! Converting a whole values tree into template values costs a copy of it
//! (and a sort of every map) on every render, even when templates read three
//! keys of a 10 MB file. A view shares the tree (`Arc`) and converts only
//! what a template touches: scalars on access, maps and lists as further
//! views. Maps enumerate their keys in sorted order, because Go templates
//! `range` over maps by key.
//!
//! Helm's `Values` maps are Go maps that templates may change
//! (`{{ $_ := set .Values.server "enabled" true }}`, seen by every later
//! read in the render). The tree stays as it is: a map's first change
//! turns it into a [`Dict`] holding its entries (the entries views as
//! before), kept for the render under the map's path, and every view of
//! that path reads the `Dict` from then on.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use minijinja::value::{Enumerator, Object, ObjectRepr, Value, ValueKind};
use rudder_values::{Map, Value as V};

use super::dicts::Dict;

/// One step from a node to a child: the position of a map entry or a list
/// item. The tree never changes while views of it exist, so positions stay
/// valid, and walking a path needs no key hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Step {
    Entry(usize),
    Index(usize),
}

/// A map or list inside a shared values tree.
#[derive(Debug)]
pub(crate) struct View {
    root: Arc<V>,
    path: Vec<Step>,
    changed: Arc<Changed>,
}

/// The maps of one tree that templates changed, by path: shared by every
/// view of the tree.
#[derive(Debug, Default)]
struct Changed {
    any: AtomicBool,
    maps: Mutex<HashMap<Vec<Step>, Arc<Dict>>>,
}

impl Changed {
    fn maps(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<Step>, Arc<Dict>>> {
        // A poisoned lock only means another thread panicked mid-insert;
        // the map is still valid.
        self.maps.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The template value of a scalar; `None` for a map or list.
fn scalar(v: &V) -> Option<Value> {
    Some(match v {
        V::Null => Value::from(()),
        V::Bool(b) => Value::from(*b),
        V::Int(i) => Value::from(*i),
        V::UInt(u) => Value::from(*u),
        V::Float(f) => Value::from(*f),
        V::String(s) => Value::from(s.as_str()),
        V::Map(_) | V::List(_) => return None,
    })
}

/// A template value for `v`, found at `path` below `root`.
fn value_at(root: &Arc<V>, changed: &Arc<Changed>, path: Vec<Step>, v: &V) -> Value {
    scalar(v).unwrap_or_else(|| {
        Value::from_object(View {
            root: root.clone(),
            path,
            changed: changed.clone(),
        })
    })
}

/// The template value of a whole tree (`Values` of one chart).
pub(crate) fn values(root: Arc<V>) -> Value {
    let r = root.clone();
    value_at(&r, &Arc::default(), Vec::new(), &root)
}

/// What [`to_values`] makes of a view of `node`, read
/// from the tree instead of through a template value per node (`toYaml` of
/// a part of `Values` is common): maps in key order, numbers as the
/// template values would convert, the same depth bound.
pub(crate) fn tree_values(node: &V) -> V {
    match node {
        V::UInt(u) => return to_values(&Value::from(*u)),
        V::Float(f) => return to_values(&Value::from(*f)),
        _ => {}
    }
    let Some(_nest) = super::Nest::enter() else {
        return V::Null;
    };
    match node {
        V::Map(m) => {
            let mut entries: Vec<(&String, &V)> = m.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            V::from(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), tree_values(v)))
                    .collect::<rudder_values::Map>(),
            )
        }
        V::List(l) => V::List(l.iter().map(tree_values).collect()),
        other => other.clone(),
    }
}

impl View {
    /// Whether no map of the tree has changed: then the tree is what the
    /// templates see, and readers may use [`View::node`] directly.
    pub(crate) fn pristine(&self) -> bool {
        !self.changed.any.load(Ordering::Acquire)
    }

    /// The `Dict` this view's map became, if it changed.
    fn changed_map(&self) -> Option<Arc<Dict>> {
        if self.pristine() {
            return None;
        }
        self.changed.maps().get(&self.path).cloned()
    }

    /// Whether the number `v`, read under `key`, is the tree's (which Go
    /// templates read as a float64, see `gotmpl::from_values`) rather than
    /// one a template set: always in a map no template changed, else when
    /// the tree holds that number under that key.
    pub(crate) fn holds_tree_number(&self, key: &Value, v: &Value) -> bool {
        if self.changed_map().is_none() {
            return true;
        }
        let (V::Map(m), Some(key)) = (self.node(), key.as_str()) else {
            return true;
        };
        match m.get(key) {
            Some(V::Int(i)) => v.as_i64() == Some(*i),
            Some(V::UInt(u)) => u64::try_from(v.clone()).ok() == Some(*u),
            _ => false,
        }
    }

    /// The `Dict` a change to this map goes into (made on the first
    /// change, from the map's entries); `None` for a list.
    pub(crate) fn promote(&self) -> Option<Arc<Dict>> {
        let V::Map(m) = self.node() else {
            return None;
        };
        let mut maps = self.changed.maps();
        if let Some(d) = maps.get(&self.path) {
            return Some(d.clone());
        }
        let d = Arc::new(Dict::new(
            m.iter()
                .enumerate()
                .map(|(i, (k, v))| (k.clone(), self.child(Step::Entry(i), v))),
        ));
        maps.insert(self.path.clone(), d.clone());
        self.changed.any.store(true, Ordering::Release);
        Some(d)
    }

    /// The node this view stands for.
    pub(crate) fn node(&self) -> &V {
        let mut cur: &V = &self.root;
        for step in &self.path {
            let next = match (cur, step) {
                (V::Map(m), Step::Entry(i)) => m.get_index(*i).map(|(_, v)| v),
                (V::List(l), Step::Index(i)) => l.get(*i),
                _ => None,
            };
            // Paths are built from the tree itself, so a step always exists.
            match next {
                Some(n) => cur = n,
                None => return &V::Null,
            }
        }
        cur
    }

    fn child(&self, step: Step, v: &V) -> Value {
        let mut path = self.path.clone();
        path.push(step);
        value_at(&self.root, &self.changed, path, v)
    }

    fn sorted_keys(&self) -> Vec<&str> {
        match self.node() {
            V::Map(m) => {
                let mut keys: Vec<&str> = m.keys().map(String::as_str).collect();
                keys.sort_unstable();
                keys
            }
            _ => Vec::new(),
        }
    }
}

impl Object for View {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        match self.node() {
            V::List(_) => ObjectRepr::Seq,
            _ => ObjectRepr::Map,
        }
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        if let Some(d) = self.changed_map() {
            return d.get(key.as_str()?);
        }
        match self.node() {
            V::Map(m) => {
                let (i, _, v) = m.get_full(key.as_str()?)?;
                Some(self.child(Step::Entry(i), v))
            }
            V::List(l) => {
                let i = key.as_i64().and_then(|i| {
                    // Negative indexes count from the end, as in Jinja.
                    if i < 0 {
                        l.len().checked_sub(i.unsigned_abs() as usize)
                    } else {
                        usize::try_from(i).ok()
                    }
                })?;
                Some(self.child(Step::Index(i), l.get(i)?))
            }
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        if let Some(d) = self.changed_map() {
            return Enumerator::Values(
                d.entries()
                    .into_iter()
                    .map(|(k, _)| Value::from(k))
                    .collect(),
            );
        }
        match self.node() {
            V::List(l) => Enumerator::Seq(l.len()),
            V::Map(_) => {
                Enumerator::Values(self.sorted_keys().into_iter().map(Value::from).collect())
            }
            _ => Enumerator::Empty,
        }
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        if let Some(d) = self.changed_map() {
            return Some(d.len());
        }
        match self.node() {
            V::List(l) => Some(l.len()),
            V::Map(m) => Some(m.len()),
            _ => Some(0),
        }
    }

    fn is_true(self: &Arc<Self>) -> bool {
        self.enumerator_len().is_some_and(|n| n > 0)
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::funcs::gofmt::format_value(&Value::from_dyn_object(
            self.clone(),
        )))
    }
}

/// Converts a values tree for templates (what `fromYaml` returns): every
/// map a [`Dict`], because Go's are `map[string]interface{}` that `set`
/// and the merges change in place, and iterated by key as Go templates
/// `range` over maps.
pub(crate) fn to_template(v: &V) -> Value {
    match v {
        V::Map(m) => Dict::from_entries(m.iter().map(|(k, v)| (k.clone(), to_template(v)))),
        V::List(l) => Value::from(l.iter().map(to_template).collect::<Vec<_>>()),
        other => scalar(other).unwrap_or_default(),
    }
}

/// A template value as a values tree (for emitters). Undefined is null;
/// objects that are maps or lists convert by iteration; anything else
/// becomes its text.
pub fn to_values(v: &Value) -> V {
    match v.downcast_object_ref::<View>() {
        Some(view) if view.pristine() => tree_values(view.node()),
        _ => to_values_by_iteration(v),
    }
}

/// [`to_values`] through the template value's own iteration.
pub(crate) fn to_values_by_iteration(v: &Value) -> V {
    let Some(_nest) = super::Nest::enter() else {
        return V::Null;
    };
    match v.kind() {
        ValueKind::Undefined | ValueKind::None => V::Null,
        ValueKind::Bool => V::Bool(v.is_true()),
        // An integral float stays a float (minijinja would convert 1e8 to
        // an integer): `toYaml` prints both alike, `toYamlPretty` (go-yaml
        // v3 on Go's float64) prints `1e+08`.
        ValueKind::Number if !v.is_integer() => {
            V::Float(f64::try_from(v.clone()).unwrap_or(f64::NAN))
        }
        ValueKind::Number => {
            if let Ok(i) = i64::try_from(v.clone()) {
                V::Int(i)
            } else if let Ok(u) = u64::try_from(v.clone()) {
                V::UInt(u)
            } else {
                V::Float(f64::try_from(v.clone()).unwrap_or(f64::NAN))
            }
        }
        ValueKind::String => V::String(v.as_str().unwrap_or_default().to_owned()),
        ValueKind::Bytes => {
            V::String(String::from_utf8_lossy(v.as_bytes().unwrap_or_default()).into_owned())
        }
        ValueKind::Seq | ValueKind::Iterable => V::List(
            v.try_iter()
                .map(|it| it.map(|x| to_values(&x)).collect())
                .unwrap_or_default(),
        ),
        ValueKind::Map => {
            let mut m = Map::new();
            if let Ok(keys) = v.try_iter() {
                for k in keys {
                    let item = v.get_item(&k).unwrap_or_default();
                    let key = k
                        .as_str()
                        .map_or_else(|| super::gofmt::format_value(&k), str::to_owned);
                    m.insert(key, to_values(&item));
                }
            }
            V::Map(Box::new(m))
        }
        _ => V::String(v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::{Environment, context};

    fn tree() -> Value {
        let v: V = serde_json::from_str(
            r#"{"b": {"y": [1, {"z": true}], "x": "s"}, "a": null, "n": 1.5}"#,
        )
        .unwrap();
        values(Arc::new(v))
    }

    /// Converting a view straight from the tree gives what converting it
    /// through template values gives, at every node.
    #[test]
    fn tree_values_convert_like_template_values() {
        let v: V = serde_json::from_str(
            r#"{"z": {"b": [1, 2.0, -0.0, 2.5, 1e19, 9223372036854775808.0, 18446744073709551615],
                      "a": null, "c": "s", "é": true, "B": {}},
                "a": [[], [{"y": 1, "x": [0.1]}]], "m": -3,
                "w": {"k": [1, "s", null, true, 18446744073709551615, {"q": "r r", "p": "l\n"}]}}"#,
        )
        .unwrap();
        fn walk(root: &Arc<V>, path: Vec<Step>, node: &V) {
            let view = value_at(root, &Arc::default(), path.clone(), node);
            if view.downcast_object_ref::<View>().is_some() {
                let fast = tree_values(node);
                let slow = to_values_by_iteration(&view);
                assert_eq!(fast, slow, "{path:?}");
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
                // `toYaml` prints float-free views straight from the tree.
                let mut want = rudder_values::yaml::to_string(&slow);
                want.pop();
                assert_eq!(
                    crate::funcs::yaml::to_yaml(&view).unwrap(),
                    want,
                    "{path:?}"
                );
            }
            let children: Vec<(Step, &V)> = match node {
                V::Map(m) => m
                    .values()
                    .enumerate()
                    .map(|(i, c)| (Step::Entry(i), c))
                    .collect(),
                V::List(l) => l
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (Step::Index(i), c))
                    .collect(),
                _ => Vec::new(),
            };
            for (step, child) in children {
                let mut p = path.clone();
                p.push(step);
                walk(root, p, child);
            }
        }
        let Some(V::List(numbers)) = v.get_path(["z", "b"]) else {
            panic!("a list")
        };
        assert!(matches!(numbers[1], V::Float(_)) && matches!(numbers[6], V::UInt(_)));
        let root = Arc::new(v);
        walk(&root, Vec::new(), &root);
    }

    #[test]
    fn reads_like_the_converted_tree_with_sorted_maps() {
        let env = Environment::new();
        let r = |t: &str| env.render_str(t, context! { Values => tree() }).unwrap();
        assert_eq!(
            r("{{ Values.b.x }}|{{ Values.b.y[0] }}|{{ Values.b.y[1].z | tojson }}|{{ Values.n }}"),
            "s|1|true|1.5"
        );
        assert_eq!(r("{% for k in Values %}{{ k }},{% endfor %}"), "a,b,n,");
        assert_eq!(
            r("{% for k, v in Values.b | items %}{{ k }}{% endfor %}"),
            "xy"
        );
        assert_eq!(
            r(
                "{{ Values.b.y | length }}|{{ Values.b.y[-1].z | tojson }}|{{ (Values.missing is undefined) | tojson }}"
            ),
            "2|true|true"
        );
        assert_eq!(
            r("{{ Values | tojson }}"),
            r#"{"a": null, "b": {"x": "s", "y": [1, {"z": true}]}, "n": 1.5}"#
        );
        assert_eq!(
            r("{% if Values.b %}yes{% endif %}{% if Values.a %}no{% endif %}"),
            "yes"
        );
    }

    /// A change to a map of the tree is seen through every view of that
    /// map, by iteration and by the printers; other maps stay the tree's.
    #[test]
    fn a_changed_map_is_seen_through_every_view_of_it() {
        let values = tree();
        let first = values.get_attr("b").unwrap();
        assert!(first.downcast_object_ref::<View>().unwrap().pristine());
        let d = first
            .downcast_object_ref::<View>()
            .unwrap()
            .promote()
            .unwrap();
        d.insert("w".to_owned(), Value::from(2));
        d.remove("x");
        let again = values.get_attr("b").unwrap();
        assert_eq!(again.get_attr("w").unwrap(), Value::from(2));
        assert!(again.get_attr("x").unwrap().is_undefined());
        let keys: Vec<String> = again.try_iter().unwrap().map(|k| k.to_string()).collect();
        assert_eq!(keys, ["w", "y"]);
        assert_eq!(
            crate::funcs::yaml::to_yaml(&values).unwrap(),
            "a: null\nb:\n  w: 2\n  \"y\":\n  - 1\n  - z: true\n\"n\": 1.5"
        );
        // The list under the changed map is still a view of the tree.
        assert!(
            again
                .get_attr("y")
                .unwrap()
                .downcast_object_ref::<View>()
                .is_some()
        );
    }
}
