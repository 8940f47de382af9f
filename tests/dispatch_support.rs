//! Helpers the Dispatch chart tests share (tests/dispatch.rs,
//! tests/dispatch_options.rs, tests/dispatch_inventory.rs): render through
//! the `rudder` binary and read the parsed documents.

#![allow(dead_code)]

use rudder_values::Value;

pub(crate) const CHART: &str = "charts/dispatch";
pub(crate) const KUBE: &str = "1.30.0";

/// `rudder template dispatch charts/dispatch -n dispatch --seed 1 EXTRA…`.
pub(crate) fn template(extra: &[&str]) -> String {
    let mut args = vec![
        "template",
        "dispatch",
        CHART,
        "-n",
        "dispatch",
        "--seed",
        "1",
        "--kube-version",
        KUBE,
    ];
    args.extend_from_slice(extra);
    let r = crate::common::rudder_pinned(&args);
    assert_eq!(r.code, Some(0), "rudder {args:?} failed:\n{}", r.stderr);
    r.stdout
}

/// The error report of a render that must fail.
pub(crate) fn template_error(extra: &[&str]) -> String {
    let mut args = vec![
        "template", "dispatch", CHART, "-n", "dispatch", "--seed", "1",
    ];
    args.extend_from_slice(extra);
    let r = crate::common::rudder_pinned(&args);
    assert_eq!(
        r.code,
        Some(1),
        "rudder {args:?} should fail; stdout:\n{}",
        r.stdout
    );
    assert!(r.stdout.is_empty(), "no manifests on error");
    r.stderr
}

pub(crate) fn docs(extra: &[&str]) -> Vec<(String, Value)> {
    crate::common::documents(&template(extra))
}

pub(crate) fn get<'a>(docs: &'a [(String, Value)], kind: &str, name: &str) -> &'a Value {
    crate::common::find(docs, kind, name).unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// Walks map keys and list indices (`["spec", "ports", "0", "port"]`).
pub(crate) fn path<'a>(v: &'a Value, p: &[&str]) -> Option<&'a Value> {
    p.iter().try_fold(v, |cur, key| match cur {
        Value::Map(m) => m.get(*key),
        Value::List(l) => key.parse::<usize>().ok().and_then(|i| l.get(i)),
        _ => None,
    })
}

pub(crate) fn seq(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::List(l) => Some(l),
        _ => None,
    }
}

pub(crate) fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

pub(crate) fn str_at<'a>(v: &'a Value, p: &[&str]) -> &'a str {
    path(v, p)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {p:?}"))
}

pub(crate) fn int_at(v: &Value, p: &[&str]) -> i64 {
    path(v, p)
        .and_then(int)
        .unwrap_or_else(|| panic!("no integer at {p:?}"))
}

pub(crate) fn count(docs: &[(String, Value)], kind: &str) -> usize {
    docs.iter()
        .filter(|(_, v)| v.lookup("kind").and_then(Value::as_str) == Some(kind))
        .count()
}

/// The first container of a Pod or of a workload's pod template.
pub(crate) fn container(workload: &Value) -> &Value {
    path(workload, &["spec", "template", "spec", "containers"])
        .or_else(|| path(workload, &["spec", "containers"]))
        .and_then(seq)
        .and_then(|c| c.first())
        .expect("a container")
}

pub(crate) fn args(workload: &Value) -> Vec<String> {
    container(workload)
        .lookup("args")
        .and_then(seq)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn hpa_metrics(hpa: &Value) -> Vec<(String, i64)> {
    path(hpa, &["spec", "metrics"])
        .and_then(seq)
        .map(|ms| {
            ms.iter()
                .map(|m| {
                    (
                        str_at(m, &["resource", "name"]).to_owned(),
                        int_at(m, &["resource", "target", "averageUtilization"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn fixtures(dir: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(crate::common::root().join(dir))
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}
