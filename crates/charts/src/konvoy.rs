//! Values from a Konvoy `cluster.yaml`: the `values: |` block of one addon.
//!
//! Konvoy installs Dispatch as an addon; the overrides live in the
//! `ClusterConfiguration` document under
//! `spec.addons[].addonsList[] (name: dispatch) .values`, a string holding a
//! values file. rudder reads that string as the lowest user values layer.
//!
//! Errors are values errors ([`rudder_values::Error`]): the block is a
//! values file, and a bad one is reported with its line in cluster.yaml.

use rudder_values::{Error, Map, Result, Value, yaml};

/// An addon's values, found in a cluster.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct AddonValues {
    /// The parsed values (every document of the block merged, as `-f`).
    pub values: Map,
    /// `enabled: false` on the addon: Konvoy would not install it.
    pub disabled: bool,
}

/// Finds addon `name` in the Konvoy cluster configuration `text` (several
/// YAML documents) and parses its `values` block. `origin` names the file.
/// Errors name the file and, for a bad block, the line in it.
pub fn addon_values(text: &str, origin: &str, name: &str) -> Result<AddonValues> {
    let docs = yaml::parse_all(text, origin)?;
    let err = |message: String| Error::Flag {
        flag: "--from-konvoy",
        text: origin.to_owned(),
        message,
    };
    let config = docs
        .iter()
        .find(|d| d.lookup("kind").and_then(Value::as_str) == Some("ClusterConfiguration"))
        .ok_or_else(|| {
            err(
                "no ClusterConfiguration document; --from-konvoy needs Konvoy's cluster.yaml \
                 (kind: ClusterConfiguration)"
                    .to_owned(),
            )
        })?;
    let mut found = Vec::new();
    if let Some(Value::List(addons)) = config.get_path(["spec", "addons"]) {
        for group in addons {
            if let Some(Value::List(list)) = group.lookup("addonsList") {
                found.extend(
                    list.iter()
                        .filter(|a| a.lookup("name").and_then(Value::as_str).is_some()),
                );
            }
        }
    }
    let Some(addon) = found
        .iter()
        .find(|a| a.lookup("name").and_then(Value::as_str) == Some(name))
    else {
        let names: Vec<&str> = found
            .iter()
            .filter_map(|a| a.lookup("name").and_then(Value::as_str))
            .collect();
        return Err(err(format!(
            "no addon named {name:?} in spec.addons[].addonsList[] (found: {}); pick one with --addon",
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        )));
    };
    let disabled = matches!(addon.lookup("enabled"), Some(Value::Bool(false)));
    let block = match addon.lookup("values") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(err(format!(
                "addon {name:?}: values must be a string (`values: |` followed by a values file), found a {}",
                other.kind()
            )));
        }
    };
    let offset = block_line(text, &block);
    let values = yaml::parse_values(&block, origin).map_err(|e| match e {
        Error::Yaml {
            line,
            column,
            message,
            ..
        } => Error::Yaml {
            origin: origin.to_owned(),
            line: line + offset,
            column,
            message: format!("in the values of addon {name:?}: {message}"),
        },
        other => other,
    })?;
    Ok(AddonValues { values, disabled })
}

/// How many lines of `text` come before the block scalar `block` (found by
/// its first non-empty line), so errors point into cluster.yaml.
fn block_line(text: &str, block: &str) -> usize {
    let Some(first) = block.lines().find(|l| !l.trim().is_empty()) else {
        return 0;
    };
    let lead = block.lines().take_while(|l| l.trim().is_empty()).count();
    text.lines()
        .position(|l| l.trim_end().ends_with(first.trim_end()) && l.trim() == first.trim())
        .map_or(0, |i| i - lead)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: &str = "\
kind: ClusterProvisioner
apiVersion: konvoy.mesosphere.io/v1beta1
---
apiVersion: konvoy.mesosphere.io/v1beta1
kind: ClusterConfiguration
spec:
  addons:
  - configRepository: https://github.com/mesosphere/kubeaddons-dispatch
    addonsList:
    - enabled: true
      name: dispatch
      values: |
        ---
        argo-cd:
          server:
            autoscaling:
              minReplicas: 2
    - enabled: false
      name: other
    - enabled: true
      name: broken
      values: |
        a: [1
";

    #[test]
    fn finds_the_addon_values_block() {
        let a = addon_values(CLUSTER, "cluster.yaml", "dispatch").unwrap();
        assert!(!a.disabled);
        assert_eq!(
            Value::Map(Box::new(a.values)).to_json(),
            serde_json::json!({"argo-cd": {"server": {"autoscaling": {"minReplicas": 2}}}})
        );
    }

    #[test]
    fn a_disabled_addon_is_reported() {
        let a = addon_values(CLUSTER, "cluster.yaml", "other").unwrap();
        assert!(a.disabled && a.values.is_empty());
    }

    #[test]
    fn errors_name_the_file_line_and_addon() {
        let e = addon_values(CLUSTER, "cluster.yaml", "broken")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("cluster.yaml:24:"), "{e}");
        assert!(e.contains("in the values of addon \"broken\""), "{e}");
        let e = addon_values(CLUSTER, "cluster.yaml", "nope")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no addon named \"nope\"") && e.contains("found: dispatch, other, broken"),
            "{e}"
        );
        let e = addon_values("kind: Other\n", "c.yaml", "dispatch")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no ClusterConfiguration"), "{e}");
    }
}
