//! A chart's `.Values`: user values coalesced with chart and subchart
//! defaults, exactly as `helm template` computes them.
//!
//! Helm does this in three passes, all reproduced here on a copy of the
//! chart (cheap: the chart's files are shared):
//! 1. `processDependencyEnabled`: resolve aliases, then drop subcharts
//!    disabled by `tags` or `condition` (evaluated against the coalesced
//!    values, parents first).
//! 2. `processDependencyImportValues`: for every chart that lists
//!    dependencies, replace its defaults with the *merged* tree of itself and
//!    its subcharts (nulls kept), plus `import-values`. This is why
//!    `--set sub=null` resets a subchart to its defaults.
//! 3. `CoalesceValues`: user values over chart defaults, subcharts under
//!    their key, `global` copied down (the parent's globals win).

use rudder_values::merge::{coalesce_tables, join_path};
use rudder_values::{Map, Value};

use crate::chart::{Chart, Dependency, ImportValue};

pub(crate) mod unknown;
use crate::{Error, Result};

const GLOBAL: &str = "global";

/// The values a chart's templates see, and the chart as Helm renders it
/// (aliases applied, disabled subcharts removed).
#[derive(Debug, Clone)]
pub struct ChartValues {
    /// `.Values` of the top chart.
    pub values: Map,
    /// The chart after dependency processing.
    pub chart: Chart,
    /// Helm's coalescing warnings (kind conflicts, non-bool conditions).
    pub warnings: Vec<String>,
}

/// Computes the top chart's `.Values` from the user's values.
pub fn chart_values(chart: &Chart, user: Map) -> Result<ChartValues> {
    let mut chart = chart.clone();
    let mut warnings = Vec::new();
    check_dependencies(&chart)?;
    process_enabled(&mut chart, &user, "", &mut warnings)?;
    process_imports(&mut chart, &mut warnings)?;
    let values = coalesce_chart(&chart, user, false, &mut warnings)?;
    Ok(ChartValues {
        values,
        chart,
        warnings,
    })
}

/// Helm's `CheckDependencies`: every dependency in Chart.yaml must be in
/// `charts/`.
fn check_dependencies(chart: &Chart) -> Result<()> {
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .flatten()
        .filter(|d| !chart.dependencies.iter().any(|c| c.name() == d.name))
        .map(|d| d.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::chart(
        format!("{}/Chart.yaml", chart.origin),
        // Helm's words (`action.CheckDependencies`), which say the fix.
        format!(
            "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ),
    ))
}

/// Helm's `CoalesceValues` (`merge == false`) and `MergeValues`
/// (`merge == true`).
fn coalesce_chart(chart: &Chart, mut dest: Map, merge: bool, w: &mut Vec<String>) -> Result<Map> {
    coalesce(chart, &mut dest, "", merge, w)?;
    Ok(dest)
}

fn coalesce(
    chart: &Chart,
    dest: &mut Map,
    prefix: &str,
    merge: bool,
    w: &mut Vec<String>,
) -> Result<()> {
    coalesce_values(chart, dest, prefix, merge, w);
    coalesce_deps(chart, dest, prefix, merge, w)
}

/// Helm's `coalesceValues`: the chart's defaults under `v`.
fn coalesce_values(chart: &Chart, v: &mut Map, prefix: &str, merge: bool, w: &mut Vec<String>) {
    let sub_prefix = join_path(prefix, chart.name());
    // Chart-default nulls are copied like any other default (Helm 4.1.4
    // has no cleaning here): a subchart reset with `--set sub=null` gets
    // its raw defaults, `nullInSub: null` included. Where the parent's
    // merged defaults already hold the subchart's nulls, the `Null` arm
    // below deletes them, as Helm's `delete(v, key)` does.
    // Defaults are copied only where they are used (not where the user's
    // value wins).
    for (key, default) in &chart.values {
        match v.get_mut(key) {
            Some(Value::Null) if !merge => {
                v.shift_remove(key);
            }
            Some(Value::Map(dest)) => match default {
                Value::Map(src) => {
                    let is_dep = chart.dependencies.iter().any(|d| d.name() == key);
                    let merge = merge || is_dep;
                    coalesce_tables(
                        dest,
                        (**src).clone(),
                        &join_path(&sub_prefix, key),
                        merge,
                        w,
                    );
                }
                Value::Null => {}
                _ => w.push(format!("skipped value for {sub_prefix}.{key}: not a table")),
            },
            Some(_) => {}
            None => {
                v.insert(key.clone(), default.clone());
            }
        }
    }
}

/// Helm's `coalesceDeps`: each subchart's values under its name.
fn coalesce_deps(
    chart: &Chart,
    dest: &mut Map,
    prefix: &str,
    merge: bool,
    w: &mut Vec<String>,
) -> Result<()> {
    let sub_prefix = join_path(prefix, chart.name());
    for sub in &chart.dependencies {
        let name = sub.name().to_owned();
        let mut dv = match dest.shift_remove(&name) {
            None => Map::new(),
            Some(Value::Map(m)) => *m,
            Some(other) => {
                return Err(Error::Values(rudder_values::Error::Merge {
                    path: join_path(&sub_prefix, &name),
                    message: format!(
                        "holds {} (a {}), but {name:?} is a subchart and needs a map of its values; \
                         set `{name}.KEY=VALUE` instead",
                        short(&other),
                        other.kind()
                    ),
                }));
            }
        };
        coalesce_globals(&mut dv, dest, &sub_prefix, w);
        coalesce(sub, &mut dv, &sub_prefix, merge, w)?;
        dest.insert(name, Value::from(dv));
    }
    Ok(())
}

/// Helm's `coalesceGlobals`: the parent's `global` merged into the
/// subchart's, the parent winning.
fn coalesce_globals(dest: &mut Map, src: &Map, prefix: &str, w: &mut Vec<String>) {
    let (Some(mut dg), Some(sg)) = (
        global_table(dest, "destination", w),
        global_table(src, "source", w),
    ) else {
        return;
    };
    for (key, val) in sg {
        match val {
            Value::Map(mut vv) => match dg.get(&key) {
                None => {
                    dg.insert(key, Value::Map(vv));
                }
                Some(Value::Map(destv)) => {
                    coalesce_tables(
                        &mut vv,
                        (**destv).clone(),
                        &join_path(prefix, &key),
                        true,
                        w,
                    );
                    dg.insert(key, Value::Map(vv));
                }
                Some(_) => w.push(format!(
                    "conflict: cannot merge map onto non-map for {key:?}; skipping"
                )),
            },
            val => {
                if let Some(Value::Map(_)) = dg.get(&key) {
                    w.push(format!("key {key} is table; skipping"));
                } else {
                    dg.insert(key, val);
                }
            }
        }
    }
    dest.insert(GLOBAL.to_owned(), Value::Map(Box::new(dg)));
}

/// The `global` table of `m` (empty if absent); `None`, with Helm's
/// warning, when it is not a table.
fn global_table(m: &Map, side: &str, w: &mut Vec<String>) -> Option<Map> {
    match m.get(GLOBAL) {
        None => Some(Map::new()),
        Some(Value::Map(t)) => Some((**t).clone()),
        Some(_) => {
            w.push(format!(
                "skipping globals because {side} {GLOBAL} is not a table"
            ));
            None
        }
    }
}

/// Helm's `processDependencyEnabled`.
fn process_enabled(chart: &mut Chart, v: &Map, path: &str, w: &mut Vec<String>) -> Result<()> {
    let Some(reqs) = chart.metadata.dependencies.clone() else {
        return Ok(());
    };
    // Subcharts in charts/ that no dependency entry names stay, always on.
    let loaded = std::mem::take(&mut chart.dependencies);
    let mut deps: Vec<Chart> = loaded
        .iter()
        .filter(|c| !reqs.iter().any(|r| r.name == c.name() && version_ok(r, c)))
        .cloned()
        .collect();
    let mut reqs: Vec<Dependency> = reqs;
    for r in &mut reqs {
        if let Some(c) = loaded
            .iter()
            .find(|c| c.name() == r.name && version_ok(r, c))
        {
            let mut c = c.clone();
            if !r.alias.is_empty() {
                c.metadata.name = r.alias.clone();
            }
            deps.push(c);
        }
        if !r.alias.is_empty() {
            r.name = r.alias.clone();
        }
    }
    chart.dependencies = deps;
    chart.metadata.dependencies = Some(reqs.clone());

    let cvals = coalesce_chart(chart, v.clone(), false, &mut Vec::new())?;
    let mut enabled = vec![true; reqs.len()];
    apply_tags(&reqs, &cvals, &mut enabled, w);
    apply_conditions(&reqs, &cvals, path, &mut enabled, w);
    let off: Vec<String> = reqs
        .iter()
        .zip(&enabled)
        .filter(|(_, on)| !**on)
        .map(|(r, _)| r.name.clone())
        .collect();
    chart
        .dependencies
        .retain(|c| !off.iter().any(|n| n == c.name()));
    for sub in &mut chart.dependencies {
        let sub_path = format!("{path}{}.", sub.name());
        process_enabled(sub, &cvals, &sub_path, w)?;
    }
    chart.metadata.dependencies = Some(
        reqs.into_iter()
            .filter(|r| !off.contains(&r.name))
            .collect(),
    );
    Ok(())
}

fn version_ok(r: &Dependency, c: &Chart) -> bool {
    crate::funcs::semver::satisfies(&r.version, &c.metadata.version)
}

/// Helm's `processDependencyTags`: a dependency is off when some of its
/// tags are false and none true.
fn apply_tags(reqs: &[Dependency], cvals: &Map, enabled: &mut [bool], w: &mut Vec<String>) {
    let Some(Value::Map(tags)) = cvals.get("tags") else {
        return;
    };
    for (r, on) in reqs.iter().zip(enabled.iter_mut()) {
        let (mut has_true, mut has_false) = (false, false);
        for t in &r.tags {
            match tags.get(t) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => w.push(format!(
                    "tag {t:?} for chart {} returned non-bool value",
                    r.name
                )),
                None => {}
            }
        }
        *on = has_true || !has_false;
    }
}

/// Helm's `processDependencyConditions`: the first condition path that
/// holds a bool decides.
fn apply_conditions(
    reqs: &[Dependency],
    cvals: &Map,
    path: &str,
    enabled: &mut [bool],
    w: &mut Vec<String>,
) {
    for (r, on) in reqs.iter().zip(enabled.iter_mut()) {
        for c in r.condition.trim().split(',').filter(|c| !c.is_empty()) {
            match path_value(cvals, &format!("{path}{c}")) {
                Some(Value::Bool(b)) => {
                    *on = *b;
                    break;
                }
                Some(_) => w.push(format!(
                    "condition path {c:?} for chart {} returned non-bool value",
                    r.name
                )),
                None => {}
            }
        }
    }
}

/// Helm's `Values.PathValue`: a non-table value at a dotted path.
fn path_value<'a>(m: &'a Map, path: &str) -> Option<&'a Value> {
    let (table, key) = match path.rsplit_once('.') {
        Some((t, k)) => (table(m, t)?, k),
        None => (m, path),
    };
    table.get(key).filter(|v| !matches!(v, Value::Map(_)))
}

/// Helm's `Values.Table`: the map at a dotted path.
fn table<'a>(m: &'a Map, path: &str) -> Option<&'a Map> {
    let mut cur = m;
    for key in path.split('.') {
        match cur.get(key)? {
            Value::Map(next) => cur = next,
            _ => return None,
        }
    }
    Some(cur)
}

/// Helm's `processDependencyImportValues` with merging (as `helm template`
/// runs it): children first.
fn process_imports(chart: &mut Chart, w: &mut Vec<String>) -> Result<()> {
    for sub in &mut chart.dependencies {
        process_imports(sub, w)?;
    }
    let Some(reqs) = chart.metadata.dependencies.clone() else {
        return Ok(());
    };
    let cvals = coalesce_chart(chart, Map::new(), true, w)?;
    let mut imported = Map::new();
    for r in &reqs {
        for iv in &r.import_values {
            let (child, parent) = match iv {
                ImportValue::Map { child, parent } => (child.clone(), parent.as_str()),
                ImportValue::Exports(name) => (format!("exports.{name}"), "."),
            };
            let from = format!("{}.{child}", r.name);
            let Some(t) = table(&cvals, &from) else {
                w.push(format!(
                    "import-values: chart {} has no table {child:?} to import",
                    r.name
                ));
                continue;
            };
            coalesce_tables(&mut imported, path_to_map(parent, t.clone()), "", true, w);
        }
    }
    // The parent's own values win over imported ones (Helm's comment:
    // "imported values from a child to a parent chart have a lower
    // priority than the parents values").
    let mut values = cvals;
    coalesce_tables(&mut values, imported, "", true, w);
    chart.values = values;
    Ok(())
}

/// Helm's `pathToMap`: `a.b` and a table give `{a: {b: table}}`; `.` gives
/// the table itself.
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut out = Value::Map(Box::new(data));
    for key in path.split('.').rev() {
        let mut m = Map::new();
        m.insert(key.to_owned(), out);
        out = Value::Map(Box::new(m));
    }
    match out {
        Value::Map(m) => *m,
        _ => Map::new(),
    }
}

fn short(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests;
