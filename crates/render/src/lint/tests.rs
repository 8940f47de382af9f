use super::*;
use crate::Manifest;

fn manifest(source: &str, text: &str) -> Manifest {
    let v = rudder_values::yaml::parse(text, source).unwrap();
    let s = |p: &[&str]| str_at(&v, p).unwrap_or("").to_owned();
    Manifest {
        source: source.into(),
        api_version: s(&["apiVersion"]),
        kind: s(&["kind"]),
        name: s(&["metadata", "name"]),
        text: text.into(),
        position: 0,
    }
}

fn lint(docs: &[&str], options: &Options) -> Vec<String> {
    let r = Rendered {
        manifests: docs
            .iter()
            .enumerate()
            .map(|(i, d)| manifest(&format!("c/templates/{i}.yaml"), d))
            .collect(),
        ..Default::default()
    };
    check(&r, options)
        .iter()
        .map(|p| format!("{}: {p}", p.severity))
        .collect()
}

#[test]
fn finds_names_duplicates_labels_and_ports() {
    let p = lint(
        &[
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: Web.Svc\n  labels:\n    app: \"-bad\"\n    ok: fine\nspec:\n  ports:\n  - port: 70000\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: ns\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: ns\n  labels:\n    size: 5\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:dispatch\n",
        ],
        &Options::default(),
    );
    assert_eq!(
        p,
        [
            "error: c/templates/2.yaml: ConfigMap/cfg: metadata.name: duplicate object: ConfigMap \"cfg\" is also rendered by c/templates/1.yaml; fix: give one of them another name, or render only one",
            "error: c/templates/0.yaml: Service/Web.Svc: metadata.name: \"Web.Svc\" is not a valid DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit; fix: rename it (names usually come from a fullname template: check nameOverride/fullnameOverride)",
            "error: c/templates/0.yaml: Service/Web.Svc: metadata.labels.app: label value \"-bad\" is not a valid label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit; fix: shorten or clean the value (a version with '+' or a long name usually needs trunc 63 and replace)",
            "error: c/templates/0.yaml: Service/Web.Svc: spec.ports[0].port: port 70000 is outside the port range 1-65535; fix: use a port from 1 to 65535",
            "error: c/templates/2.yaml: ConfigMap/cfg: metadata.labels.size: label value 5 is an int, but label values must be strings; fix: quote it",
        ]
    );
}

#[test]
fn external_entries_parse_and_match() {
    let e = External::parse("Secret/tls-*").unwrap();
    assert!(e.matches("Secret", "any", "tls-web"));
    assert!(!e.matches("Secret", "any", "web"));
    assert!(!e.matches("ConfigMap", "any", "tls-web"));
    let e = External::parse("ServiceAccount/ops/deployer").unwrap();
    assert!(e.matches("ServiceAccount", "ops", "deployer"));
    assert!(!e.matches("ServiceAccount", "default", "deployer"));
    for bad in [
        "Secret",
        "Secret/",
        "/x",
        "Se-cret/x",
        "a/b/c/d",
        "Secret//x",
    ] {
        assert_eq!(External::parse(bad), None, "{bad}");
    }
}

#[test]
fn external_declarations_silence_a_missing_reference() {
    let docs = [
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    resources: {requests: {cpu: 10m}}\n    envFrom:\n    - secretRef: {name: creds}\n",
    ];
    let missing = lint(&docs, &Options::default());
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert!(missing[0].contains("spec.containers[0].envFrom[0].secretRef.name: Secret \"creds\" is not in the release in namespace \"default\""), "{}", missing[0]);
    let options = Options {
        external: vec![External::parse("Secret/creds").unwrap()],
        ..Options::default()
    };
    assert_eq!(lint(&docs, &options), Vec::<String>::new());
}

#[test]
fn port_names_follow_iana_svc_name() {
    for ok in ["http", "h2c", "web-80", "a"] {
        assert_eq!(fields::port_name_problem(ok), None, "{ok}");
    }
    for bad in [
        "http_port",
        "abcdefghijklmnop",
        "80",
        "-web",
        "web-",
        "a--b",
        "Web",
        "",
    ] {
        assert!(fields::port_name_problem(bad).is_some(), "{bad}");
    }
}
