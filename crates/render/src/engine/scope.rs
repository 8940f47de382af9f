//! The names a template sees: `ctx` (Helm's dot) and, when it is a map,
//! its keys; and the root object of a template file.
//!
//! Every template and every `include` builds one of these, and every name a
//! template uses (functions included, before minijinja falls back to its
//! globals) is looked up in it. They used to be `context! { ctx => v, ..v }`
//! (a merge of two maps) and a six-entry map: these objects answer the same
//! lookups with a string match and no hashing.

use std::collections::BTreeSet;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value, ValueKind};

/// `ctx` is the value; its keys are names too when it is a map (the value's
/// own `ctx` key, if any, does not hide it).
#[derive(Debug)]
pub(crate) struct Scope(pub(crate) Value);

impl Scope {
    fn merged(&self) -> bool {
        self.0.kind() == ValueKind::Map
    }
}

impl Object for Scope {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        if key.as_str() == Some("ctx") {
            return Some(self.0.clone());
        }
        if !self.merged() {
            return None;
        }
        self.0.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        if key == "ctx" {
            return Some(self.0.clone());
        }
        if !self.merged() {
            return None;
        }
        self.0.get_attr(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // As minijinja's merged maps: every key once, sorted.
        let mut keys = BTreeSet::from([Value::from("ctx")]);
        if self.merged()
            && let Ok(iter) = self.0.try_iter()
        {
            keys.extend(iter);
        }
        Enumerator::Iter(Box::new(keys.into_iter()))
    }
}

/// The root object of a template file (`ctx` at the top): `Values`,
/// `Release`, `Chart`, `Capabilities`, `Template`, `Files`, `Subcharts`, in
/// that order. `Template` is undefined in a subchart's object before any of
/// its files ran (Helm's map has no such key then).
#[derive(Debug)]
pub(crate) struct Root {
    pub(crate) values: Value,
    pub(crate) release: Value,
    pub(crate) chart: Value,
    pub(crate) capabilities: Value,
    pub(crate) template: Value,
    pub(crate) files: Value,
    pub(crate) subcharts: Value,
}

const ROOT_KEYS: &[&str] = &[
    "Values",
    "Release",
    "Chart",
    "Capabilities",
    "Template",
    "Files",
    "Subcharts",
];

impl Object for Root {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        Some(
            match key {
                "Values" => &self.values,
                "Release" => &self.release,
                "Chart" => &self.chart,
                "Capabilities" => &self.capabilities,
                "Template" => &self.template,
                "Files" => &self.files,
                "Subcharts" => &self.subcharts,
                _ => return None,
            }
            .clone(),
        )
        .filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(ROOT_KEYS)
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(ROOT_KEYS.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::{Environment, context};

    /// The objects read exactly like the maps they replace.
    #[test]
    fn scope_and_root_read_like_merged_maps() {
        let env = Environment::new();
        let pairs = || {
            [
                ("Values", context! { a => 1 }),
                ("Release", Value::from("r")),
                ("Chart", Value::from(true)),
                ("Capabilities", Value::from(())),
                ("Template", Value::from(vec![1, 2])),
                ("Files", Value::from(2.5)),
                ("Subcharts", context! {}),
            ]
        };
        let map = Value::from_pairs(pairs());
        let [v, r, c, k, t, f, s] = pairs().map(|(_, v)| v);
        let root = Value::from_object(Root {
            values: v,
            release: r,
            chart: c,
            capabilities: k,
            template: t,
            files: f,
            subcharts: s,
        });
        let dict_with_ctx = Value::from_pairs([("ctx", 5), ("b", 2)]);
        let templates = [
            "{{ ctx | tojson }}|{{ Values.a }}|{{ Release }}|{{ Chart }}|{{ Capabilities }}",
            "{{ Template }}|{{ Files }}|{{ missing is undefined }}|{{ ctx | length }}",
            "{% for k in ctx %}{{ k }},{% endfor %}|{{ ctx.Values.a }}|{{ b is defined }}",
        ];
        for t in templates {
            let merged = env.render_str(t, context! { ctx => map.clone(), ..map.clone() });
            let scoped = env.render_str(t, Value::from_object(Scope(root.clone())));
            assert_eq!(
                scoped.map_err(|e| e.to_string()),
                merged.map_err(|e| e.to_string())
            );
        }
        for ctx in [
            dict_with_ctx,
            Value::from("s"),
            Value::from(vec![1]),
            Value::from(()),
        ] {
            let t = "{{ ctx }}|{{ b }}|{{ ctx is mapping }}";
            let merged = if ctx.kind() == ValueKind::Map {
                env.render_str(t, context! { ctx => ctx.clone(), ..ctx.clone() })
            } else {
                env.render_str(t, context! { ctx => ctx.clone() })
            };
            let scoped = env.render_str(t, Value::from_object(Scope(ctx.clone())));
            assert_eq!(
                scoped.map_err(|e| e.to_string()),
                merged.map_err(|e| e.to_string())
            );
        }
    }
}
