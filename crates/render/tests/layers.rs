//! The pipeline's layering, checked: every import of a module of
//! `rudder-render` points down the stack, never up or sideways, so the
//! folders read as Helm's stages (loader → chartutil → engine →
//! releaseutil, joined by pkg/action). A `crate::x` path (in a `use` or
//! inline) from a file of top-level module `a` to top-level module `b` is
//! allowed only when `b` sits on a lower floor than `a`.
//!
//! This is the check issue 18 asks for: it fails on any cycle between
//! top-level modules (a cycle needs at least one edge that does not point
//! down), and it names the file and the path that breaks the order.
//! Comments (doc links) and test modules (`tests.rs`, `*_tests.rs`, which
//! may drive a whole render to test a lower stage) are not imports of the
//! library and are not checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Floors, lowest first. Modules on one floor may not use each other.
const FLOORS: &[&[&str]] = &[
    // Ground floor: errors, glob matching.
    &["error", "glob"],
    // Go's values and Helm's functions (value conversion and printing).
    &["funcs"],
    // 1. loading
    &["chart"],
    // 2. coalescing
    &["coalesce"],
    // 3. schema
    &["schema"],
    // 4. the template engine; 5. the manifest stream (independent stages).
    &["engine", "manifest"],
    // The orchestrator.
    &["release"],
    // What reads a rendered release.
    &["lint"],
    // Tooling on top: a Helm chart rewritten as a Jinja chart.
    &["convert"],
];

/// Names `lib.rs` re-exports, by the module that defines them, so
/// `crate::Error` counts as a use of `error`.
const ROOT_NAMES: &[(&str, &str)] = &[
    ("Error", "error"),
    ("Result", "error"),
    ("Chart", "chart"),
    ("ChartValues", "coalesce"),
    ("chart_values", "coalesce"),
    ("DEFAULT_API_VERSIONS", "engine"),
    ("DEFAULT_KUBE_VERSION", "engine"),
    ("Engine", "engine"),
    ("EngineOptions", "engine"),
    ("FUEL", "engine"),
    ("KubeVersion", "engine"),
    ("MAX_INCLUDE_DEPTH", "engine"),
    ("Crd", "manifest"),
    ("Hook", "manifest"),
    ("INSTALL_ORDER", "manifest"),
    ("Manifest", "manifest"),
    ("Rendered", "manifest"),
    ("StreamOptions", "manifest"),
    ("RenderOptions", "release"),
    ("release_values", "release"),
    ("render_release", "release"),
];

/// The Go dialect's runtime (`gotmpl`) is part of the engine stage: the
/// engine registers its helpers and they call the engine's `include` and
/// `tpl`. The translator itself is a crate of its own (`rudder-gotmpl`).
fn stage(module: &str) -> &str {
    if module == "gotmpl" { "engine" } else { module }
}

fn floor(module: &str) -> Option<usize> {
    let module = stage(module);
    FLOORS.iter().position(|f| f.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a source file belongs to (`None` for lib.rs and
/// test-only helpers).
fn module_of(rel: &Path) -> Option<String> {
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    if parts.next().is_some() {
        return Some(first);
    }
    let stem = first.strip_suffix(".rs")?;
    if stem == "lib" || stem == "test_support" {
        return None;
    }
    // `x_tests.rs` beside `x.rs` is `x`'s test module.
    Some(stem.strip_suffix("_tests").unwrap_or(stem).to_owned())
}

/// Every top-level module a file's text names through `crate::`.
fn uses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        // `rudder_render::…`-style paths in docs do not count, nor do
        // other crates' `some_crate::…`.
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out.into_iter()
        .map(|n| {
            ROOT_NAMES
                .iter()
                .find(|(root, _)| *root == n)
                .map_or(n, |(_, m)| (*m).to_owned())
        })
        .collect()
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn imports_point_down_the_pipeline() {
    let root = src();
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unknown = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&root).expect("inside src");
        let Some(module) = module_of(rel) else {
            continue;
        };
        let Some(own) = floor(&module) else {
            unknown.push(format!("{} (module {module})", rel.display()));
            continue;
        };
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let text: String = std::fs::read_to_string(path)
            .expect("read source")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for used in uses(&text) {
            if stage(&used) == stage(&module) || used == "test_support" {
                continue;
            }
            match floor(&used) {
                Some(f) if f < own => {}
                Some(_) => wrong
                    .entry(format!("{} ({module})", rel.display()))
                    .or_default()
                    .push(used),
                None => unknown.push(format!("{}: crate::{used}", rel.display())),
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from FLOORS (place each on a floor): {unknown:#?}"
    );
    assert!(
        wrong.is_empty(),
        "imports that point up or sideways in the pipeline: {wrong:#?}"
    );
}

/// The check itself: it sees a group import, a root re-export and an
/// upward path.
#[test]
fn the_scanner_reads_paths_and_groups() {
    assert_eq!(
        uses(
            "use crate::{Error, engine::View};\nlet x = crate::lint::check();\nrudder_render::crate::no"
        ),
        ["error", "engine", "lint"]
    );
    assert_eq!(
        module_of(Path::new("engine/calls.rs")).as_deref(),
        Some("engine")
    );
    assert_eq!(
        module_of(Path::new("coalesce_tests.rs")).as_deref(),
        Some("coalesce")
    );
    assert_eq!(module_of(Path::new("lib.rs")), None);
    assert!(floor("release") > floor("engine") && floor("engine") > floor("funcs"));
}
