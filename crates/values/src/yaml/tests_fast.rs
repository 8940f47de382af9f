#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

//! The fast path against the full parser: whatever the fast path reads, it
//! must read as saphyr does; and it must actually read the values files
//! rudder's users write (or it buys nothing).

use super::*;
use proptest::prelude::*;
use std::path::Path;

/// Every `.yaml` file of the repository's charts and fixtures, split into
/// documents as Helm splits values files.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["charts", "fixtures", "tests"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            let path = entry.path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let Ok(docs) = split_documents(&text, "corpus") else {
                continue;
            };
            for (_, doc) in docs {
                out.push((path.display().to_string(), doc.to_owned()));
            }
        }
    }
    out
}

#[test]
fn the_fast_path_agrees_with_saphyr_on_every_yaml_file_of_the_repository() {
    let corpus = corpus();
    assert!(corpus.len() > 100, "corpus too small: {}", corpus.len());
    let values: Vec<_> = corpus
        .iter()
        .filter(|(path, _)| path.contains("values") && !path.contains("/templates/"))
        .collect();
    let taken = values.iter().filter(|(_, d)| takes_fast_path(d)).count();
    for (path, doc) in &corpus {
        let outcome = std::panic::catch_unwind(|| check_fast_path(doc));
        assert!(outcome.is_ok(), "{path}");
    }
    // Most of them are plain block YAML; the fast path must read them.
    assert!(
        taken * 2 > values.len(),
        "fast path took {taken} of {}",
        values.len()
    );
}

#[test]
fn the_fast_path_reads_the_product_charts_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../charts");
    for chart in ["dispatch", "isd"] {
        let text = std::fs::read_to_string(root.join(chart).join("values.yaml")).unwrap();
        assert!(takes_fast_path(&text), "{chart}/values.yaml");
        check_fast_path(&text);
    }
}

/// Documents the fast path reads, with the value saphyr gives (checked by
/// `check_fast_path` and spelled out here as JSON).
#[test]
fn fast_path_cases() {
    let cases: &[(&str, serde_json::Value)] = &[
        (
            "a: 1\nb: yes\nc: ~\nd: 0777\ne: 1_000\n",
            serde_json::json!({"a":1,"b":true,"c":null,"d":511,"e":1000}),
        ),
        (
            "on: 1\n1.5: x\n2: y\n",
            serde_json::json!({"true":1,"1.5":"x","2":true}),
        ),
        (
            "a:\n- 1\n- x\nb: 2\n",
            serde_json::json!({"a":[1,"x"],"b":2}),
        ),
        (
            "a:\n  - b: 1\n    c: 2\n  -   d: 3\n  -\n    e: 4\n  -\n",
            serde_json::json!({"a":[{"b":1,"c":2},{"d":3},{"e":4},null]}),
        ),
        (
            "a: |\n  x\n\n  y\n\n\nb: |-\n  z\nc: |+\n  w\n\nd: 1\n",
            serde_json::json!({"a":"x\n\ny\n","b":"z","c":"w\n\n","d":1}),
        ),
        (
            "a: |  # note\n    indented\n      more\n",
            serde_json::json!({"a":"indented\n  more\n"}),
        ),
        (
            "a: \"q: #x\"  # c\nb: 'it''s'\nc: []\nd: {}\n",
            serde_json::json!({"a":"q: #x","b":"it's","c":[],"d":{}}),
        ),
        (
            "a: x #c\nb: x#c\nc: #c\nd: http://h:1/p\n",
            serde_json::json!({"a":"x","b":"x#c","c":null,"d":"http://h:1/p"}),
        ),
        (
            "args:\n- --port=80\n- -v\n- a,b\n",
            serde_json::json!({"args":["--port=80","-v","a,b"]}),
        ),
        (
            "a: [1, \"x\", [z, {}]]\nb: {c: {d: 'e'}, f: -1}\n",
            serde_json::json!({"a":[1,"x",["z",{}]],"b":{"c":{"d":"e"},"f":-1}}),
        ),
        (
            "a: \"t\\tn\\n\\\"q\\\" \\x41\\u00e9\\U0001F600\"\nb: {u: https://h/p, 'k': \"v\\n\"}\nc:\n- [x, w]\n",
            serde_json::json!({"a":"t\tn\n\"q\" Aé😀","b":{"u":"https://h/p","k":"v\n"},"c":[["x","w"]]}),
        ),
        ("a: {b: c:d}\n", serde_json::json!({"a":{"b":"c:d"}})),
        ("a: 1\na: 2\nb: 3\n", serde_json::json!({"a":2,"b":3})),
        (
            "# top\n\na:\n  # inner\n  b: 1\n\n# end\n",
            serde_json::json!({"a":{"b":1}}),
        ),
        ("\"a.b\": 1\n'c': 2\n", serde_json::json!({"a.b":1,"c":2})),
    ];
    for (text, want) in cases {
        assert!(takes_fast_path(text), "{text:?} should take the fast path");
        check_fast_path(text);
        let got = parse(text, "t.yaml").unwrap();
        assert_eq!(&got.to_json(), want, "{text:?}");
    }
}

/// Large documents are read in parts: the parts start at root keys only,
/// and the result is the one-part result.
#[test]
fn documents_read_in_parts_read_as_one() {
    let text = "# head\na: 1\nb:\n- x\n-y: 2\n# c\n\nc: |\n  text\n\nd:\n  e: 1\na: 3\nf: [1, 2]\n";
    let body = &text[7..];
    let starts: Vec<usize> = fast::part_bounds(body, 8).iter().map(|r| r.0).collect();
    // Never at `- x`, `-y: 2` (a key, but it starts with `-`), `  text`,
    // a comment or a blank line.
    for start in &starts[1..] {
        let line = &body[*start..];
        assert!(
            ["b:", "c:", "d:", "a: 3", "f:"]
                .iter()
                .any(|k| line.starts_with(k)),
            "split at {line:?}"
        );
    }
    assert!(starts.len() > 3, "{starts:?}");
    let limits = Limits::default();
    let whole = fast::document_in_parts(text, &limits, 1).unwrap();
    // `a` is repeated in a later part: the last value, in the first place.
    assert_eq!(
        whole.0.to_json(),
        serde_json::json!({"a": 3, "b": ["x"], "-y": 2, "c": "text\n", "d": {"e": 1}, "f": [1, 2]})
    );
    assert_eq!(whole.0.as_map().unwrap().keys().next().unwrap(), "a");
    assert_eq!(whole.1, 1);
    for parts in 2..=8 {
        assert_eq!(
            fast::document_in_parts(text, &limits, parts),
            Some(whole.clone())
        );
    }
    // The node limit counts the whole document, not each part: the limit
    // at which reading succeeds is the same in one part or in four.
    let reads = |max_nodes, parts| {
        let limits = Limits {
            max_nodes,
            ..Limits::default()
        };
        fast::document_in_parts(text, &limits, parts).is_some()
    };
    let needed = (1..100).find(|&n| reads(n, 1)).unwrap();
    assert!(needed > 10, "{needed}");
    assert!(!reads(needed - 1, 4));
    assert!(reads(needed, 4));
    // A part the fast path cannot read sends the whole document to saphyr.
    let bad = format!("{text}g: &x 1\n");
    assert!(fast::document_in_parts(&bad, &limits, 4).is_none());
}

/// Documents the fast path leaves to saphyr (each is valid YAML, or an
/// error saphyr reports with its line).
#[test]
fn fast_path_declines() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: [1, 2,]\n",
        "a: {b}\n",
        "a: [b] x\n",
        "a: >\n  folded\n",
        "a: |2\n   x\n",
        "a: multi\n  line\n",
        "a: \"esc\\q\"\n",
        "a: \"line \\\n  break\"\n",
        "a: {b: c:-d}\n",
        "a: 'open\n  close'\n",
        "<<: {a: 1}\n",
        "? a\n: b\n",
        "- root list\n",
        "  a: indented root\n",
        "a:\tb\n",
        "a: 1\r\n",
        "a: b: c\n",
        "a: x\n    # deeper comment\n",
        "a: |\n  last line without break",
        "a: .inf\n",
        "~: null key\n",
        "a[0]: flowish key\n",
        "",
        "# only a comment\n",
        "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: |\n\n     \n  x\n",
    ] {
        assert!(!takes_fast_path(text), "{text:?} should be left to saphyr");
    }
}

/// Pieces of block YAML, tricky on purpose, for generated documents.
// Pieces of block YAML: mostly what the fast path reads, some of what it
// must leave to saphyr.
const KEYS: &[&str] = &[
    "a", "b", "name", "image", "on", "y", "1", "1.5", "-k", "\"q.k\"", "'s''k'", "a b", "k:v",
    "null", "0x1F", "\"\"", "\"<<\"", "é", "tag", "x.y/z",
];
const BAD_KEYS: &[&str] = &["x[0]", "~", "<<", "#c", "a #b", "? a", "&a k", "[k]"];
const SCALARS: &[&str] = &[
    "x",
    "yes",
    "No",
    "~",
    "",
    "0777",
    "1_000",
    "-1",
    "+1",
    ".5",
    "1e3",
    "\"dq\"",
    "'sq'",
    "'a''b'",
    "\"a\\tb \\u00e9 \\\"\"",
    "--port=80",
    "[]",
    "{}",
    "[a, 'b', \"c\"]",
    "{a: 1, b: [c, {}]}",
    "{u: https://h/p}",
    "a:b",
    "x #c",
    "x#c",
    "#c",
    "http://h:80",
    "2001-12-14",
    "é ü",
    "a ",
    "1.0",
    "0x1F",
];
const BAD_SCALARS: &[&str] = &[
    "-", "---", ".inf", "[a", "{a: 1", "a: b", "&a x", "*a", "!!str 1", "'open", "\"open", "> x",
    "[a,]", "{a}", "\"\\q\"",
];
const BLOCKS: &[&str] = &["|", "|-", "|+", "| # c", "|", "|-", "|", "|2", ">"];
const BODIES: &[&str] = &[
    "text",
    "  more",
    "",
    "text",
    "#not comment",
    "- not item",
    "k: v",
    "   ",
];

fn key() -> impl Strategy<Value = &'static str> {
    prop_oneof![30 => prop::sample::select(KEYS), 1 => prop::sample::select(BAD_KEYS)]
}

fn scalar() -> impl Strategy<Value = &'static str> {
    prop_oneof![30 => prop::sample::select(SCALARS), 1 => prop::sample::select(BAD_SCALARS)]
}

/// A generated tree, written out as block YAML below.
#[derive(Debug, Clone)]
enum Node {
    Scalar(&'static str),
    Block(&'static str, Vec<(usize, &'static str)>),
    Map(Vec<(&'static str, Node)>),
    List(Vec<Node>),
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        3 => scalar().prop_map(Node::Scalar),
        1 => (
            prop::sample::select(BLOCKS),
            prop::collection::vec((0usize..3, prop::sample::select(BODIES)), 0..4)
        )
            .prop_map(|(h, lines)| Node::Block(h, lines)),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..5).prop_map(Node::Map),
            prop::collection::vec(inner, 1..4).prop_map(Node::List),
        ]
    })
}

/// Writes `node` at `indent`; `style` picks indentation steps, compact
/// forms, comments and blank lines.
struct Writer {
    out: String,
    style: Vec<u8>,
    at: usize,
}

impl Writer {
    fn pick(&mut self, n: u8) -> u8 {
        self.at += 1;
        self.style[self.at % self.style.len()] % n
    }

    fn noise(&mut self, indent: usize) {
        match self.pick(12) {
            0 => self.out.push('\n'),
            1 => self
                .out
                .push_str(&format!("{}# note\n", " ".repeat(indent))),
            2 => self.out.push_str("   \n"),
            _ => {}
        }
    }

    fn after_key(&mut self, value: &Node, indent: usize) {
        match value {
            Node::Scalar(s) => {
                let comment = if self.pick(5) == 0 { " # c" } else { "" };
                self.out.push_str(&format!(" {s}{comment}\n"));
            }
            Node::Block(header, lines) => {
                self.out.push_str(&format!(" {header}\n"));
                let step = 1 + usize::from(self.pick(3));
                for (more, line) in lines {
                    self.out
                        .push_str(&format!("{}{line}\n", " ".repeat(indent + step + more)));
                }
            }
            Node::Map(_) => {
                self.out.push('\n');
                let step = [2, 4, 1][usize::from(self.pick(3))];
                self.node(value, indent + step);
            }
            Node::List(_) => {
                self.out.push('\n');
                let step = [0, 2, 4][usize::from(self.pick(3))];
                self.node(value, indent + step);
            }
        }
    }

    fn node(&mut self, node: &Node, indent: usize) {
        let pad = " ".repeat(indent);
        match node {
            Node::Map(entries) => {
                for (key, value) in entries {
                    self.noise(indent);
                    self.out.push_str(&format!("{pad}{key}:"));
                    self.after_key(value, indent);
                }
            }
            Node::List(items) => {
                for item in items {
                    self.noise(indent);
                    if matches!(item, Node::Map(_)) && self.pick(3) > 0 {
                        // `- key: value` with the rest of the map below.
                        let mut inner = Writer {
                            out: String::new(),
                            style: self.style.clone(),
                            at: self.at,
                        };
                        inner.node(item, indent + 2);
                        self.at = inner.at;
                        let body = inner.out.trim_start_matches(['\n', ' ']);
                        self.out.push_str(&format!("{pad}- {body}"));
                    } else {
                        self.out.push_str(&format!("{pad}-"));
                        self.after_key(item, indent);
                    }
                }
            }
            other => {
                self.out.push_str(&format!("{pad}v:"));
                self.after_key(other, indent);
            }
        }
    }
}

/// A generated block document: a map of generated trees.
fn doc() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((key(), node()), 1..5),
        prop::collection::vec(any::<u8>(), 1..64),
    )
        .prop_map(|(entries, style)| {
            let mut w = Writer {
                out: String::new(),
                style,
                at: 0,
            };
            w.node(&Node::Map(entries), 0);
            w.out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6000, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_read_the_same_on_both_paths(text in doc()) {
        check_fast_path(&text);
    }

    #[test]
    fn generated_documents_with_a_byte_changed_read_the_same_on_both_paths(
        text in doc(),
        at in 0usize..400,
        byte in prop::sample::select(&[b' ', b'\n', b'-', b':', b'#', b'|', b'"', b'\''][..]),
    ) {
        let mut bytes = text.into_bytes();
        let at = at % bytes.len();
        bytes[at] = byte;
        if let Ok(text) = String::from_utf8(bytes) {
            check_fast_path(&text);
        }
    }
}

/// A document marker in the first column is not a key (fuzz crash
/// 2c70a7d4: `--- argo-c…d:` read as the key `--- argo-c…d`).
#[test]
fn document_markers_are_not_keys() {
    for text in [
        "--- argo-c\u{FFFD}\u{FFFD}d:\n  konDoxyve:\n    enabled: \"true\"\n",
        "--- a: 1\n",
        "---\ta: 1\n",
        "a: 1\n... b: 2\n",
        "a: 1\n...\n",
        "a:\n  b: |\n    x\n--- c: 1\n",
    ] {
        assert!(!takes_fast_path(text), "{text:?} must go to saphyr");
        check_fast_path(text);
    }
    // Without a blank after them, the dashes and dots are plain text.
    for text in ["---a: 1\n", "...b: 2\n"] {
        assert!(takes_fast_path(text), "{text:?} should take the fast path");
        check_fast_path(text);
    }
}
