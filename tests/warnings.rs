//! Helm's coalescing warnings reach stderr in every command that computes
//! values (issue 18: they used to be printed by `rudder values` only).

#[path = "common/mod.rs"]
mod common;

const WARNING: &str =
    "warning: condition path \"enabledsub.enabled\" for chart enabledsub returned non-bool value";

#[test]
fn every_command_prints_the_coalescing_warnings_once() {
    let chart = "fixtures/charts/parent";
    let set = "enabledsub.enabled=maybe";
    for args in [
        vec!["template", "r", chart, "--set", set],
        vec!["lint", "r", chart, "--set", set],
        vec!["values", chart, "--set", set],
        vec!["apply", "r", chart, "--set", set, "--dry-run"],
    ] {
        let r = common::rudder(&args);
        assert_eq!(
            r.stderr.matches(WARNING).count(),
            1,
            "rudder {args:?}: stderr:\n{}",
            r.stderr
        );
        assert!(!r.stdout.contains("warning:"), "stdout carries only output");
    }
    // No warning without the cause.
    let r = common::rudder(&["template", "r", chart]);
    assert!(!r.stderr.contains("warning:"), "{}", r.stderr);
}
