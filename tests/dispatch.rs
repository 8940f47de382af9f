//! The Dispatch chart (`charts/dispatch`): snapshots of each fixture's full
//! render (`fixtures/dispatch/*.yaml`) and error report
//! (`fixtures/dispatch/invalid`), every valid render through
//! `kubernetes-validate --strict` for 1.30; the default objects and Argo CD
//! autoscaling as the Dispatch docs set it. The other documented options are
//! in tests/dispatch_options.rs, the release's facts in
//! tests/dispatch_inventory.rs.

#[path = "common/mod.rs"]
mod common;
#[path = "dispatch_support.rs"]
mod support;

use rudder_values::Value;
use support::*;

// ---------------------------------------------------------------- snapshots

#[test]
fn valid_fixtures_render_validate_and_match_snapshots() {
    let files = fixtures("fixtures/dispatch");
    assert!(files.len() >= 15, "fixtures missing: {files:?}");
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let rel = format!("fixtures/dispatch/{name}.yaml");
        let out = template(&["-f", &rel]);
        common::kube_validate(&out, KUBE);
        // Every namespaced object names its namespace.
        for (src, d) in common::documents(&out) {
            let kind = d.lookup("kind").and_then(Value::as_str).unwrap_or("");
            let cluster_scoped = [
                "Namespace",
                "ClusterRole",
                "ClusterRoleBinding",
                "CustomResourceDefinition",
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
            ]
            .contains(&kind);
            assert_eq!(
                path(&d, &["metadata", "namespace"]).is_some(),
                !cluster_scoped,
                "{rel}: {src}: {kind} namespace"
            );
        }
        insta::assert_snapshot!(format!("render_{name}"), out);
    }
}

#[test]
fn invalid_fixtures_report_every_problem() {
    for f in fixtures("fixtures/dispatch/invalid") {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let rel = format!("fixtures/dispatch/invalid/{name}.yaml");
        let err = template_error(&["-f", &rel]);
        insta::assert_snapshot!(format!("error_{name}"), err);
    }
}

// ------------------------------------------------- documented commands

#[test]
fn defaults_render_every_component() {
    let d = docs(&[]);
    // The release's objects by kind and name; every one of them, with its
    // namespace, images, commands and rules, is checked against
    // charts/dispatch/inventory.yaml in tests/dispatch_inventory.rs.
    for (kind, name) in [
        ("Deployment", "dispatch-event-sink"),
        ("Deployment", "dispatch-repository-controller"),
        ("Deployment", "tekton-pipelines-controller"),
        ("Deployment", "tekton-pipelines-webhook"),
        ("Deployment", "tekton-dashboard"),
        ("Deployment", "dispatch-argocd-server"),
        ("Deployment", "dispatch-argocd-dex-server"),
        ("Deployment", "dispatch-minio"),
        ("ClusterRole", "dispatch-cloudbuild-runner"),
        ("ClusterRole", "dispatch-repository-controller"),
        ("Role", "dispatch-report-status"),
        ("Role", "image-digest-updater"),
        ("ConfigMap", "argocd-ssh-known-hosts-cm"),
        ("ConfigMap", "argocd-tls-certs-cm"),
        ("ConfigMap", "config-artifact-pvc"),
        ("ConfigMap", "dispatch-argocd-dashboard"),
        ("ConfigMap", "dispatch-cloudbuild-dashboard"),
        (
            "CustomResourceDefinition",
            "extensions.dashboard.tekton.dev",
        ),
        ("Job", "dispatch-minio-make-bucket-job"),
        ("Pod", "dispatch-test"),
    ] {
        get(&d, kind, name);
    }
    // Every container asks for resources and is limited.
    for (src, v) in &d {
        for key in ["initContainers", "containers"] {
            let list = path(v, &["spec", "template", "spec", key])
                .or_else(|| path(v, &["spec", key]))
                .and_then(seq);
            for c in list.into_iter().flatten() {
                for r in ["requests", "limits"] {
                    assert!(
                        path(c, &["resources", r]).is_some(),
                        "{src}: {} has no resources.{r}",
                        str_at(c, &["name"])
                    );
                }
            }
        }
    }
    // The bucket job creates `artifacts`; the test hook uses testImage.
    let job = template(&["-s", "charts/minio/templates/bucket-job.yaml"]);
    assert!(job.contains("mc mb --ignore-existing dispatch/artifacts"));
    assert!(job.contains("helm.sh/hook: post-install"));
    let other = docs(&["--set", "dispatch.testImage=busybox:1.36"]);
    assert_eq!(
        str_at(container(get(&other, "Pod", "dispatch-test")), &["image"]),
        "busybox:1.36"
    );
    // Ingresses of the three documented paths, each to a Service port.
    let paths: Vec<String> = d
        .iter()
        .filter(|(_, v)| v.lookup("kind").and_then(Value::as_str) == Some("Ingress"))
        .map(|(_, v)| str_at(v, &["spec", "rules", "0", "http", "paths", "0", "path"]).to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/dispatch/argo-cd",
            "/dispatch/hook/argo-cd",
            "/dispatch/tekton",
            "/dispatch/hook"
        ]
    );
    // No ServiceMonitor unless prometheus.enabled (or the addon's
    // global.prometheus.enabled); no PodSecurityPolicy ever.
    assert_eq!(count(&d, "ServiceMonitor"), 0);
    assert_eq!(count(&d, "PodSecurityPolicy"), 0);
    // Dispatch's prometheus.enabled: its own three; the addon's
    // global.prometheus.enabled also turns on Argo CD's three.
    assert_eq!(
        count(
            &docs(&["--set", "prometheus.enabled=true"]),
            "ServiceMonitor"
        ),
        3
    );
    assert_eq!(
        count(
            &docs(&["--set", "global.prometheus.enabled=true"]),
            "ServiceMonitor"
        ),
        6
    );
}

// ------------------------------------------------------ the addon's values

/// Every key of the Dispatch 1.2.2 addon's `values: |` block is one the
/// chart knows: `--strict` (unknown keys are errors) renders it with no
/// warning, and each key acts (facts of the `addon-1.2.2` variant in
/// charts/dispatch/inventory.yaml).
#[test]
fn the_addon_values_are_all_accepted() {
    let args = [
        "template",
        "dispatch",
        CHART,
        "-n",
        "dispatch",
        "--seed",
        "1",
        "--strict",
        "-f",
        "fixtures/dispatch/addon-1.2.2.yaml",
    ];
    let r = common::rudder_pinned(&args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stderr.contains("unknown"), "{}", r.stderr);
    let d = common::documents(&r.stdout);
    let sm = get(&d, "ServiceMonitor", "dispatch-argocd-server");
    assert_eq!(
        str_at(sm, &["metadata", "labels", "release"]),
        "prometheus-kubeaddons"
    );
    // An unknown key still is one: the check can fail.
    let mut bad = args.to_vec();
    bad.extend(["--set", "tekton.controller.imagez=x"]);
    let r = common::rudder_pinned(&bad);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert!(
        r.stderr.contains("tekton.controller.imagez"),
        "{}",
        r.stderr
    );
}

// --------------------------------------------------- helm-unittest suites

/// The chart's own helm-unittest suites (charts/dispatch/tests) pass with
/// `rudder unittest`; a suite with one wrong expectation fails.
#[test]
fn the_bundled_unittest_suites_pass() {
    let r = common::rudder(&["unittest", CHART]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    for line in [
        "Test Suites: 4 passed, 4 total",
        "Tests:       23 passed, 23 total",
        "23 passed, 0 failed",
    ] {
        assert!(r.stdout.contains(line), "{line:?} in:\n{}", r.stdout);
    }
    let dir = std::env::temp_dir().join(format!("dispatch-unittest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let suite = std::fs::read_to_string(common::root().join(CHART).join("tests/tekton_test.yaml"))
        .unwrap()
        .replace(
            "value: mesosphere/dispatch-tekton-controller:1.2.0",
            "value: tekton:v0.14.3",
        );
    std::fs::write(dir.join("tekton_test.yaml"), suite).unwrap();
    let r = common::rudder(&[
        "unittest",
        "--tests-dir",
        dir.to_str().unwrap(),
        "-f",
        "tekton_test.yaml",
        CHART,
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("4 passed, 1 failed"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("mesosphere/dispatch-tekton-controller:1.2.0"),
        "{}",
        r.stdout
    );
}

#[test]
fn default_autoscaling_is_an_hpa_per_component() {
    let d = docs(&[]);
    for c in ["server", "repo-server"] {
        let name = format!("dispatch-argocd-{c}");
        let hpa = get(&d, "HorizontalPodAutoscaler", &format!("{name}-hpa"));
        assert_eq!(str_at(hpa, &["apiVersion"]), "autoscaling/v2");
        assert_eq!(int_at(hpa, &["spec", "minReplicas"]), 1);
        assert_eq!(int_at(hpa, &["spec", "maxReplicas"]), 5);
        assert_eq!(
            hpa_metrics(hpa),
            vec![("cpu".into(), 75), ("memory".into(), 75)]
        );
        assert_eq!(str_at(hpa, &["spec", "scaleTargetRef", "name"]), name);
        // The HPA owns the count: the Deployment sets none.
        assert!(path(get(&d, "Deployment", &name), &["spec", "replicas"]).is_none());
    }
    // A metric per percentage that is set.
    let d = docs(&[
        "--set",
        "argo-cd.server.autoscaling.targetMemoryUtilizationPercentage=null",
    ]);
    assert_eq!(
        hpa_metrics(get(
            &d,
            "HorizontalPodAutoscaler",
            "dispatch-argocd-server-hpa"
        )),
        vec![("cpu".into(), 75)]
    );
}

#[test]
fn autoscaling_min_replicas_from_the_command_line() {
    let d = docs(&[
        "--set",
        "argo-cd.server.autoscaling.minReplicas=2",
        "--set",
        "argo-cd.repoServer.autoscaling.minReplicas=3",
    ]);
    assert_eq!(
        int_at(
            get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-server-hpa"),
            &["spec", "minReplicas"]
        ),
        2
    );
    assert_eq!(
        int_at(
            get(
                &d,
                "HorizontalPodAutoscaler",
                "dispatch-argocd-repo-server-hpa"
            ),
            &["spec", "minReplicas"]
        ),
        3
    );
    assert_eq!(
        int_at(
            get(
                &d,
                "HorizontalPodAutoscaler",
                "dispatch-argocd-repo-server-hpa"
            ),
            &["spec", "maxReplicas"]
        ),
        5
    );
}

#[test]
fn autoscaling_values_file_with_max_replicas() {
    let d = docs(&["-f", "fixtures/dispatch/addon-autoscaling.yaml"]);
    let server = get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-server-hpa");
    assert_eq!(
        (
            int_at(server, &["spec", "minReplicas"]),
            int_at(server, &["spec", "maxReplicas"])
        ),
        (2, 4)
    );
    let repo = get(
        &d,
        "HorizontalPodAutoscaler",
        "dispatch-argocd-repo-server-hpa",
    );
    assert_eq!(
        (
            int_at(repo, &["spec", "minReplicas"]),
            int_at(repo, &["spec", "maxReplicas"])
        ),
        (3, 5)
    );
}

#[test]
fn manual_replicas_replace_the_hpas() {
    let d = docs(&[
        "--set",
        "argo-cd.server.autoscaling.enabled=false",
        "--set",
        "argo-cd.repoServer.autoscaling.enabled=false",
        "--set",
        "argo-cd.server.replicas=2",
        "--set",
        "argo-cd.repoServer.replicas=1",
    ]);
    assert_eq!(count(&d, "HorizontalPodAutoscaler"), 0);
    assert_eq!(
        int_at(
            get(&d, "Deployment", "dispatch-argocd-server"),
            &["spec", "replicas"]
        ),
        2
    );
    assert_eq!(
        int_at(
            get(&d, "Deployment", "dispatch-argocd-repo-server"),
            &["spec", "replicas"]
        ),
        1
    );
}
