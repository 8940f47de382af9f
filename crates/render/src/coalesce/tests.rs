//! Literal expectations for chart values: each case mirrors a helm 4.1.4
//! behaviour (the differential suite re-checks them against the binary).

use super::*;
use crate::chart::File;
use serde_json::json;

use crate::chart::test_chart as chart;

fn values(c: &Chart, user: serde_json::Value) -> serde_json::Value {
    let Value::Map(user) = Value::from(user) else {
        panic!("user values must be a map")
    };
    Value::Map(Box::new(chart_values(c, *user).expect("values").values)).to_json()
}

fn parent() -> Chart {
    chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n\
             - {name: sub, version: 0.1.0, condition: sub.enabled}\n\
             - {name: sub, version: 0.1.0, alias: twin}\n\
             - {name: extra, version: 0.1.0, condition: extra.enabled, tags: [extras]}\n\
             - {name: exp, version: 0.1.0, import-values: [data, {child: deep.t, parent: imported.at}]}\n",
        ),
        (
            "values.yaml",
            "global: {env: prod, nested: {a: 1}}\nown: 1\nsub: {fromParent: x}\nimported: {at: {keep: parent}}\n",
        ),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        ),
        (
            "charts/sub/values.yaml",
            "enabled: true\nport: 80\nglobal: {env: dev, subOnly: 1, nested: {b: 2}}\nnothing: null\n",
        ),
        (
            "charts/extra/Chart.yaml",
            "apiVersion: v2\nname: extra\nversion: 0.1.0\n",
        ),
        ("charts/extra/values.yaml", "enabled: false\nsecret: 1\n"),
        (
            "charts/exp/Chart.yaml",
            "apiVersion: v2\nname: exp\nversion: 0.1.0\n",
        ),
        (
            "charts/exp/values.yaml",
            "exports: {data: {fromExports: 1}}\ndeep: {t: {keep: child, more: 2}}\n",
        ),
    ])
}

#[test]
fn subchart_defaults_land_under_their_name_and_alias_with_globals() {
    let v = values(&parent(), json!({}));
    assert_eq!(v["sub"]["port"], json!(80));
    assert_eq!(v["sub"]["fromParent"], json!("x"));
    assert_eq!(v["twin"]["port"], json!(80), "an alias gets its own copy");
    // The parent's globals win; the subchart's own globals fill in.
    assert_eq!(
        v["sub"]["global"],
        json!({"env": "prod", "subOnly": 1, "nested": {"a": 1, "b": 2}})
    );
    assert_eq!(v["global"], json!({"env": "prod", "nested": {"a": 1}}));
    // A subchart default null is dropped when the parent's merged defaults
    // carry it down (Helm's coalesceValues deletes a null it meets)...
    assert!(v["sub"].get("nothing").is_none());
    // ...but `sub: null` resets the subchart to its raw defaults, where
    // Helm 4.1.4 copies the null key as is.
    let v = values(&parent(), json!({"sub": null}));
    assert_eq!(v["sub"]["nothing"], json!(null), "{v}");
    assert!(v["sub"].get("fromParent").is_none(), "{v}");
}

#[test]
fn conditions_and_tags_disable_subcharts() {
    let v = values(&parent(), json!({}));
    assert!(
        v.get("extra").is_none(),
        "condition off.enabled=false drops the subchart: {v}"
    );
    let v = values(&parent(), json!({"extra": {"enabled": true}}));
    assert_eq!(v["extra"]["secret"], json!(1));
    let v = values(&parent(), json!({"sub": {"enabled": false}}));
    // A disabled subchart adds no defaults; the parent's own section stays.
    assert_eq!(v["sub"], json!({"enabled": false, "fromParent": "x"}));
}

#[test]
fn a_false_tag_disables_unless_a_condition_says_otherwise() {
    let c = chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n- {name: t, version: 0.1.0, tags: [a, b]}\n",
        ),
        (
            "charts/t/Chart.yaml",
            "apiVersion: v2\nname: t\nversion: 0.1.0\n",
        ),
        ("charts/t/values.yaml", "x: 1\n"),
    ]);
    assert_eq!(values(&c, json!({}))["t"]["x"], json!(1));
    assert!(values(&c, json!({"tags": {"a": false}})).get("t").is_none());
    assert_eq!(
        values(&c, json!({"tags": {"a": false, "b": true}}))["t"]["x"],
        json!(1)
    );
}

#[test]
fn import_values_fill_the_parent_below_its_own_values() {
    let v = values(&parent(), json!({}));
    assert_eq!(v["fromExports"], json!(1));
    assert_eq!(v["imported"]["at"], json!({"keep": "parent", "more": 2}));
}

#[test]
fn user_null_deletes_defaults_and_resets_a_subchart() {
    let v = values(&parent(), json!({"own": null, "sub": null}));
    assert!(v.get("own").is_none());
    assert_eq!(v["sub"]["port"], json!(80));
    assert!(
        v["sub"].get("fromParent").is_none(),
        "the parent's override is gone too: {v}"
    );
    let v = values(&parent(), json!({"sub": {"port": null}}));
    assert!(v["sub"].get("port").is_none());
}

#[test]
fn user_values_beat_defaults_and_lists_replace() {
    let c = chart(&[
        ("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
        ("values.yaml", "l: [1, 2]\nm: {a: 1, b: 2}\n"),
    ]);
    assert_eq!(
        values(&c, json!({"l": [3], "m": {"b": 3}})),
        json!({"l": [3], "m": {"a": 1, "b": 3}})
    );
}

#[test]
fn a_scalar_where_a_subchart_needs_a_map_is_an_error_naming_the_path() {
    let err = chart_values(&parent(), {
        let Value::Map(m) = Value::from(json!({"twin": 5})) else {
            unreachable!()
        };
        *m
    })
    .expect_err("type mismatch")
    .to_string();
    assert!(
        err.starts_with("values path `parent.twin`: holds 5"),
        "{err}"
    );
}

#[test]
fn missing_dependencies_are_named() {
    let c = chart(&[(
        "Chart.yaml",
        "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n- {name: gone, version: 1.0.0}\n",
    )]);
    let err = chart_values(&c, Map::new())
        .expect_err("missing")
        .to_string();
    assert!(
        err.contains("found in Chart.yaml, but missing in charts/ directory: gone"),
        "{err}"
    );
}

#[test]
fn chart_yaml_rules_are_all_reported() {
    let files = vec![File {
        name: "Chart.yaml".into(),
        data: b"apiVersion: v3\nversion: one\n".to_vec(),
    }];
    let err = Chart::from_files(files, "c")
        .expect_err("invalid")
        .to_string();
    assert!(err.contains("apiVersion \"v3\" is not supported"), "{err}");
    assert!(err.contains("name is required"), "{err}");
    assert!(
        err.contains("version \"one\" is not a semantic version"),
        "{err}"
    );
}
