//! Unit tests: the go-yaml v3 emitter, paths, the snapshot file format.

use crate::{path, yaml3};
use rudder_values::Value;

fn y(text: &str) -> Value {
    rudder_values::yaml::parse(text, "test").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn v3_emitter_indents_sequences_and_sorts_keys() {
    let v = y("b: [1, {z: 1, a: [x]}]\na10: 1\na9: 2\nc: {}\nd: []\n");
    assert_eq!(
        yaml3::to_string(&v),
        "a9: 2\na10: 1\nb:\n  - 1\n  - a:\n      - x\n    z: 1\nc: {}\nd: []\n"
    );
}

#[test]
fn v3_emitter_quotes_like_go_yaml_v3() {
    let v = y(
        "a: 'yes'\nb: '123'\nc: ''\nd: 'x: y'\ne: '2024-01-02'\nf: \"tab\\there\"\ng: '0777'\nh: plain text\ni: \"it's\"\n",
    );
    assert_eq!(
        yaml3::to_string(&v),
        "a: \"yes\"\nb: \"123\"\nc: \"\"\nd: 'x: y'\ne: \"2024-01-02\"\nf: \"tab\\there\"\ng: \"0777\"\nh: plain text\ni: it's\n"
    );
}

#[test]
fn v3_emitter_block_scalars_and_folding() {
    let v = y("a: \"line1\\nline2\\n\"\nb: \"x\\ny\"\nc: \"  lead\\n\"\n");
    assert_eq!(
        yaml3::to_string(&v),
        "a: |\n  line1\n  line2\nb: |-\n  x\n  y\nc: |2\n    lead\n"
    );
    let long = "word ".repeat(20);
    let v = y(&format!("k: {}\n", long.trim()));
    assert_eq!(
        yaml3::to_string(&v),
        format!("k: {}\n  word word word word\n", "word ".repeat(16).trim())
    );
}

#[test]
fn v3_floats_print_as_go() {
    for (f, s) in [
        (1.5, "1.5"),
        (1.0, "1"),
        (1e6, "1e+06"),
        (123456.0, "123456"),
        (0.0001, "0.0001"),
        (1e-5, "1e-05"),
    ] {
        assert_eq!(yaml3::go_float(f), s);
    }
}

#[test]
fn paths_find_every_form() {
    let doc = y(
        "metadata: {name: web, labels: {app.kubernetes.io/name: x}}\nspec: {containers: [{name: a, port: 1}, {name: b, port: 2}, {name: c, port: 3}]}\n",
    );
    let names = |p: &str| path::find(&doc, p).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names("metadata.name"), vec![Value::String("web".into())]);
    assert_eq!(names("$.metadata.name"), vec![Value::String("web".into())]);
    assert_eq!(
        names("metadata.labels[\"app.kubernetes.io/name\"]"),
        vec![Value::String("x".into())]
    );
    assert_eq!(
        names("metadata.labels['app.kubernetes.io/name']"),
        vec![Value::String("x".into())]
    );
    assert_eq!(
        names("spec.containers[1].name"),
        vec![Value::String("b".into())]
    );
    assert_eq!(
        names("spec.containers[-1].name"),
        vec![Value::String("c".into())]
    );
    assert_eq!(
        names("spec.containers[0:2].port"),
        vec![Value::Int(1), Value::Int(2)]
    );
    assert_eq!(names("spec.containers[*].port").len(), 3);
    assert_eq!(
        names("spec.containers[?(@.name == 'b')].port"),
        vec![Value::Int(2)]
    );
    assert_eq!(
        names("spec.containers[?(@.port > 1 && @.name != 'c')].name"),
        vec![Value::String("b".into())]
    );
    assert_eq!(
        names("spec.containers[?(@.name =~ /^[ab]$/)].port"),
        vec![Value::Int(1), Value::Int(2)]
    );
    assert_eq!(names("..port").len(), 3);
    assert_eq!(names("metadata.*").len(), 2);
    assert!(names("metadata.missing").is_empty());
    assert!(path::find(&doc, "spec.containers[x]").is_err());
}

#[test]
fn set_paths_build_nested_values() {
    let m = path::build_set("a.b[1].c", Value::Int(3)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Value::Map(Box::new(m)), y("a: {b: [null, {c: 3}]}"));
    let m = path::build_set("ann.[kubernetes.io/name]", Value::Bool(true))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        Value::Map(Box::new(m)),
        y("ann: {kubernetes.io/name: true}")
    );
    assert!(path::build_set("a=b", Value::Null).is_err());
}

#[test]
fn snapshot_files_are_written_as_helm_unittest_writes_them() {
    let text = yaml3::snapshot_file(&[
        (
            "should render",
            vec![(2, "kind: Service\n"), (1, "a: 1\nb:\n  - x\n")],
        ),
        ("another: test", vec![(1, "x\n")]),
    ]);
    assert_eq!(
        text,
        "'another: test':\n  1: |\n    x\nshould render:\n  1: |\n    a: 1\n    b:\n      - x\n  2: |\n    kind: Service\n"
    );
}

/// Byte compatibility with existing snapshot files: every `.snap` under
/// `$RUDDER_UNITTEST_SNAPSHOTS` (e.g. helm-unittest's own test data) is
/// read, each snapshot re-printed from its parsed value, and the file
/// re-written: all must come out byte for byte.
#[test]
fn existing_snapshot_files_round_trip() {
    let Ok(dir) = std::env::var("RUDDER_UNITTEST_SNAPSHOTS") else {
        return;
    };
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "snap") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let parsed = y(&text);
        let Some(tests) = parsed.as_map() else {
            continue;
        };
        let mut all = Vec::new();
        for (name, entries) in tests {
            let mut list = Vec::new();
            for (i, snap) in entries.as_map().into_iter().flatten() {
                let snap = snap.as_str().unwrap_or_default();
                let reprinted = yaml3::to_string(&y(snap));
                assert_eq!(reprinted, snap, "{}: {name} {i}", entry.path().display());
                list.push((i.parse::<u64>().unwrap_or(0), snap));
            }
            all.push((name.as_str(), list));
        }
        assert_eq!(
            yaml3::snapshot_file(&all),
            text,
            "{}",
            entry.path().display()
        );
        checked += 1;
    }
    assert!(checked > 0);
}
