//! From rendered template files to `helm template`'s manifest stream:
//! Helm's `SplitManifests`, `SortManifests` (install order by kind, hooks
//! apart) and the printing of `helm template`, byte for byte.

use rudder_values::Map;
use rudder_values::yaml::head::{self, Head};

use crate::chart::{Chart, File};
use crate::glob::go_path_match;
use crate::{Error, Result};

/// Helm's `InstallOrder`: kinds earlier in the list are printed first;
/// unknown kinds come after, by kind name.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Hook events Helm knows (`helm.sh/hook`).
const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// One rendered Kubernetes object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `# Source:` path: `chart/templates/x.yaml` or
    /// `parent/charts/sub/templates/x.yaml`.
    pub source: String,
    /// `apiVersion` (empty if absent).
    pub api_version: String,
    /// `kind` (empty if absent).
    pub kind: String,
    /// `metadata.name` (empty if absent).
    pub name: String,
    /// The document's text, trimmed.
    pub text: String,
    /// Its place among the documents its template file rendered, from 0:
    /// the order the file wrote them in, before install order sorts them
    /// (helm-unittest's `documentIndex` counts in this order).
    pub position: usize,
}

/// A manifest annotated `helm.sh/hook`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// The object.
    pub manifest: Manifest,
    /// Its hook events, lowercase (`pre-install`, `test`, …).
    pub events: Vec<String>,
    /// `helm.sh/hook-weight`, 0 when absent or not an integer.
    pub weight: i64,
}

impl Hook {
    /// True for `helm test` hooks.
    pub fn is_test(&self) -> bool {
        self.events
            .iter()
            .any(|e| e == "test" || e == "test-success")
    }
}

/// A file from a chart's `crds/` folder, printed raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crd {
    /// `chart/crds/x.yaml`.
    pub source: String,
    /// The file's text, as is.
    pub text: String,
}

/// What rendering a release produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// `crds/` files of the chart and its enabled subcharts.
    pub crds: Vec<Crd>,
    /// Objects in Helm's install order.
    pub manifests: Vec<Manifest>,
    /// Hooks, sorted by kind.
    pub hooks: Vec<Hook>,
    /// The top chart's rendered `NOTES.txt`.
    pub notes: Option<String>,
    /// The values the templates saw: the top chart's `.Values`, user values
    /// coalesced with every chart's defaults (what `rudder values` prints,
    /// Helm's computed values). Handed over rather than freed at the end of
    /// the render: a program that exits right after can skip freeing a
    /// large tree.
    pub values: Map,
    /// Helm's coalescing warnings (a table over a value, a condition that
    /// is not a bool, …): what Helm logs while it computes the values.
    pub warnings: Vec<String>,
}

/// What `helm template` prints, beyond the manifests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamOptions {
    /// `--include-crds`: print `crds/` files first.
    pub include_crds: bool,
    /// `--no-hooks`: leave hooks out.
    pub no_hooks: bool,
    /// `--skip-tests`: leave `test` hooks out.
    pub skip_tests: bool,
    /// `-s/--show-only`: only documents from templates matching these
    /// patterns (Go `filepath.Match` on the path after the chart name).
    pub show_only: Vec<String>,
}

impl Rendered {
    /// Every document to print, in `helm template`'s order, as
    /// (source path, text).
    fn documents<'a>(&'a self, o: &StreamOptions) -> Vec<(&'a str, &'a str)> {
        let mut out = Vec::new();
        if o.include_crds {
            out.extend(
                self.crds
                    .iter()
                    .map(|c| (c.source.as_str(), c.text.as_str())),
            );
        }
        out.extend(
            self.manifests
                .iter()
                .map(|m| (m.source.as_str(), m.text.as_str())),
        );
        if !o.no_hooks {
            out.extend(
                self.hooks
                    .iter()
                    .filter(|h| !(o.skip_tests && h.is_test()))
                    .map(|h| (h.manifest.source.as_str(), h.manifest.text.as_str())),
            );
        }
        out
    }

    /// The manifest stream exactly as `helm template` prints it.
    pub fn stream(&self, o: &StreamOptions) -> Result<String> {
        let mut all = String::new();
        for (source, text) in self.documents(o) {
            all.push_str("---\n# Source: ");
            all.push_str(source);
            all.push('\n');
            all.push_str(text);
            all.push('\n');
        }
        // helm prints the joined manifests trimmed, plus a newline.
        let trimmed = all.trim();
        if o.show_only.is_empty() {
            let mut out = String::with_capacity(trimmed.len() + 1);
            out.push_str(trimmed);
            out.push('\n');
            return Ok(out);
        }
        // With --show-only helm splits its own output again and keeps the
        // documents whose source (after the chart name) matches a pattern,
        // pattern by pattern.
        let docs = split_manifests(trimmed);
        let mut out = String::new();
        let mut missing = Vec::new();
        for pattern in &o.show_only {
            let pattern = pattern.replace('\\', "/");
            let mut found = false;
            for d in &docs {
                let Some(path) = source_after_chart(d) else {
                    continue;
                };
                if go_path_match(&pattern, path) {
                    out.push_str("---\n");
                    out.push_str(d);
                    out.push('\n');
                    found = true;
                }
            }
            if !found {
                missing.push(pattern);
            }
        }
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|p| format!("{p:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::Option {
                option: "--show-only".to_owned(),
                message: format!(
                    "could not find template {list} in chart; name a path like templates/deployment.yaml"
                ),
            });
        }
        Ok(out)
    }

    /// What `--output-dir` writes, one entry per document in writing
    /// order: (path relative to the directory, text appended to that file).
    /// Helm appends every document of a template to that template's file.
    pub fn output_documents(&self, o: &StreamOptions) -> Vec<(String, String)> {
        self.documents(o)
            .into_iter()
            .map(|(source, text)| {
                (
                    source.to_owned(),
                    format!("---\n# Source: {source}\n{text}\n"),
                )
            })
            .collect()
    }
}

/// `# Source: chart/(rest)` → `rest`.
fn source_after_chart(doc: &str) -> Option<&str> {
    let start = doc.find("# Source: ")? + "# Source: ".len();
    let line = doc[start..].lines().next()?;
    let slash = line.find('/')?;
    (slash > 0).then(|| &line[slash + 1..])
}

/// Helm's `SplitManifests`: documents separated by `---` (even
/// `---apiVersion: v1` splits), empty ones dropped, each trimmed.
///
/// Helm splits with the regex `(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*`;
/// compiling it was a visible part of every run, so it is matched by hand:
/// a separator is `---` at the very start, or `\n---` with the blanks
/// before that newline, and either way the blanks after the dashes. A
/// newline is part of at most one separator, so of `\n---\n---` only the
/// first `---` separates (as in Helm).
pub(crate) fn split_manifests(text: &str) -> Vec<&str> {
    let text = text.trim_start();
    let b = text.as_bytes();
    let blank = |c: u8| matches!(c, b'\t' | b'\n' | 0x0C | b'\r' | b' ');
    let blanks_from = |mut i: usize| {
        while i < b.len() && blank(b[i]) {
            i += 1;
        }
        i
    };
    let mut docs = Vec::new();
    // Where the current document starts, and where the next search does.
    let mut start = 0;
    if b.starts_with(b"---") {
        start = blanks_from(3);
    }
    let mut from = start;
    while let Some(at) = memchr::memmem::find(&b[from..], b"\n---") {
        let newline = from + at;
        let mut end = newline;
        while end > from && blank(b[end - 1]) {
            end -= 1;
        }
        docs.push(&text[start..end]);
        start = blanks_from(newline + 4);
        from = start;
    }
    docs.push(&text[start..]);
    docs.into_iter()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect()
}

/// Sorts one template file's documents into manifests and hooks
/// (Helm's `manifestFile.sort`). A document must be YAML; one that holds
/// data must name `apiVersion`, `kind` and `metadata.name`.
pub(crate) fn classify(
    source: &str,
    text: &str,
    manifests: &mut Vec<Manifest>,
    hooks: &mut Vec<Hook>,
    errors: &mut Vec<Error>,
) {
    for (position, doc) in split_manifests(text).into_iter().enumerate() {
        // The fast scan vouches for the document being YAML and reads its
        // head; anything it is unsure of is parsed in full, as Helm does.
        let head = match head::scan(doc) {
            Some(head) => head,
            None => match full_head(source, doc) {
                Ok(head) => head,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
        };
        let manifest = Manifest {
            source: source.to_owned(),
            api_version: head.api_version,
            kind: head.kind,
            name: head.name,
            text: doc.to_owned(),
            position,
        };
        if head.is_map {
            let missing: Vec<&str> = [
                ("apiVersion", &manifest.api_version),
                ("kind", &manifest.kind),
                ("metadata.name", &manifest.name),
            ]
            .into_iter()
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| k)
            .collect();
            if !missing.is_empty() {
                errors.push(Error::Manifest {
                    template: source.to_owned(),
                    message: format!(
                        "a rendered object has no {}; every Kubernetes object needs apiVersion, kind and metadata.name\n{}",
                        missing.join(", "),
                        excerpt(doc)
                    ),
                });
                continue;
            }
        }
        let Some(events) = head.hook else {
            manifests.push(manifest);
            continue;
        };
        let events: Vec<String> = events.split(',').map(|e| e.trim().to_lowercase()).collect();
        // Helm skips a document naming an unknown hook event.
        if events.iter().any(|e| !HOOK_EVENTS.contains(&e.as_str())) {
            continue;
        }
        let weight = head
            .hook_weight
            .map_or(0, |w| w.trim().parse().unwrap_or(0));
        hooks.push(Hook {
            manifest,
            events,
            weight,
        });
    }
}

/// The head of a document by a full parse (Helm's `yaml.Unmarshal` into
/// `SimpleHead`): the error for a document that is not YAML, or not a map.
fn full_head(source: &str, doc: &str) -> Result<Head> {
    // The parser takes go-yaml's flow closers at a key's column itself.
    let parsed = rudder_values::yaml::parse(doc, source).or_else(|e| {
        // go-yaml also takes `\'` in a double-quoted scalar (as `'`); the
        // check retries without them (the printed text is unchanged).
        match doc.contains("\\'").then(|| doc.replace("\\'", "'")) {
            Some(fixed) => rudder_values::yaml::parse(&fixed, source).map_err(|_| e),
            None => Err(e),
        }
    });
    let value = parsed.map_err(|e| {
        let why = match &e {
            rudder_values::Error::Yaml {
                line,
                column,
                message,
                ..
            } => format!("line {line}, column {column} of the document: {message}"),
            other => other.to_string(),
        };
        Error::Manifest {
            template: source.to_owned(),
            message: format!("rendered output is not valid YAML: {why}\n{}", excerpt(doc)),
        }
    })?;
    Head::of_value(&value).map_err(|kind| Error::Manifest {
        template: source.to_owned(),
        message: format!(
            "a rendered document is a {kind}, not a Kubernetes object\n{}",
            excerpt(doc)
        ),
    })
}

/// The first lines of a document, indented, for error messages.
fn excerpt(doc: &str) -> String {
    let mut lines: Vec<String> = doc.lines().take(6).map(|l| format!("  | {l}")).collect();
    if doc.lines().count() > 6 {
        lines.push("  | …".to_owned());
    }
    lines.join("\n")
}

/// Helm's `sortManifestsByKind`/`sortHooksByKind`: a stable sort by
/// install order; unknown kinds last, by name. Each item's rank is looked
/// up once, not on every comparison.
pub(crate) fn sort_by_kind<T>(items: &mut [T], kind: impl Fn(&T) -> &str) {
    let unknown = INSTALL_ORDER.len();
    items.sort_by_cached_key(|item| {
        let k = kind(item);
        match INSTALL_ORDER.iter().position(|o| *o == k) {
            Some(rank) => (rank, String::new()),
            None => (unknown, k.to_owned()),
        }
    });
}

/// The `crds/` files of `chart` (at Helm path `path`) and of its subcharts
/// (Helm's `CRDObjects`), in chart order.
pub(crate) fn crds(chart: &Chart, path: &str, out: &mut Vec<Crd>) {
    for f in chart.files.iter().filter(|f| is_crd_file(f)) {
        out.push(Crd {
            source: format!("{path}/{}", f.name),
            text: String::from_utf8_lossy(&f.data).into_owned(),
        });
    }
    for sub in &chart.dependencies {
        crds(sub, &format!("{path}/charts/{}", sub.name()), out);
    }
}

fn is_crd_file(f: &File) -> bool {
    f.name.starts_with("crds/")
        && [".yaml", ".yml", ".json"]
            .iter()
            .any(|e| f.name.ends_with(e))
}

#[cfg(test)]
mod head_tests;
#[cfg(test)]
mod tests;
