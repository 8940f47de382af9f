//! The fast head scan against the full parse: whenever the scan answers,
//! the full parse must accept the document and give the same head.

use std::path::{Path, PathBuf};

use rudder_values::yaml::head::{Head, scan};

use super::split_manifests;
use crate::{Chart, Engine, EngineOptions, RenderOptions};

/// Checks `doc` both ways; true when the fast scan answered.
fn agree(doc: &str) -> bool {
    let Some(fast) = scan(doc) else {
        return false;
    };
    let full = rudder_values::yaml::parse(doc, "doc")
        .unwrap_or_else(|e| panic!("the scan took a document the parser refuses ({e}):\n{doc}"));
    assert_eq!(
        Head::of_value(&full),
        Ok(fast),
        "the scan and the parser disagree on:\n{doc}"
    );
    true
}

fn head(api: &str, kind: &str, name: &str) -> Head {
    Head {
        is_map: true,
        api_version: api.into(),
        kind: kind.into(),
        name: name.into(),
        hook: None,
        hook_weight: None,
    }
}

#[test]
fn long_keys_that_start_with_a_digit_are_read_unless_they_may_be_numbers() {
    let base = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n";
    // An LDIF file name (the ISD chart's OpenLDAP ConfigMap): scanned.
    assert!(agree(&format!(
        "{base}  09-IT-manager.ldif: \"dn: cn=x\"\n"
    )));
    // Possibly a number or a timestamp: left to the parser.
    for key in [
        "123456789012345678901",
        "2001-12-14t21:59:43.10-05:00",
        "0x1234567890abcdef0",
    ] {
        assert!(!agree(&format!("{base}  {key}: x\n")), "{key}");
    }
}

#[test]
fn flow_indicators_inside_plain_scalars_are_text() {
    let base = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    command:\n";
    // A shell test in a command (the ISD chart's Redis): scanned.
    assert!(agree(&format!(
        "{base}    - for f in a b; do [ -f $f ] || cp x/$f $f; done; exec run {{a,b}}\n"
    )));
    // A key holding one is left to the parser.
    assert!(!agree(&format!("{base}    - a[0]: x\n")));
}

#[test]
fn reads_block_style_heads() {
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n  annotations:\n    helm.sh/hook: pre-install,post-upgrade\n    \"helm.sh/hook-weight\": \"-5\"\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: c\n        args: [\"--a\", b]\n        command:\n          - /bin/sh\n          - -c\n          - |\n            echo hi\n\n            echo: \"x\"\n      volumes: []\n";
    assert!(agree(doc));
    let mut want = head("apps/v1", "Deployment", "web");
    want.hook = Some("pre-install,post-upgrade".into());
    want.hook_weight = Some("-5".into());
    assert_eq!(scan(doc), Some(want));
    assert_eq!(scan("# only a comment"), Some(Head::default()));
}

#[test]
fn last_duplicate_key_wins() {
    let doc = "kind: A\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: test\nkind: B\nmetadata:\n  labels: {}\napiVersion: v1\n";
    assert!(agree(doc));
    assert_eq!(scan(doc), Some(head("v1", "B", "")));
    let doc = "apiVersion: v1\nkind: K\nmetadata:\n  name: a\n  name: 'it''s'\n";
    assert!(agree(doc));
    assert_eq!(scan(doc).map(|h| h.name), Some("it's".into()));
}

#[test]
fn non_string_fields_are_empty_or_left_to_the_parser() {
    for doc in [
        "apiVersion: v1\nkind:\nmetadata:\n  name: a\n",
        "apiVersion: v1\nkind: [a]\nmetadata: {}\n",
        "apiVersion: v1\nkind:\n  a: b\nmetadata:\n- name: a\n",
        "apiVersion: v1\nkind: K\nmetadata: x\n",
    ] {
        assert!(agree(doc), "{doc}");
    }
    for doc in [
        "apiVersion: v1\nkind: true\n",
        "apiVersion: 1\nkind: K\n",
        "apiVersion: v1\nkind: K\nmetadata:\n  name: \"a\\tb\"\n",
        "apiVersion: v1\nkind: |\n  K\n",
        "apiVersion: v1\nkind: K\nmetadata:\n  annotations:\n    helm.sh/hook-weight: -5\n",
        "apiVersion: v1\nkind: K\nmetadata: {name: a}\n",
    ] {
        assert_eq!(scan(doc), None, "{doc}");
        rudder_values::yaml::parse(doc, "doc").expect("valid YAML");
    }
}

/// Documents the scan must leave to the parser, most of them errors.
#[test]
fn gives_up_on_what_it_cannot_vouch_for() {
    for doc in [
        "a: b: c",
        "a: - b",
        "a: b\n  c",
        "a: \"b\nc\"",
        "a: [b,\nc]",
        "a: &x 1\nb: *x",
        "a: !!str 1",
        "- a",
        "a\nb",
        "a: 1\n- b",
        "a:\n\tb: 1",
        "a: 1\n\t",
        "a: |\n\tb",
        "a: |2\n   b",
        "a: |\n    \n  b\n",
        "a: .inf",
        "a: [.nan]",
        "~: 1",
        "null: 1",
        ": 1",
        "<<: {a: 1}",
        "18446744073709551616: x",
        "? a\n: b",
        "a: 1\r\nb: 2",
        "a: \u{1}",
        "a: \u{FEFF}b",
        "%YAML 1.2\n---\na: 1",
        "a: 1\n...\nb: [",
        "a: \"\\q\"",
        "a: \"\\uD800\"",
        "a: 'b' c",
        "a: \"b\"c",
        "a: [b, ]",
        "a: [b: c]",
        "a: {b}",
        "a: {b: }",
        "a: [b, {c: d]",
        "[a]: b",
        "a:\n  b: 1\n c: 2",
        "  a: 1\nb: 2",
        "a: @b",
        "a: `b`",
        "a: %b",
    ] {
        assert_eq!(scan(doc), None, "{doc:?}");
    }
}

/// Edge cases the scan takes: each must agree with the parser.
#[test]
fn large_documents_are_scanned_up_to_the_node_budget() {
    // `toYaml` of a large values tree inside a block scalar: one node,
    // however long (a full parse of it was a tenth of such a render).
    let mut big =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  v: |\n");
    while big.len() < 12 << 20 {
        big.push_str("    service: {enabled: true}\n");
    }
    assert!(agree(&big));
    // Lines outside block scalars are charged against the full parser's
    // node budget: past it, the full parser decides (and refuses).
    let mut many =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n");
    let budget = rudder_values::yaml::Limits::default().max_nodes;
    // Each `  k: v` line is charged `k: v`.len() + 2 = 6.
    let lines = budget / 6 - 10;
    many.push_str(&"  k: v\n".repeat(lines));
    assert!(scan(&many).is_some(), "just under the budget");
    many.push_str(&"  k: v\n".repeat(20));
    assert_eq!(scan(&many), None);
}

#[test]
fn edge_cases_agree_with_the_parser() {
    for doc in [
        "a: 1\n  # an indented comment\nb: 2",
        "a:\n  # comment\n  b: 1",
        "a:\n- 1\n- 2\nb: 3",
        "- x",
        "a:\n  - b: 1\n    c:\n    - 2\n  -   d: 3\n      e: 4\n  - - 5\n    - 6\n  -\n  - # c\n    f: 7",
        "a: |\n  x\n\n  y\n # less indented comment\nb: >-\n    folded\n    text\nc: |+\n\nd: |\n",
        "a: |\n\n\n  x\n",
        "a: |\n  \n  x\n",
        "a: | # comment\n  x\n",
        "- |\n  x\n- >\n y\n",
        "- a: |\n   x\n  b: 1",
        "a: 'x''y'\nb: \"q\\\"\\\\\\n\\x41\\u00e9\\U0001F600\"",
        "a: [1, \"b\", 'c', [d, {e: f, 'g': [h]}], {}]\nb: { }\nc: [ ]",
        "a: http://x:80/y # comment\nb: c#d\nc: -1\nd: --x\ne: :x\nf: ?x\ng: x]y,z{",
        "\"quoted key\": 1\n'single': 2\n\"\": 3",
        "a b: 1\n.dot: 2\nyes: 3\n1.5: 4\n0x10: 5\nkind: K\n'kind': L",
        "a: é\nb: 日本\nc: \u{1F600}",
        "a: 1   \nb:    \n  c: 2  ",
        "a:\n  b:\n    c:\n  d: 1",
        "  a: 1\n  b: 2",
        "# c\n  a: 1\n  b:\n  - 1",
        "a: ---\nb: ...",
        "a: x # y: z",
        "a: - -",
        "kind: K\nmetadata:\n  annotations:\n    helm.sh/hook: ~\n",
        "kind: K\nmetadata:\n  annotations:\n    helm.sh/hook:\n    helm.sh/hook-weight: '3'\n",
        "a: [a b, c d]\nb: {a b: c d}",
        "a:b: c",
    ] {
        agree(doc);
    }
}

/// Every file under `dir` with one of `exts`.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, exts, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(p);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every document rendered from the product charts and the test charts
/// (with default values), and every document of every YAML-ish file in the
/// repository's charts, tests and fixtures.
fn corpus() -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut product = Vec::new();
    let mut rendered = Vec::new();
    let mut charts = vec![root().join("charts/dispatch"), root().join("charts/isd")];
    for base in ["tests/render", "fixtures/charts", "fixtures/render-errors"] {
        let Ok(entries) = std::fs::read_dir(root().join(base)) else {
            continue;
        };
        let mut dirs: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        dirs.sort();
        for d in dirs {
            charts.push(if d.join("jinja").is_dir() {
                d.join("jinja")
            } else {
                d
            });
        }
    }
    for (i, dir) in charts.into_iter().enumerate() {
        let Ok(chart) = Chart::load(&dir) else {
            continue;
        };
        let Ok(engine) = Engine::new(chart, &EngineOptions::default()) else {
            continue;
        };
        let Ok(out) = engine.render(Default::default(), &RenderOptions::default()) else {
            continue;
        };
        let texts = out.manifests.iter().map(|m| &m.text);
        let texts = texts
            .chain(out.hooks.iter().map(|h| &h.manifest.text))
            .cloned();
        if i < 2 {
            product.extend(texts);
        } else {
            rendered.extend(texts);
        }
    }
    let mut other = Vec::new();
    let mut paths = Vec::new();
    for dir in ["charts", "tests", "fixtures"] {
        files(
            &root().join(dir),
            &["yaml", "yml", "tpl", "txt", "j2"],
            &mut paths,
        );
    }
    for p in paths {
        if let Ok(text) = std::fs::read_to_string(&p) {
            other.extend(split_manifests(&text).into_iter().map(str::to_owned));
        }
    }
    (product, rendered, other)
}

#[test]
fn every_rendered_and_repository_document_agrees() {
    let (product, rendered, other) = corpus();
    assert!(product.len() > 100, "{} product documents", product.len());
    // The scan is what makes rendering fast: it must take every document
    // of the product charts.
    for d in &product {
        assert!(agree(d), "the scan gave up on:\n{d}");
    }
    assert!(rendered.len() > 50, "{} rendered documents", rendered.len());
    for d in rendered.iter().chain(&other) {
        agree(d);
    }
}

/// A small deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Documents with one or two random edits (a YAML-significant character
/// inserted, a character removed, a line's indentation changed, a line
/// repeated, a line of another document inserted) must agree too.
#[test]
fn mutated_documents_agree() {
    let (product, rendered, other) = corpus();
    let docs: Vec<&String> = product
        .iter()
        .chain(&rendered)
        .chain(&other)
        .filter(|d| d.len() < 4000)
        .collect();
    let inserts = [
        ":", ": ", " ", "-", "- ", "#", " #", "\"", "'", "|", ">", "[", "]", "{", "}", ",", "\t",
        "\n", "&", "*", "!", "?", "\\", "~", "  ", "\n  ", "\n- ", ".inf", "null", "%", "@", "é",
        "\r", "---", "\n...",
    ];
    // RUDDER_HEAD_MUTATIONS=N (and RUDDER_HEAD_SEED) for a longer run.
    let var = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let rounds = var("RUDDER_HEAD_MUTATIONS", 20_000);
    let mut rng = Lcg(var("RUDDER_HEAD_SEED", 7));
    let mut scanned = 0;
    for round in 0..rounds {
        let mut doc = docs[rng.below(docs.len())].clone();
        for _ in 0..=round % 2 {
            let mut at = rng.below(doc.len() + 1);
            while !doc.is_char_boundary(at) {
                at -= 1;
            }
            match rng.below(5) {
                0 => doc.insert_str(at, inserts[rng.below(inserts.len())]),
                1 => {
                    if let Some(c) = doc[at..].chars().next() {
                        doc.replace_range(at..at + c.len_utf8(), "");
                    }
                }
                2 => {
                    let start = doc[..at].rfind('\n').map_or(0, |i| i + 1);
                    if rng.below(2) == 0 {
                        doc.insert(start, ' ');
                    } else if doc[start..].starts_with(' ') {
                        doc.remove(start);
                    }
                }
                3 => {
                    // A line of another document, indented anew.
                    let other = docs[rng.below(docs.len())];
                    let lines: Vec<&str> = other.lines().collect();
                    let line = lines[rng.below(lines.len())].trim_start();
                    let start = doc[..at].rfind('\n').map_or(0, |i| i + 1);
                    let indent = " ".repeat(rng.below(7));
                    doc.insert_str(start, &format!("{indent}{line}\n"));
                }
                _ => {
                    let start = doc[..at].rfind('\n').map_or(0, |i| i + 1);
                    let end = doc[at..].find('\n').map_or(doc.len(), |i| at + i);
                    let line = format!("{}\n", &doc[start..end]);
                    doc.insert_str(start, &line);
                }
            }
        }
        if agree(&doc) {
            scanned += 1;
        }
    }
    assert!(
        scanned * 4 > rounds,
        "only {scanned} of {rounds} mutated documents scanned"
    );
}
