//! Shared by the chart tests: run the `rudder` binary and validate its
//! output with the real `kubernetes-validate` (strict mode).
#![allow(dead_code, unreachable_pub, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// Output of one `rudder` run.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `rudder ARGS` from the workspace root.
pub fn rudder(args: &[&str]) -> Run {
    rudder_env(args, &[])
}

/// `SOURCE_DATE_EPOCH` for reproducible renders (2026-01-01T00:00:00Z):
/// with `--seed`, generated certificates and passwords are byte-stable.
pub const PINNED_EPOCH: &str = "1767225600";

/// Runs `rudder ARGS` with the time pinned to [`PINNED_EPOCH`], as
/// snapshots need.
pub fn rudder_pinned(args: &[&str]) -> Run {
    rudder_env(args, &[("SOURCE_DATE_EPOCH", PINNED_EPOCH)])
}

/// Runs `rudder ARGS` from the workspace root with extra environment.
pub fn rudder_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("rudder runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `rudder ARGS` and returns stdout, failing the test on an error.
pub fn render(args: &[&str]) -> String {
    let r = rudder(args);
    assert_eq!(r.code, Some(0), "rudder {args:?} failed:\n{}", r.stderr);
    r.stdout
}

/// The `kubernetes-validate` command: `RUDDER_KUBE_VALIDATE`, else the one
/// `scripts/install-validators.sh` puts in `.tools/venv`. Missing, the test
/// fails with the install hint, unless `RUDDER_SKIP_VALIDATE=1`.
fn validator() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("RUDDER_KUBE_VALIDATE") {
        return Some(PathBuf::from(p));
    }
    let p = root().join(".tools/venv/bin/kubernetes-validate");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("RUDDER_SKIP_VALIDATE").as_deref() == Ok("1") {
        eprintln!("RUDDER_SKIP_VALIDATE=1: not validating manifests");
        return None;
    }
    panic!(
        "kubernetes-validate not found: run scripts/install-validators.sh (or set RUDDER_SKIP_VALIDATE=1)"
    );
}

/// Validates a manifest stream against Kubernetes `version` (e.g. `1.30.0`)
/// in strict mode: unknown fields and missing required ones fail. Custom
/// resources without a schema only warn, as the validator does.
pub fn kube_validate(stream: &str, version: &str) {
    let Some(bin) = validator() else { return };
    let dir = std::env::temp_dir().join(format!(
        "rudder-validate-{}-{}",
        std::process::id(),
        fastrand_suffix()
    ));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let file = dir.join("manifests.yaml");
    std::fs::write(&file, stream).expect("write manifests");
    let out = Command::new(bin)
        .args(["--strict", "--quiet", "-k", version])
        .arg(&file)
        .output()
        .expect("kubernetes-validate runs");
    let _ = std::fs::remove_dir_all(&dir);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "kubernetes-validate --strict -k {version} failed:\n{text}"
    );
    // The validator only warns when it has no schema for a kind; that is
    // acceptable for custom resources, never for Kubernetes' own API groups
    // (a misspelt kind or a removed apiVersion would slip through).
    let unknown_builtin: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Couldn't find schema"))
        .filter(|l| {
            let api = l
                .split("api version ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .unwrap_or("");
            !is_custom_group(api)
        })
        .collect();
    assert!(
        unknown_builtin.is_empty(),
        "no schema for built-in kinds:\n{}",
        unknown_builtin.join("\n")
    );
}

/// True for API groups of custom resources (`argoproj.io/v1alpha1`), false
/// for Kubernetes' own (`v1`, `apps/v1`, `networking.k8s.io/v1`,
/// `extensions/v1beta1`, …).
pub fn is_custom_group(api_version: &str) -> bool {
    let group = match api_version.rsplit_once('/') {
        Some((g, _)) => g,
        None => return false,
    };
    group.contains('.') && !group.ends_with(".k8s.io") && group != "k8s.io"
}

fn fastrand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Every document of a stream parsed as YAML, with its `# Source:` path.
pub fn documents(stream: &str) -> Vec<(String, rudder_values::Value)> {
    stream
        .split("\n---\n")
        .map(|d| d.trim_start_matches("---\n"))
        .filter(|d| !d.trim().is_empty())
        .map(|d| {
            let source = d
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("# Source: ")
                .to_owned();
            let v =
                rudder_values::yaml::parse(d, &source).unwrap_or_else(|e| panic!("{source}: {e}"));
            (source, v)
        })
        .collect()
}

/// The documents of `kind` named `name`.
pub fn find<'a>(
    docs: &'a [(String, rudder_values::Value)],
    kind: &str,
    name: &str,
) -> Option<&'a rudder_values::Value> {
    docs.iter().map(|(_, v)| v).find(|v| {
        v.lookup("kind").and_then(|k| k.as_str()) == Some(kind)
            && v.get_path(["metadata", "name"]).and_then(|n| n.as_str()) == Some(name)
    })
}

/// The Kubernetes version the ISD tests render and validate for.
pub const ISD_KUBE: &str = "1.30.0";

/// `rudder template isd charts/isd -n opsmx --seed 1 --kube-version
/// 1.30.0 ARGS` with a pinned clock: how the ISD tests render the chart.
pub fn isd_template(args: &[&str]) -> Run {
    let mut all = vec![
        "template",
        "isd",
        "charts/isd",
        "-n",
        "opsmx",
        "--seed",
        "1",
        "--kube-version",
        ISD_KUBE,
    ];
    all.extend_from_slice(args);
    rudder_pinned(&all)
}

/// `Kind/name` of every document, in stream order.
pub fn ids(docs: &[serde_json::Value]) -> Vec<String> {
    docs.iter()
        .map(|d| {
            format!(
                "{}/{}",
                d["kind"].as_str().unwrap_or("?"),
                d["metadata"]["name"].as_str().unwrap_or("?")
            )
        })
        .collect()
}
