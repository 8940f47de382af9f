//! References across the release's objects: what a pod uses, what a
//! Service, PodDisruptionBudget, Ingress, RBAC binding or HPA points at.
//! A reference to an object that is neither in the release, nor optional,
//! nor always present, nor declared in `rudder.dev/external` is an error:
//! the pod would not start (`CreateContainerConfigError`, a volume that
//! never mounts), the Service would have no endpoints, the Ingress would
//! answer 503, the binding would grant nothing.

use rudder_values::Value;

use super::{
    EXTERNAL_ANNOTATION, Object, Pod, Problem, Release, Severity, get, list, optional, selects,
    show_selector, str_at,
};

/// ClusterRoles every cluster has (Kubernetes' bootstrap policy).
const BUILTIN_CLUSTER_ROLES: &[&str] = &["cluster-admin", "admin", "edit", "view"];

/// Checks the references of every object of the release.
pub(super) fn check(release: &Release, out: &mut Vec<Problem>) {
    for o in &release.objects {
        if let Some(pod) = o.pod() {
            pod_refs(release, o, &pod, out);
            requests(o, &pod, out);
        }
        match o.kind {
            "Service" => service(release, o, out),
            "PodDisruptionBudget" => {
                if let Some(sel) = o.doc.get_path(["spec", "selector"]) {
                    selector_matches_pods(release, o, sel, "spec.selector", false, out);
                }
            }
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => own_selector(o, out),
            "Ingress" => ingress(release, o, out),
            "RoleBinding" | "ClusterRoleBinding" => binding(release, o, out),
            "HorizontalPodAutoscaler" => hpa(release, o, out),
            _ => {}
        }
    }
}

/// The error for `kind/name`, missing from `namespace`.
fn missing(
    release: &Release,
    o: &Object,
    path: String,
    kind: &str,
    namespace: &str,
    name: &str,
    can_be_optional: bool,
) -> Problem {
    let place = if namespace.is_empty() {
        String::new()
    } else {
        format!(" in namespace {namespace:?}")
    };
    let optional = if can_be_optional {
        ", set `optional: true` on the reference"
    } else {
        ""
    };
    // Outside the release namespace, the declaration names the namespace.
    let entry = if namespace.is_empty() || namespace == release.options.namespace {
        format!("{kind}/{name}")
    } else {
        format!("{kind}/{namespace}/{name}")
    };
    o.problem(
        Severity::Error,
        path,
        format!("{kind} {name:?} is not in the release{place}"),
        format!(
            "add {kind} {name:?} to the chart, correct the name{optional}, or declare it in Chart.yaml \
             annotations: {EXTERNAL_ANNOTATION}: \"{entry}\""
        ),
    )
}

/// ConfigMaps, Secrets, PVCs, the ServiceAccount and the image pull
/// secrets a pod uses, and the volumes its containers mount.
fn pod_refs(release: &Release, o: &Object, pod: &Pod, out: &mut Vec<Problem>) {
    let ns = o.namespace.as_str();
    let mut need = |path: String, kind: &str, name: Option<&str>, holder: &Value, can_opt: bool| {
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            return;
        };
        if (can_opt && optional(holder)) || release.has(kind, ns, name) {
            return;
        }
        out.push(missing(release, o, path, kind, ns, name, can_opt));
    };
    let claim_templates: Vec<&str> = if o.kind == "StatefulSet" {
        o.doc
            .get_path(["spec"])
            .map(|s| list(s, "volumeClaimTemplates"))
            .unwrap_or(&[])
            .iter()
            .filter_map(|t| str_at(t, &["metadata", "name"]))
            .collect()
    } else {
        Vec::new()
    };
    let mut volumes: Vec<&str> = claim_templates.clone();
    for (i, v) in list(pod.spec, "volumes").iter().enumerate() {
        let at = format!("{}.volumes[{i}]", pod.path);
        if let Some(name) = str_at(v, &["name"]) {
            volumes.push(name);
        }
        if let Some(cm) = get(v, "configMap") {
            need(
                format!("{at}.configMap.name"),
                "ConfigMap",
                str_at(cm, &["name"]),
                cm,
                true,
            );
        }
        if let Some(s) = get(v, "secret") {
            need(
                format!("{at}.secret.secretName"),
                "Secret",
                str_at(s, &["secretName"]),
                s,
                true,
            );
        }
        if let Some(c) = get(v, "persistentVolumeClaim") {
            let name = str_at(c, &["claimName"]);
            let from_template = name.is_some_and(|n| claim_templates.contains(&n));
            if !from_template {
                need(
                    format!("{at}.persistentVolumeClaim.claimName"),
                    "PersistentVolumeClaim",
                    name,
                    c,
                    false,
                );
            }
        }
        if let Some(p) = get(v, "projected") {
            for (j, src) in list(p, "sources").iter().enumerate() {
                let sat = format!("{at}.projected.sources[{j}]");
                if let Some(cm) = get(src, "configMap") {
                    need(
                        format!("{sat}.configMap.name"),
                        "ConfigMap",
                        str_at(cm, &["name"]),
                        cm,
                        true,
                    );
                }
                if let Some(s) = get(src, "secret") {
                    need(
                        format!("{sat}.secret.name"),
                        "Secret",
                        str_at(s, &["name"]),
                        s,
                        true,
                    );
                }
            }
        }
    }
    for (at, c) in pod.containers() {
        for (j, e) in list(c, "envFrom").iter().enumerate() {
            if let Some(r) = get(e, "configMapRef") {
                need(
                    format!("{at}.envFrom[{j}].configMapRef.name"),
                    "ConfigMap",
                    str_at(r, &["name"]),
                    r,
                    true,
                );
            }
            if let Some(r) = get(e, "secretRef") {
                need(
                    format!("{at}.envFrom[{j}].secretRef.name"),
                    "Secret",
                    str_at(r, &["name"]),
                    r,
                    true,
                );
            }
        }
        for (j, e) in list(c, "env").iter().enumerate() {
            let Some(from) = get(e, "valueFrom") else {
                continue;
            };
            if let Some(r) = get(from, "configMapKeyRef") {
                need(
                    format!("{at}.env[{j}].valueFrom.configMapKeyRef.name"),
                    "ConfigMap",
                    str_at(r, &["name"]),
                    r,
                    true,
                );
            }
            if let Some(r) = get(from, "secretKeyRef") {
                need(
                    format!("{at}.env[{j}].valueFrom.secretKeyRef.name"),
                    "Secret",
                    str_at(r, &["name"]),
                    r,
                    true,
                );
            }
        }
    }
    for (i, s) in list(pod.spec, "imagePullSecrets").iter().enumerate() {
        need(
            format!("{}.imagePullSecrets[{i}].name", pod.path),
            "Secret",
            str_at(s, &["name"]),
            s,
            false,
        );
    }
    for field in ["serviceAccountName", "serviceAccount"] {
        // Every namespace has a `default` ServiceAccount.
        if let Some(sa) = str_at(pod.spec, &[field]).filter(|s| *s != "default") {
            need(
                format!("{}.{field}", pod.path),
                "ServiceAccount",
                Some(sa),
                &Value::Null,
                false,
            );
            break;
        }
    }
    for (at, c) in pod.containers() {
        for field in ["volumeMounts", "volumeDevices"] {
            for (j, m) in list(c, field).iter().enumerate() {
                let Some(name) = str_at(m, &["name"]) else {
                    continue;
                };
                if volumes.contains(&name) {
                    continue;
                }
                let known = if volumes.is_empty() {
                    "the pod has no volumes".to_owned()
                } else {
                    format!("its volumes are {}", volumes.join(", "))
                };
                out.push(o.problem(
                    Severity::Error,
                    format!("{at}.{field}[{j}].name"),
                    format!("mounts volume {name:?}, which is not a volume of this pod ({known})"),
                    format!(
                        "add a volume named {name:?} to {}.volumes, or mount one of its volumes",
                        pod.path
                    ),
                ));
            }
        }
    }
}

/// Containers without resource requests: the scheduler places them
/// anywhere and they are the first evicted (a warning).
fn requests(o: &Object, pod: &Pod, out: &mut Vec<Problem>) {
    for (at, c) in pod.containers() {
        if at.contains(".ephemeralContainers[") {
            continue;
        }
        let has =
            matches!(c.get_path(["resources", "requests"]), Some(Value::Map(m)) if !m.is_empty());
        if !has {
            let name = str_at(c, &["name"]).unwrap_or("?");
            out.push(o.problem(
                Severity::Warning,
                format!("{at}.resources.requests"),
                format!("container {name:?} has no resource requests"),
                "set resources.requests.cpu and resources.requests.memory (from the chart's values)",
            ));
        }
    }
}

/// A selector must select a pod template of the release in the object's
/// namespace.
fn selector_matches_pods(
    release: &Release,
    o: &Object,
    selector: &Value,
    path: &str,
    plain: bool,
    out: &mut Vec<Problem>,
) {
    let empty = match selector {
        Value::Map(m) => {
            m.is_empty()
                || (!plain
                    && get(selector, "matchLabels").is_none()
                    && list(selector, "matchExpressions").is_empty())
        }
        _ => true,
    };
    if empty {
        return;
    }
    if release
        .pods_in(&o.namespace)
        .any(|(_, pod)| selects(selector, pod.labels, plain))
        || release
            .external_pods_in(&o.namespace)
            .any(|labels| selects(selector, Some(&labels), plain))
    {
        return;
    }
    out.push(o.problem(
        Severity::Error,
        path,
        format!(
            "selector {} matches no pod template of the release in namespace {:?}",
            show_selector(selector, plain),
            o.namespace
        ),
        "make the selector match the labels of a pod template (spec.template.metadata.labels), or correct the labels; pods created outside the release are declared in Chart.yaml as rudder.dev/external: \"Pods/key=value\"",
    ));
}

/// A Service's selector, unless it has none (endpoints managed by hand)
/// or is an ExternalName.
fn service(release: &Release, o: &Object, out: &mut Vec<Problem>) {
    if str_at(&o.doc, &["spec", "type"]) == Some("ExternalName") {
        return;
    }
    if let Some(sel) = o.doc.get_path(["spec", "selector"]) {
        selector_matches_pods(release, o, sel, "spec.selector", true, out);
    }
}

/// A workload's selector must match its own template's labels: the API
/// server refuses it otherwise ("`selector` does not match template
/// `labels`").
fn own_selector(o: &Object, out: &mut Vec<Problem>) {
    let (Some(sel), Some(pod)) = (o.doc.get_path(["spec", "selector"]), o.pod()) else {
        return;
    };
    if !selects(sel, pod.labels, false) {
        out.push(o.problem(
            Severity::Error,
            "spec.selector",
            format!(
                "selector {} does not match the pod template's labels (spec.template.metadata.labels)",
                show_selector(sel, false)
            ),
            "make spec.selector.matchLabels a subset of spec.template.metadata.labels",
        ));
    }
}

/// Ingress backends (networking.k8s.io/v1 `service.name`/`service.port`,
/// v1beta1 `serviceName`/`servicePort`) must name a Service of the release
/// and a port it exposes.
fn ingress(release: &Release, o: &Object, out: &mut Vec<Problem>) {
    let Some(spec) = get(&o.doc, "spec") else {
        return;
    };
    let v1 = o.api_version == "networking.k8s.io/v1";
    let mut backends: Vec<(String, &Value)> = Vec::new();
    let default_field = if v1 { "defaultBackend" } else { "backend" };
    if let Some(b) = get(spec, default_field) {
        backends.push((format!("spec.{default_field}"), b));
    }
    for (i, rule) in list(spec, "rules").iter().enumerate() {
        let Some(http) = get(rule, "http") else {
            continue;
        };
        for (j, p) in list(http, "paths").iter().enumerate() {
            if let Some(b) = get(p, "backend") {
                backends.push((format!("spec.rules[{i}].http.paths[{j}].backend"), b));
            }
        }
    }
    for (at, b) in backends {
        let (name_path, name, port_path, port) = if v1 {
            let Some(s) = get(b, "service") else { continue };
            let port = get(s, "port");
            let (pp, pv) = match (
                port.and_then(|p| get(p, "number")),
                port.and_then(|p| get(p, "name")),
            ) {
                (Some(n), _) => (format!("{at}.service.port.number"), Some(n)),
                (None, Some(n)) => (format!("{at}.service.port.name"), Some(n)),
                _ => (format!("{at}.service.port"), None),
            };
            (format!("{at}.service.name"), str_at(s, &["name"]), pp, pv)
        } else {
            (
                format!("{at}.serviceName"),
                str_at(b, &["serviceName"]),
                format!("{at}.servicePort"),
                get(b, "servicePort"),
            )
        };
        let Some(name) = name else { continue };
        let service = release
            .objects
            .iter()
            .find(|s| s.kind == "Service" && s.namespace == o.namespace && s.name == name);
        let Some(service) = service else {
            if !release.has("Service", &o.namespace, name) {
                out.push(missing(
                    release,
                    o,
                    name_path,
                    "Service",
                    &o.namespace,
                    name,
                    false,
                ));
            }
            continue;
        };
        let Some(port) = port else { continue };
        let ports = service
            .doc
            .get_path(["spec"])
            .map(|s| list(s, "ports"))
            .unwrap_or(&[]);
        let found = ports.iter().any(|p| match port {
            Value::Int(n) => matches!(get(p, "port"), Some(Value::Int(m)) if m == n),
            Value::String(s) => match s.parse::<i64>() {
                Ok(n) => matches!(get(p, "port"), Some(Value::Int(m)) if *m == n),
                Err(_) => str_at(p, &["name"]) == Some(s.as_str()),
            },
            _ => false,
        });
        if !found {
            let exposed: Vec<String> = ports
                .iter()
                .map(|p| {
                    let num = get(p, "port")
                        .map(|v| serde_json::to_string(v).unwrap_or_default())
                        .unwrap_or_default();
                    match str_at(p, &["name"]) {
                        Some(n) => format!("{num} ({n})"),
                        None => num,
                    }
                })
                .collect();
            let shown = match port {
                Value::String(s) => format!("{s:?}"),
                v => serde_json::to_string(v).unwrap_or_default(),
            };
            out.push(o.problem(
                Severity::Error,
                port_path,
                format!(
                    "Service {name:?} has no port {shown} (it exposes {})",
                    if exposed.is_empty() {
                        "none".to_owned()
                    } else {
                        exposed.join(", ")
                    }
                ),
                "use one of the Service's ports, by number or by name",
            ));
        }
    }
}

/// RoleBinding/ClusterRoleBinding: the role exists, and so does every
/// ServiceAccount subject in its namespace.
fn binding(release: &Release, o: &Object, out: &mut Vec<Problem>) {
    let role_kind = str_at(&o.doc, &["roleRef", "kind"]).unwrap_or("");
    if let Some(role) = str_at(&o.doc, &["roleRef", "name"]) {
        let builtin = role_kind == "ClusterRole"
            && (BUILTIN_CLUSTER_ROLES.contains(&role) || role.starts_with("system:"));
        let ns = if role_kind == "ClusterRole" {
            ""
        } else {
            o.namespace.as_str()
        };
        if matches!(role_kind, "Role" | "ClusterRole")
            && !builtin
            && !release.has(role_kind, ns, role)
        {
            out.push(missing(
                release,
                o,
                "roleRef.name".into(),
                role_kind,
                ns,
                role,
                false,
            ));
        }
    }
    for (i, s) in list(&o.doc, "subjects").iter().enumerate() {
        if str_at(s, &["kind"]) != Some("ServiceAccount") {
            continue;
        }
        let Some(name) = str_at(s, &["name"]) else {
            continue;
        };
        let ns = match str_at(s, &["namespace"]).filter(|n| !n.is_empty()) {
            Some(ns) => ns,
            None if o.kind == "RoleBinding" => o.namespace.as_str(),
            None => {
                out.push(o.problem(
                    Severity::Error,
                    format!("subjects[{i}].namespace"),
                    format!("ServiceAccount subject {name:?} has no namespace"),
                    "set the subject's namespace (usually the release namespace)",
                ));
                continue;
            }
        };
        if name != "default" && !release.has("ServiceAccount", ns, name) {
            out.push(missing(
                release,
                o,
                format!("subjects[{i}].name"),
                "ServiceAccount",
                ns,
                name,
                false,
            ));
        }
    }
}

/// An HPA's `scaleTargetRef` must name a workload of the release.
fn hpa(release: &Release, o: &Object, out: &mut Vec<Problem>) {
    let (Some(kind), Some(name)) = (
        str_at(&o.doc, &["spec", "scaleTargetRef", "kind"]),
        str_at(&o.doc, &["spec", "scaleTargetRef", "name"]),
    ) else {
        return;
    };
    if !release.has(kind, &o.namespace, name) {
        out.push(missing(
            release,
            o,
            "spec.scaleTargetRef.name".into(),
            kind,
            &o.namespace,
            name,
            false,
        ));
    }
}
