//! `rudder init`: the bundled Dispatch chart, `dispatch init`'s flags, and
//! every Konvoy example of the Dispatch install docs as `--from-konvoy`
//! input, checked on the parsed output.

#[path = "common/mod.rs"]
mod common;

use common::{documents, find};
use rudder_values::Value;

fn init(args: &[&str]) -> Vec<(String, Value)> {
    let mut all = vec!["init", "--dry-run", "--seed", "1"];
    all.extend_from_slice(args);
    documents(&common::render(&all))
}

fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    v.get_path(path.split('.'))
}

#[test]
fn init_renders_the_bundled_dispatch_chart_into_its_namespace_first() {
    let out = common::render(&["init", "--dry-run", "--seed", "1"]);
    assert!(out.starts_with("# Step 1 of 2: kubectl apply -n dispatch -f -\n---\n# Source: rudder/namespace.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dispatch\n"));
    let docs = documents(&out);
    let server = find(&docs, "Deployment", "dispatch-argocd-server").expect("argocd server");
    assert_eq!(
        get(server, "metadata.namespace").and_then(Value::as_str),
        Some("dispatch")
    );
    // As `helm install`: the release (the stream of `rudder template
    // dispatch dispatch/dispatch -n dispatch --no-hooks`), then the
    // post-install hook on its own, and never the test hook.
    let template = |extra: &[&str]| {
        let mut args = vec![
            "template",
            "dispatch",
            "dispatch/dispatch",
            "-n",
            "dispatch",
            "--seed",
            "1",
        ];
        args.extend_from_slice(extra);
        common::render(&args)
    };
    let (release, hook) = out
        .split_once("# Step 2 of 2: post-install hook Job/dispatch-minio-make-bucket-job (weight 0, delete policy before-hook-creation,hook-succeeded): kubectl apply -n dispatch -f -, then wait until it completes (up to 5m0s)\n")
        .expect("the post-install hook is step 2");
    assert!(
        release.ends_with(&template(&["--no-hooks"])),
        "step 1 applies exactly the template stream without hooks"
    );
    assert!(template(&["-s", "charts/minio/templates/bucket-job.yaml"]).ends_with(hook));
    assert!(!out.contains("helm.sh/hook: test"), "no test hooks");
    common::kube_validate(&out, "1.30.0");
}

#[test]
fn watch_namespaces_become_roles_and_controller_args() {
    let docs = init(&["--watch-namespace", "team-a", "--watch-namespace", "team-b"]);
    for ns in ["team-a", "team-b"] {
        assert!(find(&docs, "Namespace", ns).is_some(), "namespace {ns}");
        assert!(
            docs.iter()
                .any(
                    |(_, d)| d.lookup("kind").and_then(Value::as_str) == Some("RoleBinding")
                        && get(d, "metadata.namespace").and_then(Value::as_str) == Some(ns)
                ),
            "a RoleBinding in {ns}"
        );
    }
    let text = common::render(&[
        "init",
        "--dry-run",
        "--seed",
        "1",
        "--watch-namespace",
        "team-a",
    ]);
    assert!(
        text.contains("--watch-namespace=team-a"),
        "controllers watch the namespace"
    );
}

#[test]
fn another_namespace() {
    let docs = init(&["-n", "ci"]);
    assert!(find(&docs, "Namespace", "ci").is_some());
    let sink = find(&docs, "Deployment", "dispatch-event-sink").expect("event-sink");
    assert_eq!(
        get(sink, "metadata.namespace").and_then(Value::as_str),
        Some("ci")
    );
}

fn konvoy(file: &str) -> Vec<(String, Value)> {
    init(&["--from-konvoy", &format!("fixtures/konvoy/{file}.yaml")])
}

#[test]
fn konvoy_autoscaling() {
    let docs = konvoy("autoscaling");
    let hpa = find(
        &docs,
        "HorizontalPodAutoscaler",
        "dispatch-argocd-server-hpa",
    )
    .expect("server hpa");
    assert_eq!(get(hpa, "spec.minReplicas"), Some(&Value::Int(2)));
    assert_eq!(get(hpa, "spec.maxReplicas"), Some(&Value::Int(4)));
    let hpa = find(
        &docs,
        "HorizontalPodAutoscaler",
        "dispatch-argocd-repo-server-hpa",
    )
    .expect("repo hpa");
    assert_eq!(get(hpa, "spec.minReplicas"), Some(&Value::Int(3)));
}

#[test]
fn konvoy_manual_replicas() {
    let docs = konvoy("manual-replicas");
    assert!(
        find(
            &docs,
            "HorizontalPodAutoscaler",
            "dispatch-argocd-server-hpa"
        )
        .is_none()
    );
    let server = find(&docs, "Deployment", "dispatch-argocd-server").expect("server");
    assert_eq!(get(server, "spec.replicas"), Some(&Value::Int(1)));
}

#[test]
fn konvoy_dex() {
    let docs = konvoy("konvoy-dex");
    let cm = find(&docs, "ConfigMap", "argocd-cm").expect("argocd-cm");
    let oidc = cm
        .get_path(["data", "oidc.config"])
        .and_then(Value::as_str)
        .expect("oidc.config");
    assert!(oidc.contains("clientID"), "{oidc}");
}

#[test]
fn konvoy_auth_type_annotation() {
    let docs = konvoy("auth-type");
    let ing = docs
        .iter()
        .map(|(_, d)| d)
        .find(|d| {
            d.lookup("kind").and_then(Value::as_str) == Some("Ingress")
                && d.get_path(["metadata", "name"])
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.contains("argocd"))
        })
        .expect("argo-cd ingress");
    let v = ing.get_path([
        "metadata",
        "annotations",
        "traefik.ingress.kubernetes.io/auth-type",
    ]);
    assert_eq!(v, Some(&Value::String(String::new())));
}

#[test]
fn konvoy_default_role_and_rbac() {
    let docs = konvoy("default-role");
    let cm = find(&docs, "ConfigMap", "argocd-cm").expect("argocd-cm");
    assert_eq!(
        cm.get_path(["data", "users.anonymous.enabled"]),
        Some(&Value::String("false".into()))
    );
    let rbac = find(&docs, "ConfigMap", "argocd-rbac-cm").expect("argocd-rbac-cm");
    assert_eq!(
        rbac.get_path(["data", "policy.default"]),
        Some(&Value::String("role:readonly".into()))
    );

    let docs = konvoy("rbac");
    let rbac = find(&docs, "ConfigMap", "argocd-rbac-cm").expect("argocd-rbac-cm");
    assert_eq!(
        rbac.get_path(["data", "policy.default"]),
        Some(&Value::String(String::new()))
    );
    assert_eq!(
        rbac.get_path(["data", "policy.csv"]),
        Some(&Value::String(
            "g, myorg:engineers, role:admin\ng, myorg:interns, role:readonly\n".into()
        ))
    );
}

#[test]
fn konvoy_minio_distributed() {
    let docs = konvoy("minio-distributed");
    let sts = docs
        .iter()
        .map(|(_, d)| d)
        .find(|d| d.lookup("kind").and_then(Value::as_str) == Some("StatefulSet"))
        .expect("minio statefulset");
    assert_eq!(get(sts, "spec.replicas"), Some(&Value::Int(6)));
    assert_eq!(
        get(sts, "spec.podManagementPolicy").and_then(Value::as_str),
        Some("Parallel")
    );
}

#[test]
fn flags_win_over_the_konvoy_block() {
    let docs = init(&[
        "--from-konvoy",
        "fixtures/konvoy/autoscaling.yaml",
        "--set",
        "argo-cd.server.autoscaling.minReplicas=3",
    ]);
    let hpa = find(
        &docs,
        "HorizontalPodAutoscaler",
        "dispatch-argocd-server-hpa",
    )
    .expect("server hpa");
    assert_eq!(get(hpa, "spec.minReplicas"), Some(&Value::Int(3)));
    assert_eq!(
        get(hpa, "spec.maxReplicas"),
        Some(&Value::Int(4)),
        "the rest of the block stays"
    );
}
