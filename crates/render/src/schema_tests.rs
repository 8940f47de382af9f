//! Literal expectations for schema messages; each case mirrors a helm 4.1.4
//! behaviour (the differential suite `tests/differential/schema.cases`
//! re-checks pass/fail against the binary).

use super::*;
use crate::chart_values;
use rudder_values::Value;
use serde_json::json;

use crate::chart::test_chart as chart;

/// Coalesces `user` over the chart (as `helm template` does) and validates:
/// the error lines, empty when valid.
fn check(c: &Chart, user: serde_json::Value) -> Vec<String> {
    let Value::Map(user) = Value::from(user) else {
        panic!("user values must be a map")
    };
    let cv = chart_values(c, *user).expect("values");
    match validate(&cv.chart, &cv.values) {
        Ok(()) => Vec::new(),
        Err(e) => e.to_string().lines().map(str::to_owned).collect(),
    }
}

fn top(schema: &str, values: &str) -> Chart {
    chart(&[
        ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\n"),
        ("values.yaml", values),
        ("values.schema.json", schema),
    ])
}

/// The schema of `fixtures/charts/schema` in short.
const SCHEMA: &str = r#"{
  "type": "object",
  "required": ["replicas", "image"],
  "properties": {
    "replicas": {"type": "integer", "minimum": 1, "maximum": 10},
    "mode": {"enum": ["standalone", "distributed"]},
    "name": {"type": "string", "minLength": 2, "pattern": "^[a-z]+$"},
    "image": {
      "type": "object",
      "required": ["repository"],
      "additionalProperties": false,
      "properties": {"repository": {"type": "string"}, "tag": {"type": "string"}}
    },
    "ports": {"type": "array", "minItems": 1, "items": {"type": "integer"}},
    "labels": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}},
    "pair": {"prefixItems": [{"type": "string"}], "items": {"type": "integer", "minimum": 5, "multipleOf": 2}},
    "size": {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": "Gi$"}]},
    "db": {"dependentRequired": {"user": ["password"]}}
  }
}"#;

const VALUES: &str = "replicas: 1\nimage: {repository: nginx}\nports: [80]\n";

const FILE: &str = "(test/values.schema.json)";

fn lines(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|l| format!("{l} {FILE}")).collect()
}

#[test]
fn defaults_pass() {
    assert_eq!(check(&top(SCHEMA, VALUES), json!({})), Vec::<String>::new());
}

#[test]
fn every_violation_at_once() {
    let got = check(
        &top(SCHEMA, VALUES),
        json!({"replicas": 0, "mode": "cluster", "name": "A", "ports": [], "image": {"tag": 1, "registry": "x"}}),
    );
    assert_eq!(
        got,
        lines(&[
            "top: replicas: must be >= 1, got 0",
            "top: mode: must be one of \"standalone\", \"distributed\", got \"cluster\"",
            "top: name: must be at least 2 characters long, got \"A\"",
            "top: name: must match the pattern \"^[a-z]+$\", got \"A\"",
            "top: ports: must have at least 1 item, has 0",
            "top: image.tag: must be a string, got 1",
            "top: image.registry: is not allowed (the schema allows no other keys here), got \"x\"",
        ])
    );
}

#[test]
fn strings_are_named_in_type_errors() {
    // `--set-string replicas=3` (or `replicas: "3"` in a file): Helm
    // says "got string, want integer".
    assert_eq!(
        check(&top(SCHEMA, VALUES), json!({"replicas": "3"})),
        lines(&["top: replicas: must be an integer, got the string \"3\""])
    );
}

#[test]
fn integer_valued_floats_are_integers() {
    // Helm: `replicas: 2.0` in a file and `--set-json replicas=2.0` pass
    // `type: integer` (float64 with no fraction); 2.5 does not.
    let c = top(SCHEMA, VALUES);
    assert_eq!(check(&c, json!({"replicas": 2.0})), Vec::<String>::new());
    assert_eq!(
        check(&c, json!({"replicas": 2.5})),
        lines(&["top: replicas: must be an integer, got 2.5"])
    );
}

#[test]
fn null_deletes_a_required_default() {
    // Helm: `--set replicas=null` removes the key, then "missing property".
    assert_eq!(
        check(&top(SCHEMA, VALUES), json!({"replicas": null})),
        lines(&["top: replicas: is required"])
    );
}

#[test]
fn list_items_and_nested_paths() {
    assert_eq!(
        check(
            &top(SCHEMA, VALUES),
            json!({"ports": [80, "x"], "pair": ["a", 6, "b"]})
        ),
        lines(&[
            "top: ports[1]: must be an integer, got the string \"x\"",
            // boon/Helm number this item 0 (after prefixItems); rudder fixes it.
            "top: pair[2]: must be an integer, got the string \"b\"",
        ])
    );
    assert_eq!(
        check(&top(SCHEMA, VALUES), json!({"pair": ["a", 6, 3]})),
        lines(&[
            "top: pair[2]: must be >= 5, got 3",
            "top: pair[2]: must be a multiple of 2, got 3",
        ])
    );
}

#[test]
fn keys_with_dots_are_escaped_and_property_names_located() {
    assert_eq!(
        check(
            &top(SCHEMA, VALUES),
            json!({"labels": {"app.kubernetes.io/name": "x"}})
        ),
        lines(&[
            "top: labels.app\\.kubernetes\\.io/name: key name must match the pattern \"^[a-z]+$\""
        ])
    );
}

#[test]
fn alternatives_and_dependencies_in_words() {
    assert_eq!(
        check(
            &top(SCHEMA, VALUES),
            json!({"size": "big", "db": {"user": "u"}})
        ),
        lines(&[
            "top: size: must match one of the schema's oneOf alternatives (must be an integer; or must match the pattern \"Gi$\"), got \"big\"",
            "top: db.password: is required when db.user is set",
        ])
    );
}

#[test]
fn long_values_are_cut() {
    let long = "x".repeat(100);
    let got = check(&top(SCHEMA, VALUES), json!({"mode": long}));
    assert_eq!(
        got,
        lines(&[&format!(
            "top: mode: must be one of \"standalone\", \"distributed\", got \"{}…",
            "x".repeat(59)
        )])
    );
}

/// A parent with a schema, an aliased subchart with one, a disabled one
/// whose schema would fail, and a nested subchart's subchart.
fn family() -> Chart {
    chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n\
             - {name: minio, version: 0.1.0, alias: store}\n\
             - {name: extra, version: 0.1.0, condition: extra.enabled}\n\
             - {name: mid, version: 0.1.0}\n",
        ),
        ("values.yaml", "name: app\nextra: {enabled: false}\n"),
        ("values.schema.json", r#"{"required": ["name"]}"#),
        (
            "charts/minio/Chart.yaml",
            "apiVersion: v2\nname: minio\nversion: 0.1.0\n",
        ),
        (
            "charts/minio/values.yaml",
            "replicas: 4\nmode: standalone\n",
        ),
        (
            "charts/minio/values.schema.json",
            r#"{"additionalProperties": false, "properties": {
                "replicas": {"type": "integer", "minimum": 4},
                "mode": {"enum": ["standalone", "distributed"]}}}"#,
        ),
        (
            "charts/extra/Chart.yaml",
            "apiVersion: v2\nname: extra\nversion: 0.1.0\n",
        ),
        (
            "charts/extra/values.schema.json",
            r#"{"required": ["never"]}"#,
        ),
        (
            "charts/mid/Chart.yaml",
            "apiVersion: v2\nname: mid\nversion: 0.1.0\n",
        ),
        (
            "charts/mid/charts/leaf/Chart.yaml",
            "apiVersion: v2\nname: leaf\nversion: 0.1.0\n",
        ),
        ("charts/mid/charts/leaf/values.yaml", "x: 1\n"),
        (
            "charts/mid/charts/leaf/values.schema.json",
            r#"{"properties": {"x": {"type": "integer"}}}"#,
        ),
    ])
}

#[test]
fn subcharts_by_alias_with_globals_and_nesting() {
    // Helm: each subchart's schema checks values[<alias>]; the subchart's
    // values include the copied `global`, so additionalProperties: false
    // rejects it; disabled subcharts are not checked.
    let got = check(
        &family(),
        json!({"name": null, "store": {"replicas": 2, "mode": "x"}, "mid": {"leaf": {"x": "y"}}}),
    );
    assert_eq!(
        got,
        vec![
            "app: name: is required (test/values.schema.json)".to_owned(),
            "app/charts/store: store.replicas: must be >= 4, got 2 (test/charts/minio/values.schema.json)".to_owned(),
            "app/charts/store: store.mode: must be one of \"standalone\", \"distributed\", got \"x\" (test/charts/minio/values.schema.json)".to_owned(),
            "app/charts/store: store.global: is not allowed (the schema allows no other keys here), got {}; Helm gives every subchart a `global` key: list it in the subchart's schema (test/charts/minio/values.schema.json)".to_owned(),
            "app/charts/mid/charts/leaf: mid.leaf.x: must be an integer, got the string \"y\" (test/charts/mid/charts/leaf/values.schema.json)".to_owned(),
        ]
    );
}

#[test]
fn enabling_a_subchart_checks_its_schema() {
    let got = check(&family(), json!({"extra": {"enabled": true}}));
    assert!(
        got.contains(
            &"app/charts/extra: extra.never: is required (test/charts/extra/values.schema.json)"
                .to_owned()
        ),
        "{got:#?}"
    );
}

#[test]
fn broken_schemas_name_the_file() {
    let got = check(&top("{\"type\": \"object\",}", VALUES), json!({}));
    assert_eq!(
        got,
        lines(&[
            "top: values.schema.json is not valid JSON (trailing comma at line 1 column 19); fix the file or delete it"
        ])
    );
    let got = check(&top("", VALUES), json!({}));
    assert_eq!(
        got,
        lines(&[
            "top: values.schema.json is not valid JSON (EOF while parsing a value at line 1 column 0); fix the file or delete it"
        ])
    );
    // Draft-07 tuple `items` without `$schema`: invalid in 2020-12, as in Helm.
    let got = check(
        &top(
            r#"{"properties": {"ports": {"items": [{"type": "integer"}]}, "n": {"minimum": "1"}}}"#,
            VALUES,
        ),
        json!({}),
    );
    assert_eq!(
        got,
        lines(&[
            "top: values.schema.json is not a valid JSON Schema (draft 2020-12, the default without $schema): \
                 at /properties/ports/items: must be a boolean or a map, got the list [{\"type\":\"integer\"}]; \
                 at /properties/n/minimum: must be a number, got the string \"1\""
        ])
    );
}

#[test]
fn drafts_follow_dollar_schema() {
    let draft7 = r#"{"$schema": "http://json-schema.org/draft-07/schema#",
        "properties": {"ports": {"items": [{"type": "integer"}], "additionalItems": {"type": "string"}},
                       "ip": {"format": "ipv4"}}}"#;
    let got = check(
        &top(draft7, VALUES),
        json!({"ports": [1, 2], "ip": "1.2.3"}),
    );
    assert_eq!(
        got,
        lines(&[
            "top: ports[1]: must be a string, got 2",
            "top: ip: must be a valid ipv4 (invalid IPv4 address syntax), got \"1.2.3\"",
        ])
    );
    // Draft-04's boolean exclusiveMaximum.
    let draft4 = r#"{"$schema": "http://json-schema.org/draft-04/schema#",
        "properties": {"replicas": {"maximum": 3, "exclusiveMaximum": true}}}"#;
    assert_eq!(
        check(&top(draft4, VALUES), json!({"replicas": 3})),
        lines(&["top: replicas: must be < 3, got 3"])
    );
    // 2020-12 does not assert `format` (Helm neither).
    assert_eq!(
        check(
            &top(r#"{"properties": {"ip": {"format": "ipv4"}}}"#, VALUES),
            json!({"ip": "x"})
        ),
        Vec::<String>::new()
    );
}

#[test]
fn remote_refs_are_refused_without_network() {
    let got = check(
        &top(
            r#"{"properties": {"a": {"$ref": "https://example.invalid/s.json"}}}"#,
            VALUES,
        ),
        json!({}),
    );
    assert_eq!(got.len(), 1);
    assert!(
        got[0].contains("rudder does not fetch schemas over the network"),
        "{got:?}"
    );
    // Helm resolves an unknown `urn:` to the permissive schema `true`.
    let got = check(
        &top(r#"{"properties": {"a": {"$ref": "urn:x:y"}}}"#, VALUES),
        json!({"a": 1}),
    );
    assert_eq!(got, Vec::<String>::new());
}

fn no_files() -> std::sync::Arc<[crate::chart::File]> {
    std::sync::Arc::from(Vec::new())
}

#[test]
fn refs_load_only_files_of_the_chart() {
    // Helm reads any path on the machine (and shows it in its error);
    // rudder resolves a `$ref` inside the chart, as `Files.Get` does.
    let with_defs = |schema: &str| {
        chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\n"),
            ("values.yaml", VALUES),
            ("values.schema.json", schema),
            ("defs/port.json", r#"{"type": "integer", "maximum": 65535}"#),
        ])
    };
    for schema in [
        r#"{"properties": {"a": {"$ref": "defs/port.json"}}}"#,
        r#"{"properties": {"a": {"$ref": "file:///defs/port.json"}}}"#,
        r#"{"properties": {"a": {"$ref": "./defs/%70ort.json"}}}"#,
    ] {
        assert_eq!(
            check(&with_defs(schema), json!({"a": 80})),
            Vec::<String>::new(),
            "{schema}"
        );
        let got = check(&with_defs(schema), json!({"a": 70000}));
        assert_eq!(got.len(), 1, "{schema}: {got:?}");
        assert!(got[0].contains("a: must be <= 65535, got 70000"), "{got:?}");
    }
    for outside in [
        "file:///etc/passwd",
        "../../../../etc/passwd",
        "/etc/hostname",
    ] {
        let schema = format!(r#"{{"properties": {{"a": {{"$ref": "{outside}"}}}}}}"#);
        let got = check(&with_defs(&schema), json!({}));
        assert_eq!(got.len(), 1, "{outside}: {got:?}");
        assert!(got[0].contains("the chart has no file \"etc/"), "{got:?}");
        assert!(!got[0].contains("root:"), "{got:?}");
    }
}

#[test]
fn no_panic_on_odd_schemas() {
    for schema in [
        "true",
        "false",
        "[]",
        "null",
        "1",
        r##"{"$ref": "#"}"##,
        r##"{"$ref": "#/nope"}"##,
        r#"{"pattern": "("}"#,
        r#"{"$schema": "http://example.invalid/custom#"}"#,
        r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##,
        r#"{"properties": {"a": {"$ref": "file:///nonexistent/rudder.json"}}}"#,
        r#"{"propertyNames": false}"#,
        r#"{"not": {}}"#,
    ] {
        let _ = check(&top(schema, VALUES), json!({"a": [1, {"b": null}]}));
    }
}

#[test]
fn subchart_values_must_be_maps_with_or_without_schemas() {
    let no_schemas = chart(&[
        ("Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n"),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        ),
    ]);
    let mut with_schema = no_schemas.clone();
    with_schema.schema = Some(b"{}".as_slice().into());
    for c in [&no_schemas, &with_schema] {
        let Value::Map(values) = Value::from(json!({"sub": [1]})) else {
            unreachable!()
        };
        let err = validate(c, &values).expect_err("a list is not a subchart's values");
        assert_eq!(
            err.to_string(),
            "app/charts/sub: sub: must be a map of the subchart's values, got the list [1] \
             (test/charts/sub/values.schema.json)"
        );
        let Value::Map(values) = Value::from(json!({"sub": null})) else {
            unreachable!()
        };
        validate(c, &values).expect("null subchart values are skipped");
    }
}

/// An engine's cache compiles each schema file once and gives the same
/// answers as compiling it afresh, for valid and unusable schemas.
#[test]
fn cached_schemas_give_the_same_answers() {
    let cache = Cache::default();
    for schema in [
        r#"{"properties": {"a": {"type": "string"}}}"#,
        r#"{"pattern": "("}"#,
        "not json",
    ] {
        let c = top(schema, VALUES);
        let cv = chart_values(&c, Default::default()).expect("values");
        let fresh = validate(&cv.chart, &cv.values).map_err(|e| e.to_string());
        for _ in 0..2 {
            let cached = validate_with(&cv.chart, &cv.values, &cache).map_err(|e| e.to_string());
            assert_eq!(cached, fresh, "{schema}");
        }
    }
    assert_eq!(format!("{cache:?}"), "schema::Cache(3 schemas)");
}

#[test]
fn values_as_deep_as_yaml_allows_are_checked_without_running_out_of_stack() {
    // On a thread with a spawned thread's default 2 MiB of stack: reading
    // such a file takes more (4 MiB in a debug build), so the values crate
    // reads on a segment of its own; the check runs on the render's stack.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(deep_values_checked)
        .expect("thread")
        .join()
        .expect("no panic");
}

fn deep_values_checked() {
    let depth = 990;
    let values: String = (0..depth)
        .map(|level| {
            format!(
                "{}a:{}\n",
                " ".repeat(level),
                if level + 1 == depth { " {}" } else { "" }
            )
        })
        .collect();
    let c = chart(&[
        ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\n"),
        ("values.yaml", &values),
        (
            "values.schema.json",
            r##"{"$ref": "#/$defs/n", "$defs": {"n": {"type": "object", "maxProperties": 1, "properties": {"a": {"$ref": "#/$defs/n"}}}}}"##,
        ),
        (
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        ),
    ]);
    let engine = crate::Engine::new(c, &crate::EngineOptions::default()).expect("engine");
    let mut user = Map::new();
    user.insert("b".into(), Value::Bool(true));
    let err = engine
        .render(user, &crate::RenderOptions::default())
        .map(|_| ())
        .expect_err("b is one property too many")
        .to_string();
    assert_eq!(
        err,
        "top: (top level): must have at most 1 key, has 2 (test/values.schema.json)"
    );
}

/// Every `values.schema.json` in the repository, with the values file
/// beside it when there is one.
fn repository_schemas() -> Vec<(std::path::PathBuf, Vec<u8>, Option<serde_json::Value>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<_> = ["charts", "fixtures", "tests"]
        .iter()
        .flat_map(|top| walkdir::WalkDir::new(root.join(top)))
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() == "values.schema.json")
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("schema file");
            let values = std::fs::read_to_string(path.with_file_name("values.yaml"))
                .ok()
                .and_then(|text| rudder_values::yaml::parse(&text, "values.yaml").ok())
                .map(|v| v.to_json());
            (path, bytes, values)
        })
        .collect()
}

/// Instances to check a schema with: its chart's values, empty ones, and
/// each top-level property given a value of every JSON type.
fn probes(doc: &serde_json::Value, values: Option<&serde_json::Value>) -> Vec<serde_json::Value> {
    let mut out = vec![json!({}), json!(null), json!([]), json!("x")];
    let base = values.cloned().unwrap_or_else(|| json!({}));
    out.push(base.clone());
    let keys = doc
        .get("properties")
        .and_then(serde_json::Value::as_object)
        .map(|p| p.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    for key in keys {
        for bad in [
            json!("x"),
            json!(1.5),
            json!(-3),
            json!(true),
            json!([1]),
            json!({"z": 1}),
            json!(null),
        ] {
            let mut v = base.clone();
            if let Some(m) = v.as_object_mut() {
                m.insert(key.clone(), bad);
                out.push(v);
            }
        }
    }
    out
}

#[test]
fn checking_the_metaschema_here_gives_what_boon_gives() {
    let schemas = repository_schemas();
    assert!(schemas.len() >= 8, "found {} schema files", schemas.len());
    let mut fast = 0;
    for (path, bytes, values) in &schemas {
        let here = compiled::compile_as(bytes, true, no_files());
        let boon = compiled::compile_as(bytes, false, no_files());
        match (&here, &boon) {
            (Ok(a), Ok(b)) => {
                fast += usize::from(compiled::checked_base(&a.doc).is_some());
                for probe in probes(&a.doc, values.as_ref()) {
                    assert_eq!(
                        violations(a, &probe),
                        violations(b, &probe),
                        "{} with {probe}",
                        path.display()
                    );
                }
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{}", path.display()),
            _ => panic!(
                "{}: {:?} against {:?}",
                path.display(),
                here.is_ok(),
                boon.is_ok()
            ),
        }
    }
    assert!(fast >= 5, "only {fast} schemas took the checked path");
}

#[test]
fn invalid_schemas_are_refused_alike_whoever_checks_the_metaschema() {
    let docs = [
        r##"{"type": 5}"##,
        r##"{"properties": {"a": {"minimum": "x"}}}"##,
        r##"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"type": "nope"}}}"##,
        r##"{"$schema": "http://json-schema.org/draft-04/schema#", "required": []}"##,
        r##"{"$schema": "http://json-schema.org/draft-06/schema#", "items": 3}"##,
        r##"{"$schema": "https://json-schema.org/draft/2019-09/schema", "pattern": "("}"##,
        r##"{"pattern": "("}"##,
        r##"{"$defs": {"a": {"enum": 1}}, "properties": {"b": {"$ref": "#/$defs/a"}}}"##,
        r##"{"$schema": 7}"##,
        r##"{"$ref": "#/$defs/missing"}"##,
        r##"{"properties": {"a": {"$ref": "other.json"}}}"##,
        r##"{"$id": "x", "type": "object"}"##,
    ];
    for doc in docs {
        let here = compiled::compile_as(doc.as_bytes(), true, no_files()).map(|_| ());
        let boon = compiled::compile_as(doc.as_bytes(), false, no_files()).map(|_| ());
        assert_eq!(here, boon, "{doc}");
    }
}
