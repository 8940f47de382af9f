//! Literal expectations for schema messages; each case mirrors a helm 4.1.4
//! behaviour (the differential suite `tests/differential/schema.cases`
//! re-checks pass/fail against the binary).

use super::*;
use crate::chart::File;
use crate::chart_values;
use rudder_values::Value;
use serde_json::json;

/// A chart from `(path, text)` pairs; subcharts are `charts/NAME/...`.
fn chart(files: &[(&str, &str)]) -> Chart {
    let files = files
        .iter()
        .map(|(n, d)| File {
            name: (*n).to_owned(),
            data: d.as_bytes().to_vec(),
        })
        .collect();
    Chart::from_files(files, "test").expect("chart loads")
}

/// Coalesces `user` over the chart (as `helm template` does) and validates:
/// the error lines, empty when valid.
fn check(c: &Chart, user: serde_json::Value) -> Vec<String> {
    let Value::Map(user) = Value::from(user) else {
        panic!("user values must be a map")
    };
    let cv = chart_values(c, user).expect("values");
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

#[test]
fn scratch() {
    let c = top(
        r#"{"type":"object","properties":{"port":{"type":"integer","minimum":4},"mode":{"enum":["standalone","distributed"]},"nested":{"type":"object","properties":{"x":{"type":"string"}},"required":["y"]},"list":{"type":"array","items":{"type":"integer"},"minItems":2}},"required":["port"]}"#,
        "port: 80\nmode: standalone\n",
    );
    for l in check(&c, json!({"port": 1, "mode": "x", "nested": {"x": 1}, "list": ["a"]})) {
        println!("{l}");
    }
    panic!();
}
