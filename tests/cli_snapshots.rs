//! Every command and error class of the `rudder` binary, with stdout,
//! stderr and exit code pinned by insta-cmd snapshots; and the kubectl pipe,
//! with a recording stand-in and with the real kubectl.

use std::path::{Path, PathBuf};
use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn rudder(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rudder"));
    c.args(args)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH");
    c
}

#[test]
fn template_small_app() {
    assert_cmd_snapshot!(rudder(&[
        "template",
        "web",
        "fixtures/charts/small-app",
        "-n",
        "demo"
    ]));
}

#[test]
fn template_show_only_and_no_match() {
    assert_cmd_snapshot!(rudder(&[
        "template",
        "web",
        "fixtures/charts/small-app",
        "-s",
        "templates/tests/*"
    ]));
    assert_cmd_snapshot!(rudder(&[
        "template",
        "web",
        "fixtures/charts/small-app",
        "-s",
        "templates/nope.yaml"
    ]));
}

#[test]
fn values_yaml_with_overrides() {
    assert_cmd_snapshot!(rudder(&[
        "values",
        "fixtures/charts/small-app",
        "--set",
        "replicas=3",
        "--set-string",
        "image.tag=2"
    ]));
}

#[test]
fn values_errors_all_at_once() {
    assert_cmd_snapshot!(rudder(&[
        "values",
        "fixtures/charts/small-app",
        "-f",
        "missing.yaml",
        "--set",
        "a",
        "--set-json",
        "b=x"
    ]));
}

#[test]
fn render_errors_all_at_once() {
    assert_cmd_snapshot!(rudder(&[
        "template",
        "fixtures/render-errors/required-twice"
    ]));
}

#[test]
fn lint_clean_and_with_problems() {
    assert_cmd_snapshot!(rudder(&["lint", "web", "fixtures/charts/small-app"]));
    assert_cmd_snapshot!(rudder(&["lint", "r", "fixtures/charts/lint-bad"]));
}

#[test]
fn usage_errors() {
    assert_cmd_snapshot!(rudder(&["template"]));
    assert_cmd_snapshot!(rudder(&["template", "c", "--bogus"]));
}

#[test]
fn unknown_chart_reference() {
    assert_cmd_snapshot!(rudder(&["template", "nope/nope"]));
}

#[test]
fn konvoy_values_layer() {
    assert_cmd_snapshot!(rudder(&[
        "values",
        "fixtures/charts/small-app",
        "-o",
        "json",
        "--from-konvoy",
        "fixtures/konvoy/autoscaling.yaml",
        "--addon",
        "dispatch",
        "--set",
        "replicas=5",
    ]));
    assert_cmd_snapshot!(rudder(&[
        "values",
        "fixtures/charts/small-app",
        "--from-konvoy",
        "fixtures/konvoy/autoscaling.yaml"
    ]));
}

#[test]
fn test_and_apply_dry_run() {
    assert_cmd_snapshot!(rudder(&[
        "test",
        "web",
        "fixtures/charts/small-app",
        "-n",
        "demo",
        "--dry-run"
    ]));
    assert_cmd_snapshot!(rudder(&[
        "apply",
        "web",
        "fixtures/charts/small-app",
        "-n",
        "demo",
        "--dry-run",
        "-s",
        "templates/deploy.yaml"
    ]));
}

#[test]
fn pull_refuses_unknown_and_nonempty() {
    assert_cmd_snapshot!(rudder(&["pull", "nope/nope", "/tmp/rudder-pull-never"]));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = rudder(&["completions", shell]).output().expect("runs");
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        // fish names long options `-l set-json`, the others `--set-json`.
        assert!(
            text.contains("rudder") && text.contains("template") && text.contains("set-json"),
            "{shell}"
        );
    }
}

#[test]
fn help_carries_the_dispatch_examples() {
    let out = rudder(&["init", "--help"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("rudder init --set minio.mode=distributed --set minio.replicas=6"),
        "{text}"
    );
    assert!(text.contains("--kube-context"), "{text}");
}

/// A kubectl stand-in that records its argv and stdin, then exits with
/// `$STANDIN_EXIT`.
fn standin(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).expect("dir");
    let script = dir.join("kubectl");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}/argv'\ncat > '{0}/stdin'\necho applied >&2\nexit ${{STANDIN_EXIT:-0}}\n",
            dir.display()
        ),
    )
    .expect("write stand-in");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

#[test]
fn apply_pipes_the_stream_to_kubectl_with_its_flags() {
    let dir = std::env::temp_dir().join(format!("rudder-standin-{}", std::process::id()));
    let kubectl = standin(&dir);
    let k = kubectl.to_str().expect("utf-8 path");
    let args = [
        "apply",
        "web",
        "fixtures/charts/small-app",
        "-n",
        "demo",
        "--kubectl",
        k,
        "--kube-context",
        "prod",
        "--kubeconfig",
        "/etc/kc",
    ];
    let out = rudder(&args).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "applied\n",
        "kubectl's stderr comes through"
    );
    assert_eq!(out.stdout, b"", "nothing on stdout");
    let argv = std::fs::read_to_string(dir.join("argv")).expect("argv");
    assert_eq!(
        argv,
        "--context\nprod\n--kubeconfig\n/etc/kc\napply\n-n\ndemo\n-f\n-\n"
    );
    let piped = std::fs::read_to_string(dir.join("stdin")).expect("stdin");
    let dry = rudder(&[
        "apply",
        "web",
        "fixtures/charts/small-app",
        "-n",
        "demo",
        "--dry-run",
    ])
    .output()
    .expect("runs");
    assert_eq!(
        piped.as_bytes(),
        dry.stdout,
        "the stream kubectl gets is the --dry-run output"
    );
    assert!(piped.starts_with("---\n# Source: rudder/namespace.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n"));
    // kubectl's exit status reaches the user unchanged.
    let out = rudder(&args)
        .env("STANDIN_EXIT", "3")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(3));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn a_missing_kubectl_is_a_clear_error() {
    assert_cmd_snapshot!(rudder(&[
        "apply",
        "web",
        "fixtures/charts/small-app",
        "--kubectl",
        "/nonexistent/kubectl"
    ]));
}

#[test]
fn the_real_kubectl_reports_an_unreachable_cluster_with_its_exit_code() {
    let kubectl = root().join(".tools/bin/kubectl");
    if !kubectl.exists() {
        assert!(
            std::env::var("RUDDER_SKIP_HELM").as_deref() == Ok("1"),
            "{} missing: run scripts/install-helm.sh (it installs kubectl too)",
            kubectl.display()
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("rudder-kubeconfig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("config");
    // Port 1 on loopback: nothing listens, the connection is refused.
    std::fs::write(
        &config,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\n\
         contexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n",
    )
    .expect("kubeconfig");
    let path = format!(
        "{}:{}",
        root().join(".tools/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = rudder(&[
        "apply",
        "web",
        "fixtures/charts/small-app",
        "--kubeconfig",
        config.to_str().expect("utf-8"),
    ])
    .env("PATH", path)
    .output()
    .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("127.0.0.1:1") && stderr.contains("refused"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Error: kubectl exited"),
        "rudder adds nothing to kubectl's own report: {stderr}"
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn charts_lists_the_bundled_charts() {
    assert_cmd_snapshot!(rudder(&["charts"]));
}

#[test]
fn pull_writes_a_bundled_chart_that_renders_like_the_bundled_one() {
    let dir = std::env::temp_dir().join(format!("rudder-pull-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().expect("utf-8 path");
    let out = rudder(&["pull", "dispatch/dispatch", d])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("Chart.yaml").is_file() && dir.join("charts/argo-cd/values.yaml").is_file());
    let pulled = rudder(&["template", "dispatch", d, "-n", "dispatch", "--seed", "1"])
        .output()
        .expect("runs");
    let bundled = rudder(&[
        "template",
        "dispatch",
        "dispatch/dispatch",
        "-n",
        "dispatch",
        "--seed",
        "1",
    ])
    .output()
    .expect("runs");
    assert!(
        pulled.status.success() && pulled.stdout == bundled.stdout,
        "the pulled chart renders the same"
    );
    // A second pull into the same, now non-empty, directory is refused.
    let again = rudder(&["pull", "dispatch/dispatch", d])
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists and is not empty"));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
