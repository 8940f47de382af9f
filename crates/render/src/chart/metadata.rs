//! `Chart.yaml`: Helm's `chart.Metadata` and `chart.Dependency`.

use rudder_values::{Map, Value};

use crate::{Error, Result};

/// The fields of `Chart.yaml` rudder uses; `raw` keeps the whole document
/// (for the `Chart` template object).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// `apiVersion`: `v2` (or the legacy `v1`).
    pub api_version: String,
    /// `name`.
    pub name: String,
    /// `version`, a semantic version.
    pub version: String,
    /// `appVersion`.
    pub app_version: Option<String>,
    /// `type`: `application` (default) or `library`.
    pub kind: Option<String>,
    /// `kubeVersion` constraint.
    pub kube_version: Option<String>,
    /// `dependencies`; `None` when the key is absent (Helm treats a chart
    /// without the key differently from one with an empty list).
    pub dependencies: Option<Vec<Dependency>>,
    /// The whole `Chart.yaml` as parsed.
    pub raw: Map,
}

/// One entry of `dependencies:`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dependency {
    /// `name`: the subchart's chart name.
    pub name: String,
    /// `version`: a semver constraint the subchart's version must meet.
    pub version: String,
    /// `repository`.
    pub repository: String,
    /// `condition`: comma-separated values paths; the first that holds a
    /// bool enables or disables the subchart.
    pub condition: String,
    /// `tags`: names looked up under `.Values.tags`.
    pub tags: Vec<String>,
    /// `alias`: the name the subchart takes in this chart.
    pub alias: String,
    /// `import-values`.
    pub import_values: Vec<ImportValue>,
}

/// One `import-values` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportValue {
    /// `- name`: imports the child's `exports.name` into the parent's root.
    Exports(String),
    /// `- child: a.b` / `parent: c`: imports the child's table `a.b` at `c`.
    Map {
        /// Table path in the child.
        child: String,
        /// Path in the parent (`.` is the root).
        parent: String,
    },
}

impl Metadata {
    /// Reads `Chart.yaml` and checks Helm's rules (`Metadata.Validate`),
    /// reporting every broken rule at once.
    pub fn parse(text: &str, origin: &str) -> Result<Metadata> {
        let raw = match rudder_values::yaml::parse(text, origin)? {
            Value::Map(m) => *m,
            Value::Null => Map::new(),
            other => {
                return Err(Error::chart(
                    origin,
                    format!(
                        "expected a mapping of chart fields, found a {}",
                        other.kind()
                    ),
                ));
            }
        };
        let mut errors = Vec::new();
        let mut field = |key: &str| scalar_string(&raw, key, origin, &mut errors);
        let api_version = field("apiVersion").unwrap_or_default();
        let name = field("name").unwrap_or_default();
        let version = field("version").unwrap_or_default();
        let app_version = field("appVersion");
        let kind = field("type");
        let kube_version = field("kubeVersion");
        let dependencies = match raw.get("dependencies") {
            None | Some(Value::Null) => None,
            Some(Value::List(items)) => Some(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| {
                        Dependency::parse(d, i, origin)
                            .map_err(|e| errors.push(e))
                            .ok()
                    })
                    .collect(),
            ),
            Some(other) => {
                errors.push(Error::chart(
                    origin,
                    format!("dependencies: expected a list, found a {}", other.kind()),
                ));
                None
            }
        };
        let md = Metadata {
            api_version,
            name,
            version,
            app_version,
            kind,
            kube_version,
            dependencies,
            raw,
        };
        md.validate(origin, &mut errors);
        Error::collect(errors)?;
        Ok(md)
    }

    fn validate(&self, origin: &str, errors: &mut Vec<Error>) {
        // A field of the wrong kind (`name: [1, 2]`) was reported while
        // reading it; "is required" on top would be a second, misleading
        // problem.
        let mistyped =
            |key: &str| matches!(self.raw.get(key), Some(Value::List(_) | Value::Map(_)));
        let mut bad = |m: String| errors.push(Error::chart(origin, m));
        match self.api_version.as_str() {
            "v1" | "v2" => {}
            "" if mistyped("apiVersion") => {}
            "" => bad("apiVersion is required; add `apiVersion: v2`".into()),
            other => bad(format!("apiVersion {other:?} is not supported; use v2")),
        }
        if self.name.is_empty() {
            if !mistyped("name") {
                bad("name is required".into());
            }
        } else if self.name.contains(['/', '\\']) || self.name == "." || self.name == ".." {
            bad(format!(
                "name {:?} is invalid: it may not contain a path",
                self.name
            ));
        }
        if self.version.is_empty() {
            if !mistyped("version") {
                bad("version is required; add e.g. `version: 0.1.0`".into());
            }
        } else if !crate::funcs::semver::is_valid_version(&self.version) {
            bad(format!(
                "version {:?} is not a semantic version (e.g. 1.2.3)",
                self.version
            ));
        }
        if let Some(t) = &self.kind
            && !t.is_empty()
            && t != "application"
            && t != "library"
        {
            bad(format!("type {t:?} is invalid; use application or library"));
        }
        for d in self.dependencies.iter().flatten() {
            if !d.alias.is_empty()
                && !d
                    .alias
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                bad(format!(
                    "dependency {:?}: alias {:?} may contain only letters, digits, '-' and '_'",
                    d.name, d.alias
                ));
            }
        }
    }
}

impl Dependency {
    fn parse(v: &Value, index: usize, origin: &str) -> Result<Dependency> {
        let at = format!("dependencies[{index}]");
        let Value::Map(m) = v else {
            return Err(Error::chart(
                origin,
                format!("{at}: expected a mapping, found a {}", v.kind()),
            ));
        };
        let mut errors = Vec::new();
        let mut field = |key: &str| scalar_string(m, key, origin, &mut errors).unwrap_or_default();
        let mut dep = Dependency {
            name: field("name"),
            version: field("version"),
            repository: field("repository"),
            condition: field("condition"),
            alias: field("alias"),
            ..Dependency::default()
        };
        if dep.name.is_empty() && !matches!(m.get("name"), Some(Value::List(_) | Value::Map(_))) {
            errors.push(Error::chart(origin, format!("{at}: name is required")));
        }
        match m.get("tags") {
            None | Some(Value::Null) => {}
            Some(Value::List(l)) => dep.tags = l.iter().map(scalar_text).collect(),
            Some(other) => errors.push(Error::chart(
                origin,
                format!("{at}.tags: expected a list, found a {}", other.kind()),
            )),
        }
        match m.get("import-values") {
            None | Some(Value::Null) => {}
            Some(Value::List(l)) => {
                for (i, iv) in l.iter().enumerate() {
                    match iv {
                        Value::Map(im) => dep.import_values.push(ImportValue::Map {
                            child: im.get("child").map(scalar_text).unwrap_or_default(),
                            parent: im.get("parent").map(scalar_text).unwrap_or_default(),
                        }),
                        Value::List(_) => errors.push(Error::chart(
                            origin,
                            format!(
                                "{at}.import-values[{i}]: expected a name or a child/parent mapping"
                            ),
                        )),
                        other => dep
                            .import_values
                            .push(ImportValue::Exports(scalar_text(other))),
                    }
                }
            }
            Some(other) => errors.push(Error::chart(
                origin,
                format!(
                    "{at}.import-values: expected a list, found a {}",
                    other.kind()
                ),
            )),
        }
        Error::collect(errors)?;
        Ok(dep)
    }

    /// The name the subchart has in its parent: the alias, else the name.
    pub fn effective_name(&self) -> &str {
        if self.alias.is_empty() {
            &self.name
        } else {
            &self.alias
        }
    }
}

/// A scalar as text. Helm decodes `Chart.yaml` into string fields, so a
/// number or bool written without quotes becomes its text.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => f.to_string(),
        Value::List(_) | Value::Map(_) => String::new(),
    }
}

fn scalar_string(m: &Map, key: &str, origin: &str, errors: &mut Vec<Error>) -> Option<String> {
    match m.get(key)? {
        v @ (Value::List(_) | Value::Map(_)) => {
            errors.push(Error::chart(
                origin,
                format!("{key}: expected a string, found a {}", v.kind()),
            ));
            None
        }
        v => Some(scalar_text(v)),
    }
}
