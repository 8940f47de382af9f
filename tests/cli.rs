//! The `rudder` binary's own contract: output formats, exit codes, where
//! warnings and errors go. (Values semantics are checked against helm in
//! `differential.rs`.)

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn rudder(args: &[&str], stdin: &str) -> Output {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rudder starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("rudder runs")
}

fn text(b: &[u8]) -> &str {
    std::str::from_utf8(b).expect("utf-8")
}

#[test]
fn values_prints_yaml_sorted_like_helm_by_default() {
    let out = rudder(
        &["values", "fixtures/charts/small", "--set", "replicas=3"],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "image:\n  repository: nginx\n  tag: \"1.25\"\nmessage: |\n  hello\n  world\nports:\n- 80\n- 443\nreplicas: 3\n"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn values_prints_compact_sorted_json() {
    let out = rudder(
        &[
            "values",
            "fixtures/charts/small",
            "-o",
            "json",
            "--set-json",
            "ports=[1]",
        ],
        "",
    );
    assert_eq!(
        text(&out.stdout),
        "{\"image\":{\"repository\":\"nginx\",\"tag\":\"1.25\"},\"message\":\"hello\\nworld\\n\",\"ports\":[1],\"replicas\":1}\n"
    );
}

#[test]
fn values_file_from_stdin() {
    let out = rudder(
        &["values", "fixtures/charts/small", "-o", "json", "-f", "-"],
        "replicas: 7\n",
    );
    assert!(
        text(&out.stdout).contains("\"replicas\":7"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn ignored_input_warns_on_stderr_and_succeeds() {
    let out = rudder(
        &[
            "values",
            "fixtures/charts/small",
            "-o",
            "json",
            "--set",
            "replicas=2,a[0",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("\"replicas\":2"));
    assert_eq!(
        text(&out.stderr),
        "warning: --set: ignoring incomplete \"a[0\", as Helm does; finish it with =VALUE or remove it\n"
    );
}

#[test]
fn every_values_error_is_reported_at_once_with_exit_code_1() {
    let out = rudder(
        &[
            "values",
            "fixtures/charts/small",
            "-f",
            "missing.yaml",
            "--set",
            "a",
            "--set-json",
            "b=x",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "", "nothing on stdout on failure");
    let err = text(&out.stderr);
    assert!(err.starts_with("Error: 3 problems:\n"), "{err}");
    assert!(err.contains("\n  -f missing.yaml: "), "{err}");
    assert!(
        err.contains("\n  --set \"a\": key \"a\" has no value"),
        "{err}"
    );
    assert!(
        err.contains("\n  --set-json \"b=x\": invalid JSON value"),
        "{err}"
    );
}

#[test]
fn a_bad_values_file_names_file_line_and_column() {
    let out = rudder(
        &["values", "fixtures/charts/small", "-f", "-"],
        "a: 1\nb: [1\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("Error: <stdin>:"), "{err}");
}

#[test]
fn a_missing_chart_is_exit_code_1() {
    let out = rudder(&["values", "no/such/chart"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("Error: no/such/chart: "),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_errors_are_exit_code_2() {
    for args in [
        &["values"][..],
        &["values", "c", "--bogus"],
        &["frobnicate"],
    ] {
        let out = rudder(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).starts_with("error: "),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_closed_stdout_is_success() {
    // Far more output than a pipe buffers, so the write really fails.
    let big: String = (0..50_000)
        .map(|i| format!("key{i}: value-{i}\n"))
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rudder"))
        .args([
            "values",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/charts/small"),
            "-f",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rudder starts");
    let mut stdin = child.stdin.take().expect("stdin");
    drop(child.stdout.take());
    stdin.write_all(big.as_bytes()).expect("write stdin");
    drop(stdin);
    let out = child.wait_with_output().expect("rudder runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The keys are unknown to the chart, so stderr carries the unknown-key
    // warnings (capped at 20 lines plus a count); nothing else, and above
    // all no broken-pipe error.
    let err = text(&out.stderr);
    assert!(
        err.lines()
            .all(|l| l.starts_with("warning: values key `key")
                || l == "warning: 49980 more unknown values keys not listed"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 21, "{err}");
}

#[test]
fn a_namespace_printed_inside_itself_is_an_error_not_a_crash() {
    // minijinja's own `~` recurses through the namespace until the render
    // stack runs out; the binary's fault handler turns that into exit 1.
    let out = rudder(&["template", "r", "fixtures/unbounded/self-namespace"], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("Error: rudder ran out of stack and stopped: "),
        "{stderr}"
    );
    assert!(stderr.contains("{% set ns.me = ns %}"), "{stderr}");
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn a_template_that_grows_a_string_without_bound_stops_at_max_memory() {
    // 64 doublings would need 2^64 bytes; fuel never runs out first.
    let out = rudder(
        &[
            "template",
            "r",
            "fixtures/unbounded/doubling",
            "--max-memory",
            "256M",
        ],
        "",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "needed more than 256 MiB of memory (--max-memory) while rendering chart doubling and stopped: a template"
        ),
        "{stderr}"
    );
    assert_eq!(text(&out.stdout), "");
    // An endless values file is named, not blamed on a template.
    let out = rudder(
        &[
            "template",
            "r",
            "fixtures/charts/small-app",
            "-f",
            "/dev/zero",
            "--max-memory",
            "128M",
        ],
        "",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "needed more than 128 MiB of memory (--max-memory) while reading values file /dev/zero and stopped"
        ),
        "{stderr}"
    );
    let out = rudder(
        &[
            "template",
            "r",
            "fixtures/unbounded/doubling",
            "--max-memory",
            "1M",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("below the 64M"),
        "{}",
        text(&out.stderr)
    );
}

/// A Jinja chart reading values written for a Helm chart: `gotpl` renders
/// their Go template text as Helm's `tpl` does (the expected texts are
/// helm 4.1.4's for the same values through `{{ tpl .Values.x . }}`), and a
/// failing value gets Helm's inner error text.
#[test]
fn jinja_chart_renders_go_text_from_values_with_gotpl() {
    let args = ["template", "rel", "fixtures/charts/gotpl", "-n", "ns"];
    let out = rudder(&args, "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("  url: \"ldap://rel-openldap.ns:389\"\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  hosts: \"A,B,\"\n"), "{stdout}");

    let out = rudder(&[&args[..], &["--set", "showBroken=true"]].concat(), "");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "error during tpl function execution for \"{{ .Values.nothere.deeper }}\": \
             template: gotpl:1:10: executing \"gotpl\" at <.Values.nothere.deeper>: \
             nil pointer evaluating interface {}.deeper"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("gotpl/templates/configmap.yaml:9"),
        "{stderr}"
    );
}

/// `rudder convert` writes a Jinja chart that renders what the Helm chart
/// renders, says what it did on stderr, and never writes into a directory
/// that holds anything.
#[test]
fn convert_writes_a_jinja_chart_that_renders_the_same() {
    let out_dir = std::env::temp_dir().join(format!("rudder-convert-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let chart = "tests/go_templates/scope";
    let dir = out_dir.to_str().expect("utf-8 temp dir");
    let out = rudder(&["convert", chart, dir], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("2 templates"), "{stderr}");
    assert!(stderr.contains("checked: both render the same"), "{stderr}");
    let chart_yaml = std::fs::read_to_string(out_dir.join("Chart.yaml")).expect("Chart.yaml");
    assert!(chart_yaml.contains("  rudder.dev/templates: jinja\n  rudder.dev/scope: ctx\n"));
    let original = rudder(&["template", "rel", chart], "");
    let converted = rudder(&["template", "rel", dir], "");
    assert_eq!(
        converted.status.code(),
        Some(0),
        "{}",
        text(&converted.stderr)
    );
    assert_eq!(text(&converted.stdout), text(&original.stdout));

    let again = rudder(&["convert", chart, dir], "");
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains(&format!("{dir}: exists and is not empty")),
        "{}",
        text(&again.stderr)
    );
    // A Jinja chart is not converted again.
    let twice = out_dir.with_extension("twice");
    let out = rudder(&["convert", dir, twice.to_str().expect("utf-8")], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("rudder (Jinja) chart already"));
    assert!(!twice.exists());
    let _ = std::fs::remove_dir_all(&out_dir);
}
