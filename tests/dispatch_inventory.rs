//! The Dispatch chart against the release it installs: every fact of
//! `charts/dispatch/inventory.yaml` (Dispatch 1.2.2's objects, images,
//! commands, ports, mounts, config keys and rules, each with its public
//! source) holds in rudder's render, for the defaults and for every
//! install-guide option listed there; and `rudder lint` finds no problem in
//! any of those renders (its wiring rules: references resolve in the
//! release).

#[path = "common/mod.rs"]
mod common;
#[path = "dispatch_support.rs"]
mod support;

use rudder_values::Value;
use support::*;

fn inventory() -> Value {
    let path = common::root().join("charts/dispatch/inventory.yaml");
    let text = std::fs::read_to_string(&path).expect("charts/dispatch/inventory.yaml");
    rudder_values::yaml::parse(&text, "inventory.yaml").expect("inventory parses")
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(seq)
        .map(|l| {
            l.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The variants: name and the `rudder template` arguments after the chart.
fn variants(inv: &Value) -> Vec<(String, Vec<String>)> {
    match inv.lookup("variants") {
        Some(Value::Map(m)) => m
            .iter()
            .map(|(k, v)| (k.to_string(), strings(Some(v))))
            .collect(),
        _ => panic!("inventory has no variants"),
    }
}

/// One step of a fact's path: a map key, a list index, or (a map) the
/// list item whose fields all equal the step's.
fn step<'a>(cur: &'a Value, s: &Value) -> Option<&'a Value> {
    match (cur, s) {
        (Value::Map(m), Value::String(k)) => m.get(k.as_str()),
        (Value::List(l), Value::Int(i)) => usize::try_from(*i).ok().and_then(|i| l.get(i)),
        (Value::List(l), Value::Map(want)) => l.iter().find(|item| {
            want.iter()
                .all(|(k, v)| item.lookup(k.as_str()).is_some_and(|x| x == v))
        }),
        _ => None,
    }
}

fn applies(obj: &Value, variant: &str) -> bool {
    let only = strings(obj.lookup("only"));
    let except = strings(obj.lookup("except"));
    (only.is_empty() || only.iter().any(|v| v == variant)) && !except.iter().any(|v| v == variant)
}

/// Every inventory fact that does not hold in `variant`'s render.
fn check(inv: &Value, variant: &str, docs: &[(String, Value)]) -> Vec<String> {
    let mut bad = Vec::new();
    let Some(objects) = inv.lookup("objects").and_then(seq) else {
        panic!("inventory has no objects")
    };
    for obj in objects.iter().filter(|o| applies(o, variant)) {
        let kind = str_at(obj, &["kind"]);
        let name = str_at(obj, &["name"]);
        let ns = obj.lookup("namespace").and_then(Value::as_str);
        let found = docs.iter().map(|(_, d)| d).find(|d| {
            d.lookup("kind").and_then(Value::as_str) == Some(kind)
                && path(d, &["metadata", "name"]).and_then(Value::as_str) == Some(name)
                && path(d, &["metadata", "namespace"]).and_then(Value::as_str) == ns
        });
        let Some(d) = found else {
            bad.push(format!("{variant}: no {kind} {name} in namespace {ns:?}"));
            continue;
        };
        for fact in obj.lookup("facts").and_then(seq).into_iter().flatten() {
            let steps = fact.lookup("path").and_then(seq).expect("fact path");
            let want = fact.lookup("value").expect("fact value");
            let got = steps.iter().try_fold(d, step);
            if got != Some(want) {
                bad.push(format!(
                    "{variant}: {kind} {name} at {steps:?}: want {want:?}, got {got:?}"
                ));
            }
        }
    }
    bad
}

fn render(args: &[String]) -> String {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    template(&a)
}

#[test]
fn every_inventory_fact_holds_for_defaults_and_each_install_option() {
    let inv = inventory();
    let vs = variants(&inv);
    assert!(vs.len() >= 15, "install-guide options missing: {vs:?}");
    let mut bad = Vec::new();
    for (name, args) in &vs {
        bad.extend(check(&inv, name, &common::documents(&render(args))));
    }
    assert!(
        bad.is_empty(),
        "{} facts fail:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn every_fact_names_a_known_source() {
    let inv = inventory();
    let sources = match inv.lookup("sources") {
        Some(Value::Map(m)) => m,
        _ => panic!("inventory has no sources"),
    };
    for (_, s) in sources.iter() {
        for k in ["repo", "commit", "path"] {
            assert!(
                s.lookup(k).and_then(Value::as_str).is_some(),
                "source {s:?} lacks {k}"
            );
        }
        assert_eq!(str_at(s, &["commit"]).len(), 40, "full commit: {s:?}");
    }
    let objects = inv.lookup("objects").and_then(seq).expect("objects");
    for o in objects {
        let mut named = vec![str_at(o, &["source"]).to_owned()];
        for f in o.lookup("facts").and_then(seq).into_iter().flatten() {
            if let Some(s) = f.lookup("source").and_then(Value::as_str) {
                named.push(s.to_owned());
            }
        }
        for s in named {
            assert!(
                sources.get(s.as_str()).is_some(),
                "{o:?}: unknown source {s}"
            );
        }
    }
}

/// The check itself can fail: a render missing an object, or with one
/// changed value, is reported.
#[test]
fn the_inventory_check_reports_missing_objects_and_wrong_values() {
    let inv = inventory();
    let out = template(&[]);
    let docs = common::documents(&out);
    assert!(check(&inv, "defaults", &docs).is_empty());
    let without_dex: Vec<_> = docs
        .iter()
        .filter(|(_, d)| {
            path(d, &["metadata", "name"]).and_then(Value::as_str)
                != Some("dispatch-argocd-dex-server")
        })
        .cloned()
        .collect();
    let bad = check(&inv, "defaults", &without_dex);
    assert!(
        bad.iter()
            .any(|b| b.contains("no Deployment dispatch-argocd-dex-server")),
        "{bad:?}"
    );
    let older = out.replace("argoproj/argocd:v1.4.2", "argoproj/argocd:v1.8.7");
    let bad = check(&inv, "defaults", &common::documents(&older));
    assert!(
        bad.iter().any(|b| b.contains("argoproj/argocd:v1.4.2")),
        "{bad:?}"
    );
}

#[test]
fn rudder_lint_finds_no_problem_in_any_install_option() {
    let inv = inventory();
    for (name, args) in variants(&inv) {
        let mut a = vec!["lint", "dispatch", CHART, "-n", "dispatch", "--seed", "1"];
        a.extend(args.iter().map(String::as_str));
        let r = common::rudder_pinned(&a);
        assert_eq!(
            r.code,
            Some(0),
            "{name}: rudder {a:?}:\n{}{}",
            r.stdout,
            r.stderr
        );
        assert!(
            r.stderr.contains("no errors, 0 warnings"),
            "{name}: {}{}",
            r.stdout,
            r.stderr
        );
    }
}
