//! `rudder lint`: checks on the rendered objects of a release that the API
//! server would reject at apply time, or that would apply but not work.
//! (Rendering itself already guarantees every document parses and has
//! `apiVersion`, `kind` and `metadata.name`.)
//!
//! Every manifest and hook of the release is checked; an object without
//! `metadata.namespace` is in the release namespace ([`Options::namespace`],
//! `-n`), as `helm install` puts it there.
//!
//! * [`fields`]: what the API server refuses that strict schema validation
//!   (kube-linter, kubeconform, `kubernetes-validate --strict`) lets
//!   through: name formats per kind, label keys and values, port numbers and
//!   names (`IANA_SVC_NAME` for container ports, DNS-1123 labels for Service
//!   ports), duplicate ports, resource quantities, enum values.
//! * [`wiring`]: references across objects: the ConfigMaps, Secrets,
//!   PersistentVolumeClaims and ServiceAccounts a pod uses, volume mounts,
//!   Service, PodDisruptionBudget and workload selectors, Ingress backends,
//!   RBAC bindings, HPA targets; and containers without resource requests
//!   (a warning).
//!
//! # Objects from outside the release
//!
//! A reference is fine when the object is in the release, when the
//! reference is marked `optional: true`, when the cluster always has it
//! (the `default` ServiceAccount, the ClusterRoles `cluster-admin`,
//! `admin`, `edit`, `view` and `system:*`), or when the chart declares it
//! as provided by the user, in its `Chart.yaml` (a subchart's own
//! `Chart.yaml` counts too):
//!
//! ```yaml
//! annotations:
//!   rudder.dev/external: "Secret/my-tls, ConfigMap/kube-root-ca.crt, Secret/registry-*, ServiceAccount/ops/deployer"
//! ```
//!
//! Entries are `Kind/name` (any namespace) or `Kind/namespace/name`,
//! separated by commas or whitespace; a name ending in `*` matches every
//! name with that prefix (for names a user sets in values, such as an
//! `existingSecret`). Pods that something else creates (an operator, or
//! ISD's halyard deploying Spinnaker) are declared by their labels,
//! `Pods/cluster=spin-deck` or `Pods/app=web&tier=front`: a selector that
//! selects those labels is satisfied. The annotation is values-independent
//! on purpose: it says what the chart expects to find, whatever the values.

mod fields;
mod wiring;

use std::collections::{HashMap, HashSet};

use rudder_values::{Map, Value};

use crate::{Chart, Rendered};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The object would be refused, or would not work: `rudder lint` exits 1.
    Error,
    /// Worth fixing, but it applies and runs: printed, exit 0.
    Warning,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One finding in a rendered object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The template it came from (`# Source:` path), or the `Chart.yaml`
    /// for a bad `rudder.dev/external` annotation.
    pub source: String,
    /// `Kind/name` of the object.
    pub object: String,
    /// The field, as `spec.template.spec.containers[0].envFrom[1].secretRef.name`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}: {}; fix: {}",
            self.source, self.object, self.path, self.message, self.fix
        )
    }
}

/// What lint needs to know beyond the rendered objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The release namespace (`-n`): where objects without
    /// `metadata.namespace` go.
    pub namespace: String,
    /// Objects the chart declares as provided from outside the release.
    pub external: Vec<External>,
    /// Findings about the declarations themselves (bad entries).
    pub external_problems: Vec<Problem>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            namespace: "default".to_owned(),
            external: Vec::new(),
            external_problems: Vec::new(),
        }
    }
}

/// The `Chart.yaml` annotation declaring objects from outside the release.
pub const EXTERNAL_ANNOTATION: &str = "rudder.dev/external";

impl Options {
    /// The options for a release of `chart` in `namespace`: the
    /// `rudder.dev/external` declarations of the chart and its subcharts.
    pub fn for_chart(chart: &Chart, namespace: &str) -> Options {
        let mut o = Options {
            namespace: namespace.to_owned(),
            ..Options::default()
        };
        collect_external(chart, chart.name(), &mut o);
        o
    }
}

fn collect_external(chart: &Chart, at: &str, o: &mut Options) {
    let declared = chart
        .metadata
        .raw
        .get("annotations")
        .and_then(|a| get(a, EXTERNAL_ANNOTATION));
    if let Some(declared) = declared {
        let problem = |message: String, fix: &str| Problem {
            severity: Severity::Error,
            source: format!("{at}/Chart.yaml"),
            object: format!("Chart/{}", chart.name()),
            path: format!("annotations.{EXTERNAL_ANNOTATION}"),
            message,
            fix: fix.to_owned(),
        };
        match declared {
            Value::String(text) => {
                for entry in text
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|e| !e.is_empty())
                {
                    match External::parse(entry) {
                        Some(e) => o.external.push(e),
                        None => o.external_problems.push(problem(
                            format!("entry {entry:?} is not Kind/name or Kind/namespace/name"),
                            "write entries as Secret/my-tls or Secret/my-namespace/my-tls, separated by commas",
                        )),
                    }
                }
            }
            other => o.external_problems.push(problem(
                format!("holds a {}, not a string", other.kind()),
                "write the entries as one string: \"Secret/a, ConfigMap/b\"",
            )),
        }
    }
    for sub in &chart.dependencies {
        collect_external(sub, &format!("{at}/charts/{}", sub.name()), o);
    }
}

/// An object the chart declares as provided from outside the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    /// Its kind, as `Secret`.
    pub kind: String,
    /// Its namespace; any namespace when `None`.
    pub namespace: Option<String>,
    /// Its name; a trailing `*` matches every name with that prefix.
    pub name: String,
}

impl External {
    /// Parses `Kind/name` or `Kind/namespace/name`.
    pub fn parse(entry: &str) -> Option<External> {
        let parts: Vec<&str> = entry.split('/').collect();
        let (kind, namespace, name) = match parts.as_slice() {
            [k, n] => (*k, None, *n),
            [k, ns, n] => (*k, Some((*ns).to_owned()), *n),
            _ => return None,
        };
        let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        (word(kind) && !name.is_empty() && namespace.as_deref().is_none_or(|n| !n.is_empty())).then(
            || External {
                kind: kind.to_owned(),
                namespace,
                name: name.to_owned(),
            },
        )
    }

    fn matches(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.kind == kind
            && self.namespace.as_deref().is_none_or(|n| n == namespace)
            && match self.name.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => self.name == name,
            }
    }
}

/// Kinds without a namespace (Kubernetes' built-in cluster-scoped kinds).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
    "RuntimeClass",
    "CSIDriver",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "PodSecurityPolicy",
];

/// One rendered object, parsed.
pub(crate) struct Object<'a> {
    pub source: &'a str,
    pub kind: &'a str,
    pub api_version: &'a str,
    pub name: &'a str,
    /// `metadata.namespace`, the release namespace without one, empty for
    /// cluster-scoped kinds.
    pub(crate) namespace: String,
    pub(crate) doc: Value,
}

impl Object<'_> {
    pub(crate) fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    pub(crate) fn problem(
        &self,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Problem {
        Problem {
            severity,
            source: self.source.to_owned(),
            object: self.id(),
            path: path.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// The pod template of a workload: (path of the pod spec, the spec,
    /// path of its labels, the labels).
    pub(crate) fn pod(&self) -> Option<Pod<'_>> {
        let (spec_path, labels_path): (&[&str], &[&str]) = match self.kind {
            "Pod" => (&["spec"], &["metadata", "labels"]),
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job" => (
                &["spec", "template", "spec"],
                &["spec", "template", "metadata", "labels"],
            ),
            "CronJob" => (
                &["spec", "jobTemplate", "spec", "template", "spec"],
                &[
                    "spec",
                    "jobTemplate",
                    "spec",
                    "template",
                    "metadata",
                    "labels",
                ],
            ),
            _ => return None,
        };
        let spec = self.doc.get_path(spec_path.iter().copied())?;
        let labels = self
            .doc
            .get_path(labels_path.iter().copied())
            .and_then(Value::as_map);
        Some(Pod {
            path: spec_path.join("."),
            spec,
            labels,
        })
    }
}

/// A pod spec inside an object.
pub(crate) struct Pod<'a> {
    /// `spec.template.spec` and the like.
    pub(crate) path: String,
    pub(crate) spec: &'a Value,
    pub(crate) labels: Option<&'a Map>,
}

impl<'a> Pod<'a> {
    /// Every container with its path, init and ephemeral ones included.
    pub(crate) fn containers(&self) -> Vec<(String, &'a Value)> {
        let mut out = Vec::new();
        for field in ["initContainers", "containers", "ephemeralContainers"] {
            for (i, c) in list(self.spec, field).iter().enumerate() {
                out.push((format!("{}.{field}[{i}]", self.path), c));
            }
        }
        out
    }
}

/// What the checks see: the release's objects and how to find them.
pub(crate) struct Release<'a> {
    pub(crate) objects: Vec<Object<'a>>,
    pub(crate) options: &'a Options,
    names: HashSet<(&'a str, String, &'a str)>,
}

impl<'a> Release<'a> {
    fn new(rendered: &'a Rendered, options: &'a Options) -> Release<'a> {
        let mut objects = Vec::new();
        for m in rendered
            .manifests
            .iter()
            .chain(rendered.hooks.iter().map(|h| &h.manifest))
        {
            let Ok(doc) = rudder_values::yaml::parse(&m.text, &m.source) else {
                continue;
            };
            let namespace = if CLUSTER_SCOPED.contains(&m.kind.as_str()) {
                String::new()
            } else {
                str_at(&doc, &["metadata", "namespace"])
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&options.namespace)
                    .to_owned()
            };
            objects.push(Object {
                source: &m.source,
                kind: &m.kind,
                api_version: &m.api_version,
                name: &m.name,
                namespace,
                doc,
            });
        }
        let names = objects
            .iter()
            .map(|o| (o.kind, o.namespace.clone(), o.name))
            .collect();
        Release {
            objects,
            options,
            names,
        }
    }

    /// True when `kind/name` is in `namespace` (empty for cluster-scoped
    /// kinds): rendered, or declared external.
    pub(crate) fn has(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.names.contains(&(kind, namespace.to_owned(), name))
            || self
                .options
                .external
                .iter()
                .any(|e| e.matches(kind, namespace, name))
    }

    /// The label sets of pods declared external (`Pods/k=v&k2=v2`) that
    /// may run in `namespace`.
    pub(crate) fn external_pods_in<'s>(
        &'s self,
        namespace: &'s str,
    ) -> impl Iterator<Item = Map> + 's {
        self.options
            .external
            .iter()
            .filter(move |e| {
                e.kind == "Pods" && e.namespace.as_deref().is_none_or(|n| n == namespace)
            })
            .filter_map(|e| {
                let mut labels = Map::new();
                for pair in e.name.split('&') {
                    let (k, v) = pair.split_once('=')?;
                    labels.insert(k.to_owned(), Value::String(v.to_owned()));
                }
                Some(labels)
            })
    }

    /// The pods of the release in `namespace`, with their objects.
    pub(crate) fn pods_in(&self, namespace: &str) -> impl Iterator<Item = (&Object<'a>, Pod<'_>)> {
        self.objects
            .iter()
            .filter(move |o| o.namespace == namespace)
            .filter_map(|o| o.pod().map(|p| (o, p)))
    }
}

/// Checks every manifest and hook of a render.
pub fn check(rendered: &Rendered, options: &Options) -> Vec<Problem> {
    let release = Release::new(rendered, options);
    let mut problems = options.external_problems.clone();
    duplicates(&release, &mut problems);
    for o in &release.objects {
        fields::check(o, &mut problems);
    }
    wiring::check(&release, &mut problems);
    problems
}

/// Two objects of one kind, name and namespace: the second replaces the
/// first when applied (Helm refuses to install such a release).
fn duplicates(release: &Release, out: &mut Vec<Problem>) {
    let mut seen: HashMap<(&str, &str, &str), &str> = HashMap::new();
    for o in &release.objects {
        let key = (o.kind, o.namespace.as_str(), o.name);
        if let Some(first) = seen.get(&key) {
            out.push(o.problem(
                Severity::Error,
                "metadata.name",
                format!(
                    "duplicate object: {} {:?} is also rendered by {first}",
                    o.kind, o.name
                ),
                "give one of them another name, or render only one",
            ));
        } else {
            seen.insert(key, o.source);
        }
    }
}

/// `v[key]` when `v` is a map.
pub(crate) fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.as_map()?.get(key)
}

/// The string at a path of keys.
pub(crate) fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    v.get_path(path.iter().copied()).and_then(Value::as_str)
}

/// The list at `v[key]`, empty when absent or not a list.
pub(crate) fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    match get(v, key) {
        Some(Value::List(l)) => l,
        _ => &[],
    }
}

/// `optional: true` at `v`.
pub(crate) fn optional(v: &Value) -> bool {
    matches!(get(v, "optional"), Some(Value::Bool(true)))
}

/// A label selector (`matchLabels` and `matchExpressions`, or a Service's
/// plain map) matches `labels`, as Kubernetes' `labels.Selector`.
pub(crate) fn selects(selector: &Value, labels: Option<&Map>, plain: bool) -> bool {
    let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
    let pairs = if plain {
        selector.as_map()
    } else {
        get(selector, "matchLabels").and_then(Value::as_map)
    };
    for (k, v) in pairs.into_iter().flat_map(|m| m.iter()) {
        if label(k) != v.as_str() {
            return false;
        }
    }
    if plain {
        return true;
    }
    for e in list(selector, "matchExpressions") {
        let key = str_at(e, &["key"]).unwrap_or("");
        let values: Vec<&str> = list(e, "values").iter().filter_map(Value::as_str).collect();
        let ok = match (str_at(e, &["operator"]).unwrap_or(""), label(key)) {
            ("In", Some(v)) => values.contains(&v),
            ("NotIn", v) => v.is_none_or(|v| !values.contains(&v)),
            ("Exists", v) => v.is_some(),
            ("DoesNotExist", v) => v.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// A selector as `k=v,k2=v2` (with `matchExpressions` as `key Op [values]`).
pub(crate) fn show_selector(selector: &Value, plain: bool) -> String {
    let pairs = if plain {
        selector.as_map()
    } else {
        get(selector, "matchLabels").and_then(Value::as_map)
    };
    let mut parts: Vec<String> = pairs
        .into_iter()
        .flat_map(|m| m.iter())
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("?")))
        .collect();
    if !plain {
        for e in list(selector, "matchExpressions") {
            let values: Vec<&str> = list(e, "values").iter().filter_map(Value::as_str).collect();
            parts.push(format!(
                "{} {} [{}]",
                str_at(e, &["key"]).unwrap_or(""),
                str_at(e, &["operator"]).unwrap_or(""),
                values.join(",")
            ));
        }
    }
    parts.join(",")
}

#[cfg(test)]
mod tests;
