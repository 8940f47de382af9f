//! Differential test of Helm's function map: every case of
//! `tests/functions/cases.tsv` is one call, written once as a Go-template
//! expression (rendered by the reference helm) and once as the Go-order
//! global call of rudder's Jinja dialect (rendered by rudder), each printed
//! with `printf "%v"` and `toJson`; the two outputs must match line for
//! line. Calls where Helm panics (division by zero and friends) must fail
//! in both, rudder with exit status 1 and an error naming the function.
//!
//! `RUDDER_HELM` names the helm binary (default `.tools/bin/helm`);
//! `RUDDER_SKIP_HELM=1` skips the test where helm is missing.

#![allow(
    clippy::print_stdout,
    reason = "the shared harness reports a skipped helm on the terminal"
)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[path = "harness/mod.rs"]
mod harness;
use harness::*;

const TIMEOUT: Duration = Duration::from_secs(60);

struct Case {
    family: String,
    go: String,
    jinja: String,
}

fn cases() -> Vec<Case> {
    let path = workspace_root().join("tests/functions/cases.tsv");
    let text = std::fs::read_to_string(&path).expect("read cases.tsv");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "{}: bad line {l:?}", path.display());
            Case {
                family: cols[0].to_string(),
                go: cols[1].to_string(),
                jinja: cols[2].to_string(),
            }
        })
        .collect()
}

fn write_chart(dir: &Path, jinja: bool, body: &str) {
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    let annotation = if jinja {
        "annotations:\n  rudder.dev/templates: jinja\n"
    } else {
        ""
    };
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: fn\nversion: 0.1.0\n{annotation}"),
    )
    .expect("write Chart.yaml");
    std::fs::write(dir.join("templates/cm.yaml"), body).expect("write template");
}

fn render(tool: &Path, chart: &Path, root: &Path) -> Exit {
    let mut cmd = Command::new(tool);
    cmd.arg("template").arg("rel").arg(chart);
    run_process(cmd, root, None, TIMEOUT)
}

#[test]
fn functions_match_helm() {
    let root = workspace_root();
    let Some(helm) = locate_helm(&root, "functions_match_helm") else {
        return;
    };
    let rudder = Path::new(env!("CARGO_BIN_EXE_rudder"));
    let cases = cases();
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fn\ndata:\n";
    let mut go = head.to_string();
    let mut jinja = head.to_string();
    for (i, c) in cases.iter().enumerate() {
        go.push_str(&format!(
            "  c{i}: {{{{ printf \"%v\" ({}) | toJson }}}}\n",
            c.go
        ));
        jinja.push_str(&format!(
            "  c{i}: {{{{ printf(\"%v\", {}) | toJson }}}}\n",
            c.jinja
        ));
    }
    let tmp = TempDir::new("functions");
    write_chart(&tmp.0.join("go"), false, &go);
    write_chart(&tmp.0.join("jinja"), true, &jinja);
    let h = render(&helm, &tmp.0.join("go"), &root);
    let r = render(rudder, &tmp.0.join("jinja"), &root);
    assert_eq!(
        h.code,
        Some(0),
        "helm failed: {}",
        String::from_utf8_lossy(&h.stderr)
    );
    assert_eq!(
        r.code,
        Some(0),
        "rudder failed: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let (h, r) = (
        String::from_utf8_lossy(&h.stdout),
        String::from_utf8_lossy(&r.stdout),
    );
    let mut bad = Vec::new();
    let mut families = std::collections::BTreeSet::new();
    for (i, c) in cases.iter().enumerate() {
        families.insert(c.family.as_str());
        let key = format!("  c{i}: ");
        let find = |s: &str| s.lines().find(|l| l.starts_with(&key)).map(str::to_string);
        let (hl, rl) = (find(&h), find(&r));
        if hl != rl {
            bad.push(format!(
                "[{}] {}\n   helm   {hl:?}\n   rudder {rl:?}",
                c.family, c.go
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} cases differ:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
    assert!(families.len() >= 10, "families: {families:?}");
}

#[test]
fn panicking_calls_fail_in_both() {
    let root = workspace_root();
    let Some(helm) = locate_helm(&root, "panicking_calls_fail_in_both") else {
        return;
    };
    let rudder = Path::new(env!("CARGO_BIN_EXE_rudder"));
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fn\ndata:\n";
    for (name, go, jinja) in [
        ("div", "div 1 0", "div(1, 0)"),
        ("mod", "mod 5 0", "mod(5, 0)"),
        ("divf", "divf 1 0", "divf(1, 0)"),
        ("slice", "slice (list 1 2) 1 5", "slice(list(1, 2), 1, 5)"),
        (
            "mustRegexMatch",
            "mustRegexMatch \"(\" \"x\"",
            "mustRegexMatch(\"(\", \"x\")",
        ),
        ("mustFromJson", "mustFromJson \"{\"", "mustFromJson(\"{\")"),
    ] {
        let tmp = TempDir::new("functions-err");
        write_chart(
            &tmp.0.join("go"),
            false,
            &format!("{head}  x: {{{{ {go} }}}}\n"),
        );
        write_chart(
            &tmp.0.join("jinja"),
            true,
            &format!("{head}  x: {{{{ {jinja} }}}}\n"),
        );
        let h = render(&helm, &tmp.0.join("go"), &root);
        let r = render(rudder, &tmp.0.join("jinja"), &root);
        assert_eq!(h.code, Some(1), "{go}: helm should fail");
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.code, Some(1), "{jinja}: rudder should fail: {err}");
        assert!(
            err.contains(name) && !err.contains("panicked"),
            "{jinja}: {err}"
        );
    }
}
