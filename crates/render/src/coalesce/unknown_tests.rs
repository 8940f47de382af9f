//! Unknown values keys: literal expectations on small charts.

use super::*;
use crate::chart::test_chart as chart;
use serde_json::json;

fn user(v: serde_json::Value) -> Map {
    match Value::from(v) {
        Value::Map(m) => *m,
        _ => Map::new(),
    }
}

fn unknown(c: &Chart, v: serde_json::Value) -> Vec<(String, Option<String>)> {
    unknown_keys(c, &user(v))
        .into_iter()
        .map(|u| (u.path, u.closest))
        .collect()
}

fn tree() -> Chart {
    chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n\
             - {name: sub, version: 0.1.0, condition: sub.enabled}\n\
             - {name: sub, version: 0.1.0, alias: twin}\n\
             - {name: exp, version: 0.1.0, tags: [extras], import-values: [data, {child: deep, parent: at.here}]}\n",
        ),
        (
            "values.yaml",
            "image: {repository: x, tag: \"1\"}\nopen: {}\nnothing: null\nlist: [1]\n\
             sub: {fromParent: 1}\nglobal: {a: 1}\n",
        ),
        (
            "values.schema.json",
            r##"{"type":"object","properties":{"extra":{"type":"object","properties":{"known":{}}},
               "labels":{"type":"object","additionalProperties":{"type":"string"}},
               "byPattern":{"type":"object","patternProperties":{"^x-":{"$ref":"#/$defs/leaf"}}},
               "composed":{"allOf":[{"$ref":"#/$defs/part"}]}},
               "$defs":{"leaf":{"type":"string"},"part":{"properties":{"fromDefs":{}}}}}"##,
        ),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        ),
        (
            "charts/sub/values.yaml",
            "port: 80\nconfig: {level: info}\n",
        ),
        (
            "charts/sub/values.schema.json",
            r#"{"properties":{"fromSchema":{"type":"string"}}}"#,
        ),
        (
            "charts/exp/Chart.yaml",
            "apiVersion: v2\nname: exp\nversion: 0.1.0\n",
        ),
        (
            "charts/exp/values.yaml",
            "exports: {data: {exported: 1}}\ndeep: {d: 1}\nown: 1\n",
        ),
    ])
}

#[test]
fn known_keys_pass() {
    let c = tree();
    let ok = json!({
        "image": {"tag": "2"}, "open": {"any": {"thing": 1}}, "nothing": {"x": 1},
        "list": [2], "global": {"whatever": 1}, "tags": {"extras": true},
        "sub": {"enabled": false, "fromParent": 2, "port": 1, "fromSchema": "s", "config": {"level": "debug"}},
        "twin": {"port": 2, "global": {"z": 1}},
        "exp": {"own": 2}, "exported": 2, "at": {"here": {"d": 3}},
        "extra": {"known": 1}, "labels": {"any-label": "v"},
        "byPattern": {"x-one": "v"}, "composed": {"fromDefs": 1},
    });
    assert_eq!(unknown(&c, ok), []);
}

#[test]
fn unknown_keys_are_found_with_the_closest_known_key() {
    let c = tree();
    assert_eq!(
        unknown(&c, json!({"imgae": {"tag": "2"}})),
        [("imgae.tag".to_owned(), Some("image.tag".to_owned()))]
    );
    assert_eq!(
        unknown(&c, json!({"image": {"Tag": "2", "pullPolicy": "x"}})),
        [
            ("image.Tag".to_owned(), Some("image.tag".to_owned())),
            ("image.pullPolicy".to_owned(), None)
        ]
    );
    // In a subchart, under its alias, through the schema and defs.
    assert_eq!(
        unknown(&c, json!({"twin": {"prot": 1, "config": {"levle": "x"}}})),
        [
            ("twin.prot".to_owned(), Some("twin.port".to_owned())),
            (
                "twin.config.levle".to_owned(),
                Some("twin.config.level".to_owned())
            )
        ]
    );
    assert_eq!(
        unknown(
            &c,
            json!({"extra": {"knwon": 1}, "byPattern": {"y": 1}, "composed": {"x": 1}})
        ),
        [
            ("extra.knwon".to_owned(), Some("extra.known".to_owned())),
            ("byPattern.y".to_owned(), None),
            ("composed.x".to_owned(), None)
        ]
    );
    // A top-level typo of a subchart name.
    assert_eq!(
        unknown(&c, json!({"sbu": {"port": 1}})),
        [("sbu.port".to_owned(), Some("sub.port".to_owned()))]
    );
}

#[test]
fn strict_turns_warnings_into_an_error_with_the_values_path() {
    let c = tree();
    let w = check(&c, &user(json!({"imgae": {"tag": "2"}})), false).expect("warns");
    assert_eq!(
        w,
        [
            "values key `imgae.tag` is unknown: neither the defaults nor the schema of chart top \
          know it; did you mean `image.tag`? (Helm ignores it silently; --strict makes this an \
          error)"
        ]
    );
    let e = check(&c, &user(json!({"imgae": {"tag": "2"}, "b": 1})), true)
        .expect_err("strict")
        .to_string();
    assert!(
        e.starts_with("values path `imgae.tag`: unknown key: neither"),
        "{e}"
    );
    assert!(e.contains("\nvalues path `b`: unknown key"), "{e}");
    assert_eq!(
        check(&c, &Map::new(), true).expect("nothing to check"),
        Vec::<String>::new()
    );
}
