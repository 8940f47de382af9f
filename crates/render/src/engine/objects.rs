//! The objects templates see besides `Values`: `Release`, `Chart`,
//! `Capabilities`, `Template` and `Files`, with Helm's field names.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Error, State};
use rudder_values::Value as V;

use crate::chart::{Chart, File};
use crate::funcs::convert;

/// Kubernetes version `helm template` assumes without `--kube-version`
/// (Helm 4.1.4's client-go).
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// Helm 4.1.4's default API versions (`Capabilities.APIVersions` without
/// a cluster), in Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `Capabilities.KubeVersion`: prints as its `Version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    /// `v1.30.2` (as given, with a `v` prefix).
    pub version: String,
    /// `1`.
    pub major: String,
    /// `30`.
    pub minor: String,
}

impl KubeVersion {
    /// Parses `--kube-version` as Helm does: a semantic version, `v`
    /// optional; `Version` keeps the text given, with a `v` prefix.
    pub fn parse(text: &str) -> Option<KubeVersion> {
        let trimmed = text.trim().trim_start_matches('v');
        if !crate::funcs::semver::is_valid_version(trimmed) {
            return None;
        }
        let mut parts = trimmed.split(['.', '-', '+']);
        let major = parts.next()?.to_owned();
        let minor = parts.next().unwrap_or("0").to_owned();
        Some(KubeVersion {
            version: format!("v{trimmed}"),
            major,
            minor,
        })
    }
}

impl Object for KubeVersion {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "Version" | "GitVersion" => Some(Value::from(self.version.clone())),
            "Major" => Some(Value::from(self.major.clone())),
            "Minor" => Some(Value::from(self.minor.clone())),
            _ => None,
        }
    }
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["Version", "Major", "Minor"])
    }
    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.version)
    }
}

/// `Capabilities.APIVersions`: a list with a `Has` method.
#[derive(Debug, Clone)]
pub(crate) struct ApiVersions(pub(crate) Vec<String>);

impl Object for ApiVersions {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let i = key.as_usize()?;
        self.0.get(i).map(|s| Value::from(s.clone()))
    }
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match (method, args) {
            // Helm's VersionSet.Has: an exact match of "group/version" or
            // "group/version/Kind".
            ("Has", [v]) => Ok(Value::from(
                v.as_str().is_some_and(|s| self.0.iter().any(|a| a == s)),
            )),
            _ => Err(Error::from(minijinja::ErrorKind::UnknownMethod)),
        }
    }
}

/// Builds `Capabilities`.
pub(crate) fn capabilities(kube: &KubeVersion, api_versions: &[String]) -> Value {
    let helm = Value::from_pairs([
        ("Version", Value::from("v4.1.4")),
        ("GitCommit", Value::from("")),
        ("GitTreeState", Value::from("")),
        ("GoVersion", Value::from("")),
    ]);
    Value::from_pairs([
        ("KubeVersion", Value::from_object(kube.clone())),
        (
            "APIVersions",
            Value::from_object(ApiVersions(api_versions.to_vec())),
        ),
        ("HelmVersion", helm),
    ])
}

/// `Release`.
pub(crate) fn release(name: &str, namespace: &str, is_upgrade: bool, revision: i64) -> Value {
    Value::from_pairs([
        ("Name", Value::from(name)),
        ("Namespace", Value::from(namespace)),
        ("IsInstall", Value::from(!is_upgrade)),
        ("IsUpgrade", Value::from(is_upgrade)),
        ("Revision", Value::from(revision)),
        ("Service", Value::from("Helm")),
    ])
}

/// `Template`.
pub(crate) fn template(name: &str, base_path: &str) -> Value {
    Value::from_pairs([
        ("Name", Value::from(name)),
        ("BasePath", Value::from(base_path)),
    ])
}

/// `Chart`: `Chart.yaml` with Helm's Go field names (and Go's zero values
/// for missing fields). `name` is the chart's name in its parent (an alias).
pub(crate) fn chart(c: &Chart, is_root: bool) -> Value {
    let raw = &c.metadata.raw;
    let text = |k: &str| Value::from(scalar_text(raw.get(k)));
    let list = |k: &str| match raw.get(k) {
        Some(v @ V::List(_)) => convert::to_template(v),
        _ => Value::from(Vec::<Value>::new()),
    };
    let annotations = match raw.get("annotations") {
        Some(v @ V::Map(_)) => convert::to_template(v),
        _ => Value::from_pairs(std::iter::empty::<(String, Value)>()),
    };
    let maintainers: Vec<Value> = match raw.get("maintainers") {
        Some(V::List(items)) => items
            .iter()
            .map(|m| {
                let f = |k: &str| Value::from(scalar_text(m.as_map().and_then(|m| m.get(k))));
                Value::from_pairs([
                    ("Name", f("name")),
                    ("Email", f("email")),
                    ("URL", f("url")),
                ])
            })
            .collect(),
        _ => Vec::new(),
    };
    let deps: Vec<Value> = c
        .metadata
        .dependencies
        .iter()
        .flatten()
        .map(|d| {
            Value::from_pairs([
                ("Name", Value::from(d.name.clone())),
                ("Version", Value::from(d.version.clone())),
                ("Repository", Value::from(d.repository.clone())),
                ("Condition", Value::from(d.condition.clone())),
                ("Tags", Value::from(d.tags.clone())),
                ("Enabled", Value::from(true)),
                ("Alias", Value::from(d.alias.clone())),
            ])
        })
        .collect();
    Value::from_pairs([
        ("APIVersion", text("apiVersion")),
        ("Name", Value::from(c.metadata.name.clone())),
        ("Version", text("version")),
        ("AppVersion", text("appVersion")),
        ("Description", text("description")),
        ("Home", text("home")),
        ("Icon", text("icon")),
        ("KubeVersion", text("kubeVersion")),
        ("Type", text("type")),
        ("Condition", text("condition")),
        ("Tags", text("tags")),
        (
            "Deprecated",
            Value::from(matches!(raw.get("deprecated"), Some(V::Bool(true)))),
        ),
        ("Keywords", list("keywords")),
        ("Sources", list("sources")),
        ("Annotations", annotations),
        ("Maintainers", Value::from(maintainers)),
        ("Dependencies", Value::from(deps)),
        ("IsRoot", Value::from(is_root)),
    ])
}

fn scalar_text(v: Option<&V>) -> String {
    match v {
        None | Some(V::Null | V::List(_) | V::Map(_)) => String::new(),
        Some(V::String(s)) => s.clone(),
        Some(V::Bool(b)) => b.to_string(),
        Some(V::Int(i)) => i.to_string(),
        Some(V::UInt(u)) => u.to_string(),
        Some(V::Float(f)) => crate::funcs::gofmt::format_float_g(*f),
    }
}

/// `Files`: the chart's non-template files, by path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Files(pub(crate) Arc<[File]>);

impl Files {
    fn get(&self, name: &str) -> Option<&File> {
        self.0.iter().find(|f| f.name == name)
    }

    fn glob(&self, pattern: &str) -> Files {
        Files(
            self.0
                .iter()
                .filter(|f| crate::glob::glob_match(pattern.as_bytes(), f.name.as_bytes()))
                .cloned()
                .collect(),
        )
    }

    /// `{base name: text}` as Helm's `toYAML(map[string]string)`.
    fn as_map_yaml(&self, encode: impl Fn(&[u8]) -> String) -> String {
        let mut m = rudder_values::Map::new();
        for f in self.0.iter() {
            let base = f.name.rsplit('/').next().unwrap_or(&f.name);
            m.insert(base.to_owned(), V::String(encode(&f.data)));
        }
        let mut y = rudder_values::yaml::to_string(&V::Map(Box::new(m)));
        if y.ends_with('\n') {
            y.pop();
        }
        y
    }
}

impl Object for Files {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let f = self.get(key.as_str()?)?;
        Some(Value::from_bytes(f.data.clone()))
    }
    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.0.iter().map(|f| Value::from(f.name.clone())).collect())
    }
    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let arg = |i: usize| -> Result<&str, Error> {
            args.get(i).and_then(Value::as_str).ok_or_else(|| {
                Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("Files.{method}: expected a file path as a string"),
                )
            })
        };
        // Files only serves the chart's own files; a path that would leave
        // the chart is refused, naming it (Helm quietly finds nothing).
        if matches!(method, "Get" | "GetBytes" | "Lines") {
            let path = arg(0)?;
            crate::chart::check_entry_path(&path.replace('\\', "/")).map_err(|m| {
                Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("Files.{method}: path {path:?} {m}"),
                )
            })?;
        }
        match method {
            "Get" => Ok(Value::from(
                self.get(arg(0)?)
                    .map(|f| String::from_utf8_lossy(&f.data).into_owned())
                    .unwrap_or_default(),
            )),
            "GetBytes" => Ok(Value::from_bytes(
                self.get(arg(0)?)
                    .map(|f| f.data.clone())
                    .unwrap_or_default(),
            )),
            "Glob" => Ok(Value::from_object(self.glob(arg(0)?))),
            "Lines" => {
                let Some(f) = self.get(arg(0)?) else {
                    return Ok(Value::from(Vec::<String>::new()));
                };
                let mut s = String::from_utf8_lossy(&f.data).into_owned();
                if s.ends_with('\n') {
                    s.pop();
                }
                Ok(Value::from(
                    s.split('\n').map(str::to_owned).collect::<Vec<_>>(),
                ))
            }
            "AsConfig" => Ok(Value::from(
                self.as_map_yaml(|d| String::from_utf8_lossy(d).into_owned()),
            )),
            "AsSecrets" => {
                Ok(Value::from(self.as_map_yaml(|d| {
                    base64::engine::general_purpose::STANDARD.encode(d)
                })))
            }
            _ => Err(Error::from(minijinja::ErrorKind::UnknownMethod)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_version_keeps_the_text_given() {
        let k = KubeVersion::parse("1.30").unwrap();
        assert_eq!(
            (k.version.as_str(), k.major.as_str(), k.minor.as_str()),
            ("v1.30", "1", "30")
        );
        let k = KubeVersion::parse("v1.29.3").unwrap();
        assert_eq!(k.version, "v1.29.3");
        assert!(KubeVersion::parse("banana").is_none());
    }
}
