//! The Dispatch chart's documented install options other than autoscaling
//! (SSO, the auth-type annotation, default role, RBAC policy, MinIO modes,
//! extra args, `--watch-namespace`, secrets on upgrade, error reports), each
//! run through the `rudder` binary as the Dispatch docs write it.

#[path = "common/mod.rs"]
mod common;
#[path = "dispatch_support.rs"]
mod support;

use rudder_values::Value;
use support::*;

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
    // Only the release namespace's own Roles (Argo CD's, the catalog
    // tasks'), no namespace created.
    assert_eq!(
        (
            count(&d, "Role"),
            count(&d, "RoleBinding"),
            count(&d, "Namespace")
        ),
        (5, 5, 0)
    );
    assert!(
        !args(get(&d, "Deployment", "dispatch-event-sink"))
            .iter()
            .any(|a| a.starts_with("--watch-namespace"))
    );
    let d = docs(&[
        "--set",
        "dispatch.watchNamespaces={dispatch,dispatch-work,dispatch-ci}",
    ]);
    for name in [
        "dispatch-cloudbuild-runner",
        "dispatch-repository-controller",
    ] {
        assert!(common::find(&d, "ClusterRoleBinding", name).is_none());
        assert!(common::find(&d, "ClusterRole", name).is_none());
    }
    for ns in ["dispatch", "dispatch-work", "dispatch-ci"] {
        // The product's per-namespace names: <release namespace>-<role>,
        // bound to the controllers' accounts in the release namespace.
        for (role, sa) in [
            ("dispatch-cloudbuild-runner", "dispatch-cloudbuild-runner"),
            (
                "dispatch-repository-controller",
                "dispatch-repository-controller",
            ),
        ] {
            let in_ns = |kind: &str| {
                d.iter()
                    .map(|(_, v)| v)
                    .find(|v| {
                        v.lookup("kind").and_then(Value::as_str) == Some(kind)
                            && str_at(v, &["metadata", "namespace"]) == ns
                            && str_at(v, &["metadata", "name"]) == role
                    })
                    .unwrap_or_else(|| panic!("{kind} {role} in {ns}"))
            };
            in_ns("Role");
            let binding = in_ns("RoleBinding");
            assert_eq!(str_at(binding, &["roleRef", "name"]), role);
            assert_eq!(str_at(binding, &["subjects", "0", "name"]), sa);
            assert_eq!(str_at(binding, &["subjects", "0", "namespace"]), "dispatch");
        }
    }
    assert!(
        common::find(&d, "Namespace", "dispatch").is_none(),
        "the release namespace exists already"
    );
    get(&d, "Namespace", "dispatch-work");
    get(&d, "Namespace", "dispatch-ci");
    for c in ["dispatch-event-sink", "dispatch-repository-controller"] {
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
    assert_eq!(
        str_at(s3, &["stringData", "AWS_ACCESS_KEY_ID"]),
        "AKIAEXAMPLE"
    );
    assert!(
        str_at(s3, &["stringData", "boto"]).contains("aws_secret_access_key = verysecretkey123")
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
