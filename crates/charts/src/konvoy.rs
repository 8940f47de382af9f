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
    let docs = yaml::parse_all(text, origin).map_err(|e| explain_parse_error(text, e))?;
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
    check_addon_keys(text, origin, name, addon)?;
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

/// The three keys of an addon entry in `addonsList` (Konvoy's addons
/// reference: "name, enabled, and values").
const ADDON_KEYS: [&str; 3] = ["name", "enabled", "values"];

/// Refuses keys an addon entry cannot have. The usual cause is the install
/// guide's own examples with the `---` line dropped: `values: |` with its
/// body at the indentation of `values:` parses as an empty block followed
/// by the overrides as sibling keys of the entry, and Konvoy would install
/// the chart's defaults, silently dropping them. An error (not a warning):
/// rendering the defaults is never what the user asked for.
fn check_addon_keys(text: &str, origin: &str, name: &str, addon: &Value) -> Result<()> {
    let Some(entry) = addon.as_map() else {
        return Ok(());
    };
    let extra: Vec<&str> = entry
        .keys()
        .map(String::as_str)
        .filter(|k| !ADDON_KEYS.contains(k))
        .collect();
    let Some(first) = extra.first() else {
        return Ok(());
    };
    let empty = match entry.get("values") {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    };
    let keys = extra
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let block = misindented_blocks(text)
        .into_iter()
        .find(|b| b.contains_key(text, first));
    match block {
        Some(b) if empty => Err(Error::Yaml {
            origin: origin.to_owned(),
            line: b.body_line,
            column: b.key_column + 1,
            message: format!(
                "addon {name:?}: `values: |` is empty and the addon entry has {keys} next to \
                 it (an entry has only name, enabled and values), so Konvoy would install the \
                 chart's defaults without your overrides. {}",
                b.advice(text)
            ),
        }),
        _ => Err(Error::Flag {
            flag: "--from-konvoy",
            text: origin.to_owned(),
            message: format!(
                "addon {name:?} has {keys}, but an addon entry has only the keys name, \
                 enabled and values; {}",
                if empty {
                    "put the chart's values inside the `values: |` block, indented deeper \
                     than `values:`"
                } else {
                    "move them into the `values: |` block or remove them"
                }
            ),
        }),
    }
}

/// A YAML parse error in cluster.yaml at or after a `values: |` whose body
/// is not indented deeper than its key is that mistake: the block ended
/// before its first line, and the parser choked on what followed (the
/// guide's examples give `simple key expect ':'` at their `---` line).
fn explain_parse_error(text: &str, e: Error) -> Error {
    let Error::Yaml {
        origin,
        line,
        column,
        message,
    } = e
    else {
        return e;
    };
    let Some(b) = misindented_blocks(text)
        .into_iter()
        .rev()
        .find(|b| b.body_line <= line)
    else {
        return Error::Yaml {
            origin,
            line,
            column,
            message,
        };
    };
    let parser = message
        .split("; fix the YAML syntax")
        .next()
        .unwrap_or(&message)
        .to_owned();
    Error::Yaml {
        origin,
        line: b.body_line,
        column: b.key_column + 1,
        message: format!(
            "the `values: |` block on line {} is empty: its body is not indented deeper \
             than `values:`, so YAML reads the lines after it as more keys (the parser \
             says, at line {line}: {parser}). {}",
            b.key_line,
            b.advice(text)
        ),
    }
}

/// A `key: |` (or `>`) line whose next non-blank line is not indented
/// deeper than the key: YAML ends the block scalar there, empty.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Misindented {
    /// 1-based line of `values: |`.
    key_line: usize,
    /// 0-based column of `values`.
    key_column: usize,
    /// 1-based line of the first line meant as the block's body.
    body_line: usize,
    /// 1-based last line of what was meant as the body: up to the line
    /// before one indented less than the key (the end of the entry).
    last_line: usize,
}

impl Misindented {
    /// True when `key` starts a line of the body at the key's column.
    fn contains_key(&self, text: &str, key: &str) -> bool {
        text.lines()
            .enumerate()
            .skip(self.body_line - 1)
            .take(self.last_line + 1 - self.body_line)
            .any(|(_, l)| {
                indent(l) == self.key_column
                    && l.trim_start()
                        .strip_prefix(key)
                        .is_some_and(|r| r.starts_with(':'))
            })
    }

    /// The rule, the lines as written, and the lines as they should be.
    fn advice(&self, text: &str) -> String {
        let lines: Vec<&str> = text.lines().collect();
        let show = |n: usize, l: &str| format!("\n  {n:>4} | {l}");
        let mut out = format!(
            "The body of a `|` block must be indented deeper than its key; indent lines \
             {}-{} by two more spaces. Written:",
            self.body_line, self.last_line
        );
        out += &show(self.key_line, lines[self.key_line - 1]);
        out += &show(self.body_line, lines[self.body_line - 1]);
        out += "\nshould be:";
        out += &show(self.key_line, lines[self.key_line - 1]);
        for n in self.body_line..=self.last_line.min(self.body_line + 1) {
            out += &show(n, &format!("  {}", lines[n - 1]));
        }
        if self.last_line > self.body_line + 1 {
            out += "\n       | ...";
        }
        out
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Every `values: |` of `text` whose body is not indented deeper than
/// `values:` (YAML 1.2 §8.1.1.1: a block scalar's content is indented more
/// than its parent node).
fn misindented_blocks(text: &str) -> Vec<Misindented> {
    let lines: Vec<&str> = text.lines().collect();
    let blank = |l: &str| l.trim().is_empty() || l.trim_start().starts_with('#');
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start_matches(' ');
        let t = t.strip_prefix("- ").unwrap_or(t);
        let Some(rest) = t.strip_prefix("values:") else {
            continue;
        };
        let rest = rest.split(" #").next().unwrap_or(rest).trim();
        let is_block =
            rest.starts_with(['|', '>']) && rest[1..].chars().all(|c| matches!(c, '-' | '+'));
        if !is_block {
            continue;
        }
        let key_column = line.len() - t.len();
        let Some(body) = (i + 1..lines.len()).find(|&j| !blank(lines[j])) else {
            continue;
        };
        if indent(lines[body]) > key_column {
            continue;
        }
        let mut last = body;
        for (j, l) in lines.iter().enumerate().skip(body + 1) {
            if blank(l) {
                continue;
            }
            if indent(l) < key_column || l.starts_with("---") || l.starts_with("...") {
                break;
            }
            last = j;
        }
        out.push(Misindented {
            key_line: i + 1,
            key_column,
            body_line: body + 1,
            last_line: last + 1,
        });
    }
    out
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

    /// The six `cluster.yaml` examples of the Dispatch install guide, as
    /// printed: the `values: |` body at the indentation of `values:`.
    const GUIDE: [(&str, &str); 6] = [
        (
            "autoscaling",
            include_str!("../../../fixtures/konvoy/guide-autoscaling.yaml"),
        ),
        (
            "manual-replicas",
            include_str!("../../../fixtures/konvoy/guide-manual-replicas.yaml"),
        ),
        (
            "konvoy-dex",
            include_str!("../../../fixtures/konvoy/guide-konvoy-dex.yaml"),
        ),
        (
            "auth-type",
            include_str!("../../../fixtures/konvoy/guide-auth-type.yaml"),
        ),
        (
            "default-role",
            include_str!("../../../fixtures/konvoy/guide-default-role.yaml"),
        ),
        (
            "rbac",
            include_str!("../../../fixtures/konvoy/guide-rbac.yaml"),
        ),
    ];

    #[test]
    fn the_guide_examples_as_printed_say_the_block_is_not_indented() {
        for (name, text) in GUIDE {
            let e = addon_values(text, "cluster.yaml", "dispatch")
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with(
                    "cluster.yaml:9:7: the `values: |` block on line 8 is empty: its body is \
                     not indented deeper than `values:`"
                ),
                "{name}: {e}"
            );
            assert!(e.contains("simple key expect ':'"), "{name}: {e}");
            assert!(
                e.contains("must be indented deeper than its key")
                    && e.contains("     9 |       ---\nshould be:")
                    && e.contains("     9 |         ---\n    10 |         argo-cd:"),
                "{name}: {e}"
            );
        }
    }

    #[test]
    fn the_guide_examples_without_the_dashes_are_refused_not_rendered_as_defaults() {
        for (name, text) in GUIDE {
            let text = text.replace("      ---\n", "");
            // Valid YAML: an empty block, and `argo-cd` a key of the entry.
            let docs = yaml::parse_all(&text, "c").expect("parses");
            assert!(docs[0].lookup("spec").is_some(), "{name}");
            let e = addon_values(&text, "cluster.yaml", "dispatch")
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with(
                    "cluster.yaml:9:7: addon \"dispatch\": `values: |` is empty and the addon \
                     entry has `argo-cd` next to it"
                ) && e.contains("without your overrides")
                    && e.contains("     9 |         argo-cd:"),
                "{name}: {e}"
            );
        }
    }

    #[test]
    fn unknown_addon_keys_are_refused() {
        let text = CLUSTER.replace(
            "      name: other\n",
            "      name: other\n      replicas: 2\n",
        );
        let e = addon_values(&text, "c.yaml", "other")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("addon \"other\" has `replicas`, but an addon entry has only the keys"),
            "{e}"
        );
        // The corrected guide example still reads.
        let fixed = GUIDE[2]
            .1
            .replace("\n      ", "\n        ")
            .replace("\n        values: |", "\n      values: |");
        let fixed = fixed.replace("\n        name:", "\n      name:");
        let a = addon_values(&fixed, "c.yaml", "dispatch").expect("reads");
        assert_eq!(
            Value::Map(Box::new(a.values)).to_json(),
            serde_json::json!({"argo-cd": {"konvoyDex": {"enabled": "true"}}})
        );
    }
}
