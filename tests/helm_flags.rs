//! The command-line conventions a Helm user types (issue 20): `version`,
//! `completion`, `--skip-schema-validation`, the release-name flags,
//! `--labels`, `--post-renderer`, `--max-memory` where it applies, and
//! stderr progress and colour only on a terminal.

#[path = "common/mod.rs"]
mod common;

use common::{rudder, rudder_env};

const APP: &str = "fixtures/charts/small-app";

#[test]
fn version_names_rudder_and_the_helm_it_matches() {
    let r = rudder(&["version"]);
    assert_eq!(r.code, Some(0));
    assert_eq!(
        r.stdout,
        format!(
            "rudder {} (renders as helm v4.1.4)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn completion_is_helms_name_and_completions_still_works() {
    let a = rudder(&["completion", "bash"]);
    let b = rudder(&["completions", "bash"]);
    assert_eq!(a.code, Some(0), "{}", a.stderr);
    assert!(a.stdout.contains("_rudder()"), "{}", a.stdout);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn skip_schema_validation_renders_values_the_schema_refuses() {
    let args = [
        "template",
        "s",
        "fixtures/charts/schema",
        "--set",
        "replicas=0",
    ];
    let r = rudder(&args);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("replicas: must be >= 1"), "{}", r.stderr);
    let mut skip = args.to_vec();
    skip.push("--skip-schema-validation");
    let r = rudder(&skip);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("---\n# Source: schema/templates/values.yaml\n")
    );
}

#[test]
fn release_name_flags_pick_the_name_as_helm_does() {
    let name = |args: &[&str], env: &[(&str, &str)]| {
        let r = rudder_env(args, env);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        r.stdout
            .lines()
            .find_map(|l| l.strip_prefix("  name: "))
            .map(str::to_owned)
            .expect("a name")
    };
    // `helm template CHART --generate-name` keeps release-name.
    assert_eq!(
        name(&["template", APP, "-g"], &[]),
        "release-name-small-app"
    );
    // Install-like commands generate CHART-SECONDS, pinned by SOURCE_DATE_EPOCH.
    let epoch = [("SOURCE_DATE_EPOCH", "1767225600")];
    let r = rudder_env(&["apply", APP, "-g", "--dry-run", "-n", "x"], &epoch);
    assert!(
        r.stdout.contains("name: small-app-1767225600-small-app"),
        "{}",
        r.stdout
    );
    assert_eq!(
        name(&["template", APP, "--name-template", "fixed"], &[]),
        "fixed-small-app"
    );
    for (flag, message) in [
        ("-g", "cannot set --generate-name and also specify a name"),
        (
            "--name-template=n",
            "cannot set --name-template and also specify a name",
        ),
    ] {
        let r = rudder(&["template", "web", APP, flag]);
        assert_eq!(r.code, Some(2));
        assert!(r.stderr.contains(message), "{}", r.stderr);
    }
    // A Go template with Sprig's functions, as Helm's `TemplateName`;
    // random functions follow --seed.
    assert_eq!(
        name(
            &[
                "template",
                APP,
                "--name-template",
                "{{ \"Web.1\" | lower | replace \".\" \"-\" }}"
            ],
            &[]
        ),
        "web-1-small-app"
    );
    let seeded = [
        "template",
        APP,
        "--seed",
        "7",
        "--name-template",
        "{{ randAlpha 6 | lower }}",
    ];
    let first = name(&seeded, &[]);
    assert_eq!(first, name(&seeded, &[]));
    assert!(
        first.len() == "abcdef-small-app".len() && first.ends_with("-small-app"),
        "{first}"
    );
    let r = rudder(&["template", APP, "--name-template", "{{ nope }}"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(
            "--name-template \"{{ nope }}\": parse error at (name-template:1): function \"nope\" not defined"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn release_name_puts_output_dir_files_under_the_release() {
    let dir = std::env::temp_dir().join(format!("rudder-relname-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().expect("utf-8");
    let r = rudder(&["template", "web", APP, "--output-dir", d, "--release-name"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        dir.join("web/small-app/templates/deploy.yaml").is_file(),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("wrote {d}/web/small-app/templates/deploy.yaml"))
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn labels_are_checked_as_helm_checks_them_and_change_nothing() {
    let plain = rudder(&["template", "web", APP]);
    let labelled = rudder(&[
        "template",
        "web",
        APP,
        "--labels",
        "team=core,tier=web",
        "-l",
        "a=b",
    ]);
    assert_eq!(labelled.code, Some(0), "{}", labelled.stderr);
    assert_eq!(plain.stdout, labelled.stdout);
    let r = rudder(&["template", "web", APP, "--labels", "a"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(
            "invalid argument \"a\" for \"-l, --labels\" flag: a must be formatted as key=value"
        ),
        "{}",
        r.stderr
    );
    let r = rudder(&["template", "web", APP, "--labels", "owner=me"]);
    assert!(
        r.stderr
            .contains("System labels: [name owner status version createdAt modifiedAt]"),
        "{}",
        r.stderr
    );
}

/// Writes an executable shell script into a fresh directory.
fn script(name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("rudder-pr-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("post-render");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[test]
fn post_renderer_rewrites_the_stream() {
    // Reads the stream, replaces a word given as an argument.
    let p = script("sed", "sed \"s/$1/$2/g\"");
    let pr = p.to_str().expect("utf-8");
    let plain = rudder(&["template", "web", APP]);
    let r = rudder(&[
        "template",
        "web",
        APP,
        "--post-renderer",
        pr,
        "--post-renderer-args",
        "busybox",
        "--post-renderer-args",
        "alpine",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, plain.stdout.replace("busybox", "alpine"));
    // apply takes the post-rendered objects too.
    let r = rudder(&[
        "apply",
        "web",
        APP,
        "--dry-run",
        "--post-renderer",
        pr,
        "--post-renderer-args",
        "nginx",
        "--post-renderer-args",
        "caddy",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("caddy") && !r.stdout.contains("nginx"),
        "{}",
        r.stdout
    );
    std::fs::remove_dir_all(p.parent().expect("dir")).expect("cleanup");
}

#[test]
fn a_failing_post_renderer_is_named_with_its_status_and_stderr() {
    let p = script(
        "fail",
        "cat >/dev/null; echo 'kustomize: bad patch' >&2; exit 3",
    );
    let pr = p.to_str().expect("utf-8");
    let r = rudder(&["template", "web", APP, "--post-renderer", pr]);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stderr,
        format!("Error: --post-renderer {pr}: exited with status 3: kustomize: bad patch\n")
    );
    let empty = script("empty", "cat >/dev/null");
    let r = rudder(&[
        "template",
        "web",
        APP,
        "--post-renderer",
        empty.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.ends_with(": produced empty output\n"),
        "{}",
        r.stderr
    );
    let r = rudder(&["template", "web", APP, "--post-renderer", "/nonexistent/pr"]);
    assert!(
        r.stderr
            .contains("--post-renderer /nonexistent/pr: no such program"),
        "{}",
        r.stderr
    );
    for p in [p, empty] {
        std::fs::remove_dir_all(p.parent().expect("dir")).expect("cleanup");
    }
}

#[test]
fn max_memory_is_a_flag_of_the_commands_that_render() {
    for args in [
        vec!["template", "web", APP, "--max-memory", "1G"],
        vec!["values", APP, "--max-memory", "1G"],
        vec!["lint", "web", APP, "--max-memory", "1G"],
        vec!["apply", "web", APP, "--dry-run", "--max-memory", "1G"],
    ] {
        let r = rudder(&args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
    }
    for args in [
        vec!["charts", "--max-memory", "1G"],
        vec!["version", "--max-memory", "1G"],
    ] {
        let r = rudder(&args);
        assert_eq!(r.code, Some(2), "{args:?} takes no --max-memory");
        assert!(
            r.stderr.contains("unexpected argument '--max-memory'"),
            "{}",
            r.stderr
        );
    }
    let help = rudder(&["unittest", "--help"]);
    assert!(help.stdout.contains("--max-memory"), "unittest renders too");
}

/// Runs `rudder ARGS` with stderr (and stdout) on a pseudo-terminal, via
/// util-linux `script`; what the terminal showed.
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let cmd = std::iter::once(env!("CARGO_BIN_EXE_rudder"))
        .chain(args.iter().copied())
        .map(|a| shlex::try_quote(a).expect("quotable").into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .current_dir(common::root())
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_for_a_large_values_file_only_on_a_terminal() {
    let dir = std::env::temp_dir().join(format!("rudder-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let big = dir.join("big.yaml");
    let mut text = String::from("filler:\n");
    for i in 0..60_000 {
        text.push_str(&format!("  key{i}: value-{i:012}\n"));
    }
    std::fs::write(&big, &text).expect("write");
    let f = big.to_str().expect("utf-8");
    let shown = on_terminal(&["values", APP, "-f", f, "-o", "json"], &[]);
    assert!(
        shown.contains(&format!("reading values file {f} (")),
        "{}",
        &shown[..200.min(shown.len())]
    );
    let piped = rudder(&["values", APP, "-f", f, "-o", "json"]);
    assert_eq!(piped.code, Some(0));
    // `filler` is not a key of the chart, so its warning is the only line.
    assert_eq!(
        piped.stderr,
        "warning: values key `filler` is unknown: neither the defaults nor the schema of chart small-app know it (Helm ignores it silently; --strict makes this an error)\n",
        "no progress on a stderr that is not a terminal"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn errors_are_coloured_on_a_terminal_unless_no_color() {
    let args = ["template", "web", "fixtures/charts/nope"];
    assert!(
        on_terminal(&args, &[]).contains("\u{1b}["),
        "coloured on a terminal"
    );
    let plain = on_terminal(&args, &[("NO_COLOR", "1")]);
    assert!(
        plain.contains("Error:") && !plain.contains("\u{1b}["),
        "{plain:?}"
    );
}
