//! The isd chart (charts/isd): every fixture of fixtures/isd rendered and
//! snapshotted, valid ones checked with `kubernetes-validate --strict` for
//! Kubernetes 1.30, invalid ones refused with their whole error report; then
//! checks of the rendered architecture (services, ports, SAPOR's gate,
//! install-only jobs, objects in `default`).

#[path = "common/mod.rs"]
mod common;

use serde_json::Value as Json;

const CHART: &str = "charts/isd";
const KUBE: &str = "1.30.0";
/// Runs `rudder template isd charts/isd -n opsmx --seed 1 ARGS` with a
/// pinned clock, so passwords and certificates are reproducible.
fn template(args: &[&str]) -> common::Run {
    let mut all = vec![
        "template",
        "isd",
        CHART,
        "-n",
        "opsmx",
        "--seed",
        "1",
        "--kube-version",
        KUBE,
    ];
    all.extend_from_slice(args);
    common::rudder_pinned(&all)
}

/// The manifest stream for `args`, failing the test on an error.
fn render(args: &[&str]) -> String {
    let r = template(args);
    assert_eq!(
        r.code,
        Some(0),
        "rudder template {args:?} failed:\n{}",
        r.stderr
    );
    r.stdout
}

fn valid(name: &str) -> String {
    format!("fixtures/isd/valid/{name}.yaml")
}

/// Every document as JSON.
fn docs(stream: &str) -> Vec<Json> {
    common::documents(stream)
        .into_iter()
        .map(|(_, v)| v.to_json())
        .collect()
}

fn find<'a>(docs: &'a [Json], kind: &str, name: &str) -> Option<&'a Json> {
    docs.iter()
        .find(|d| d["kind"] == kind && d["metadata"]["name"] == name)
}

fn get<'a>(docs: &'a [Json], kind: &str, name: &str) -> &'a Json {
    find(docs, kind, name).unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// The value of env var `var` of the first container of a workload.
fn env_var<'a>(workload: &'a Json, var: &str) -> Option<&'a Json> {
    workload["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()?
        .iter()
        .find(|e| e["name"] == var)
}

/// The valid fixtures: snapshot name and extra arguments.
fn valid_cases() -> Vec<(String, Vec<String>)> {
    let dir = common::root().join("fixtures/isd/valid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/isd/valid")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            p.file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    let mut cases = vec![("defaults".to_owned(), vec![])];
    cases.extend(
        names
            .into_iter()
            .map(|n| (n.clone(), vec!["-f".to_owned(), valid(&n)])),
    );
    cases.push((
        "upgrade".to_owned(),
        vec![
            "-f".to_owned(),
            valid("controller"),
            "--is-upgrade".to_owned(),
        ],
    ));
    cases
}

#[test]
fn valid_fixtures_render_validate_and_match_snapshots() {
    let cases = valid_cases();
    assert!(cases.len() >= 14, "fixtures missing: {cases:?}");
    for (name, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = render(&args);
        common::kube_validate(&out, KUBE);
        insta::assert_snapshot!(format!("valid_{name}"), out);
    }
}

#[test]
fn invalid_fixtures_are_refused_with_every_problem() {
    let dir = common::root().join("fixtures/isd/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/isd/invalid")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 12, "invalid fixtures missing");
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let path = format!("fixtures/isd/invalid/{name}.yaml");
        let r = template(&["-f", &path]);
        assert_eq!(r.code, Some(1), "{name} should fail:\n{}", r.stdout);
        assert!(r.stdout.is_empty(), "{name}: no manifests on error");
        insta::assert_snapshot!(format!("invalid_{name}"), r.stderr);
    }
}

#[test]
fn all_violations_are_reported_in_one_run() {
    let r = template(&["-f", "fixtures/isd/invalid/all-at-once.yaml"]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("invalid values (13 problems)"),
        "{}",
        r.stderr
    );
    for path in [
        "dynamicAccounts.repo.url",
        "gitops.s3.bucket",
        "gitops.s3.accessKeyId/secretAccessKey",
        "ingress.oesGate.host: \"ISD_GATE\"",
        "ingress.spinGate.tls",
        "db.password",
        "redis.password",
        "saporgate.password",
        "ha.replicas",
    ] {
        assert!(
            r.stderr.contains(&format!("  - {path}")),
            "{path} not reported:\n{}",
            r.stderr
        );
    }
}

#[test]
fn every_service_and_port_of_the_architecture() {
    let out = render(&["-f", &valid("everything")]);
    let d = docs(&out);
    let services: &[(&str, &[i64])] = &[
        ("oes-autopilot", &[8090]),
        ("oes-sapor", &[8085]),
        ("oes-visibility", &[8096]),
        ("oes-dashboard", &[8094]),
        ("oes-gate", &[8084]),
        ("oes-ui", &[8080]),
        ("sapor-gate", &[8084]),
        ("controller", &[9002, 9003, 9102]),
        ("controller-agent", &[9001]),
        ("oes-db", &[5432]),
        ("oes-redis", &[6379]),
        ("spin-deck", &[9000]),
        ("spin-gate", &[8084]),
        ("spin-clouddriver", &[7002]),
        ("spin-orca", &[8083]),
        ("spin-echo", &[8089]),
        ("spin-front50", &[8080]),
        ("spin-redis", &[6379]),
        ("halyard", &[8064]),
    ];
    for (name, ports) in services {
        let svc = get(&d, "Service", name);
        assert_eq!(svc["metadata"]["namespace"], "opsmx", "{name}");
        let got: Vec<i64> = svc["spec"]["ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["port"].as_i64().unwrap())
            .collect();
        assert_eq!(&got, ports, "ports of Service {name}");
    }
    assert_eq!(
        get(&d, "Service", "controller-agent")["spec"]["type"],
        "LoadBalancer"
    );
    // A workload behind every Service, with probes and resources.
    for (name, _) in services
        .iter()
        .filter(|(n, _)| !n.starts_with("controller-"))
    {
        let w = find(&d, "Deployment", name)
            .or_else(|| find(&d, "StatefulSet", name))
            .unwrap_or_else(|| panic!("no workload {name}"));
        let c = &w["spec"]["template"]["spec"]["containers"][0];
        assert!(
            c["readinessProbe"].is_object() && c["livenessProbe"].is_object(),
            "{name} probes"
        );
        assert!(c["resources"]["limits"].is_object(), "{name} resources");
        assert_eq!(w["metadata"]["labels"]["app.kubernetes.io/part-of"], "isd");
        let image = c["image"].as_str().unwrap();
        assert!(
            image.starts_with("registry.example.com/opsmx/"),
            "{name}: {image}"
        );
    }
    let ctrl = get(&d, "Deployment", "controller");
    let ports: Vec<i64> = ctrl["spec"]["template"]["spec"]["containers"][0]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["containerPort"].as_i64().unwrap())
        .collect();
    assert_eq!(ports, [9001, 9002, 9003, 9102]);
    // oes-db is a StatefulSet with a PVC; halyard has none.
    assert_eq!(
        get(&d, "StatefulSet", "oes-db")["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]
            ["storage"],
        "8Gi"
    );
    let hal = get(&d, "StatefulSet", "halyard");
    assert!(hal["spec"]["volumeClaimTemplates"].is_null());
    assert_eq!(
        hal["spec"]["template"]["spec"]["initContainers"][0]["volumeMounts"][0]["mountPath"],
        "/home/spinnaker/.hal"
    );
}

#[test]
fn default_images_come_from_quay_opsmxpublic() {
    let d = docs(&render(&[]));
    for w in d
        .iter()
        .filter(|w| w["kind"] == "Deployment" || w["kind"] == "StatefulSet" || w["kind"] == "Job")
    {
        let spec = &w["spec"]["template"]["spec"];
        for c in spec["containers"]
            .as_array()
            .unwrap()
            .iter()
            .chain(spec["initContainers"].as_array().into_iter().flatten())
        {
            assert!(
                c["image"]
                    .as_str()
                    .unwrap()
                    .starts_with("quay.io/opsmxpublic/"),
                "{}",
                c["image"]
            );
        }
    }
}

#[test]
fn sapor_uses_sapor_gate_only_when_enabled() {
    let d = docs(&render(&[]));
    assert!(find(&d, "Deployment", "sapor-gate").is_none());
    let sapor = get(&d, "Deployment", "oes-sapor");
    assert_eq!(
        env_var(sapor, "SPINNAKER_GATE_URL").unwrap()["value"],
        "http://spin-gate:8084"
    );
    assert!(env_var(sapor, "SPINNAKER_GATE_PASSWORD").is_none());

    let d = docs(&render(&["-f", &valid("saporgate")]));
    let sapor = get(&d, "Deployment", "oes-sapor");
    assert_eq!(
        env_var(sapor, "SPINNAKER_GATE_URL").unwrap()["value"],
        "http://sapor-gate:8084"
    );
    assert_eq!(
        env_var(sapor, "SPINNAKER_GATE_PASSWORD").unwrap()["valueFrom"]["secretKeyRef"]["name"],
        "sapor-gate-credentials"
    );
    let config = get(&d, "ConfigMap", "oes-sapor-config")["data"]["application.yml"]
        .as_str()
        .unwrap();
    assert!(config.contains("url: http://sapor-gate:8084"), "{config}");
    get(&d, "Deployment", "sapor-gate");
    get(&d, "Service", "sapor-gate");
    // The password from values, and the DB's from the existing Secret.
    assert!(find(&d, "Secret", "oes-db-credentials").is_none());
    assert_eq!(
        env_var(sapor, "DB_PASSWORD").unwrap()["valueFrom"]["secretKeyRef"]["name"],
        "my-oes-db"
    );
}

#[test]
fn install_only_jobs_and_generated_secrets_are_absent_on_upgrade() {
    let install = docs(&render(&["-f", &valid("controller")]));
    for (kind, name) in [
        ("Job", "create-secrets"),
        ("ServiceAccount", "create-secrets"),
        ("Role", "create-secrets"),
        ("RoleBinding", "create-secrets"),
        ("Job", "auto-configure"),
        ("Secret", "oes-db-credentials"),
        ("Secret", "oes-redis-credentials"),
    ] {
        get(&install, kind, name);
    }
    let job = get(&install, "Job", "create-secrets");
    assert_eq!(
        job["metadata"]["annotations"]["helm.sh/hook"],
        "pre-install"
    );
    assert_eq!(
        get(&install, "Job", "auto-configure")["metadata"]["annotations"]["helm.sh/hook"],
        "post-install"
    );
    let role = get(&install, "Role", "create-secrets");
    assert_eq!(role["rules"].as_array().unwrap().len(), 1);
    assert_eq!(
        role["rules"][0]["resources"],
        serde_json::json!(["secrets"])
    );
    let generated = get(&install, "Secret", "oes-db-credentials");
    assert_eq!(
        generated["metadata"]["annotations"]["helm.sh/resource-policy"],
        "keep"
    );

    let upgrade_out = render(&["-f", &valid("controller"), "--is-upgrade"]);
    let upgrade = docs(&upgrade_out);
    assert!(!upgrade_out.contains("kind: Job"), "no job on upgrade");
    assert!(!upgrade_out.contains("create-secrets"));
    assert!(find(&upgrade, "Secret", "oes-db-credentials").is_none());
    assert!(find(&upgrade, "Secret", "oes-redis-credentials").is_none());
    // Everything else is unchanged: the pods still find the secrets by name.
    assert_eq!(install.len() - upgrade.len(), 7);
    let sapor = get(&upgrade, "Deployment", "oes-sapor");
    assert_eq!(
        env_var(sapor, "DB_PASSWORD").unwrap()["valueFrom"]["secretKeyRef"]["name"],
        "oes-db-credentials"
    );
}

#[test]
fn passwords_from_values_survive_upgrade() {
    let d = docs(&render(&["-f", &valid("saporgate"), "--is-upgrade"]));
    let s = get(&d, "Secret", "sapor-gate-credentials");
    assert!(
        s["metadata"]["annotations"].is_null(),
        "not generated: no keep policy"
    );
    assert_eq!(s["data"]["password"], "czNjdXJlLVNhcG9yLUdhdGUtcHc=");
}

#[test]
fn controller_certificates_and_trust_bundle() {
    let d = docs(&render(&["-f", &valid("controller")]));
    // SAPOR: client certificate and the CA bundle (certificate only).
    let sapor = &get(&d, "Deployment", "oes-sapor")["spec"]["template"]["spec"];
    let vols = sapor["volumes"].as_array().unwrap();
    assert!(
        vols.iter()
            .any(|v| v["secret"]["secretName"] == "oes-control-secret")
    );
    let bundle = vols
        .iter()
        .find(|v| v["name"] == "isd-ca-bundle")
        .expect("trust bundle");
    assert_eq!(
        bundle["secret"]["items"],
        serde_json::json!([{"key": "tls.crt", "path": "ca.crt"}])
    );
    for svc in [
        "spin-gate",
        "spin-clouddriver",
        "spin-orca",
        "spin-echo",
        "spin-front50",
    ] {
        let vols = get(&d, "Deployment", svc)["spec"]["template"]["spec"]["volumes"]
            .as_array()
            .unwrap()
            .clone();
        assert!(
            vols.iter().any(|v| v["name"] == "isd-ca-bundle"),
            "{svc} trusts the CA"
        );
    }
    // The controller itself mounts the whole ca-secret (it signs).
    let ctrl = &get(&d, "Deployment", "controller")["spec"]["template"]["spec"];
    assert!(
        ctrl["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["secret"]["secretName"] == "ca-secret" && v["secret"]["items"].is_null())
    );
    // Ingress point with TLS passthrough to the gRPC port.
    let ing = get(&d, "Ingress", "controller");
    assert_eq!(
        ing["metadata"]["annotations"]["nginx.ingress.kubernetes.io/ssl-passthrough"],
        "true"
    );
    assert_eq!(
        ing["metadata"]["annotations"]["nginx.ingress.kubernetes.io/backend-protocol"],
        "GRPCS"
    );
    assert_eq!(
        ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["number"],
        9001
    );
    // Without the controller: none of it.
    let plain = render(&[]);
    for absent in [
        "ca-secret",
        "oes-control-secret",
        "create-secrets",
        "controller-agent",
    ] {
        assert!(!plain.contains(absent), "{absent} without the controller");
    }
}

#[test]
fn user_supplied_ca_replaces_the_job() {
    let out = render(&["-f", &valid("controller-user-ca")]);
    let d = docs(&out);
    assert!(find(&d, "Job", "create-secrets").is_none());
    assert!(find(&d, "Role", "create-secrets").is_none());
    let ca = get(&d, "Secret", "ca-secret");
    assert_eq!(ca["type"], "kubernetes.io/tls");
    let control = get(&d, "Secret", "oes-control-secret");
    assert!(control["data"]["tls.crt"].as_str().unwrap().len() > 1000);
    // Deterministic with --seed and SOURCE_DATE_EPOCH.
    assert_eq!(out, render(&["-f", &valid("controller-user-ca")]));
    // On upgrade the CA stays, the signed certificate is not re-issued.
    let up = docs(&render(&[
        "-f",
        &valid("controller-user-ca"),
        "--is-upgrade",
    ]));
    get(&up, "Secret", "ca-secret");
    assert!(find(&up, "Secret", "oes-control-secret").is_none());
}

#[test]
fn pipeline_gitops_objects_live_in_default() {
    let d = docs(&render(&[]));
    for kind in ["Secret", "ConfigMap"] {
        let name = if kind == "Secret" {
            "pipeline-gitops-secret"
        } else {
            "pipeline-gitops-config"
        };
        assert_eq!(
            get(&d, kind, name)["metadata"]["namespace"],
            "default",
            "{kind} {name}"
        );
    }
    // Everything else is in the release namespace.
    for doc in d.iter().filter(|x| {
        !x["metadata"]["name"]
            .as_str()
            .unwrap()
            .starts_with("pipeline-gitops")
    }) {
        assert_eq!(
            doc["metadata"]["namespace"], "opsmx",
            "{} {}",
            doc["kind"], doc["metadata"]["name"]
        );
    }
}

#[test]
fn ha_mode_and_its_switch() {
    let spin = [
        "spin-deck",
        "spin-gate",
        "spin-clouddriver",
        "spin-orca",
        "spin-echo",
        "spin-front50",
    ];
    let d = docs(&render(&[]));
    for name in spin {
        let w = get(&d, "Deployment", name);
        assert!(
            w["spec"]["replicas"].as_i64().unwrap() >= 2,
            "{name} replicas"
        );
        assert!(
            w["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"].is_object(),
            "{name} anti-affinity"
        );
        assert_eq!(
            get(&d, "PodDisruptionBudget", name)["spec"]["minAvailable"],
            1
        );
    }
    let d = docs(&render(&["-f", &valid("ha-off")]));
    for name in spin {
        let w = get(&d, "Deployment", name);
        assert_eq!(w["spec"]["replicas"], 1, "{name}");
        assert!(w["spec"]["template"]["spec"]["affinity"].is_null());
    }
    assert!(!d.iter().any(|x| x["kind"] == "PodDisruptionBudget"));
    let hard = docs(&render(&["--set", "ha.antiAffinity=hard"]));
    let aa = &get(&hard, "Deployment", "spin-gate")["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"];
    assert!(aa["requiredDuringSchedulingIgnoredDuringExecution"].is_array());
}

#[test]
fn ingress_points() {
    let d = docs(&render(&[]));
    let ings: Vec<&Json> = d.iter().filter(|x| x["kind"] == "Ingress").collect();
    assert_eq!(ings.len(), 4, "four points without the controller");
    for (name, port) in [
        ("spin-deck", 9000),
        ("spin-gate", 8084),
        ("oes-ui", 8080),
        ("oes-gate", 8084),
    ] {
        let backend =
            &get(&d, "Ingress", name)["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"];
        assert_eq!(backend["name"], name);
        assert_eq!(backend["port"]["number"], port);
    }
    let d = docs(&render(&["-f", &valid("ingress-tls-nginx")]));
    assert_eq!(d.iter().filter(|x| x["kind"] == "Ingress").count(), 5);
    let ui = get(&d, "Ingress", "oes-ui");
    assert_eq!(ui["spec"]["tls"][0]["secretName"], "isd-tls");
    assert_eq!(ui["spec"]["tls"][0]["hosts"][0], "isd.acme.io");
    assert_eq!(
        ui["metadata"]["annotations"]["cert-manager.io/cluster-issuer"],
        "letsencrypt"
    );
    let gate = get(&d, "Ingress", "spin-gate");
    assert_eq!(
        gate["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"],
        "50m"
    );
    let d = docs(&render(&["-f", &valid("ingress-istio")]));
    assert!(
        d.iter()
            .filter(|x| x["kind"] == "Ingress")
            .all(|i| i["spec"]["ingressClassName"] == "istio")
    );
    assert_eq!(d.iter().filter(|x| x["kind"] == "Ingress").count(), 3);
    assert!(
        render(&["--set", "ingress.enabled=false"])
            .find("kind: Ingress")
            .is_none()
    );
}

#[test]
fn gitops_sources_fetch_into_hal() {
    for (fixture, needle) in [
        (
            "gitops-git",
            "git clone --depth 1 --branch \"release-2025\"",
        ),
        ("gitops-s3", "s3://isd-halyard/prod/hal"),
        (
            "gitops-vault",
            "vault kv get -format=json \"secret/data/isd/halyard\"",
        ),
    ] {
        let d = docs(&render(&["-f", &valid(fixture)]));
        let script = get(&d, "ConfigMap", "halyard-gitops-init")["data"]["fetch.sh"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(script.contains(needle), "{fixture}: {script}");
        assert!(script.contains("/home/spinnaker/.hal/"), "{fixture}");
    }
    let d = docs(&render(&["-f", &valid("gitops-s3")]));
    get(&d, "Secret", "halyard-s3-credentials");
    let d = docs(&render(&["-f", &valid("gitops-s3-secret")]));
    assert!(find(&d, "Secret", "halyard-s3-credentials").is_none());
    let init = &get(&d, "StatefulSet", "halyard")["spec"]["template"]["spec"]["initContainers"][0];
    assert_eq!(
        env_var_of(init, "AWS_ACCESS_KEY_ID")["valueFrom"]["secretKeyRef"]["name"],
        "halyard-s3"
    );
}

fn env_var_of<'a>(container: &'a Json, var: &str) -> &'a Json {
    container["env"]
        .as_array()
        .expect("env list")
        .iter()
        .find(|e| e["name"] == var)
        .unwrap_or_else(|| panic!("no env {var}"))
}
