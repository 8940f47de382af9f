//! Field values the API server refuses that strict schema validation lets
//! through: the OpenAPI schemas kubeconform and `kubernetes-validate
//! --strict` use carry types, not formats, patterns or enums. Each rule
//! follows the validation in Kubernetes' `pkg/apis/core/validation` (and
//! `apps`, `batch`, `networking`) of the same field.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use rudder_values::Value;

use super::{Object, Problem, Severity, get, list, str_at};

/// Kinds whose names must be DNS-1123 labels (no dots, at most 63).
const LABEL_NAMED: &[&str] = &["Namespace", "Service"];
/// Kinds whose names are path segments (RBAC allows `system:foo`).
const SEGMENT_NAMED: &[&str] = &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];
/// A CronJob's name gets an 11-character suffix for its Jobs, which are
/// labelled with it: Kubernetes refuses CronJob names over 52.
const CRONJOB_NAME_MAX: usize = 52;

const DNS_LABEL_RULE: &str =
    "at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";
const DNS_SUBDOMAIN_RULE: &str = "at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
const LABEL_VALUE_RULE: &str = "empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
const PORT_NAME_RULE: &str = "at most 15 lowercase letters, digits and '-', with at least one letter, no '-' at either end and no \"--\"";

/// Checks one object's fields.
pub(super) fn check(o: &Object, out: &mut Vec<Problem>) {
    let mut report = |path: String, message: String, fix: &str| {
        out.push(o.problem(Severity::Error, path, message, fix));
    };
    if let Some(why) = name_problem(o.kind, o.name) {
        report(
            "metadata.name".into(),
            format!("{:?} {why}", o.name),
            "rename it (names usually come from a fullname template: check nameOverride/fullnameOverride)",
        );
    }
    if let Some(ns) = str_at(&o.doc, &["metadata", "namespace"])
        && !ns.is_empty()
        && !is_dns_label(ns)
    {
        report(
            "metadata.namespace".into(),
            format!("{ns:?} is not a valid DNS-1123 label: {DNS_LABEL_RULE}"),
            "use a valid namespace name",
        );
    }
    let mut label_paths: Vec<String> =
        vec!["metadata.labels".into(), "spec.selector.matchLabels".into()];
    if let Some(pod) = o.pod()
        && o.kind != "Pod"
    {
        label_paths.push(pod.path.trim_end_matches(".spec").to_owned() + ".metadata.labels");
    }
    if o.kind == "Service" {
        label_paths.push("spec.selector".into());
    }
    for at in &label_paths {
        let Some(Value::Map(labels)) = o.doc.get_path(at.split('.')) else {
            continue;
        };
        for (k, v) in labels.iter() {
            let path = format!("{at}.{k}");
            if let Some(why) = label_key_problem(k) {
                report(
                    path.clone(),
                    format!("label key {k:?} {why}"),
                    "use a valid label key",
                );
            }
            match v {
                Value::String(s) => {
                    if !(s.is_empty() || label_name_ok(s)) {
                        report(
                            path,
                            format!(
                                "label value {s:?} is not a valid label value: {LABEL_VALUE_RULE}"
                            ),
                            "shorten or clean the value (a version with '+' or a long name usually needs trunc 63 and replace)",
                        );
                    }
                }
                other => report(
                    path,
                    format!(
                        "label value {} is {}, but label values must be strings",
                        serde_json::to_string(other).unwrap_or_default(),
                        match other.kind() {
                            k @ ("int" | "list") => format!("an {k}"),
                            k => format!("a {k}"),
                        }
                    ),
                    "quote it",
                ),
            }
        }
    }
    if let Some(Value::Map(annotations)) = o.doc.get_path(["metadata", "annotations"]) {
        for k in annotations.keys() {
            if let Some(why) = label_key_problem(k) {
                report(
                    format!("metadata.annotations.{k}"),
                    format!("annotation key {k:?} {why}"),
                    "use a valid annotation key (prefix/name)",
                );
            }
        }
    }
    walk_ports(&o.doc, &mut String::new(), &mut |at, port| {
        report(
            at.to_owned(),
            format!("port {port} is outside the port range 1-65535"),
            "use a port from 1 to 65535",
        );
    });
    let mut problems = Vec::new();
    kind_fields(o, &mut problems);
    out.extend(problems);
}

/// The fields of pods, Services, PVCs and the workload kinds.
fn kind_fields(o: &Object, out: &mut Vec<Problem>) {
    let mut err = |path: String, message: String, fix: String| {
        out.push(o.problem(Severity::Error, path, message, fix));
    };
    let doc = &o.doc;
    let mut warnings = Vec::new();
    if let Some(pod) = o.pod() {
        let restart = if matches!(o.kind, "Job" | "CronJob") {
            &["OnFailure", "Never"][..]
        } else if o.kind == "Pod" {
            &["Always", "OnFailure", "Never"][..]
        } else {
            // Controllers that keep pods running accept only Always.
            &["Always"][..]
        };
        one_of(pod.spec, "restartPolicy", restart, &pod.path, &mut err);
        one_of(
            pod.spec,
            "dnsPolicy",
            &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
            &pod.path,
            &mut err,
        );
        let mut volume_names = HashSet::new();
        for (i, v) in list(pod.spec, "volumes").iter().enumerate() {
            let at = format!("{}.volumes[{i}]", pod.path);
            if let Some(name) = str_at(v, &["name"]) {
                dns_label_field(name, &format!("{at}.name"), "volume name", &mut err);
                if !volume_names.insert(name) {
                    err(
                        format!("{at}.name"),
                        format!("volume name {name:?} is used twice in this pod"),
                        "give each volume its own name".into(),
                    );
                }
            }
            if let Some(q) = v.get_path(["emptyDir", "sizeLimit"]) {
                quantity_field(q, &format!("{at}.emptyDir.sizeLimit"), &mut err);
            }
        }
        let mut container_names = HashSet::new();
        for (at, c) in pod.containers() {
            if let Some(name) = str_at(c, &["name"]) {
                dns_label_field(name, &format!("{at}.name"), "container name", &mut err);
                if !container_names.insert(name) {
                    err(
                        format!("{at}.name"),
                        format!("container name {name:?} is used twice in this pod"),
                        "give each container its own name".into(),
                    );
                }
            }
            one_of(
                c,
                "imagePullPolicy",
                &["Always", "IfNotPresent", "Never"],
                &at,
                &mut err,
            );
            container_ports(c, &at, &mut err, &mut warnings);
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                for handler in ["httpGet", "tcpSocket"] {
                    if let Some(Value::String(name)) = c.get_path([probe, handler, "port"]) {
                        port_name_field(name, &format!("{at}.{probe}.{handler}.port"), &mut err);
                    }
                }
            }
            resources(c, &format!("{at}.resources"), &mut err);
        }
    }
    match o.kind {
        "Service" => service(doc, &mut err),
        "PersistentVolumeClaim" => claim_spec(get(doc, "spec"), "spec", &mut err),
        "StatefulSet" => {
            one_of(
                doc,
                "spec.podManagementPolicy",
                &["OrderedReady", "Parallel"],
                "",
                &mut err,
            );
            one_of(
                doc,
                "spec.updateStrategy.type",
                &["RollingUpdate", "OnDelete"],
                "",
                &mut err,
            );
            for (i, t) in doc
                .get_path(["spec"])
                .map(|s| list(s, "volumeClaimTemplates"))
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                claim_spec(
                    get(t, "spec"),
                    &format!("spec.volumeClaimTemplates[{i}].spec"),
                    &mut err,
                );
            }
        }
        "Deployment" => one_of(
            doc,
            "spec.strategy.type",
            &["RollingUpdate", "Recreate"],
            "",
            &mut err,
        ),
        "DaemonSet" => one_of(
            doc,
            "spec.updateStrategy.type",
            &["RollingUpdate", "OnDelete"],
            "",
            &mut err,
        ),
        "CronJob" => {
            one_of(
                doc,
                "spec.concurrencyPolicy",
                &["Allow", "Forbid", "Replace"],
                "",
                &mut err,
            );
        }
        "Ingress" => {
            for (i, rule) in doc
                .get_path(["spec"])
                .map(|s| list(s, "rules"))
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let Some(http) = get(rule, "http") else {
                    continue;
                };
                for (j, p) in list(http, "paths").iter().enumerate() {
                    let at = format!("spec.rules[{i}].http.paths[{j}]");
                    one_of(
                        p,
                        "pathType",
                        &["Exact", "Prefix", "ImplementationSpecific"],
                        &at,
                        &mut err,
                    );
                    if let Some(Value::String(name)) =
                        p.get_path(["backend", "service", "port", "name"])
                    {
                        port_name_field(name, &format!("{at}.backend.service.port.name"), &mut err);
                    }
                }
            }
        }
        _ => {}
    }
    for (path, message, fix) in warnings {
        out.push(o.problem(Severity::Warning, path, message, fix));
    }
}

/// `v` at the dotted `field` (relative to `base`), when set, is one of `allowed`.
fn one_of(
    v: &Value,
    field: &str,
    allowed: &[&str],
    base: &str,
    err: &mut dyn FnMut(String, String, String),
) {
    let Some(found) = v.get_path(field.split('.')) else {
        return;
    };
    let path = if base.is_empty() {
        field.to_owned()
    } else {
        format!("{base}.{field}")
    };
    match found {
        Value::String(s) if allowed.contains(&s.as_str()) => {}
        Value::Null => {}
        other => {
            let shown = match other {
                Value::String(s) => format!("{s:?}"),
                v => serde_json::to_string(v).unwrap_or_default(),
            };
            let last = field.rsplit('.').next().unwrap_or(field);
            err(
                path,
                format!("{last} {shown} is not one of {}", allowed.join(", ")),
                format!(
                    "use one of {} (the values are case-sensitive)",
                    allowed.join(", ")
                ),
            );
        }
    }
}

fn dns_label_field(
    name: &str,
    path: &str,
    what: &str,
    err: &mut dyn FnMut(String, String, String),
) {
    if !is_dns_label(name) {
        err(
            path.to_owned(),
            format!("{what} {name:?} is not a valid DNS-1123 label: {DNS_LABEL_RULE}"),
            format!("rename the {what}"),
        );
    }
}

fn port_name_field(name: &str, path: &str, err: &mut dyn FnMut(String, String, String)) {
    if let Some(why) = port_name_problem(name) {
        err(
            path.to_owned(),
            format!("port name {name:?} {why}"),
            format!("use a port name of {PORT_NAME_RULE} (as \"http\" or \"metrics\")"),
        );
    }
}

/// Why `name` is not an `IANA_SVC_NAME` (Kubernetes' `IsValidPortName`).
pub(super) fn port_name_problem(name: &str) -> Option<&'static str> {
    if name.len() > 15 {
        Some("is longer than 15 characters")
    } else if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("may hold only lowercase letters, digits and '-'")
    } else if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        Some("must contain at least one letter")
    } else if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        Some("must not start or end with '-' or contain \"--\"")
    } else {
        None
    }
}

/// A container's ports: names (`IANA_SVC_NAME`, unique in the container),
/// protocols, and the same number and protocol twice (a warning: the API
/// server accepts it, the second one does nothing).
fn container_ports(
    c: &Value,
    at: &str,
    err: &mut dyn FnMut(String, String, String),
    warnings: &mut Vec<(String, String, String)>,
) {
    let mut names = HashSet::new();
    let mut numbers = HashSet::new();
    for (i, p) in list(c, "ports").iter().enumerate() {
        let pat = format!("{at}.ports[{i}]");
        if let Some(name) = str_at(p, &["name"]) {
            port_name_field(name, &format!("{pat}.name"), err);
            if !names.insert(name.to_owned()) {
                err(
                    format!("{pat}.name"),
                    format!("port name {name:?} is used twice in this container"),
                    "give each port of a container its own name".into(),
                );
            }
        }
        one_of(p, "protocol", &["TCP", "UDP", "SCTP"], &pat, err);
        let protocol = str_at(p, &["protocol"]).unwrap_or("TCP").to_owned();
        if let Some(Value::Int(n)) = get(p, "containerPort")
            && !numbers.insert((*n, protocol.clone()))
        {
            warnings.push((
                format!("{pat}.containerPort"),
                format!("containerPort {n}/{protocol} is listed twice in this container"),
                "list each port once".into(),
            ));
        }
    }
}

/// A Service: type and policies, port names (DNS-1123 labels, required
/// when there are several), duplicate names and (port, protocol) pairs,
/// named target ports.
fn service(doc: &Value, err: &mut dyn FnMut(String, String, String)) {
    one_of(
        doc,
        "spec.type",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
        "",
        err,
    );
    one_of(doc, "spec.sessionAffinity", &["None", "ClientIP"], "", err);
    one_of(
        doc,
        "spec.externalTrafficPolicy",
        &["Cluster", "Local"],
        "",
        err,
    );
    one_of(
        doc,
        "spec.internalTrafficPolicy",
        &["Cluster", "Local"],
        "",
        err,
    );
    let ports = doc
        .get_path(["spec"])
        .map(|s| list(s, "ports"))
        .unwrap_or(&[]);
    let mut names = HashSet::new();
    let mut numbers = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("spec.ports[{i}]");
        match str_at(p, &["name"]) {
            Some(name) if !name.is_empty() => {
                dns_label_field(name, &format!("{at}.name"), "Service port name", err);
                if !names.insert(name) {
                    err(
                        format!("{at}.name"),
                        format!("port name {name:?} is used twice in this Service"),
                        "give each port of a Service its own name".into(),
                    );
                }
            }
            _ if ports.len() > 1 => err(
                format!("{at}.name"),
                "a Service with several ports needs a name on each".into(),
                "name the port (as \"http\")".into(),
            ),
            _ => {}
        }
        one_of(p, "protocol", &["TCP", "UDP", "SCTP"], &at, err);
        let protocol = str_at(p, &["protocol"]).unwrap_or("TCP").to_owned();
        if let Some(Value::Int(n)) = get(p, "port")
            && !numbers.insert((*n, protocol.clone()))
        {
            err(
                format!("{at}.port"),
                format!("port {n}/{protocol} is listed twice in this Service"),
                "list each port once".into(),
            );
        }
        if let Some(Value::String(name)) = get(p, "targetPort")
            && name.parse::<u16>().is_err()
        {
            port_name_field(name, &format!("{at}.targetPort"), err);
        }
    }
}

/// A PersistentVolumeClaim spec at `at`: access modes, storage quantity.
fn claim_spec(spec: Option<&Value>, at: &str, err: &mut dyn FnMut(String, String, String)) {
    let Some(spec) = spec else { return };
    const MODES: &[&str] = &[
        "ReadWriteOnce",
        "ReadOnlyMany",
        "ReadWriteMany",
        "ReadWriteOncePod",
    ];
    for (i, m) in list(spec, "accessModes").iter().enumerate() {
        if !m.as_str().is_some_and(|m| MODES.contains(&m)) {
            err(
                format!("{at}.accessModes[{i}]"),
                format!(
                    "access mode {} is not one of {}",
                    serde_json::to_string(m).unwrap_or_default(),
                    MODES.join(", ")
                ),
                format!("use one of {}", MODES.join(", ")),
            );
        }
    }
    resources(spec, &format!("{at}.resources"), err);
}

/// `resources.requests` and `.limits` at `at`: every value a quantity, and
/// no request above its limit (Kubernetes refuses both).
fn resources(holder: &Value, at: &str, err: &mut dyn FnMut(String, String, String)) {
    let Some(r) = get(holder, "resources") else {
        return;
    };
    for part in ["requests", "limits"] {
        if let Some(Value::Map(m)) = get(r, part) {
            for (k, q) in m.iter() {
                quantity_field(q, &format!("{at}.{part}.{k}"), err);
            }
        }
    }
    let (Some(Value::Map(req)), Some(Value::Map(lim))) = (get(r, "requests"), get(r, "limits"))
    else {
        return;
    };
    for (k, q) in req.iter() {
        let (Some(want), Some(max)) = (lim.get(k).and_then(quantity), quantity(q)) else {
            continue;
        };
        if max > want {
            err(
                format!("{at}.requests.{k}"),
                format!("request {} is above the limit {}", show(q), show(&lim[k])),
                "lower the request or raise the limit".into(),
            );
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => serde_json::to_string(v).unwrap_or_default(),
    }
}

fn quantity_field(q: &Value, path: &str, err: &mut dyn FnMut(String, String, String)) {
    if quantity(q).is_none() {
        err(
            path.to_owned(),
            format!("{} is not a Kubernetes quantity", serde_json::to_string(q).unwrap_or_default()),
            "write a number with an optional suffix: 500m, 0.5, 128Mi, 1G, 1e3 (suffixes are case-sensitive: Mi, not MB)".into(),
        );
    }
}

/// The grammar of Kubernetes' `resource.Quantity`:
/// `<sign><digits>[.<digits>]<suffix>` with suffix one of the binary SI
/// (`Ki`…`Ei`), decimal SI (`n u m k M G T P E`) or an exponent (`e3`).
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")
        .unwrap_or_else(|e| unreachable!("the quantity pattern is valid: {e}"))
});

/// A quantity's value (approximate: for comparing a request to its
/// limit), or `None` when it is not one.
fn quantity(q: &Value) -> Option<f64> {
    match q {
        Value::Int(n) => Some(*n as f64),
        Value::UInt(n) => Some(*n as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        Value::String(s) => {
            let c = QUANTITY.captures(s)?;
            let n: f64 = c.get(1)?.as_str().parse().ok()?;
            let scale = match c.get(2).map_or("", |m| m.as_str()) {
                "" => 1.0,
                "Ki" => 1024f64,
                "Mi" => 1024f64.powi(2),
                "Gi" => 1024f64.powi(3),
                "Ti" => 1024f64.powi(4),
                "Pi" => 1024f64.powi(5),
                "Ei" => 1024f64.powi(6),
                "n" => 1e-9,
                "u" => 1e-6,
                "m" => 1e-3,
                "k" => 1e3,
                "M" => 1e6,
                "G" => 1e9,
                "T" => 1e12,
                "P" => 1e15,
                "E" => 1e18,
                e => 10f64.powi(e[1..].parse().ok()?),
            };
            Some(n * scale)
        }
        _ => None,
    }
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
                    "port" | "containerPort" | "targetPort" | "nodePort" | "hostPort" | "number"
                ) && (k != "number" || at.ends_with("port.number"));
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
        return (!is_dns_label(name))
            .then(|| format!("is not a valid DNS-1123 label: {DNS_LABEL_RULE}"));
    }
    if !is_dns_subdomain(name) {
        return Some(format!(
            "is not a valid DNS-1123 subdomain: {DNS_SUBDOMAIN_RULE}"
        ));
    }
    (kind == "CronJob" && name.len() > CRONJOB_NAME_MAX).then(|| {
        format!(
            "is {} characters long; a CronJob's name may have at most {CRONJOB_NAME_MAX}",
            name.len()
        )
    })
}

pub(super) fn is_dns_label(s: &str) -> bool {
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
