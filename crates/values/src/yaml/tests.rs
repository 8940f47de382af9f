#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

//! Parsing tests. Every expectation was checked against Helm v4.1.4
//! (`helm template` with the YAML as `values.yaml`), except where Helm
//! turns integers into float64 (rudder keeps them exact on purpose).

use super::*;
use crate::{Error, Value};

fn one(yaml: &str) -> Value {
    match parse(&format!("v: {yaml}\n"), "t.yaml") {
        Ok(Value::Map(mut m)) => m
            .shift_remove("v")
            .unwrap_or(Value::String("<missing>".into())),
        other => panic!("{yaml}: {other:?}"),
    }
}

fn err(yaml: &str) -> (usize, usize, String) {
    match parse(yaml, "t.yaml") {
        Err(Error::Yaml {
            origin,
            line,
            column,
            message,
        }) => {
            assert_eq!(origin, "t.yaml");
            (line, column, message)
        }
        other => panic!("{yaml:?} should fail: {other:?}"),
    }
}

fn s(text: &str) -> Value {
    Value::String(text.into())
}

#[test]
fn yaml11_booleans_and_nulls() {
    for t in [
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    ] {
        assert_eq!(one(t), Value::Bool(true), "{t}");
    }
    for f in [
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    ] {
        assert_eq!(one(f), Value::Bool(false), "{f}");
    }
    for n in ["~", "null", "Null", "NULL", ""] {
        assert_eq!(one(n), Value::Null, "{n:?}");
    }
    assert_eq!(one("yES"), s("yES"));
    assert_eq!(one("tRUE"), s("tRUE"));
    assert_eq!(one("nULL"), s("nULL"));
    assert_eq!(one("\"\""), s(""));
}

#[test]
fn integers_like_go_parse_int_base_0() {
    let cases: &[(&str, Value)] = &[
        ("0777", Value::Int(511)),
        ("0x1F", Value::Int(31)),
        ("0X1f", Value::Int(31)),
        ("0b101", Value::Int(5)),
        ("0B11", Value::Int(3)),
        ("0o17", Value::Int(15)),
        ("-0o17", Value::Int(-15)),
        ("-0b11", Value::Int(-3)),
        ("1_000", Value::Int(1000)),
        ("1__0", Value::Int(10)),
        ("1_", Value::Int(1)),
        ("0x_1F", Value::Int(31)),
        ("0_7", Value::Int(7)),
        ("+1", Value::Int(1)),
        ("-0", Value::Int(0)),
        ("+0x10", Value::Int(16)),
        ("-0x10", Value::Int(-16)),
        ("9223372036854775807", Value::Int(i64::MAX)),
        ("-9223372036854775808", Value::Int(i64::MIN)),
        ("-0x8000000000000000", Value::Int(i64::MIN)),
        (
            "9223372036854775808",
            Value::UInt(9_223_372_036_854_775_808),
        ),
        ("18446744073709551615", Value::UInt(u64::MAX)),
        ("0xFFFFFFFFFFFFFFFF", Value::UInt(u64::MAX)),
        (
            "0b1111111111111111111111111111111111111111111111111111111111111111",
            Value::UInt(u64::MAX),
        ),
        // Beyond u64 go-yaml falls back to its float pattern.
        (
            "18446744073709551616",
            Value::Float(18_446_744_073_709_551_616.0),
        ),
        (
            "-9223372036854775809",
            Value::Float(-9_223_372_036_854_775_809.0),
        ),
        (
            "123456789012345678901234567890",
            Value::Float(1.2345678901234568e29),
        ),
        // Not octal, so the float pattern reads it: 8 (a float in go-yaml).
        ("08", Value::Float(8.0)),
        ("09", Value::Float(9.0)),
        // Not numbers at all.
        ("0x10000000000000000", s("0x10000000000000000")),
        ("0o8", s("0o8")),
        ("0b", s("0b")),
        ("0x", s("0x")),
        ("0xZZ", s("0xZZ")),
        ("_1", s("_1")),
        ("1,000", s("1,000")),
        ("0.1.2", s("0.1.2")),
        ("190:20:30", s("190:20:30")),
        ("1:30", s("1:30")),
    ];
    for (text, want) in cases {
        assert_eq!(&one(text), want, "{text}");
    }
}

#[test]
fn floats_like_go_yaml_v2() {
    let cases: &[(&str, Value)] = &[
        ("1e5", Value::Float(100000.0)),
        ("1E5", Value::Float(100000.0)),
        ("1e+5", Value::Float(100000.0)),
        ("1e05", Value::Float(100000.0)),
        ("1.", Value::Float(1.0)),
        ("+1.", Value::Float(1.0)),
        ("1.0", Value::Float(1.0)),
        (".5", Value::Float(0.5)),
        ("+.5", Value::Float(0.5)),
        ("-.5e-3", Value::Float(-0.0005)),
        ("1_0.5", Value::Float(10.5)),
        ("1__5.0", Value::Float(15.0)),
        ("1.5_", Value::Float(1.5)),
        (".5_5", Value::Float(0.55)),
        ("1.e3", Value::Float(1000.0)),
        ("1.5e-7", Value::Float(1.5e-7)),
        ("100000000000000000000.0", Value::Float(1e20)),
        // Out of range for ParseFloat: a string.
        ("1e400", s("1e400")),
        ("-1e400", s("-1e400")),
        ("0x1p3", s("0x1p3")),
        ("12e", s("12e")),
        (".", s(".")),
        (".e5", s(".e5")),
        ("2001-12-14", s("2001-12-14")),
        (
            "2001-12-14t21:59:43.10-05:00",
            s("2001-12-14t21:59:43.10-05:00"),
        ),
    ];
    for (text, want) in cases {
        assert_eq!(&one(text), want, "{text}");
    }
}

#[test]
fn infinity_and_nan_values_are_refused_like_helm() {
    // Helm: "error converting YAML to JSON: json: unsupported value: +Inf".
    for text in [".inf", ".Inf", "-.inf", "+.INF", ".nan", ".NaN"] {
        let (line, column, message) = err(&format!("a: 1\nv: {text}\n"));
        assert_eq!((line, column), (2, 4), "{text}");
        assert!(message.contains("infinity or NaN"), "{message}");
    }
}

#[test]
fn quoted_scalars_are_strings() {
    assert_eq!(one("\"1\""), s("1"));
    assert_eq!(one("'true'"), s("true"));
    assert_eq!(one("'~'"), s("~"));
    assert_eq!(one("\"a\\tb\""), s("a\tb"));
}

#[test]
fn tags_like_go_yaml_v2() {
    let cases: &[(&str, Value)] = &[
        ("!!str 1", s("1")),
        ("!!str true", s("true")),
        ("!!str", s("")),
        ("!<tag:yaml.org,2002:str> 12", s("12")),
        ("!!int \"12\"", Value::Int(12)),
        ("!!int \"0x10\"", Value::Int(16)),
        ("!!float \"1\"", Value::Float(1.0)),
        ("!!float \"1.5\"", Value::Float(1.5)),
        ("!!bool \"yes\"", Value::Bool(true)),
        ("!!bool \"true\"", Value::Bool(true)),
        ("!!null \"\"", Value::Null),
        ("!!binary aGVsbG8=", s("hello")),
        ("!!timestamp 2001-12-14", s("2001-12-14")),
        ("!foo bar", s("bar")),
        ("!foo 12", s("12")),
        ("! 12", s("12")),
    ];
    for (text, want) in cases {
        assert_eq!(&one(text), want, "{text}");
    }
    let m = |pairs: &[(&str, Value)]| {
        Value::from(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<Map>(),
        )
    };
    assert_eq!(one("!!map {x: 1}"), m(&[("x", Value::Int(1))]));
    assert_eq!(one("!foo {x: 1}"), m(&[("x", Value::Int(1))]));
    assert_eq!(one("!!seq [1]"), Value::List(vec![Value::Int(1)]));
    assert_eq!(one("!!python/tuple [1]"), Value::List(vec![Value::Int(1)]));
}

#[test]
fn tag_mismatches_are_errors() {
    let cases = [
        ("v: !!int 1.5\n", "cannot decode !!float `1.5` as a !!int"),
        ("v: !!int \"abc\"\n", "cannot decode !!str `abc` as a !!int"),
        ("v: !!null \"x\"\n", "cannot decode !!str `x` as a !!null"),
        ("v: !!bool 1\n", "cannot decode !!int `1` as a !!bool"),
        ("v: !!float 18446744073709551615\n", "cannot decode !!int"),
        ("v: !!timestamp 12\n", "as a !!timestamp"),
        ("v: !!binary \"not base64!\"\n", "invalid base64"),
    ];
    for (text, want) in cases {
        let (line, column, message) = err(text);
        assert_eq!((line, column), (1, 4), "{text}");
        assert!(message.contains(want), "{text}: {message}");
    }
}

#[test]
fn keys_convert_like_sigs_k8s_yaml() {
    let text = "on: 1\nyes: 2\n1.5: 4\n0777: 5\n0x1F: 6\n1e5: 7\n3.14159265358979: 8\n\
                .inf: 9\n2001-12-14: 10\n-0: 12\n0.1: 13\n1e21: 14\n!!binary aGk=: 15\n\
                1_000: 17\n08: 18\ny: 19\n-.inf: 20\n1.0: 21\n";
    let Value::Map(m) = parse(text, "t.yaml").unwrap() else {
        panic!()
    };
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "true",
            "1.5",
            "511",
            "31",
            "100000",
            "3.1415927",
            ".inf",
            "2001-12-14",
            "0",
            "0.1",
            "1e+21",
            "hi",
            "1000",
            "8",
            "-.inf",
            "1"
        ]
    );
    // `on`, `yes` and `y` are all the boolean key true: the last one wins.
    assert_eq!(m["true"], Value::Int(19));
}

#[test]
fn unsupported_keys_are_errors() {
    let cases = [
        ("~: 1\n", (1, 1), "null map key"),
        ("a: 1\nnull: 1\n", (2, 1), "null map key"),
        (
            "9223372036854775808: 1\n",
            (1, 1),
            "above 9223372036854775807",
        ),
        ("[1]: 1\n", (1, 1), "map or list used as a map key"),
        ("{a: 1}: 1\n", (1, 1), "map or list used as a map key"),
        ("? [a, b]\n: 1\n", (1, 3), "map or list used as a map key"),
        (
            "a: &l [1]\n*l : 2\n",
            (2, 1),
            "map or list used as a map key",
        ),
    ];
    for (text, at, want) in cases {
        let (line, column, message) = err(text);
        assert_eq!((line, column), at, "{text}");
        assert!(message.contains(want), "{text}: {message}");
    }
}

#[test]
fn duplicate_keys_last_wins_without_merging() {
    let v = parse("a: 1\na: 2\nb: {x: 1}\nb: {z: 2}\n", "t.yaml").unwrap();
    assert_eq!(v.lookup("a"), Some(&Value::Int(2)));
    assert_eq!(v.lookup("b.x"), None);
    assert_eq!(v.lookup("b.z"), Some(&Value::Int(2)));
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let v = parse(
        "base: &b {x: 1, z: 2}\nm:\n  <<: *b\n  z: 3\nl: [*b, *b]\n",
        "t.yaml",
    )
    .unwrap();
    assert_eq!(v.lookup("m.x"), Some(&Value::Int(1)));
    assert_eq!(v.lookup("m.z"), Some(&Value::Int(3)));
    assert_eq!(
        v.lookup("l").and_then(|l| if let Value::List(l) = l {
            Some(l.len())
        } else {
            None
        }),
        Some(2)
    );
    // A list of maps: earlier maps win over later ones.
    let v = parse(
        "b1: &b1 {x: 1, w: 1}\nb2: &b2 {x: 2, z: 2}\nm:\n  <<: [*b1, *b2]\n",
        "t.yaml",
    )
    .unwrap();
    assert_eq!(v.lookup("m.x"), Some(&Value::Int(1)));
    assert_eq!(v.lookup("m.z"), Some(&Value::Int(2)));
    // Document order against explicit keys: `<<` after `x` overwrites it.
    let v = parse("b1: &b1 {x: 1}\nm:\n  x: 0\n  <<: *b1\n", "t.yaml").unwrap();
    assert_eq!(v.lookup("m.x"), Some(&Value::Int(1)));
    // A quoted `<<` is an ordinary key.
    let v = parse("m:\n  \"<<\": {x: 1}\n", "t.yaml").unwrap();
    assert_eq!(v.get_path(["m", "<<", "x"]), Some(&Value::Int(1)));
    // Scalar anchors and an inline merge map.
    let v = parse("a: &n 5\nb: *n\nm: {<<: {k: v}}\n", "t.yaml").unwrap();
    assert_eq!(v.lookup("b"), Some(&Value::Int(5)));
    assert_eq!(v.lookup("m.k"), Some(&s("v")));
}

#[test]
fn bad_merges_and_unknown_aliases_are_errors() {
    for (text, at, want) in [
        ("m:\n  <<: 5\n", (2, 7), "merge key `<<` needs a map"),
        ("m:\n  <<: [1]\n", (2, 7), "merge key `<<` needs a map"),
        ("a: &x 1\nb: *x\nc: *y\n", (3, 4), "unknown anchor"),
    ] {
        let (line, column, message) = err(text);
        assert_eq!((line, column), at, "{text}");
        assert!(message.contains(want), "{text}: {message}");
    }
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let (line, column, message) = err("a: 1\n b: 2\n");
    assert_eq!((line, column), (2, 3));
    assert!(
        message.contains("mapping values are not allowed"),
        "{message}"
    );
    let (line, _, message) = err("a: [1, 2\n");
    assert_eq!(line, 2);
    assert!(message.contains("fix the YAML syntax"), "{message}");
    // Helm: "line 2: found character that cannot start any token".
    let (line, column, _) = err("a:\n\tb: 1\n");
    assert_eq!((line, column), (2, 2));
}

#[test]
fn parse_reads_the_first_document_only() {
    assert_eq!(parse("", "t.yaml").unwrap(), Value::Null);
    assert_eq!(parse("# just a comment\n", "t.yaml").unwrap(), Value::Null);
    assert_eq!(
        parse("- 1\n", "t.yaml").unwrap(),
        Value::List(vec![Value::Int(1)])
    );
    assert_eq!(parse("'x'", "t.yaml").unwrap(), s("x"));
    let v = parse("a: 1\n---\nb: 2\n--- [\n", "t.yaml").unwrap();
    assert_eq!(v.lookup("a"), Some(&Value::Int(1)));
    assert_eq!(v.lookup("b"), None);
}

#[test]
fn parse_values_merges_documents_like_helm_load_values() {
    // (Not `x`/`y` as keys: `y` is the boolean true, so the key "true".)
    let m = parse_values("a: {p: 1, q: 1}\n---\na: {q: 2}\nc: 3\n", "v.yaml").unwrap();
    let v = Value::Map(Box::new(m));
    assert_eq!(v.lookup("a.p"), Some(&Value::Int(1)));
    assert_eq!(v.lookup("a.q"), Some(&Value::Int(2)));
    assert_eq!(v.lookup("c"), Some(&Value::Int(3)));
    // Empty, null and comment-only documents add nothing.
    for text in [
        "",
        "~\n",
        "# c\n",
        "---\n---\n",
        "a: 1\n---\n",
        "---\na: 1\n---\n",
    ] {
        let m = parse_values(text, "v.yaml").unwrap();
        assert!(
            m.is_empty() || m.get("a") == Some(&Value::Int(1)),
            "{text:?}"
        );
    }
    // `...` ends the document; go-yaml never reads what follows.
    let m = parse_values("a: 1\n...\nb: 2\n", "v.yaml").unwrap();
    assert_eq!(m.get("b"), None);
    // A comment may follow the separator.
    let m = parse_values("a: 1\n--- # c\nb: 2\n", "v.yaml").unwrap();
    assert_eq!(m.get("b"), Some(&Value::Int(2)));
}

#[test]
fn parse_values_errors() {
    let cases = [
        (
            "a: 1\n---\n- 1\n",
            (3, 1),
            "must be a map of keys to values, but this one is a list",
        ),
        ("\"str\"\n", (1, 1), "but this one is a string"),
        (
            "a: 1\n---x\nb: 2\n",
            (2, 4),
            "invalid document separator `---x`",
        ),
        // The split is line based: `---` inside a block scalar ends the
        // document, and the rest (`  y`) is the boolean true.
        ("a: |\n  x\n---\n  y\n", (4, 3), "but this one is a bool"),
        ("a: 1\n---\nb: [\n", (4, 1), "fix the YAML syntax"),
    ];
    for (text, at, want) in cases {
        match parse_values(text, "v.yaml") {
            Err(Error::Yaml {
                line,
                column,
                message,
                ..
            }) => {
                assert_eq!((line, column), at, "{text:?}: {message}");
                assert!(message.contains(want), "{text:?}: {message}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn parse_all_returns_every_document() {
    let docs = parse_all("a: 1\n---\n# nothing\n---\n---\n- x\n", "c.yaml").unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[1], Value::Null);
    assert_eq!(docs[2], Value::List(vec![s("x")]));
    assert!(parse_all("", "c.yaml").unwrap().is_empty());
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*l{}", i - 1);
        let items = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("l{i}: &l{i} [{items}]\n"));
    }
    let start = std::time::Instant::now();
    let (line, _, message) = err(&text);
    assert!(message.contains("alias bomb"), "{message}");
    assert!(line > 1 && line <= 10, "{line}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn node_and_depth_limits() {
    let limits = Limits {
        max_depth: 3,
        max_nodes: 10,
        max_alias_nodes: 2,
    };
    assert!(parse_with("a: {b: 1}\n", "t", &limits).is_ok());
    assert!(parse_with("a: {b: [1]}\n", "t", &limits).is_ok());
    let Err(Error::Yaml {
        message,
        line,
        column,
        ..
    }) = parse_with("a: {b: [[1]]}\n", "t", &limits)
    else {
        panic!()
    };
    assert!(message.contains("nested deeper than 3 levels"), "{message}");
    assert_eq!((line, column), (1, 9));
    let Err(Error::Yaml { message, .. }) =
        parse_with("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "t", &limits)
    else {
        panic!()
    };
    assert!(message.contains("more than 10 nodes"), "{message}");
    let Err(Error::Yaml { message, .. }) = parse_with("[&a [1, 2], *a]", "t", &limits) else {
        panic!()
    };
    assert!(message.contains("alias bomb"), "{message}");
    // Deep input is refused without overflowing anything: block nesting by
    // our limit, flow nesting by saphyr-parser's own (255 levels).
    let deep = "- ".repeat(100_000);
    let Err(Error::Yaml { message, .. }) = parse(&deep, "t") else {
        panic!()
    };
    assert!(message.contains("nested deeper than 1000"), "{message}");
    assert!(parse(&"- ".repeat(999), "t").is_ok());
    let Err(Error::Yaml { message, .. }) = parse(&"[".repeat(100_000), "t") else {
        panic!()
    };
    assert!(message.contains("more than 255 levels"), "{message}");
    assert!(parse(&format!("{}{}", "[".repeat(255), "]".repeat(255)), "t").is_ok());
}

#[test]
fn defaults_are_documented_numbers() {
    let d = Limits::default();
    assert_eq!(
        (d.max_depth, d.max_nodes, d.max_alias_nodes),
        (1000, 10_000_000, 1_000_000)
    );
}

#[test]
fn float_keys_use_float32_text() {
    // sigs.k8s.io/yaml: FormatFloat(key, 'g', -1, 32); 1e300 overflows
    // float32 and becomes ".inf".
    let v = parse("1e300: a\n-1e300: b\n1.5e-7: c\n123456789.0: d\n", "t.yaml").unwrap();
    let Value::Map(m) = v else { panic!() };
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(keys, [".inf", "-.inf", "1.5e-07", "1.2345679e+08"]);
}

/// Run with `cargo test --release -p rudder-values ten_megabytes -- --ignored`.
#[test]
#[ignore = "timing check, run in release"]
#[allow(clippy::print_stderr)] // Reports the timings.
fn ten_megabytes_of_values_fit_the_default_limits() {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "svc{i}:\n  enabled: yes\n  replicas: {i}\n  image: {{repository: repo/x{i}, tag: \"1.{i}\"}}\n  \
             ports: [80, 443, 0x1F]\n  env:\n  - name: A{i}\n    value: \"v\"\n  - {{name: B, value: 1.5}}\n"
        ));
        i += 1;
    }
    let start = std::time::Instant::now();
    let m = parse_values(&text, "big.yaml").unwrap();
    let parsed = start.elapsed();
    let start = std::time::Instant::now();
    let out = to_string(&Value::Map(Box::new(m.clone())));
    let emitted = start.elapsed();
    eprintln!(
        "{} keys, parse {parsed:?}, emit {emitted:?} ({} bytes)",
        m.len(),
        out.len()
    );
    assert_eq!(m.len(), i);
}

#[test]
fn a_tab_starting_a_blank_or_comment_line_is_refused_like_go_yaml() {
    for text in [
        "a: 1\n\t\nb: 2\n",
        "a: 1\n\t# c\nb: 2\n",
        "a:\n  b: 1\n\t\n  c: 2\n",
    ] {
        let err = parse_values(text, "v.yaml").expect_err(text).to_string();
        assert!(
            err.starts_with("v.yaml:") && err.contains("a tab starts this line"),
            "{err}"
        );
    }
    // Spaces before the tab, or a tab after content, are fine.
    assert!(parse_values("a: 1\n  \t\nb: 2\n", "v.yaml").is_ok());
    assert!(parse_values("a: 1 \t\nb: 2\n", "v.yaml").is_ok());
}

#[test]
fn a_last_line_of_spaces_ends_a_block_scalar_as_in_go_yaml() {
    // helm 4.1.4 on these files (tests/differential/files.cases too).
    for (text, want) in [
        ("a: |\n  x\n  ", "x\n"),
        ("a: |\n  x\n   ", "x\n \n"),
        ("a: |+\n  x\n  ", "x\n\n"),
        ("a: |-\n  x\n  ", "x"),
        ("a: >\n  x\n  y\n  ", "x y\n"),
    ] {
        let v = parse(text, "t").unwrap();
        assert_eq!(v.get_path(["a"]), Some(&Value::from(want)), "{text:?}");
    }
}

/// A block document nested `depth` levels under `a:` keys, then `pad`
/// more root keys.
fn deep_block(depth: usize, pad: usize) -> String {
    let mut text: String = (0..depth)
        .map(|level| {
            format!(
                "{}a:{}\n",
                " ".repeat(level),
                if level + 1 == depth { " 1" } else { "" }
            )
        })
        .collect();
    for i in 0..pad {
        text.push_str(&format!("pad{i}: {}\n", "x".repeat(60)));
    }
    text
}

#[test]
fn documents_as_deep_as_the_limit_read_on_a_small_thread_stack() {
    // 512 KiB is far less than such a document needs (2 MiB, 4 MiB in a
    // debug build): the reader moves to a stack segment of its own.
    let depth = Limits::default().max_depth - 2;
    let small = deep_block(depth, 0);
    let large = deep_block(depth, 40_000); // over 2 MiB: read in parts
    assert!(large.len() > 2 << 20);
    std::thread::Builder::new()
        .stack_size(512 << 10)
        .spawn(move || {
            let mut levels = 0;
            let mut v = &parse(&small, "deep.yaml").expect("fast path");
            while let Value::Map(m) = v {
                v = &m["a"];
                levels += 1;
            }
            assert_eq!(levels, depth);
            assert!(
                parse_without_fast_path(&small, "deep.yaml").is_ok(),
                "saphyr"
            );
            assert_eq!(
                parse_values(&large, "large.yaml").expect("parts").len(),
                40_001
            );
        })
        .expect("thread")
        .join()
        .expect("no overflow, no panic");
}

#[test]
fn yaml11_line_breaks_inside_scalars_read_as_go_yaml() {
    // U+2028/U+2029 stay in the value as breaks with the blanks around them
    // dropped; NEL is a `\n` (helm 4.1.4, values.yaml; see parse.rs).
    for (yaml, want) in [
        ("'\u{2028}  x'", "\u{2028}x"),
        ("'a\u{2028}\u{2028}  b'", "a\u{2028}\u{2028}b"),
        ("\"\u{2028}  x\"", "\u{2028}x"),
        ("p\u{2028}  q", "p\u{2028}q"),
        ("'a  \u{2028}b'", "a\u{2028}b"),
        ("'a\u{2028}\n  b'", "a\u{2028}\nb"),
        ("'a\u{2028}\n\n  b'", "a\u{2028}\n\nb"),
        ("a  \u{2028}  b", "a\u{2028}b"),
        ("\"a \\u2028 b\"", "a \u{2028} b"),
        ("'a\u{85} b'", "a b"),
        ("|\n  a\u{2028}  b\n  c", "a\u{2028}b\nc\n"),
    ] {
        assert_eq!(one(yaml), s(want), "{yaml:?}");
    }
}

#[test]
fn errors_after_a_yaml11_break_name_the_line_as_written() {
    let (line, _, _) = err("a: 'x\u{2028}\n  y'\nb: [\n");
    assert_eq!(line, 4);
}

/// go-yaml takes a flow collection's closing bracket at its key's column
/// (or left of it); so does the parser, with lines and values unchanged.
#[test]
fn a_flow_closer_at_the_keys_column_is_accepted_as_go_yaml_accepts_it() {
    let text =
        "a:\n  b:\n    args: [\n      \"x\",\n      \"y\"\n    ]\n  c: [\n    1\n  ]\nd: {\n}\n";
    let v = parse(text, "values.yaml").expect("go-yaml accepts this");
    assert_eq!(
        crate::yaml::to_string(&v),
        "a:\n  b:\n    args:\n    - x\n    - \"y\"\n  c:\n  - 1\nd: {}\n"
    );
    // Still an error where go-yaml has one, at the same place.
    let e = parse("a: [\n  1\nb", "values.yaml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("values.yaml:"), "{e}");
}
