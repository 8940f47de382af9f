//! The isd chart (charts/isd, OpsMx's oes 4.0.26): every fixture of
//! fixtures/isd rendered, valid ones checked with `kubernetes-validate
//! --strict` for Kubernetes 1.30 and snapshotted (the defaults whole, the
//! others as their object list), invalid ones refused with the schema's whole
//! report; then checks of what the product installs: its services and
//! ports, images from the values, the switches, halyard's git-ops init per
//! repository kind, the hooks, the config files and the release's names.
//! tests/isd_inventory.rs checks every fact of the product's render.

#[path = "common/mod.rs"]
mod common;

use serde_json::Value as Json;

const CHART: &str = "charts/isd";
const KUBE: &str = common::ISD_KUBE;

/// Runs `rudder template isd charts/isd -n opsmx --seed 1 ARGS` with a
/// pinned clock.
fn template(args: &[&str]) -> common::Run {
    common::isd_template(args)
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

fn ids(docs: &[Json]) -> Vec<String> {
    common::ids(docs)
}

fn containers<'a>(workload: &'a Json, group: &str) -> Vec<&'a Json> {
    workload["spec"]["template"]["spec"][group]
        .as_array()
        .map(|l| l.iter().collect())
        .unwrap_or_default()
}

fn container<'a>(workload: &'a Json, group: &str, name: &str) -> &'a Json {
    containers(workload, group)
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {group} {name}"))
}

fn env_names(c: &Json) -> Vec<&str> {
    c["env"]
        .as_array()
        .map(|l| l.iter().filter_map(|e| e["name"].as_str()).collect())
        .unwrap_or_default()
}

/// A ConfigMap's or Secret's file.
fn file<'a>(docs: &'a [Json], kind: &str, name: &str, key: &str) -> &'a str {
    let o = get(docs, kind, name);
    let field = if kind == "Secret" {
        "stringData"
    } else {
        "data"
    };
    o[field][key]
        .as_str()
        .unwrap_or_else(|| panic!("{kind} {name} has no {key}"))
}

/// The object list of a render with each container's image: the snapshot
/// of a fixture other than the defaults.
fn summary(docs: &[Json]) -> String {
    let mut out = String::new();
    for d in docs {
        let kind = d["kind"].as_str().unwrap_or("?");
        let name = d["metadata"]["name"].as_str().unwrap_or("?");
        out.push_str(&format!("{kind}/{name}\n"));
        for group in ["initContainers", "containers"] {
            for c in containers(d, group) {
                out.push_str(&format!(
                    "  {group} {}: {}\n",
                    c["name"].as_str().unwrap_or("?"),
                    c["image"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    out
}

/// The valid fixtures' names, sorted.
fn valid_names() -> Vec<String> {
    let dir = common::root().join("fixtures/isd/valid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/isd/valid")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| p.file_stem().expect("name").to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn valid_fixtures_render_validate_and_match_snapshots() {
    let out = render(&[]);
    common::kube_validate(&out, KUBE);
    insta::assert_snapshot!("valid_defaults", out);
    let names = valid_names();
    assert!(names.len() >= 10, "fixtures missing: {names:?}");
    for name in names {
        let out = render(&["-f", &valid(&name)]);
        common::kube_validate(&out, KUBE);
        insta::assert_snapshot!(format!("valid_{name}"), summary(&docs(&out)));
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
    assert!(files.len() >= 4, "invalid fixtures missing");
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
    assert!(r.stderr.contains("8 problems"), "{}", r.stderr);
    for key in [
        "k8sServiceType",
        "global.createIngress",
        "global.customImages.registry",
        "global.spinDeck.protocol",
        "forwarder.enabled",
        "spinnaker.gitopsHalyard.repo.type",
        "ui.replicas",
        "ui.image",
    ] {
        assert!(
            r.stderr.contains(&format!("isd: {key}: ")),
            "{key} not reported:\n{}",
            r.stderr
        );
    }
}

#[test]
fn the_product_services_their_ports_and_services() {
    let d = docs(&render(&[]));
    assert_eq!(
        d.len(),
        115,
        "oes 4.0.26 renders 115 objects: {:?}",
        ids(&d)
    );
    // workload, container, port, Service, Service port
    for (kind, name, c, port, svc, svc_port) in [
        ("Deployment", "oes-gate", "oes-gate", 8084, "oes-gate", 8084),
        ("Deployment", "oes-ui", "oes-ui", 8080, "oes-ui", 8080),
        (
            "Deployment",
            "oes-platform",
            "oes-platform",
            8095,
            "oes-platform",
            8095,
        ),
        (
            "Deployment",
            "oes-sapor",
            "oes-sapor",
            8085,
            "oes-sapor",
            8085,
        ),
        (
            "Deployment",
            "oes-autopilot",
            "oes-autopilot",
            8090,
            "oes-autopilot",
            8090,
        ),
        (
            "Deployment",
            "oes-visibility",
            "oes-visibility",
            8096,
            "oes-visibility",
            8096,
        ),
        (
            "Deployment",
            "oes-dashboard",
            "oes-dashboard",
            8094,
            "oes-dashboard",
            8094,
        ),
        (
            "Deployment",
            "oes-audit-service",
            "oes-audit",
            8097,
            "oes-audit-service",
            8097,
        ),
        (
            "Deployment",
            "oes-audit-client",
            "oes-audit-client",
            8098,
            "oes-audit-client",
            8098,
        ),
        (
            "Deployment",
            "oes-datascience",
            "oes-datascience",
            5005,
            "oes-datascience",
            5005,
        ),
        (
            "Deployment",
            "rabbitmq",
            "rabbitmq",
            5672,
            "rabbitmq-service",
            5672,
        ),
        (
            "Deployment",
            "sapor-gate",
            "sapor-gate",
            8084,
            "sapor-gate",
            8084,
        ),
        (
            "Deployment",
            "isd-openldap",
            "openldap",
            389,
            "isd-openldap",
            389,
        ),
        ("Deployment", "isd-minio", "minio", 9000, "isd-minio", 9000),
        (
            "Deployment",
            "opsmx-controller-controller1",
            "opsmx-controller-controller1",
            9002,
            "opsmx-controller-controller1",
            9002,
        ),
        ("StatefulSet", "oes-db", "oes-db", 5432, "oes-db", 5432),
        (
            "StatefulSet",
            "isd-redis-master",
            "isd-redis",
            6379,
            "isd-redis-master",
            6379,
        ),
        (
            "StatefulSet",
            "isd-spinnaker-halyard",
            "halyard",
            8064,
            "isd-spinnaker-halyard",
            8064,
        ),
    ] {
        let w = get(&d, kind, name);
        let ct = container(w, "containers", c);
        assert!(
            ct["ports"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["containerPort"] == port)),
            "{kind} {name}: container {c} does not listen on {port}"
        );
        let s = get(&d, "Service", svc);
        assert!(
            s["spec"]["ports"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["port"] == svc_port)),
            "Service {svc} has no port {svc_port}"
        );
        // the Service selects this workload's pods
        let labels = &w["spec"]["template"]["metadata"]["labels"];
        let sel = s["spec"]["selector"].as_object().expect("selector");
        assert!(
            sel.iter().all(|(k, v)| &labels[k] == v),
            "Service {svc} does not select {kind} {name}: {sel:?} vs {labels}"
        );
    }
    // the controller's agent, service, control, remote-command and metrics
    // ports, and its agent load balancer
    let ctl = container(
        get(&d, "Deployment", "opsmx-controller-controller1"),
        "containers",
        "opsmx-controller-controller1",
    );
    let ports: Vec<_> = ctl["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["containerPort"].clone())
        .collect();
    assert_eq!(ports, [9001, 9002, 9003, 9004, 9102].map(Json::from));
    assert_eq!(
        get(&d, "Service", "agent-grpc")["spec"]["type"],
        "LoadBalancer"
    );
}

#[test]
fn images_come_from_the_values() {
    let d = docs(&render(&[]));
    let ui = container(get(&d, "Deployment", "oes-ui"), "containers", "oes-ui");
    assert_eq!(
        ui["image"],
        "quay.io/opsmxpublic/ubi8-oes-ui:isd-spin-2025.03.00-344cdc61f-202503101205"
    );
    let hal = container(
        get(&d, "StatefulSet", "isd-spinnaker-halyard"),
        "containers",
        "halyard",
    );
    assert_eq!(
        hal["image"],
        "quay.io/opsmxpublic/ubi8-halyard-cve:1.65.0-7fc063a-202503121111"
    );
    // a user's oes values file: own registry (imageCredentials.registry, as
    // the product reads it), a pinned tag, an own git-ops repository
    let u = docs(&render(&["-f", &valid("user-values")]));
    let auth = get(&u, "Secret", "opsmx-gitops-auth");
    assert_eq!(
        auth["stringData"]["gitcloneparam"],
        "https://acme-bot:example-token@github.com/acme/acme-gitops.git"
    );
    let ui = container(get(&u, "Deployment", "oes-ui"), "containers", "oes-ui");
    assert_eq!(
        ui["image"],
        "registry.acme.example/opsmx/ubi8-oes-ui:isd-spin-2025.03.00-pinned"
    );
    for name in [
        "oes-gate",
        "oes-platform",
        "oes-sapor",
        "oes-autopilot",
        "oes-visibility",
        "oes-dashboard",
    ] {
        let c = &containers(get(&u, "Deployment", name), "containers")[0];
        assert!(
            c["image"]
                .as_str()
                .unwrap()
                .starts_with("registry.acme.example/opsmx/"),
            "{name}: {}",
            c["image"]
        );
    }
}

#[test]
fn the_switches_add_and_remove_the_products_objects() {
    let all: Vec<String> = ids(&docs(&render(&[])));
    for (fixture, gone, added) in [
        (
            "ingress",
            &["Service/spin-deck-lb", "Service/spin-gate-lb"][..],
            &["Ingress/oes-ui-ingress"][..],
        ),
        (
            "no-forwarder",
            &[
                "Deployment/opsmx-controller-controller1",
                "Service/agent-grpc",
                "Service/opsmx-controller-controller1",
                "Service/opsmx-controller-controller1-interproc",
                "ConfigMap/opsmx-controller-controller1",
                "Job/create-controller-secret",
                "Role/create-controller-secret",
                "RoleBinding/create-controller-secret",
                "ServiceAccount/create-controller-secret",
            ][..],
            &[][..],
        ),
        (
            "no-saporgate",
            &[
                "Deployment/sapor-gate",
                "Service/sapor-gate",
                "Secret/sapor-gate-files",
            ][..],
            &[][..],
        ),
        (
            "no-ldap",
            &[
                "Deployment/isd-openldap",
                "Service/isd-openldap",
                "Secret/isd-openldap",
                "PersistentVolumeClaim/isd-openldap",
                "ConfigMap/isd-openldap-env",
                "ConfigMap/isd-openldap-customldif",
            ][..],
            &[][..],
        ),
        (
            "no-minio",
            &[
                "Deployment/isd-minio",
                "Service/isd-minio",
                "Secret/isd-minio",
                "ConfigMap/isd-minio",
                "PersistentVolumeClaim/isd-minio",
                "Job/isd-minio-make-bucket-job",
                "ServiceAccount/isd-minio",
                "ServiceAccount/isd-minio-update-prometheus-secret",
                "Role/isd-minio-update-prometheus-secret",
                "RoleBinding/isd-minio-update-prometheus-secret",
            ][..],
            &[][..],
        ),
        (
            "no-gitops",
            &[
                "Secret/opsmx-gitops-auth",
                "ConfigMap/isd-spinnaker-spin-secret-decoder",
            ][..],
            &[][..],
        ),
        ("no-ha", &[][..], &[][..]),
    ] {
        let got = ids(&docs(&render(&["-f", &valid(fixture)])));
        for id in gone {
            assert!(all.contains(&id.to_string()), "{id} is not in the defaults");
            assert!(
                !got.contains(&id.to_string()),
                "{fixture}: {id} still rendered"
            );
        }
        for id in added {
            assert!(
                !all.contains(&id.to_string()),
                "{id} already in the defaults"
            );
            assert!(
                got.contains(&id.to_string()),
                "{fixture}: {id} not rendered"
            );
        }
        let expected = all.len() - gone.len() + added.len();
        assert_eq!(
            got.len(),
            expected,
            "{fixture}: other objects changed: {got:?}"
        );
    }
}

#[test]
fn halyard_takes_its_configuration_from_the_git_ops_repository() {
    let d = docs(&render(&[]));
    let hal = get(&d, "StatefulSet", "isd-spinnaker-halyard");
    let inits: Vec<_> = containers(hal, "initContainers")
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        inits,
        [
            "create-halyard-local",
            "halyardconfig-update",
            "halyard-overrideurl"
        ]
    );
    let local = container(hal, "initContainers", "create-halyard-local");
    assert_eq!(local["image"], "quay.io/opsmxpublic/awsgit:v3-js");
    assert_eq!(
        local["command"],
        serde_json::json!(["sh", "/tmp/initscript/init.sh"])
    );
    for e in [
        "GIT_USER",
        "GIT_TOKEN",
        "GIT_CLONE_PARAM",
        "DYNAMIC_ACCOUNTS_REPO",
        "SPINNAKER_NAMESPACE",
    ] {
        assert!(
            env_names(local).contains(&e),
            "git: no {e}: {:?}",
            env_names(local)
        );
    }
    let auth = get(&d, "Secret", "opsmx-gitops-auth");
    assert!(
        auth["stringData"]["gitcloneparam"]
            .as_str()
            .unwrap()
            .contains("github.com/OpsMx/standard-gitops-repo")
    );

    // S3: the bucket and keys instead of the git settings
    let s3 = docs(&render(&["-f", &valid("gitops-s3")]));
    let local = container(
        get(&s3, "StatefulSet", "isd-spinnaker-halyard"),
        "initContainers",
        "create-halyard-local",
    );
    let names = env_names(local);
    for e in ["S3_ACCESSKEY", "S3_SECRETKEY", "S3_BUCKET", "S3_REGION"] {
        assert!(names.contains(&e), "s3: no {e}: {names:?}");
    }
    assert!(!names.contains(&"GIT_TOKEN"), "s3: git token still passed");
    let auth = get(&s3, "Secret", "opsmx-gitops-auth");
    assert_eq!(auth["stringData"]["s3bucket"], "acme-halyard");

    // stash: no secret decoder step; a project in the clone URL
    let st = docs(&render(&["-f", &valid("gitops-stash")]));
    let hal = get(&st, "StatefulSet", "isd-spinnaker-halyard");
    assert!(
        containers(hal, "initContainers")
            .iter()
            .all(|c| c["name"] != "halyardconfig-update")
    );
    let auth = get(&st, "Secret", "opsmx-gitops-auth");
    assert_eq!(
        auth["stringData"]["gitcloneparam"],
        "https://ci-bot:example-token@bitbucket.acme.example/OpsMx/OPS/isd-gitops.git"
    );
    assert_eq!(
        auth["stringData"]["dynamicAccRepository"],
        "standard-gitops-repo"
    );

    // without git-ops: halyard's own volume claim and the local image
    let ng = docs(&render(&["-f", &valid("no-gitops")]));
    let hal = get(&ng, "StatefulSet", "isd-spinnaker-halyard");
    assert_eq!(
        hal["spec"]["volumeClaimTemplates"][0]["metadata"]["name"],
        "halyard-home"
    );
    let local = container(hal, "initContainers", "create-halyard-local");
    assert_eq!(
        local["command"],
        serde_json::json!(["bash", "/tmp/initscript/init.sh"])
    );
}

#[test]
fn jobs_run_as_the_products_hooks() {
    let d = docs(&render(&[]));
    for (name, hook) in [
        ("isd-install-using-hal", "post-install,post-upgrade"),
        ("isd-spinnaker-cleanup-using-hal", "pre-delete"),
        ("isd-minio-make-bucket-job", "post-install,post-upgrade"),
        ("oes-config", "post-install,post-upgrade"),
        ("github-config", "pre-install"),
    ] {
        let j = get(&d, "Job", name);
        let got = j["metadata"]["annotations"]["helm.sh/hook"]
            .as_str()
            .unwrap_or("")
            .replace(' ', "");
        assert_eq!(got, hook, "Job {name}");
    }
    let install = container(
        get(&d, "Job", "isd-install-using-hal"),
        "containers",
        "halyard-install",
    );
    assert_eq!(
        install["command"],
        serde_json::json!(["bash", "-xe", "/opt/halyard/scripts/install.sh"])
    );
}

#[test]
fn config_files_carry_the_products_settings() {
    let d = docs(&render(&[]));
    let parse = |t: &str| {
        rudder_values::yaml::parse(t, "config")
            .expect("config file parses")
            .to_json()
    };
    let gate = parse(file(&d, "Secret", "oes-gate-config", "gate.yml"));
    assert!(
        gate["services"].is_object(),
        "gate.yml has no service map: {gate}"
    );
    assert!(
        gate["ldap"].is_object() || gate["spring"].is_object(),
        "gate.yml has no login settings"
    );
    let spin = parse(file(&d, "Secret", "isd-spinnaker-spin-config", "config"));
    assert_eq!(
        spin["gate"]["endpoint"], "http://sapor-gate:8084",
        "sapor talks to Spinnaker through sapor-gate"
    );
    let ui: Json = serde_json::from_str(file(&d, "ConfigMap", "oes-ui-config", "app-config.json"))
        .expect("app-config.json");
    assert!(ui.is_object());
    let nginx = file(&d, "ConfigMap", "oes-ui-nginxconf", "nginx.conf");
    assert!(nginx.contains("listen 8080") && nginx.contains("proxy_pass http://oes-gate:8084/"));
    // the LDAP bootstrap comes from openldap.customLdifFiles
    let ldif = file(&d, "ConfigMap", "isd-openldap-customldif", "05-admin.ldif");
    assert!(
        ldif.contains("cn=admin,ou=groups,dc=example,dc=org"),
        "{ldif}"
    );
    let props = file(&d, "Secret", "oes-autopilot-config", "autopilot.properties");
    assert!(
        props.lines().all(|l| l.is_empty() || l.contains('=')),
        "{props}"
    );
    // no script carries the product's TAB-indented lines
    let all = render(&[]);
    assert!(!all.contains('\t'), "a TAB in the render");
}

#[test]
fn the_release_name_and_namespace_are_the_users() {
    let r = common::rudder_pinned(&["template", "acme", CHART, "-n", "tools", "--seed", "1"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let d = docs(&r.stdout);
    for id in [
        "StatefulSet/acme-spinnaker-halyard",
        "Deployment/acme-minio",
        "Deployment/acme-openldap",
        "StatefulSet/acme-redis-master",
        "Job/acme-install-using-hal",
    ] {
        assert!(ids(&d).contains(&id.to_owned()), "no {id}");
    }
    assert!(
        !r.stdout.contains("isd-spinnaker") && !r.stdout.contains("isd-minio"),
        "the release name isd is baked in"
    );
    let install = file(
        &d,
        "ConfigMap",
        "acme-spinnaker-halyard-config",
        "install.sh",
    );
    assert!(
        install.contains("http://acme-spinnaker-halyard:8064"),
        "{install}"
    );
}

#[test]
fn every_script_of_every_fixture_is_valid_shell() {
    if std::process::Command::new("bash")
        .arg("-c")
        .arg("true")
        .status()
        .is_err()
    {
        eprintln!("no bash: scripts not checked");
        return;
    }
    let mut cases = vec![String::new()];
    cases.extend(valid_names());
    let mut checked = 0;
    for name in cases {
        let out = if name.is_empty() {
            render(&[])
        } else {
            render(&["-f", &valid(&name)])
        };
        for d in docs(&out) {
            for field in ["data", "stringData"] {
                let Some(files) = d[field].as_object() else {
                    continue;
                };
                for (key, text) in files {
                    if !(key.ends_with(".sh") || key == "initialize") {
                        continue;
                    }
                    let mut child = std::process::Command::new("bash")
                        .arg("-n")
                        .stdin(std::process::Stdio::piped())
                        .stderr(std::process::Stdio::piped())
                        .spawn()
                        .expect("bash runs");
                    std::io::Write::write_all(
                        &mut child.stdin.take().expect("stdin"),
                        text.as_str().unwrap_or("").as_bytes(),
                    )
                    .expect("write script");
                    let r = child.wait_with_output().expect("bash -n");
                    assert!(
                        r.status.success(),
                        "{name}: {} {key} is not valid shell: {}",
                        d["metadata"]["name"],
                        String::from_utf8_lossy(&r.stderr)
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} scripts checked");
}

/// The chart's own helm-unittest suites (charts/isd/tests) pass with
/// `rudder unittest`: the product's images and ports, a user's registry and
/// tag, halyard's init container, and the switches.
#[test]
fn the_bundled_unittest_suites_pass() {
    let r = common::rudder(&["unittest", CHART]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    for line in [
        "Test Suites: 2 passed, 2 total",
        "Tests:       9 passed, 9 total",
    ] {
        assert!(r.stdout.contains(line), "{line:?} in:\n{}", r.stdout);
    }
}
