//! `rudder lint`'s rules, one fixture chart each under `fixtures/lint/`:
//! every chart is rendered (release `r`, namespace `lint`) and linted, and
//! its findings, one `severity: finding` line each, must equal the chart's
//! `expected.txt`. `clean` and `external-declared` must have none.
//! After changing a rule, `RUDDER_BLESS=1 cargo test -p rudder-render
//! --test lint` rewrites the expected files; review the diff.

use std::path::{Path, PathBuf};

use rudder_render::lint::{self, Problem, Severity};
use rudder_render::{Chart, Engine, EngineOptions, RenderOptions};
use rudder_values::Map;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lint_chart(dir: &Path, namespace: &str) -> Vec<Problem> {
    let chart = Chart::load(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let options = lint::Options::for_chart(&chart, namespace);
    let engine = Engine::new(chart, &EngineOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let release = RenderOptions {
        release_name: "r".into(),
        namespace: namespace.into(),
        ..RenderOptions::default()
    };
    let rendered = engine
        .render(Map::new(), &release)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    lint::check(&rendered, &options)
}

#[test]
fn every_rule_fixture_gives_its_expected_findings() {
    let bless = std::env::var_os("RUDDER_BLESS").is_some();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/lint"))
        .expect("fixtures/lint exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 25, "{} fixtures", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let got: String = lint_chart(dir, "lint")
            .iter()
            .map(|p| format!("{}: {p}\n", p.severity))
            .collect();
        let expected_path = dir.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &got).expect("writable fixture");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let clean = matches!(name, "clean" | "external-declared");
        if clean != got.is_empty() {
            failures.push(format!(
                "{name}: {}",
                if clean {
                    "must lint clean"
                } else {
                    "must have a finding"
                }
            ));
        }
        if got != expected {
            failures.push(format!(
                "{name}: findings differ\n--- expected\n{expected}--- got\n{got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn errors(problems: &[Problem]) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn dispatch_lints_without_errors() {
    let found = errors(&lint_chart(&root().join("charts/dispatch"), "dispatch"));
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn isd_lints_without_errors() {
    let found = errors(&lint_chart(&root().join("charts/isd"), "isd"));
    assert_eq!(found, Vec::<String>::new());
}
