//! charts/isd against the product it installs: every fact of
//! `charts/isd/inventory.yaml` (OpsMx's oes chart 4.0.26 as `helm template`
//! renders it: objects, images, commands, ports, env names, mounts, config
//! keys, Service ports and selectors, RBAC rules, hooks) holds in rudder's
//! render, for the defaults and every switch listed there, except the facts
//! under `differences` (each with its reason, also in charts/isd/README.md).
//! rudder renders no object the product does not; every variant passes
//! strict `kubernetes-validate` and `rudder lint`'s wiring rules.
//!
//! Facts are read from rudder's output by the same extractor that wrote the
//! inventory (`scripts/isd-inventory.py facts`, Python with PyYAML from
//! `.tools/venv`, set up by scripts/install-validators.sh).

#[path = "common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use rudder_values::Value;

const KUBE: &str = common::ISD_KUBE;

type Facts = BTreeMap<String, BTreeSet<String>>;

fn inventory() -> Value {
    let path = common::root().join("charts/isd/inventory.yaml");
    let text = std::fs::read_to_string(&path).expect("charts/isd/inventory.yaml");
    rudder_values::yaml::parse(&text, "inventory.yaml").expect("inventory parses")
}

fn list(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::List(l)) => l.clone(),
        _ => Vec::new(),
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    list(v)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.lookup(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("inventory entry without {key}"))
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

/// The inventory's facts for one variant.
fn expected(inv: &Value, variant: &str) -> Facts {
    let mut want = Facts::new();
    for o in list(inv.lookup("objects")) {
        let only = strings(o.lookup("only"));
        if !only.is_empty() && !only.iter().any(|v| v == variant) {
            continue;
        }
        let mut fs: BTreeSet<String> = strings(o.lookup("facts")).into_iter().collect();
        for vf in list(o.lookup("variant_facts")) {
            if strings(vf.lookup("only")).iter().any(|v| v == variant) {
                fs.extend(strings(vf.lookup("facts")));
            }
        }
        want.insert(text(&o, "id").to_owned(), fs);
    }
    want
}

/// (object id, fact) of every listed difference.
fn differences(inv: &Value) -> BTreeSet<(String, String)> {
    list(inv.lookup("differences"))
        .iter()
        .map(|d| {
            assert!(
                d.lookup("reason")
                    .and_then(Value::as_str)
                    .is_some_and(|r| !r.trim().is_empty()),
                "difference without a reason: {}",
                text(d, "fact")
            );
            (text(d, "id").to_owned(), text(d, "fact").to_owned())
        })
        .collect()
}

#[allow(
    clippy::print_stderr,
    reason = "a skipped check says so on the terminal, as the harness does for helm"
)]
fn python() -> Option<std::path::PathBuf> {
    let p = common::root().join(".tools/venv/bin/python");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("RUDDER_SKIP_VALIDATE").as_deref() == Ok("1") {
        eprintln!("RUDDER_SKIP_VALIDATE=1: no .tools/venv python, isd facts not checked");
        return None;
    }
    panic!(
        "no .tools/venv/bin/python: run scripts/install-validators.sh (or set RUDDER_SKIP_VALIDATE=1)"
    );
}

/// The facts of a manifest stream, by the inventory's own extractor.
fn facts(py: &std::path::Path, stream: &str) -> Facts {
    let mut child = Command::new(py)
        .arg(common::root().join("scripts/isd-inventory.py"))
        .args(["facts", "-n", "opsmx"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("scripts/isd-inventory.py runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("write manifests");
    let out = child.wait_with_output().expect("isd-inventory.py facts");
    assert!(
        out.status.success(),
        "isd-inventory.py facts failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("facts are JSON");
    json.as_object()
        .expect("facts: an object")
        .iter()
        .map(|(k, v)| {
            let fs = v
                .as_array()
                .expect("facts: a list")
                .iter()
                .map(|f| f.as_str().expect("fact: a string").to_owned())
                .collect();
            (k.clone(), fs)
        })
        .collect()
}

fn render(args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = common::isd_template(&args);
    assert_eq!(
        r.code,
        Some(0),
        "rudder template isd {args:?} failed:\n{}",
        r.stderr
    );
    r.stdout
}

#[test]
fn every_product_fact_holds_in_every_variant() {
    let Some(py) = python() else { return };
    let inv = inventory();
    let skip = differences(&inv);
    let mut missing = Vec::new();
    let mut extra = Vec::new();
    let mut differing = BTreeSet::new();
    let vs = variants(&inv);
    assert!(vs.len() >= 10, "inventory variants missing: {vs:?}");
    for (variant, args) in &vs {
        let want = expected(&inv, variant);
        let got = facts(&py, &render(args));
        let mut checked = 0;
        for (id, fs) in &want {
            let have = got.get(id);
            for f in fs {
                let key = (id.clone(), f.clone());
                let holds = have.is_some_and(|h| h.contains(f));
                if skip.contains(&key) {
                    if !holds {
                        differing.insert(key);
                    }
                    continue;
                }
                checked += 1;
                if !holds {
                    missing.push(format!("{variant}: {id}: {f}"));
                }
            }
        }
        assert!(checked > 1400, "{variant}: only {checked} facts checked");
        for id in got.keys().filter(|id| !want.contains_key(*id)) {
            extra.push(format!("{variant}: {id}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} facts of oes 4.0.26 do not hold in rudder's render (fix the chart, or list one under \
         `differences` in charts/isd/inventory.yaml with its reason):\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert!(
        extra.is_empty(),
        "objects that oes 4.0.26 does not render:\n{}",
        extra.join("\n")
    );
    let stale: Vec<_> = skip.difference(&differing).collect();
    assert!(
        stale.is_empty(),
        "differences that hold after all (remove them from charts/isd/inventory.yaml): {stale:?}"
    );
}

#[test]
fn every_variant_validates_strictly() {
    for (variant, args) in variants(&inventory()) {
        let out = render(&args);
        assert!(out.contains("kind: Deployment"), "{variant}: no workloads");
        common::kube_validate(&out, KUBE);
    }
}

/// Every variant lints clean. The two load balancers the product puts in
/// front of Spinnaker's deck and gate select pods that `hal deploy apply`
/// creates at install time; Chart.yaml declares them
/// (`rudder.dev/external: "Pods/cluster=spin-deck, …"`).
#[test]
fn every_variant_is_wired() {
    for (variant, args) in variants(&inventory()) {
        let mut all = vec![
            "lint",
            "isd",
            "charts/isd",
            "-n",
            "opsmx",
            "--kube-version",
            KUBE,
        ];
        all.extend(args.iter().map(String::as_str));
        let r = common::rudder(&all);
        let problems: Vec<&str> = r
            .stderr
            .lines()
            .filter(|l| l.starts_with("  isd/"))
            .collect();
        assert!(
            problems.is_empty(),
            "{variant}: rudder lint finds wiring problems:\n{}",
            problems.join("\n")
        );
        assert_eq!(
            r.code,
            Some(0),
            "{variant}: rudder lint exit status:\n{}",
            r.stderr
        );
    }
}
