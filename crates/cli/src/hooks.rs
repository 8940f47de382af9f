//! The release as `helm install` sends it to the cluster: documents with
//! what kubectl needs (kind, name, namespace) and, for hooks, their events,
//! weight and delete policy; and Helm's hook order.

use rudder_render::{INSTALL_ORDER, Value};

use crate::Failure;

/// `helm.sh/hook-delete-policy` values (Helm's `HookDeletePolicy`).
pub(crate) const BEFORE_HOOK_CREATION: &str = "before-hook-creation";
pub(crate) const HOOK_SUCCEEDED: &str = "hook-succeeded";
pub(crate) const HOOK_FAILED: &str = "hook-failed";

/// One object of the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    /// `# Source:` path.
    pub(crate) source: String,
    /// The document, trimmed, without its `# Source:` line.
    pub(crate) text: String,
    pub(crate) kind: String,
    pub(crate) name: String,
    /// `metadata.namespace`, if the object names one.
    pub(crate) namespace: Option<String>,
    /// Set for objects annotated `helm.sh/hook`.
    pub(crate) hook: Option<HookInfo>,
}

/// A hook's annotations, as Helm's manifest sorter reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HookInfo {
    /// Events, lowercase; `test-success` is Helm's old name of `test`.
    pub(crate) events: Vec<String>,
    pub(crate) weight: i64,
    /// `helm.sh/hook-delete-policy`, lowercase; Helm's default
    /// (`before-hook-creation`) when the annotation is absent or empty.
    pub(crate) delete: Vec<String>,
}

impl HookInfo {
    pub(crate) fn is_test(&self) -> bool {
        self.events
            .iter()
            .any(|e| e == "test" || e == "test-success")
    }
    pub(crate) fn runs_on(&self, event: &str) -> bool {
        self.events
            .iter()
            .any(|e| e == event || (event == "test" && e == "test-success"))
    }
    pub(crate) fn deletes(&self, policy: &str) -> bool {
        self.delete.iter().any(|p| p == policy)
    }
}

impl Doc {
    /// `---\n# Source: …\n…\n`, as `helm template` prints a document.
    pub(crate) fn printed(&self) -> String {
        format!("---\n# Source: {}\n{}\n", self.source, self.text)
    }
    /// `Kind/name`, for messages.
    pub(crate) fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

/// Reads one document's head and hook annotations.
pub(crate) fn doc(source: &str, text: &str) -> Result<Doc, Failure> {
    let value = rudder_values::yaml::parse(text, source)?;
    let s = |path: &[&str]| {
        value
            .get_path(path.iter().copied())
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let annotation = |key: &str| s(&["metadata", "annotations", key]);
    // Helm's `operateAnnotationValues`: comma-separated, trimmed, lowercase.
    let list = |text: String| -> Vec<String> {
        text.split(',')
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let hook = annotation("helm.sh/hook").map(|events| {
        let mut delete = annotation("helm.sh/hook-delete-policy")
            .map(list)
            .unwrap_or_default();
        if delete.is_empty() {
            // Helm's `hookSetDeletePolicy`.
            delete.push(BEFORE_HOOK_CREATION.to_owned());
        }
        HookInfo {
            events: list(events),
            // `strconv.Atoi`, 0 when it is not an integer.
            weight: annotation("helm.sh/hook-weight")
                .and_then(|w| w.trim().parse().ok())
                .unwrap_or(0),
            delete,
        }
    });
    Ok(Doc {
        source: source.to_owned(),
        text: text.trim().to_owned(),
        kind: s(&["kind"]).unwrap_or_default(),
        name: s(&["metadata", "name"]).unwrap_or_default(),
        namespace: s(&["metadata", "namespace"]).filter(|n| !n.is_empty()),
        hook,
    })
}

/// The documents of a printed stream: rudder's own (`post_rendered`
/// false: a document without `# Source:` is the next one of the same
/// file, as in a `crds/` file) or one a post-renderer returned (it is
/// named as Helm names objects a post-renderer added). Manifests are
/// sorted in install order and hooks by kind again, as Helm sorts
/// post-rendered files.
pub(crate) fn documents_of_stream(stream: &str, post_rendered: bool) -> Result<Vec<Doc>, Failure> {
    let mut docs = Vec::new();
    let mut previous = String::new();
    for (i, text) in split(stream).into_iter().enumerate() {
        let (source, body) = match text.strip_prefix("# Source: ") {
            Some(rest) => {
                let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
                (line.trim().to_owned(), body)
            }
            None if !post_rendered && !previous.is_empty() => (previous.clone(), text),
            // Helm's name for an object the post-renderer added.
            None => (format!("generated-by-postrender-{i}.yaml"), text),
        };
        previous.clone_from(&source);
        if body.trim().is_empty() || rudder_values::yaml::parse(body, &source)?.is_null() {
            continue;
        }
        docs.push(doc(&source, body)?);
    }
    let (mut hooks, mut manifests): (Vec<Doc>, Vec<Doc>) =
        docs.into_iter().partition(|d| d.hook.is_some());
    sort_by_kind(&mut manifests);
    sort_by_kind(&mut hooks);
    manifests.extend(hooks);
    Ok(manifests)
}

/// Documents separated by `---` lines, trimmed, empty ones dropped.
fn split(stream: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in stream.split_inclusive('\n') {
        if line.trim_end() == "---" || line.starts_with("--- ") {
            out.push(&stream[start..at]);
            start = at + line.len();
        }
        at += line.len();
    }
    out.push(&stream[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect()
}

/// Helm's install order (`sortManifestsByKind`), stable; unknown kinds
/// last, by kind.
fn sort_by_kind(docs: &mut [Doc]) {
    let unknown = INSTALL_ORDER.len();
    docs.sort_by_cached_key(|d| match INSTALL_ORDER.iter().position(|o| *o == d.kind) {
        Some(rank) => (rank, String::new()),
        None => (unknown, d.kind.clone()),
    });
}

/// The hooks of `event` in the order Helm runs them: documents come
/// sorted by kind; a stable sort by weight, then name
/// (`hookByWeight` in Helm's pkg/action/hooks.go).
pub(crate) fn hooks_of<'a>(docs: &'a [Doc], event: &str) -> Vec<&'a Doc> {
    let mut hooks: Vec<&Doc> = docs
        .iter()
        .filter(|d| d.hook.as_ref().is_some_and(|h| h.runs_on(event)))
        .collect();
    hooks.sort_by(|a, b| {
        let w = |d: &Doc| d.hook.as_ref().map_or(0, |h| h.weight);
        w(a).cmp(&w(b)).then_with(|| a.name.cmp(&b.name))
    });
    hooks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(name: &str, kind: &str, weight: &str) -> Doc {
        doc(
            "c/templates/h.yaml",
            &format!(
                "apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n    helm.sh/hook: pre-install,post-install\n    helm.sh/hook-weight: \"{weight}\""
            ),
        )
        .expect("parses")
    }

    #[test]
    fn hooks_run_by_weight_then_name_keeping_kind_order_for_ties() {
        // Kind order first (as the renderer sorts them), then the stable sort.
        let docs = vec![
            hook("b", "ServiceAccount", "0"),
            hook("a", "Job", "0"),
            hook("z", "Job", "-5"),
            hook("a", "Pod", "0"),
            hook("m", "Secret", "x"),
        ];
        let order: Vec<String> = hooks_of(&docs, "pre-install")
            .iter()
            .map(|d| d.id())
            .collect();
        assert_eq!(
            order,
            ["Job/z", "Job/a", "Pod/a", "ServiceAccount/b", "Secret/m"]
        );
    }

    #[test]
    fn delete_policy_defaults_to_before_hook_creation() {
        let d = hook("a", "Job", "1");
        let h = d.hook.expect("a hook");
        assert_eq!(h.delete, [BEFORE_HOOK_CREATION]);
        assert_eq!(h.weight, 1);
        let d = doc(
            "c/t.yaml",
            "kind: Job\nmetadata:\n  name: j\n  namespace: other\n  annotations:\n    helm.sh/hook: Test-Success\n    helm.sh/hook-delete-policy: ' Hook-Succeeded , hook-failed'",
        )
        .expect("parses");
        let h = d.hook.as_ref().expect("a hook");
        assert_eq!(h.delete, [HOOK_SUCCEEDED, HOOK_FAILED]);
        assert!(h.is_test() && h.runs_on("test"));
        assert_eq!(d.namespace.as_deref(), Some("other"));
    }

    #[test]
    fn a_post_rendered_stream_is_sorted_again() {
        let docs = documents_of_stream(
            "---\n# Source: c/templates/d.yaml\nkind: Deployment\nmetadata:\n  name: d\n---\nkind: Namespace\nmetadata:\n  name: nsx\n---\n# Source: c/templates/j.yaml\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: post-install\n",
            true,
        )
        .expect("parses");
        let got: Vec<(String, String)> = docs.iter().map(|d| (d.id(), d.source.clone())).collect();
        assert_eq!(
            got,
            [
                (
                    "Namespace/nsx".to_owned(),
                    "generated-by-postrender-1.yaml".to_owned()
                ),
                ("Deployment/d".to_owned(), "c/templates/d.yaml".to_owned()),
                ("Job/j".to_owned(), "c/templates/j.yaml".to_owned()),
            ]
        );
    }
}
