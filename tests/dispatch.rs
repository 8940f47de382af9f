//! The Dispatch chart (`charts/dispatch`): every documented install option,
//! run through the `rudder` binary exactly as the Dispatch docs write it,
//! checked on the parsed output; snapshots of each fixture's full render
//! (`fixtures/dispatch/*.yaml`) and error report (`fixtures/dispatch/invalid`);
//! every valid render passes `kubernetes-validate --strict` for 1.30.

#[path = "common/mod.rs"]
mod common;

use rudder_values::Value;

const CHART: &str = "charts/dispatch";
const KUBE: &str = "1.30.0";

/// `rudder template dispatch charts/dispatch -n dispatch --seed 1 EXTRA…`.
fn template(extra: &[&str]) -> String {
    let mut args = vec![
        "template",
        "dispatch",
        CHART,
        "-n",
        "dispatch",
        "--seed",
        "1",
        "--kube-version",
        KUBE,
    ];
    args.extend_from_slice(extra);
    let r = common::rudder_pinned(&args);
    assert_eq!(r.code, Some(0), "rudder {args:?} failed:\n{}", r.stderr);
    r.stdout
}

/// The error report of a render that must fail.
fn template_error(extra: &[&str]) -> String {
    let mut args = vec![
        "template", "dispatch", CHART, "-n", "dispatch", "--seed", "1",
    ];
    args.extend_from_slice(extra);
    let r = common::rudder_pinned(&args);
    assert_eq!(
        r.code,
        Some(1),
        "rudder {args:?} should fail; stdout:\n{}",
        r.stdout
    );
    assert!(r.stdout.is_empty(), "no manifests on error");
    r.stderr
}

fn docs(extra: &[&str]) -> Vec<(String, Value)> {
    common::documents(&template(extra))
}

fn get<'a>(docs: &'a [(String, Value)], kind: &str, name: &str) -> &'a Value {
    common::find(docs, kind, name).unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// Walks map keys and list indices (`["spec", "ports", "0", "port"]`).
fn path<'a>(v: &'a Value, p: &[&str]) -> Option<&'a Value> {
    p.iter().try_fold(v, |cur, key| match cur {
        Value::Map(m) => m.get(*key),
        Value::List(l) => key.parse::<usize>().ok().and_then(|i| l.get(i)),
        _ => None,
    })
}

fn seq(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::List(l) => Some(l),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

fn str_at<'a>(v: &'a Value, p: &[&str]) -> &'a str {
    path(v, p)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {p:?}"))
}

fn int_at(v: &Value, p: &[&str]) -> i64 {
    path(v, p)
        .and_then(int)
        .unwrap_or_else(|| panic!("no integer at {p:?}"))
}

fn count(docs: &[(String, Value)], kind: &str) -> usize {
    docs.iter()
        .filter(|(_, v)| v.lookup("kind").and_then(Value::as_str) == Some(kind))
        .count()
}

/// The first container of a Pod or of a workload's pod template.
fn container(workload: &Value) -> &Value {
    path(workload, &["spec", "template", "spec", "containers"])
        .or_else(|| path(workload, &["spec", "containers"]))
        .and_then(seq)
        .and_then(|c| c.first())
        .expect("a container")
}

fn args(workload: &Value) -> Vec<String> {
    container(workload)
        .lookup("args")
        .and_then(seq)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn hpa_metrics(hpa: &Value) -> Vec<(String, i64)> {
    path(hpa, &["spec", "metrics"])
        .and_then(seq)
        .map(|ms| {
            ms.iter()
                .map(|m| {
                    (
                        str_at(m, &["resource", "name"]).to_owned(),
                        int_at(m, &["resource", "target", "averageUtilization"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn fixtures(dir: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(common::root().join(dir))
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

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
    for (kind, name) in [
        ("Deployment", "event-sink"),
        ("Deployment", "repository-controller"),
        ("Deployment", "tekton-pipelines-controller"),
        ("Deployment", "tekton-pipelines-webhook"),
        ("Deployment", "tekton-dashboard"),
        ("Deployment", "dispatch-argocd-server"),
        ("Deployment", "dispatch-argocd-repo-server"),
        ("Deployment", "dispatch-argocd-application-controller"),
        ("Deployment", "dispatch-argocd-dex-server"),
        ("Deployment", "dispatch-argocd-redis"),
        ("Deployment", "dispatch-minio"),
        ("PersistentVolumeClaim", "dispatch-minio"),
        ("Service", "dispatch-minio"),
        ("CustomResourceDefinition", "repositories.dispatch.d2iq.io"),
        ("CustomResourceDefinition", "applications.argoproj.io"),
        ("CustomResourceDefinition", "appprojects.argoproj.io"),
        ("CustomResourceDefinition", "tasks.tekton.dev"),
        ("CustomResourceDefinition", "pipelineruns.tekton.dev"),
        ("ConfigMap", "argocd-cm"),
        ("ConfigMap", "argocd-rbac-cm"),
        ("ConfigMap", "config-defaults"),
        ("ConfigMap", "config-logging"),
        ("ConfigMap", "config-observability"),
        ("Secret", "argocd-secret"),
        ("Secret", "s3-config"),
        ("Task", "report-status"),
        ("Task", "update-image-digests"),
        ("ClusterRole", "dispatch-dispatch"),
        ("ClusterRoleBinding", "dispatch-dispatch"),
        ("Job", "dispatch-minio-make-bucket-job"),
        ("Pod", "dispatch-test-components"),
    ] {
        get(&d, kind, name);
    }
    for sa in [
        "build-bot",
        "cloudbuild-runner",
        "repository-controller",
        "report-status",
        "image-digest-updater",
    ] {
        get(&d, "ServiceAccount", &format!("dispatch-{sa}"));
    }
    // Ports the issue names.
    let port = |svc: &str| -> Vec<(i64, String)> {
        path(get(&d, "Service", svc), &["spec", "ports"])
            .and_then(seq)
            .unwrap()
            .iter()
            .map(|p| {
                let target = match p.lookup("targetPort") {
                    Some(t) => t
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| int(t).unwrap().to_string()),
                    None => String::new(),
                };
                (int_at(p, &["port"]), target)
            })
            .collect()
    };
    assert_eq!(port("event-sink")[0].0, 9300);
    assert_eq!(port("repository-controller")[0].0, 8080);
    assert_eq!(port("s3-us-east-1"), vec![(80, "9000".to_owned())]);
    assert_eq!(port("tekton-pipelines-controller")[0].0, 9090);
    assert_eq!(port("tekton-pipelines-webhook")[0].0, 443);
    assert_eq!(port("tekton-dashboard")[0].0, 9097);
    assert_eq!(
        port("dispatch-argocd-server")
            .iter()
            .map(|p| p.0)
            .collect::<Vec<_>>(),
        vec![80, 443]
    );
    assert_eq!(port("dispatch-argocd-server-metrics")[0].0, 8083);
    assert_eq!(port("dispatch-argocd-repo-server")[0].0, 8081);
    assert_eq!(port("dispatch-argocd-repo-server-metrics")[0].0, 8084);
    assert_eq!(port("dispatch-argocd-application-controller")[0].0, 8082);
    assert_eq!(
        port("dispatch-argocd-dex-server")
            .iter()
            .map(|p| p.0)
            .collect::<Vec<_>>(),
        vec![5556, 5557]
    );
    assert_eq!(port("dispatch-argocd-redis")[0].0, 6379);
    assert_eq!(port("dispatch-minio")[0].0, 9000);
    let webhook = get(&d, "Deployment", "tekton-pipelines-webhook");
    assert_eq!(int_at(webhook, &["spec", "replicas"]), 3);
    assert_eq!(
        int_at(container(webhook), &["ports", "0", "containerPort"]).max(0),
        8443
    );
    // Tekton's artifact bucket is MinIO's `artifacts`, through s3-config.
    let bucket = get(&d, "ConfigMap", "config-artifact-bucket");
    assert_eq!(str_at(bucket, &["data", "location"]), "s3://artifacts");
    assert_eq!(
        str_at(bucket, &["data", "bucket.service.account.secret.name"]),
        "s3-config"
    );
    assert!(
        path(
            get(&d, "ConfigMap", "config-defaults"),
            &["data", "default-pod-template"]
        )
        .is_some()
    );
    let s3 = get(&d, "Secret", "s3-config");
    for k in ["accesskey", "secretkey", "endpoint", "boto-config"] {
        assert!(path(s3, &["stringData", k]).is_some(), "s3-config {k}");
    }
    // The bucket job creates `artifacts`; the test hook uses testImage.
    let job = template(&["-s", "charts/minio/templates/bucket-job.yaml"]);
    assert!(job.contains("mc mb --ignore-existing dispatch/artifacts"));
    assert!(job.contains("helm.sh/hook: post-install"));
    let test_pod = get(&d, "Pod", "dispatch-test-components");
    assert_eq!(
        str_at(test_pod, &["metadata", "annotations", "helm.sh/hook"]),
        "test"
    );
    assert_eq!(
        str_at(container(test_pod), &["image"]),
        "curlimages/curl:7.73.0"
    );
    let other = docs(&["--set", "dispatch.testImage=busybox:1.36"]);
    assert_eq!(
        str_at(
            container(get(&other, "Pod", "dispatch-test-components")),
            &["image"]
        ),
        "busybox:1.36"
    );
    // Ingresses of the four documented paths.
    let paths: Vec<String> = d
        .iter()
        .filter(|(_, v)| v.lookup("kind").and_then(Value::as_str) == Some("Ingress"))
        .map(|(_, v)| str_at(v, &["spec", "rules", "0", "http", "paths", "0", "path"]).to_owned())
        .collect();
    for p in [
        "/dispatch/hook",
        "/dispatch/gitops-hook",
        "/dispatch/tekton",
        "/dispatch/argo-cd",
    ] {
        assert!(paths.iter().any(|x| x == p), "ingress {p} in {paths:?}");
    }
    // No ServiceMonitor unless prometheus.enabled; no PodSecurityPolicy ever.
    assert_eq!(count(&d, "ServiceMonitor"), 0);
    assert_eq!(count(&d, "PodSecurityPolicy"), 0);
    assert_eq!(
        count(
            &docs(&["--set", "prometheus.enabled=true"]),
            "ServiceMonitor"
        ),
        5
    );
}

#[test]
fn default_autoscaling_is_an_hpa_per_component() {
    let d = docs(&[]);
    for c in ["server", "repo-server"] {
        let name = format!("dispatch-argocd-{c}");
        let hpa = get(&d, "HorizontalPodAutoscaler", &name);
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
        hpa_metrics(get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-server")),
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
            get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-server"),
            &["spec", "minReplicas"]
        ),
        2
    );
    assert_eq!(
        int_at(
            get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-repo-server"),
            &["spec", "minReplicas"]
        ),
        3
    );
    assert_eq!(
        int_at(
            get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-repo-server"),
            &["spec", "maxReplicas"]
        ),
        5
    );
}

#[test]
fn autoscaling_values_file_with_max_replicas() {
    let d = docs(&["-f", "fixtures/dispatch/addon-autoscaling.yaml"]);
    let server = get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-server");
    assert_eq!(
        (
            int_at(server, &["spec", "minReplicas"]),
            int_at(server, &["spec", "maxReplicas"])
        ),
        (2, 4)
    );
    let repo = get(&d, "HorizontalPodAutoscaler", "dispatch-argocd-repo-server");
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

#[test]
fn konvoy_dex_configures_oidc_both_spellings() {
    for extra in [
        &["--set", "argo-cd.konvoyDex.enabled=true"][..],
        &["-f", "fixtures/dispatch/addon-dex.yaml"][..],
    ] {
        let d = docs(extra);
        let cm = get(&d, "ConfigMap", "argocd-cm");
        let oidc = str_at(cm, &["data", "oidc.config"]);
        assert!(
            oidc.contains("issuer: https://dex-kubeaddons.kubeaddons.svc.cluster.local:8080/dex"),
            "{oidc}"
        );
        assert!(
            oidc.contains("clientSecret: $oidc.konvoy.clientSecret"),
            "{oidc}"
        );
        let secret = get(&d, "Secret", "argocd-secret");
        assert!(path(secret, &["data", "oidc.konvoy.clientSecret"]).is_some());
        let client = get(&d, "Secret", "dispatch-argocd-dex-client");
        assert_eq!(str_at(client, &["metadata", "namespace"]), "kubeaddons");
        assert_eq!(str_at(client, &["stringData", "id"]), "dispatch-argocd");
    }
    let d = docs(&[]);
    assert!(path(get(&d, "ConfigMap", "argocd-cm"), &["data", "oidc.config"]).is_none());
}

#[test]
fn auth_type_annotation_as_bash_passes_it() {
    let ann = |d: &[(String, Value)]| -> Option<String> {
        path(
            get(d, "Ingress", "dispatch-argocd-server"),
            &[
                "metadata",
                "annotations",
                "traefik.ingress.kubernetes.io/auth-type",
            ],
        )
        .and_then(Value::as_str)
        .map(str::to_owned)
    };
    assert_eq!(ann(&docs(&[])).as_deref(), Some("forward"));
    // `--set argo-cd.server.ingress.annotations."traefik\.ingress\.kubernetes\.io\/auth-type"=""`
    // after bash: the quotes go, the backslashes stay.
    let d = docs(&[
        "--set",
        r"argo-cd.server.ingress.annotations.traefik\.ingress\.kubernetes\.io\/auth-type=",
    ]);
    assert_eq!(ann(&d).as_deref(), Some(""));
    assert_eq!(
        ann(&docs(&["-f", "fixtures/dispatch/addon-auth-type.yaml"])).as_deref(),
        Some("")
    );
}

#[test]
fn default_role_flat_keys_from_nested_or_flat_values() {
    let check = |d: &[(String, Value)]| {
        let cm = get(d, "ConfigMap", "argocd-cm");
        assert_eq!(str_at(cm, &["data", "users.anonymous.enabled"]), "false");
        assert!(path(cm, &["data", "users"]).is_none());
        let rbac = get(d, "ConfigMap", "argocd-rbac-cm");
        assert_eq!(str_at(rbac, &["data", "policy.default"]), "role:readonly");
        assert!(path(rbac, &["data", "policy"]).is_none());
    };
    check(&docs(&[
        "--set",
        "argo-cd.server.config.users.anonymous.enabled=false",
        "--set",
        "argo-cd.server.rbacConfig.policy.default=role:readonly",
    ]));
    check(&docs(&["-f", "fixtures/dispatch/addon-role.yaml"]));
    // Out of the box security is off, as on Konvoy.
    let d = docs(&[]);
    assert_eq!(
        str_at(
            get(&d, "ConfigMap", "argocd-cm"),
            &["data", "users.anonymous.enabled"]
        ),
        "true"
    );
    assert_eq!(
        str_at(
            get(&d, "ConfigMap", "argocd-rbac-cm"),
            &["data", "policy.default"]
        ),
        "role:admin"
    );
}

#[test]
fn rbac_policy_csv_from_a_values_file() {
    for f in [
        "fixtures/dispatch/rbac-values.yaml",
        "fixtures/dispatch/addon-rbac.yaml",
    ] {
        let d = docs(&["--values", f]);
        let rbac = get(&d, "ConfigMap", "argocd-rbac-cm");
        assert_eq!(str_at(rbac, &["data", "policy.default"]), "");
        assert_eq!(
            str_at(rbac, &["data", "policy.csv"]),
            "g, myorg:engineers, role:admin\ng, myorg:interns, role:readonly\n"
        );
        assert_eq!(
            str_at(
                get(&d, "ConfigMap", "argocd-cm"),
                &["data", "users.anonymous.enabled"]
            ),
            "false"
        );
    }
}

#[test]
fn minio_modes() {
    let d = docs(&[
        "--set",
        "minio.mode=distributed",
        "--set",
        "minio.replicas=6",
    ]);
    assert!(common::find(&d, "Deployment", "dispatch-minio").is_none());
    assert!(common::find(&d, "PersistentVolumeClaim", "dispatch-minio").is_none());
    let sts = get(&d, "StatefulSet", "dispatch-minio");
    assert_eq!(int_at(sts, &["spec", "replicas"]), 6);
    assert_eq!(str_at(sts, &["spec", "podManagementPolicy"]), "Parallel");
    let headless = get(&d, "Service", str_at(sts, &["spec", "serviceName"]));
    assert_eq!(str_at(headless, &["spec", "clusterIP"]), "None");
    let servers: Vec<String> = args(sts)
        .into_iter()
        .filter(|a| a.starts_with("http://"))
        .collect();
    assert_eq!(servers.len(), 6);
    for (i, s) in servers.iter().enumerate() {
        assert_eq!(
            s,
            &format!(
                "http://dispatch-minio-{i}.dispatch-minio-svc.dispatch.svc.cluster.local/export"
            )
        );
    }
    let d = docs(&["--set", "minio.mode=standalone"]);
    assert_eq!(count(&d, "StatefulSet"), 0);
    get(&d, "Deployment", "dispatch-minio");
    get(&d, "PersistentVolumeClaim", "dispatch-minio");
    // Standalone ignores replicas, even nonsense.
    docs(&[
        "--set",
        "minio.mode=standalone",
        "--set",
        "minio.replicas=six",
    ]);
}

#[test]
fn extra_args_arrays() {
    let d = docs(&[
        "--set",
        "argo-cd.controller.extraArgs[0]=--kubectl-parallelism-limit=20",
    ]);
    let a = args(get(
        &d,
        "Deployment",
        "dispatch-argocd-application-controller",
    ));
    assert_eq!(
        a.last().map(String::as_str),
        Some("--kubectl-parallelism-limit=20")
    );
    assert!(
        a.contains(&"--repo-server".to_owned()),
        "own args kept: {a:?}"
    );
    let d = docs(&["-f", "fixtures/dispatch/extra-args.yaml"]);
    assert!(
        args(get(&d, "Deployment", "dispatch-argocd-server"))
            .contains(&"--insecure-skip-tls-verify".to_owned())
    );
    assert!(
        args(get(&d, "Deployment", "dispatch-argocd-repo-server"))
            .contains(&"--parallelismlimit=5".to_owned())
    );
}

#[test]
fn argocd_server_found_by_the_documented_label() {
    let d = docs(&[]);
    let pods = get(&d, "Deployment", "dispatch-argocd-server");
    assert_eq!(
        str_at(
            pods,
            &[
                "spec",
                "template",
                "metadata",
                "labels",
                "app.kubernetes.io/name"
            ]
        ),
        "argocd-server"
    );
    // The admin password defaults to the server pod name: none is set.
    assert!(
        path(
            get(&d, "Secret", "argocd-secret"),
            &["data", "admin.password"]
        )
        .is_none()
    );
}

#[test]
fn watch_namespaces() {
    let d = docs(&[]);
    assert_eq!(
        (
            count(&d, "Role"),
            count(&d, "RoleBinding"),
            count(&d, "Namespace")
        ),
        (0, 0, 0)
    );
    assert!(
        !args(get(&d, "Deployment", "event-sink"))
            .iter()
            .any(|a| a.starts_with("--watch-namespace"))
    );
    let d = docs(&[
        "--set",
        "dispatch.watchNamespaces={dispatch,dispatch-work,dispatch-ci}",
    ]);
    assert!(common::find(&d, "ClusterRoleBinding", "dispatch-dispatch").is_none());
    for ns in ["dispatch", "dispatch-work", "dispatch-ci"] {
        let role = d.iter().map(|(_, v)| v).find(|v| {
            v.lookup("kind").and_then(Value::as_str) == Some("Role")
                && str_at(v, &["metadata", "namespace"]) == ns
        });
        assert!(role.is_some(), "Role in {ns}");
        let binding = d.iter().map(|(_, v)| v).find(|v| {
            v.lookup("kind").and_then(Value::as_str) == Some("RoleBinding")
                && str_at(v, &["metadata", "namespace"]) == ns
        });
        assert_eq!(
            str_at(
                binding.expect("RoleBinding"),
                &["subjects", "0", "namespace"]
            ),
            "dispatch"
        );
    }
    assert!(
        common::find(&d, "Namespace", "dispatch").is_none(),
        "the release namespace exists already"
    );
    get(&d, "Namespace", "dispatch-work");
    get(&d, "Namespace", "dispatch-ci");
    for c in ["event-sink", "repository-controller"] {
        let a = args(get(&d, "Deployment", c));
        let w: Vec<&String> = a
            .iter()
            .filter(|a| a.starts_with("--watch-namespace="))
            .collect();
        assert_eq!(
            w,
            [
                "--watch-namespace=dispatch",
                "--watch-namespace=dispatch-work",
                "--watch-namespace=dispatch-ci"
            ]
        );
    }
}

#[test]
fn generated_secrets_are_left_out_on_upgrade() {
    let install = docs(&[]);
    get(&install, "Secret", "s3-config");
    get(&install, "Secret", "argocd-secret");
    let upgrade = docs(&["--is-upgrade"]);
    assert!(common::find(&upgrade, "Secret", "s3-config").is_none());
    assert!(common::find(&upgrade, "Secret", "argocd-secret").is_none());
    // MinIO keeps reading the cluster's s3-config.
    let minio = get(&upgrade, "Deployment", "dispatch-minio");
    assert!(
        template(&[
            "--is-upgrade",
            "-s",
            "charts/minio/templates/standalone.yaml"
        ])
        .contains("name: s3-config")
    );
    assert_eq!(
        str_at(
            container(minio),
            &["env", "0", "valueFrom", "secretKeyRef", "name"]
        ),
        "s3-config"
    );
    // User-supplied values are stable: rendered on upgrade too.
    let d = docs(&[
        "--is-upgrade",
        "--set",
        "minio.accessKey=AKIAEXAMPLE,minio.secretKey=verysecretkey123",
        "--set",
        "argo-cd.configs.secret.serverSecretKey=sessionkey",
    ]);
    let s3 = get(&d, "Secret", "s3-config");
    assert_eq!(str_at(s3, &["stringData", "accesskey"]), "AKIAEXAMPLE");
    assert!(
        str_at(s3, &["stringData", "boto-config"])
            .contains("aws_secret_access_key = verysecretkey123")
    );
    get(&d, "Secret", "argocd-secret");
    // An existing Secret's name: nothing rendered, everyone reads it.
    let d = docs(&["--set", "global.s3ExistingSecret=my-s3"]);
    assert!(common::find(&d, "Secret", "s3-config").is_none());
    assert_eq!(
        str_at(
            get(&d, "ConfigMap", "config-artifact-bucket"),
            &["data", "bucket.service.account.secret.name"]
        ),
        "my-s3"
    );
    let minio = get(&d, "Deployment", "dispatch-minio");
    assert_eq!(
        str_at(
            container(minio),
            &["env", "0", "valueFrom", "secretKeyRef", "name"]
        ),
        "my-s3"
    );
    assert!(
        common::find(
            &docs(&["--set", "argo-cd.configs.secret.createSecret=false"]),
            "Secret",
            "argocd-secret"
        )
        .is_none()
    );
}

#[test]
fn errors_name_path_value_rule_and_fix_all_at_once() {
    let err = template_error(&["-f", "fixtures/dispatch/invalid/all-at-once.yaml"]);
    for needle in [
        "dispatch.watchNamespaces[0]: \"CI\"",
        "minio.replicas: 5",
        "argo-cd.server.autoscaling.minReplicas: 7",
        "argo-cd.repoServer.autoscaling.targetCPUUtilizationPercentage: 150",
        "argo-cd.repoServer.replicas: -2",
        "argo-cd.nameOverride: \"Argo.CD\"",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    for r in ["5", "3", "34", "six"] {
        let err = template_error(&[
            "--set",
            "minio.mode=distributed",
            "--set",
            &format!("minio.replicas={r}"),
        ]);
        assert!(
            err.contains("minio.replicas:") && err.contains("even number of servers from 4 to 32"),
            "{err}"
        );
        assert!(
            err.contains("set minio.replicas to 4, 6, 8"),
            "a fix: {err}"
        );
    }
    for r in ["4", "6", "32"] {
        docs(&[
            "--set",
            "minio.mode=distributed",
            "--set",
            &format!("minio.replicas={r}"),
        ]);
    }
    let err = template_error(&["--set", "minio.mode=cluster"]);
    assert!(
        err.contains("minio.mode: must be one of \"standalone\", \"distributed\", got \"cluster\""),
        "{err}"
    );
    let err = template_error(&["-f", "fixtures/dispatch/invalid/policy.yaml"]);
    assert!(err.contains("line 4 \"g, myorg:interns\""), "{err}");
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("line 6 \"admin, everything\""), "{err}");
    assert!(!err.contains("line 3"), "valid lines pass: {err}");
    assert!(err.contains("policy.default: \"readonly\""), "{err}");
}
