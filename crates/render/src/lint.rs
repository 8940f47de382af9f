//! `rudder lint`: checks on rendered objects that the API server would
//! otherwise reject at apply time. (Rendering itself already guarantees
//! every document parses and has `apiVersion`, `kind` and `metadata.name`.)

use std::collections::HashMap;

use rudder_values::Value;

use crate::Rendered;

/// One problem found in a rendered object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The template it came from (`# Source:` path).
    pub source: String,
    /// `Kind/name` of the object.
    pub object: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.source, self.object, self.message)
    }
}

/// Kinds whose names must be DNS-1123 labels (no dots, at most 63).
const LABEL_NAMED: &[&str] = &["Namespace", "Service"];
/// Kinds whose names are path segments (RBAC allows `system:foo`).
const SEGMENT_NAMED: &[&str] = &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

/// Checks every manifest and hook of a render.
pub fn check(rendered: &Rendered) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: HashMap<(String, String, String), String> = HashMap::new();
    let docs = rendered
        .manifests
        .iter()
        .chain(rendered.hooks.iter().map(|h| &h.manifest));
    for m in docs {
        let Ok(doc) = rudder_values::yaml::parse(&m.text, &m.source) else {
            continue;
        };
        let object = format!("{}/{}", m.kind, m.name);
        let mut report = |message: String| {
            problems.push(Problem {
                source: m.source.clone(),
                object: object.clone(),
                message,
            });
        };
        if let Some(why) = name_problem(&m.kind, &m.name) {
            report(format!("metadata.name {:?} {why}", m.name));
        }
        let namespace = doc
            .get_path(["metadata", "namespace"])
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if !namespace.is_empty() && !is_dns_label(&namespace) {
            report(format!(
                "metadata.namespace {namespace:?} is not a valid DNS-1123 label"
            ));
        }
        let key = (m.kind.clone(), namespace, m.name.clone());
        if let Some(first) = seen.get(&key) {
            report(format!(
                "duplicate object: {} {:?} is also rendered by {first}",
                m.kind, m.name
            ));
        } else {
            seen.insert(key, m.source.clone());
        }
        for path in [
            &["metadata", "labels"][..],
            &["spec", "selector", "matchLabels"],
            &["spec", "template", "metadata", "labels"],
        ] {
            if let Some(Value::Map(labels)) = doc.get_path(path.iter().copied()) {
                for (k, v) in labels.iter() {
                    let at = format!("{}.{k}", path.join("."));
                    if let Some(why) = label_key_problem(k) {
                        report(format!("label key {at:?} {why}"));
                    }
                    match v {
                        Value::String(s) => {
                            if let Some(why) = label_value_problem(s) {
                                report(format!("label {at} = {s:?} {why}"));
                            }
                        }
                        other => report(format!(
                            "label {at} holds {}, but label values must be strings; quote it",
                            serde_json::to_string(other).unwrap_or_default()
                        )),
                    }
                }
            }
        }
        walk_ports(&doc, &mut String::new(), &mut |at, port| {
            report(format!("{at} = {port} is outside the port range 1-65535"));
        });
    }
    problems
}

fn walk_ports(v: &Value, at: &mut String, f: &mut dyn FnMut(&str, i64)) {
    match v {
        Value::Map(m) => {
            for (k, child) in m.iter() {
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(k);
                let is_port = matches!(
                    k.as_str(),
                    "port" | "containerPort" | "targetPort" | "nodePort" | "hostPort"
                );
                match child {
                    Value::Int(p) if is_port && !(1..=65535).contains(p) => f(at, *p),
                    _ => walk_ports(child, at, f),
                }
                at.truncate(len);
            }
        }
        Value::List(l) => {
            for (i, child) in l.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                walk_ports(child, at, f);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn name_problem(kind: &str, name: &str) -> Option<String> {
    if SEGMENT_NAMED.contains(&kind) {
        let bad = name.is_empty() || name == "." || name == ".." || name.contains(['/', '%']);
        return bad
            .then(|| "is not a valid path segment name (no '/', '%', '.' or '..')".to_owned());
    }
    if LABEL_NAMED.contains(&kind) {
        return (!is_dns_label(name)).then(|| {
            "is not a valid DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending \
             with a letter or digit"
                .to_owned()
        });
    }
    (!is_dns_subdomain(name)).then(|| {
        "is not a valid DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.', starting and \
         ending with a letter or digit"
            .to_owned()
    })
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

fn label_name_ok(s: &str) -> bool {
    s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
}

fn label_key_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if prefix.is_some_and(|p| !is_dns_subdomain(p)) {
        return Some("has a prefix that is not a DNS-1123 subdomain".to_owned());
    }
    (!label_name_ok(name)).then(|| {
        "is not a valid label name: at most 63 letters, digits, '-', '_' and '.', starting and ending with a \
         letter or digit"
            .to_owned()
    })
}

fn label_value_problem(v: &str) -> Option<String> {
    (!(v.is_empty() || label_name_ok(v))).then(|| {
        "is not a valid label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and \
         ending with a letter or digit"
            .to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Manifest;

    fn manifest(source: &str, text: &str) -> Manifest {
        let v = rudder_values::yaml::parse(text, source).unwrap();
        let s = |p: &[&str]| {
            v.get_path(p.iter().copied())
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        Manifest {
            source: source.into(),
            api_version: s(&["apiVersion"]),
            kind: s(&["kind"]),
            name: s(&["metadata", "name"]),
            text: text.into(),
        }
    }

    #[test]
    fn finds_names_duplicates_labels_and_ports() {
        let r = Rendered {
            manifests: vec![
                manifest(
                    "c/templates/a.yaml",
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: Web.Svc\n  labels:\n    app: \"-bad\"\n    ok: fine\nspec:\n  ports:\n  - port: 70000\n",
                ),
                manifest(
                    "c/templates/b.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: ns\n",
                ),
                manifest(
                    "c/templates/c.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: ns\n  labels:\n    size: 5\n",
                ),
                manifest(
                    "c/templates/d.yaml",
                    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:dispatch\n",
                ),
            ],
            ..Default::default()
        };
        let p: Vec<String> = check(&r).iter().map(ToString::to_string).collect();
        assert_eq!(p.len(), 5, "{p:#?}");
        assert!(p[0].starts_with("c/templates/a.yaml: Service/Web.Svc: metadata.name \"Web.Svc\" is not a valid DNS-1123 label"));
        assert!(p[1].contains("label metadata.labels.app = \"-bad\" is not a valid label value"));
        assert!(p[2].contains("spec.ports[0].port = 70000 is outside the port range 1-65535"));
        assert!(p[3].starts_with("c/templates/c.yaml: ConfigMap/cfg: duplicate object: ConfigMap \"cfg\" is also rendered by c/templates/b.yaml"));
        assert!(
            p[4].contains("label metadata.labels.size holds 5, but label values must be strings"),
            "{}",
            p[4]
        );
    }
}
