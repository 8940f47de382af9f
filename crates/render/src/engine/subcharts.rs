//! `.Subcharts`: each enabled subchart's own top-level object, by name
//! (Helm's `recAllTpls`, `pkg/engine/engine.go`), so a parent can call a
//! subchart's named templates with the subchart's dot:
//! `include "sub.fullname" (index .Subcharts "sub")`.
//!
//! Helm shares one mutable map per chart as the dot of all its files and
//! sets its `Template` key before executing each of them (deepest path
//! first, then in reverse lexical order). A subchart's `Template`, seen from
//! the file being rendered, is therefore the last of the subchart's own
//! files executed before it, and absent when none was. The objects here are
//! built when a template reads them, with that `Template`.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value, ValueKind};

use super::{objects, scope};
use crate::chart::Chart;

/// A subchart as its parent sees it.
#[derive(Debug)]
pub(crate) struct Sub {
    name: String,
    values: Value,
    chart: Value,
    files: Value,
    base: String,
    /// Its renderable files' Helm paths (partials and library charts'
    /// files never set `Template`).
    files_rendered: Vec<String>,
    subs: Arc<[Sub]>,
}

/// The `Subcharts` map of one chart's dot while `current` renders.
#[derive(Debug)]
pub(crate) struct Subcharts {
    subs: Arc<[Sub]>,
    release: Value,
    capabilities: Value,
    current: Arc<str>,
}

/// The enabled subcharts of `chart` (at Helm path `path`, with `.Values`
/// `values`), ready to answer for any file.
pub(crate) fn tree(chart: &Chart, path: &str, values: &Value) -> Arc<[Sub]> {
    chart
        .dependencies
        .iter()
        .map(|sub| {
            let sub_path = format!("{path}/charts/{}", sub.name());
            let values = sub_values(values, sub.name());
            let library = sub.metadata.kind.as_deref() == Some("library");
            let files_rendered = sub
                .templates
                .iter()
                .filter(|_| !library)
                .map(|f| format!("{sub_path}/{}", f.name))
                .filter(|n| !n.rsplit('/').next().is_some_and(|b| b.starts_with('_')))
                .collect();
            Sub {
                name: sub.name().to_owned(),
                chart: objects::chart(sub, false),
                files: Value::from_object(objects::Files(sub.files.clone())),
                base: format!("{sub_path}/templates"),
                subs: tree(sub, &sub_path, &values),
                values,
                files_rendered,
            }
        })
        .collect()
}

/// A subchart's part of its parent's `.Values` (Helm: `Values.NAME` when it
/// is a map, else an empty map).
pub(crate) fn sub_values(values: &Value, name: &str) -> Value {
    match values.get_attr(name) {
        Ok(v) if v.kind() == ValueKind::Map => v,
        _ => Value::from_pairs(std::iter::empty::<(String, Value)>()),
    }
}

/// The `Subcharts` value for `subs` while file `current` renders.
pub(crate) fn value(
    subs: &Arc<[Sub]>,
    release: &Value,
    capabilities: &Value,
    current: &str,
) -> Value {
    Value::from_object(Subcharts {
        subs: subs.clone(),
        release: release.clone(),
        capabilities: capabilities.clone(),
        current: Arc::from(current),
    })
}

/// Helm's execution order puts `a` before `b`: more `/` first, then the
/// larger name (`sortTemplates` over `byPathLen`, reversed).
fn runs_before(a: &str, b: &str) -> bool {
    let (da, db) = (a.matches('/').count(), b.matches('/').count());
    da > db || (da == db && a > b)
}

impl Subcharts {
    fn root(&self, sub: &Sub) -> Value {
        // The last of the subchart's files run before the current one: of
        // those run before, the one run latest (fewest `/`, smallest name).
        let last = sub
            .files_rendered
            .iter()
            .filter(|f| runs_before(f, &self.current))
            .min_by(|a, b| (a.matches('/').count(), *a).cmp(&(b.matches('/').count(), *b)));
        Value::from_object(scope::Root {
            values: sub.values.clone(),
            release: self.release.clone(),
            chart: sub.chart.clone(),
            capabilities: self.capabilities.clone(),
            template: last.map_or(Value::UNDEFINED, |f| objects::template(f, &sub.base)),
            files: sub.files.clone(),
            subcharts: value(&sub.subs, &self.release, &self.capabilities, &self.current),
        })
    }
}

impl Object for Subcharts {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        self.subs
            .iter()
            .find(|s| s.name == key)
            .map(|s| self.root(s))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // Go prints and ranges over map keys sorted.
        let mut names: Vec<Value> = self
            .subs
            .iter()
            .map(|s| Value::from(s.name.as_str()))
            .collect();
        names.sort();
        Enumerator::Values(names)
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.subs.len())
    }
}

#[cfg(test)]
mod tests {
    use super::runs_before;

    #[test]
    fn helm_runs_deeper_paths_first_then_larger_names() {
        assert!(runs_before(
            "p/charts/s/templates/a.yaml",
            "p/templates/z.yaml"
        ));
        assert!(runs_before("p/templates/b.yaml", "p/templates/a.yaml"));
        assert!(!runs_before("p/templates/a.yaml", "p/templates/a.yaml"));
        assert!(runs_before(
            "p/templates/x/y/z/w.yaml",
            "p/charts/s/templates/a.yaml"
        ));
    }
}
