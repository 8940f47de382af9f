//! Install and test as Helm does (issue 20): `rudder apply` runs hooks
//! around the release in `helm install`'s order, `rudder test` runs the
//! test pods as `helm test`; checked with a recording stand-in kubectl
//! (there is no cluster here) that answers `get` and `logs` as each test
//! scripts it.

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const CHART: &str = "fixtures/charts/lifecycle";

/// A kubectl stand-in: appends `VERB ARGS : Kind/name…` (the objects of
/// its stdin) to `DIR/log`; answers `get` with `Complete`/`Succeeded`
/// (`Failed` for the object named `$STANDIN_FAIL`, `$STANDIN_PHASE` when
/// set), `logs` with `log of TARGET`.
fn standin(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).expect("dir");
    let script = dir.join("kubectl");
    let body = r#"#!/bin/sh
log="$DIR/log"
case "$1" in --context|--kubeconfig) shift 2;; esac
case "$1" in --context|--kubeconfig) shift 2;; esac
verb="$1"
target=""
for a in "$@"; do case "$a" in */*) [ "$a" = "jsonpath=${a#jsonpath=}" ] || target="$a";; esac; done
case "$verb" in
  apply|delete)
    objs=$(awk '/^kind:/{k=$2} /^  name:/{if(k!=""){printf " %s/%s", k, $2; k=""}}')
    echo "$* :$objs" >> "$log";;
  get)
    echo "$*" >> "$log"
    name="${target#*/}"
    if [ -n "$STANDIN_PHASE" ]; then echo "$STANDIN_PHASE"
    elif [ "$name" = "$STANDIN_FAIL" ]; then echo Failed
    else case "$target" in job/*) echo Complete;; *) echo Succeeded;; esac
    fi;;
  logs)
    echo "$*" >> "$log"
    echo "log of $target";;
esac
exit 0
"#;
    std::fs::write(&script, body.replace("$DIR", &dir.display().to_string()))
        .expect("write stand-in");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    log: String,
}

fn run(name: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = std::env::temp_dir().join(format!("rudder-lc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let kubectl = standin(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .args(["--kubectl", kubectl.to_str().expect("utf-8")])
        .envs(env.iter().copied())
        .env("TZ", "UTC")
        .current_dir(common::root())
        .output()
        .expect("runs");
    let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
    std::fs::remove_dir_all(&dir).expect("cleanup");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        log,
    }
}

const DEL: &str = "delete -n ns --ignore-not-found --wait=true --timeout=5m0s -f - :";

#[test]
fn apply_runs_pre_install_hooks_then_the_release_then_post_install_hooks() {
    let r = run("apply", &["apply", "x", CHART, "-n", "ns"], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let expected = [
        // The namespace first: hooks run in it.
        "apply -n ns -f - : Namespace/ns".to_owned(),
        // pre-install by weight (-1, then 5 and 5 by name); the default
        // policy deletes each first; ConfigMaps are not waited for.
        format!("{DEL} ConfigMap/x-pre-config"),
        "apply -n ns -f - : ConfigMap/x-pre-config".to_owned(),
        format!("{DEL} Pod/x-check"),
        "apply -n ns -f - : Pod/x-check".to_owned(),
        "get -n ns pod/x-check -o jsonpath={.status.phase}".to_owned(),
        // hook-succeeded only: not deleted first, deleted once it completed.
        "apply -n ns -f - : Job/x-migrate".to_owned(),
        "get -n ns job/x-migrate -o jsonpath={.status.conditions[?(@.status==\"True\")].type}"
            .to_owned(),
        format!("{DEL} Job/x-migrate"),
        // The release in install order; another namespace's object apart.
        "apply -n ns -f - : ServiceAccount/x-sa ConfigMap/x-config".to_owned(),
        "apply -f - : ConfigMap/x-elsewhere".to_owned(),
        format!("{DEL} Job/x-seed"),
        "apply -n ns -f - : Job/x-seed".to_owned(),
        "get -n ns job/x-seed -o jsonpath={.status.conditions[?(@.status==\"True\")].type}"
            .to_owned(),
    ];
    assert_eq!(r.log.lines().collect::<Vec<_>>(), expected, "{}", r.log);
    assert!(!r.log.contains("test"), "test hooks are never applied");
}

#[test]
fn a_failed_hook_stops_the_install_and_deletes_by_policy() {
    let r = run(
        "fail",
        &["apply", "x", CHART, "-n", "ns", "--timeout", "90s"],
        &[("STANDIN_FAIL", "x-seed")],
    );
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .contains("post-install hook Job/x-seed (lc/templates/hooks.yaml): Job x-seed failed"),
        "{}",
        r.stderr
    );
    let last: Vec<&str> = r.log.lines().rev().take(2).collect();
    assert_eq!(
        last[0], "delete -n ns --ignore-not-found --wait=true --timeout=1m30s -f - : Job/x-seed",
        "hook-failed: the failed Job is deleted\n{}",
        r.log
    );
    // A failed pre-install hook: the release is never applied.
    let r = run(
        "fail-pre",
        &["apply", "x", CHART, "-n", "ns"],
        &[("STANDIN_FAIL", "x-migrate")],
    );
    assert_eq!(r.code, Some(1));
    assert!(!r.log.contains("ServiceAccount"), "{}", r.log);
    assert!(!r.log.contains("x-seed"), "{}", r.log);
}

#[test]
fn a_hook_that_never_finishes_times_out() {
    let r = run(
        "timeout",
        &["apply", "x", CHART, "-n", "ns", "--timeout", "300ms"],
        &[("STANDIN_PHASE", "Running")],
    );
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("timed out after 300ms waiting for Pod x-check to succeed (last seen: Running); raise --timeout"),
        "{}",
        r.stderr
    );
}

#[test]
fn dry_run_prints_every_step_in_order() {
    let r = run("dry", &["apply", "x", CHART, "-n", "ns", "--dry-run"], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.log, "", "kubectl is not run");
    let steps: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("# Step"))
        .collect();
    assert_eq!(
        steps,
        [
            "# Step 1 of 7: kubectl apply -n ns -f -",
            "# Step 2 of 7: pre-install hook ConfigMap/x-pre-config (weight -1, delete policy before-hook-creation): kubectl apply -n ns -f -",
            "# Step 3 of 7: pre-install hook Pod/x-check (weight 5, delete policy before-hook-creation): kubectl apply -n ns -f -, then wait until it succeeds (up to 5m0s)",
            "# Step 4 of 7: pre-install hook Job/x-migrate (weight 5, delete policy hook-succeeded): kubectl apply -n ns -f -, then wait until it completes (up to 5m0s)",
            "# Step 5 of 7: kubectl apply -n ns -f -",
            "# Step 6 of 7: kubectl apply -f - (each object in its own namespace)",
            "# Step 7 of 7: post-install hook Job/x-seed (weight 0, delete policy before-hook-creation,hook-failed): kubectl apply -n ns -f -, then wait until it completes (up to 5m0s)",
        ]
    );
    assert!(!r.stdout.contains("x-test"), "no test hooks");
    // --no-hooks: the release's two applies only.
    let r = run(
        "nohooks",
        &["apply", "x", CHART, "-n", "ns", "--dry-run", "--no-hooks"],
        &[],
    );
    let steps: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("# Step"))
        .collect();
    assert_eq!(
        steps,
        [
            "# Step 1 of 2: kubectl apply -n ns -f -",
            "# Step 2 of 2: kubectl apply -f - (each object in its own namespace)"
        ]
    );
    assert!(!r.stdout.contains("helm.sh/hook"), "{}", r.stdout);
    // One apply is printed exactly as kubectl gets it, with no comment.
    let r = run(
        "one",
        &[
            "apply",
            "x",
            "fixtures/charts/small-app",
            "-n",
            "ns",
            "--dry-run",
        ],
        &[],
    );
    assert!(
        r.stdout
            .starts_with("---\n# Source: rudder/namespace.yaml\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("# Step") && !r.stdout.contains("helm.sh/hook"));
}

/// The report with its times replaced by `T` (they are the real times).
fn masked(stdout: &str) -> String {
    stdout
        .lines()
        .map(|l| {
            match l
                .split_once(":   ")
                .or_else(|| l.split_once(": ").filter(|(k, _)| k.starts_with("Last")))
            {
                Some((k, _)) if k.starts_with("Last") => format!("{k}: T"),
                _ => l.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn test_runs_the_test_pods_by_weight_and_reports_as_helm_test() {
    let r = run("test", &["test", "x", CHART, "-n", "ns", "--logs"], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        masked(&r.stdout),
        "NAME: x\nNAMESPACE: ns\n\
         TEST SUITE:     x-test-ok\nLast Started: T\nLast Completed: T\nPhase:          Succeeded\n\
         TEST SUITE:     x-test-first\nLast Started: T\nLast Completed: T\nPhase:          Succeeded\n\
         \nPOD LOGS: x-test-first\nlog of pod/x-test-first\n\n\
         POD LOGS: x-test-ok\nlog of pod/x-test-ok\n"
    );
    // Go's time.ANSIC.
    let started = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Last Started:"))
        .expect("a time");
    let time = started.trim_start_matches("Last Started:").trim();
    assert!(
        jiff::fmt::strtime::parse("%a %b %e %H:%M:%S %Y", time).is_ok(),
        "{time}"
    );
    let runs: Vec<&str> = r.log.lines().filter(|l| l.starts_with("apply")).collect();
    assert_eq!(
        runs,
        [
            "apply -n ns -f - : Pod/x-test-first",
            "apply -n ns -f - : Pod/x-test-ok"
        ]
    );
    assert!(
        r.log.ends_with(&format!("{DEL} Pod/x-test-ok\n")),
        "hook-succeeded: deleted after the logs were read\n{}",
        r.log
    );
    assert!(
        !r.log.contains("migrate") && !r.log.contains("x-config"),
        "only tests"
    );
}

#[test]
fn a_failed_test_is_reported_and_exits_1() {
    let r = run(
        "testfail",
        &["test", "x", CHART, "-n", "ns"],
        &[("STANDIN_FAIL", "x-test-first")],
    );
    assert_eq!(r.code, Some(1));
    assert_eq!(
        masked(&r.stdout),
        "NAME: x\nNAMESPACE: ns\nTEST SUITE:     x-test-first\nLast Started: T\nLast Completed: T\nPhase:          Failed"
    );
    assert!(r.stderr.contains("Pod x-test-first failed"), "{}", r.stderr);
    assert!(
        !r.log.contains("Pod/x-test-ok"),
        "the first failure stops the tests"
    );
    // --filter picks tests by name.
    let r = run(
        "filter",
        &[
            "test",
            "x",
            CHART,
            "-n",
            "ns",
            "--filter",
            "!name=x-test-first",
        ],
        &[("STANDIN_FAIL", "x-test-first")],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stdout.contains("x-test-first"), "{}", r.stdout);
}

#[test]
fn a_chart_without_tests_has_no_test_suite() {
    let r = run(
        "notests",
        &["test", "x", "fixtures/charts/small", "-n", "ns"],
        &[],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, "NAME: x\nNAMESPACE: ns\nTEST SUITE: None\n");
    assert_eq!(r.log, "");
}
