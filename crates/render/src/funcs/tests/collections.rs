//! Dicts, lists, encoding, semver, random draws, errors and regexes.

use super::*;

#[test]
pub(super) fn dicts() {
    check(&[
        (r#"{{ dict("a", 1, "b", "x") }}"#, "map[a:1 b:x]"),
        (r#"{{ dict("a") }}|{{ dict(1, 2) }}"#, "map[a:]|map[1:2]"),
        (r#"{{ dict("b", 1, "a", 2) | toJson }}"#, r#"{"a":2,"b":1}"#),
        (r#"{{ dict(a=1) }}"#, "map[a:1]"),
        (
            r#"{{ dict("a", 1) | get("a") }}|{{ dict("a", 1) | get("z") }}"#,
            "1|",
        ),
        (r#"{{ dict("a", 1) | set("b", 2) }}"#, "map[a:1 b:2]"),
        (r#"{{ dict("a", 1) | set("a", none) }}"#, "map[a:<nil>]"),
        (r#"{{ dict("a", 1, "b", 2) | unset("a") }}"#, "map[b:2]"),
        (
            r#"{{ dict("a", 1) | hasKey("a") }} {{ dict("a", 1) | hasKey("b") }} {{ none | hasKey("a") }}"#,
            "true false false",
        ),
        (r#"{{ dict("b", 1, "a", 2) | keys | sortAlpha }}"#, "[a b]"),
        (
            r#"{{ dict("b", 1, "a", 2) | keys(dict("c", 3)) | sortAlpha }}"#,
            "[a b c]",
        ),
        (r#"{{ keys(dict()) }}"#, "[]"),
        (
            r#"{{ dict("b", 1, "a", 2) | values | sortAlpha }}"#,
            "[1 2]",
        ),
        (
            r#"{{ dict("a", 1, "b", 2, "c", 3) | pick("a", "c", "z") }}"#,
            "map[a:1 c:3]",
        ),
        (r#"{{ dict("a", 1) | pick }}"#, "map[]"),
        (
            r#"{{ dict("a", 1, "b", 2, "c", 3) | omit("a", "z") }}"#,
            "map[b:2 c:3]",
        ),
        (
            r#"{{ dict("a", 1, "n", dict("x", 1)) | merge(dict("a", 2, "b", 3, "n", dict("x", 2, "y", 3))) }}"#,
            "map[a:1 b:3 n:map[x:1 y:3]]",
        ),
        (
            r#"{{ dict("a", 1, "n", dict("x", 1)) | mergeOverwrite(dict("a", 2, "b", 3, "n", dict("x", 2, "y", 3))) }}"#,
            "map[a:2 b:3 n:map[x:2 y:3]]",
        ),
        (r#"{{ dict("a", "") | merge(dict("a", "x")) }}"#, "map[a:x]"),
        (
            r#"{{ dict("a", none) | merge(dict("a", "x")) }}"#,
            "map[a:x]",
        ),
        (r#"{{ dict("a", 0) | merge(dict("a", 5)) }}"#, "map[a:5]"),
        (
            r#"{{ dict("a", false) | merge(dict("a", true)) }}"#,
            "map[a:true]",
        ),
        (
            r#"{{ dict("a", 1) | mergeOverwrite(dict("a", "")) }}"#,
            "map[a:]",
        ),
        (
            r#"{{ dict("a", 1) | mergeOverwrite(dict("a", none)) }}"#,
            "map[a:<nil>]",
        ),
        (
            r#"{{ dict("a", 1, "l", list(1, 2)) | mergeOverwrite(dict("l", list(3))) }}"#,
            "map[a:1 l:[3]]",
        ),
        (
            r#"{{ dict("a", 1) | merge(dict("a", 2), dict("b", 3)) }}"#,
            "map[a:1 b:3]",
        ),
        (
            r#"{{ dict("n", dict("x", 1)) | mergeOverwrite(dict("n", dict())) }}"#,
            "map[n:map[x:1]]",
        ),
        (
            r#"{{ dict("n", dict("x", 1)) | mergeOverwrite(dict("n", "s")) }}"#,
            "map[n:s]",
        ),
        (
            r#"{{ dict("n", "s") | mergeOverwrite(dict("n", dict("x", 1))) }}"#,
            "map[n:map[x:1]]",
        ),
        (
            r#"{{ dict("n", "s") | merge(dict("n", dict("x", 1))) }}"#,
            "map[n:s]",
        ),
        (
            r#"{{ dict("n", dict("x", 1)) | merge(dict("n", "s")) }}"#,
            "map[n:map[x:1]]",
        ),
        (
            r#"{{ dict("n", list()) | merge(dict("n", list(1))) }}"#,
            "map[n:[1]]",
        ),
        (
            r#"{{ dict("n", none) | merge(dict("n", dict("x", 1))) }}"#,
            "map[n:map[x:1]]",
        ),
        (
            r#"{{ dict("n", dict("x", 1, "y", 2)) | mergeOverwrite(dict("n", dict("x", none))) }}"#,
            "map[n:map[x:<nil> y:2]]",
        ),
        (
            r#"{{ dict("a", 1) | mergeOverwrite(dict("a", 0)) }}"#,
            "map[a:0]",
        ),
        // Go maps are references: set/merge change the dict in place.
        (
            r#"{% set d = dict("a", 1) %}{% set _ = d | merge(dict("b", 2)) %}{{ d }}"#,
            "map[a:1 b:2]",
        ),
        (
            r#"{% set d = dict("a", 1) %}{% set _ = d | set("b", 2) %}{{ d }}"#,
            "map[a:1 b:2]",
        ),
        (
            r#"{% set d = dict("a", 1) %}{% set e = d | deepCopy %}{% set _ = e | set("b", 2) %}{{ d }} {{ e }}"#,
            "map[a:1] map[a:1 b:2]",
        ),
        (r#"{{ list(1, dict("a", 2)) | deepCopy }}"#, "[1 map[a:2]]"),
        (
            r#"{{ dict("a", dict("b", 1)) | dig("a", "b", "def") }}"#,
            "1",
        ),
        (
            r#"{{ dict("a", dict("b", 1)) | dig("a", "c", "def") }}"#,
            "def",
        ),
        // An immutable context map is copied, not changed.
        (
            r#"{{ Values.m | set("c", 3) }} {{ Values.m }}"#,
            "map[a:1 b:2 c:3] map[a:1 b:2]",
        ),
    ]);
}

#[test]
pub(super) fn lists() {
    check(&[
        (r#"{{ list(1, "a", none) }}"#, "[1 a <nil>]"),
        (r#"{{ "x" | list }}"#, "[x]"),
        (
            r#"{{ list(1, 2) | append(3) }} {{ list(1, 2) | prepend(0) }}"#,
            "[1 2 3] [0 1 2]",
        ),
        (r#"{{ list(1) | concat(list(2, 3), list()) }}"#, "[1 2 3]"),
        (
            r#"{{ list(1, 2) | first }}|{{ list() | first }}|{{ list(1, 2) | last }}|{{ list() | last }}"#,
            "1||2|",
        ),
        (r#"{{ list(3, 1, 3, 2, 1, "1") | uniq }}"#, "[3 1 2 1]"),
        (r#"{{ list(list(1), list(1)) | uniq }}"#, "[[1]]"),
        (
            r#"{{ list(1, 2) | has(2) }} {{ list(1, 2) | has("2") }} {{ list(1, 2) | has(1.0) }} {{ none | has(1) }}"#,
            "true false false false",
        ),
        (
            r#"{{ list(1, 2, 3, 2) | without(2) }} {{ list(1, 2, 3) | without(1, 3) }}"#,
            "[1 3] [2]",
        ),
        (
            r#"{{ list(1, "", none, 0, false, "a", list()) | compact }}"#,
            "[1 a]",
        ),
        (
            r#"{{ until(5) }} {{ until(0) }} {{ until(-3) }}"#,
            "[0 1 2 3 4] [] [0 -1 -2]",
        ),
        (
            r#"{{ untilStep(0, 10, 3) }} {{ untilStep(10, 0, -3) }}"#,
            "[0 3 6 9] [10 7 4 1]",
        ),
        (
            r#"{{ untilStep(0, 10, -1) }} {{ untilStep(0, 10, 0) }} {{ untilStep(3, 3, 1) }}"#,
            "[] [] []",
        ),
        (
            r#"{{ list(1, 2, 3) | rest }} {{ list() | rest }} {{ list(1, 2, 3) | initial }} {{ list() | initial }}"#,
            "[2 3] [] [1 2] []",
        ),
        (r#"{{ list(1, 2, 3) | reverse }}"#, "[3 2 1]"),
        (
            r#"{{ list("b", "a", "C", 10, 2) | sortAlpha }}"#,
            "[10 2 C a b]",
        ),
        (r#"{{ none | sortAlpha }}"#, "[<nil>]"),
    ]);
}

#[test]
pub(super) fn encoding() {
    check(&[
        (
            r#"{{ "hello world" | b64enc }}|{{ "" | b64enc }}"#,
            "aGVsbG8gd29ybGQ=|",
        ),
        (r#"{{ "aGVsbG8gd29ybGQ=" | b64dec }}"#, "hello world"),
        (
            r#"{{ "aGVsbG8gd29ybGQ" | b64dec }}"#,
            "illegal base64 data at input byte 12",
        ),
        (
            r#"{{ "!!!" | b64dec }}"#,
            "illegal base64 data at input byte 0",
        ),
        (
            r#"{{ "aGk=" | b64dec | toString }} {{ "aGk=" | b64dec | kindOf }}"#,
            "hi string",
        ),
        (
            r#"{{ "hello" | sha256sum }}"#,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        ),
        (
            r#"{{ "hello" | sha1sum }}"#,
            "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
        ),
        (
            r#"{{ "hello" | sha512sum }}"#,
            "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
        ),
        (
            r#"{{ "hello" | adler32sum }} {{ "" | adler32sum }}"#,
            "103547413 1",
        ),
        (
            r#"{{ dict("b", 1, "a", list(1, 2.5, "x", none, true), "c", dict()) | toJson }}"#,
            r#"{"a":[1,2.5,"x",null,true],"b":1,"c":{}}"#,
        ),
        (r#"{{ "a<b>&" | toJson }}"#, r#""a\u003cb\u003e\u0026""#),
        (
            r#"{{ none | toJson }} {{ Values.missing | toJson }} {{ 1.0 | toJson }}"#,
            "null null 1",
        ),
        (
            r#"{{ 1e21 | toJson }} {{ 1e20 | toJson }}"#,
            "1e+21 100000000000000000000",
        ),
        (
            r#"{{ 0.0000001 | toJson }} {{ 0.000001 | toJson }} {{ 3.14 | toJson }}"#,
            "1e-7 0.000001 3.14",
        ),
        (r#"{{ Values.m | toJson }}"#, r#"{"a":1,"b":2}"#),
        ("{{ 'é\u{2028}\t\n' | toJson }}", r#""é\u2028\t\n""#),
        ("{{ '\u{7f}\u{0}' | toJson }}", "\"\u{7f}\\u0000\""),
        (
            r#"{{ list() | toJson }} {{ dict() | toJson }} {{ 12345678901 | toJson }}"#,
            "[] {} 12345678901",
        ),
        (
            r#"{{ 100000000.0 | toJson }} {{ -0.0 | toJson }}"#,
            "100000000 -0",
        ),
        (
            r#"{{ dict("b", 1, "a", list(1, 2), "c", dict(), "d", list()) | toPrettyJson }}"#,
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": 1,\n  \"c\": {},\n  \"d\": []\n}",
        ),
        (
            r#"{{ dict("a", dict("b", list(dict("c", 1)))) | toPrettyJson }}"#,
            "{\n  \"a\": {\n    \"b\": [\n      {\n        \"c\": 1\n      }\n    ]\n  }\n}",
        ),
        (
            r#"{{ "x" | toPrettyJson }} {{ list() | toPrettyJson }}"#,
            "\"x\" []",
        ),
        (r#"{{ dict("a", "<b>&") | toRawJson }}"#, r#"{"a":"<b>&"}"#),
        (r#"{{ semver("1.2.3") | toJson }}"#, r#""1.2.3""#),
        (
            r#"{{ '{"b":1,"a":[1,2.5,"x"]}' | fromJson }}"#,
            "map[a:[1 2.5 x] b:1]",
        ),
        (r#"{{ '{"a":1}' | fromJson | toJson }}"#, r#"{"a":1}"#),
        (r#"{{ '{"a":1e3}' | fromJson }}"#, "map[a:1000]"),
        (r#"{{ ("not json" | fromJson).Error is string }}"#, "true"),
        (r#"{{ ("[1,2]" | fromJson).Error is string }}"#, "true"),
        (r#"{{ "[1,2]" | fromJsonArray }}"#, "[1 2]"),
    ]);
}

#[test]
pub(super) fn semver() {
    let cases: &[(&str, &str, bool)] = &[
        (">=1.19", "1.20.0", true),
        (">=1.19", "v1.20.0", true),
        (">=1.19", "1.19.0-gke.1", false),
        (">=1.19-0", "1.19.0-gke.1", true),
        (">=1.19.0-0", "1.19.0-gke.1", true),
        (">=1.19.0-0", "v1.28.3+k3s1", true),
        (">=1.19.0-0", "v1.18.3-eks-1", false),
        ("<1.19.0-0", "v1.18.3-eks-1", true),
        ("^1.2", "1.9.0", true),
        ("^1.2", "2.0.0", false),
        ("^0.2.3", "0.2.9", true),
        ("^0.2.3", "0.3.0", false),
        ("^0.0.3", "0.0.4", false),
        ("~1.2.3", "1.2.9", true),
        ("~1.2.3", "1.3.0", false),
        ("~1", "1.9.0", true),
        ("~1.2", "1.2.7", true),
        ("1.2.x", "1.2.7", true),
        ("1.2.x", "1.3.0", false),
        ("1.2", "1.2.0", true),
        ("1.2", "1.2.5", true),
        ("=1.2.3", "1.2.3", true),
        ("!=1.2.3", "1.2.3", false),
        ("*", "1.2.3", true),
        ("*", "1.2.3-beta", false),
        (">1.2.3", "1.2.4-alpha", false),
        (">1.2.3-alpha", "1.2.3-beta", true),
        (">=1.2, <2", "1.5.0", true),
        (">=1.2 <2", "2.5.0", false),
        ("<1.0 || >=2.0", "2.5.0", true),
        ("<1.0 || >=2.0", "1.5.0", false),
        ("1.2 - 1.4", "1.4.9", true),
        ("1.2 - 1.4.0", "1.4.1", false),
        (">= 1.19", "1.20.1", true),
        ("x", "1.20.1", true),
        ("~> 1.2", "1.5.1", false),
        ("<=1.2", "1.2.5", true),
        ("<1.2", "1.1.9", true),
        (">1.2", "1.2.5", false),
        (">1.2.0", "1.2.1", true),
        ("=1.2", "1.2.5", true),
        (">=1.19", "1.20", true),
        (">=1.19", "1", false),
        ("^1.2.3-beta.2", "1.2.3-beta.4", true),
        ("^1.2.3-beta.2", "1.2.4-beta.1", true),
        (">=v1.19", "1.20.0", true),
        ("<1.19.0-0", "1.18.0", true),
        ("^1.x", "1.5.0", true),
        ("~0", "0.5.0", true),
        ("^0", "0.5.0", true),
        ("^0", "1.5.0", false),
        ("^0.0", "0.0.5", true),
        ("^0.0", "0.1.0", false),
        (">=1.19.0", "1.19.0-0", false),
        ("1.2.3", "1.2.3+build", true),
        (">=1.0.0-alpha.1", "1.0.0-alpha.beta", true),
        (">1.0.0-alpha.10", "1.0.0-alpha.9", false),
        ("<=1.2.x", "1.2.9", true),
        (">1.2.x", "1.3.0", true),
        ("<1.2.x", "1.1.9", true),
        ("<1.2.x", "1.2.0", false),
        (">=1.2.3,<=1.2.3", "1.2.3", true),
        ("1.2.3 - 1.2.5", "1.2.5", true),
        ("^1.2.3", "1.2.3", true),
        ("1.2.3-rc.1", "1.2.3-rc.1", true),
        ("01.2.3", "1.2.3", true),
        (">=1.2.3", "01.2.3", true),
        ("~1.2.3-beta", "1.2.4", true),
        ("~1.2.3-beta", "1.2.3-beta.2", true),
        ("1.x.x", "1.5.0", true),
        ("1.*", "1.5.0", true),
        ("=1.x", "2.5.0", false),
        ("!=1.x", "2.5.0", true),
        ("!=1.x", "1.5.0", false),
        ("!=1.2.3", "1.2.4-beta", false),
        (">=1.19.0-a", "1.19.0-0", false),
        ("<2.0.0", "2.0.0-beta", false),
        ("<2.0.0", "1.9.0-beta", false),
        (">=1.0.0", "1.02.3", true),
        (">= 1.0.0 , < 2", "1.2.3", true),
        (">=1.0.0-beta.2", "1.0.0-beta.11", true),
        (">=1.0.0-beta", "1.0.0-beta.1", true),
        (">=1.0.0-1", "1.0.0-beta", true),
        ("<1.0.0-beta", "1.0.0-1", true),
        ("^1.2.3", "1.2.3+meta", true),
        (">=1.19.0-0", "1.19.0", true),
        ("<=1.2.3-beta", "1.2.3-alpha", true),
        (">1.x", "2.0.0", true),
        (">1.x", "1.9.0", false),
        ("<=1.x", "1.9.0", true),
        ("<=1.x", "2.0.0", false),
        ("~1.2.3", "1.2.2", false),
        ("~0.0.0", "5.0.0", true),
        (">=1.2.3-0 <1.3.0-0", "1.2.9-rc1", true),
        ("^1.2.3-0", "1.9.0-rc1", true),
    ];
    let env = env();
    let mut failures = Vec::new();
    for (c, v, want) in cases {
        let got = env.render_str("{{ v | semverCompare(c) }}", context! { v => *v, c => *c });
        if got.as_deref().ok() != Some(if *want { "true" } else { "false" }) {
            failures.push(format!(
                "semverCompare {c:?} {v:?}: want {want}, got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    check(&[
        (
            r#"{% set v = semver("1.2.3-beta.1+b5") %}{{ v.Major }} {{ v.Minor }} {{ v.Patch }} {{ v.Prerelease }} {{ v.Metadata }}"#,
            "1 2 3 beta.1 b5",
        ),
        (
            r#"{{ semver("v1.2").Original }} {{ semver("v1.2") }} {{ semver("v1.2.3-beta+m") }}"#,
            "v1.2 1.2.0 1.2.3-beta+m",
        ),
        (r#"{{ semver("1.2.3").Compare(semver("1.3.0")) }}"#, "-1"),
    ]);
}

#[test]
pub(super) fn random_is_seeded() {
    let render_with = |seed| {
        let env = crate::funcs::testing::env(Rng::new(Some(seed)), Clock::new(None));
        env.render_str(
            "{{ randAlphaNum(12) }} {{ randAlpha(5) }} {{ randNumeric(5) }} {{ randAscii(8) }} {{ uuidv4() }}",
            (),
        )
        .unwrap_or_default()
    };
    let a = render_with(1);
    assert_eq!(a, render_with(1), "same seed, same output");
    assert_ne!(a, render_with(2));
    let parts: Vec<&str> = a.splitn(5, ' ').collect();
    assert_eq!(parts.len(), 5, "{a}");
    assert!(parts[0].len() == 12 && parts[0].bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(parts[1].len() == 5 && parts[1].bytes().all(|b| b.is_ascii_alphabetic()));
    assert!(parts[2].len() == 5 && parts[2].bytes().all(|b| b.is_ascii_digit()));
    let uuid = a.rsplit(' ').next().unwrap_or_default();
    assert_eq!(uuid.len(), 36);
    assert_eq!(uuid.as_bytes()[14], b'4', "version 4: {uuid}");
    assert!(
        matches!(uuid.as_bytes()[19], b'8' | b'9' | b'a' | b'b'),
        "variant: {uuid}"
    );
    let env = env();
    assert_eq!(
        render(&env, "{{ randAlphaNum(0) }}|{{ randAlpha(-1) }}")
            .ok()
            .as_deref(),
        Some("|")
    );
}

#[test]
pub(super) fn errors() {
    check_errors(&[
        (r#"{{ none | trim }}"#, "trim: expected a string"),
        (r#"{{ 1 | upper }}"#, "upper: expected a string, got 1"),
        (
            r#"{{ none | contains("a") }}"#,
            "contains: expected a string",
        ),
        (
            r#"{{ "abc" | trunc("2") }}"#,
            r#"trunc: expected an integer length, got "2""#,
        ),
        (
            r#"{{ "abc" | trunc(2.5) }}"#,
            "trunc: expected an integer length, got 2.5",
        ),
        (
            r#"{{ "ab" | repeat(-1) }}"#,
            "repeat: negative repeat count",
        ),
        (r#"{{ "a" | indent(-2) }}"#, "indent: negative indent width"),
        (
            r#"{{ "a" | regexFind("(") }}"#,
            "regexFind: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`",
        ),
        (
            r#"{{ "a" | regexReplaceAll("a)", "b") }}"#,
            "regexReplaceAll: regexp: Compile(`a)`): error parsing regexp: unexpected ): `a)`",
        ),
        (
            r#"{{ "a" | mustRegexFind("a**") }}"#,
            "mustRegexFind: error parsing regexp: invalid nested repetition operator: `**`",
        ),
        (
            r#"{{ "a" | mustRegexFind("*a") }}"#,
            "mustRegexFind: error parsing regexp: missing argument to repetition operator: `*`",
        ),
        (r#"{{ none | first }}"#, "first: expected a list, got nil"),
        (
            r#"{{ "abc" | first }}"#,
            "first: Cannot find first on type string",
        ),
        (
            r#"{{ none | append(1) }}"#,
            "append: expected a list, got nil",
        ),
        (
            r#"{{ list(1) | concat(2) }}"#,
            "concat: Cannot concat type int as list",
        ),
        (r#"{{ none | uniq }}"#, "uniq: expected a list"),
        (
            r#"{{ dict("a", 1) | get(1) }}"#,
            "get: expected a string key",
        ),
        (
            r#"{{ none | ternary("a", "b") }}"#,
            "ternary: expected a bool condition, got nil",
        ),
        (
            r#"{{ "abc" | semverCompare(">=1.19") }}"#,
            "semverCompare: invalid semantic version",
        ),
        (
            r#"{{ "1.0.0" | semverCompare("abc") }}"#,
            "semverCompare: improper constraint: abc",
        ),
        (
            r#"{{ "1.2.3" | semverCompare("") }}"#,
            "improper constraint",
        ),
        (
            r#"{{ "1.2.3" | semverCompare(">=1.0.0 || ") }}"#,
            "improper constraint",
        ),
        (
            r#"{{ "1.2.3.4" | semverCompare(">=1.2.3") }}"#,
            "invalid semantic version",
        ),
        (
            r#"{{ "1.2.3-01" | semverCompare(">=1.0.0") }}"#,
            "version segment starts with 0",
        ),
        (
            r#"{{ " 1.2.3" | semverCompare(">=1.0.0") }}"#,
            "invalid semantic version",
        ),
        (
            r#"{{ "V1.2.3" | semverCompare(">=1.0.0") }}"#,
            "invalid semantic version",
        ),
        (r#"{{ semver("abc") }}"#, "invalid semantic version"),
        (r#"{{ 12 | sha256sum }}"#, "sha256sum: expected a string"),
        (
            r#"{{ until(100000000) }}"#,
            "until: range of 100000000 items is too large",
        ),
    ]);
}

/// Kept regexes answer like fresh ones: after the cache is full, for
/// patterns too long or too large to keep, and for invalid ones.
#[test]
pub(super) fn kept_regexes_answer_like_fresh_ones() {
    let env = env();
    // `\pL` (not `\w`, which is ASCII in Go's syntax, as here).
    let big = r"^\\pL{100}$";
    // Too large to keep: compiled afresh every time.
    assert!(
        regex::RegexBuilder::new(r"^\pL{100}$")
            .size_limit(1 << 20)
            .build()
            .is_err()
    );
    for round in 0..3 {
        for i in 0..40 {
            let tpl = format!(r#"{{{{ "a{i}b" | regexMatch("^a{i}b$") }}}}"#);
            assert_eq!(render(&env, &tpl).expect("render"), "true", "{round} {i}");
        }
        let long = format!("{}x", "a?".repeat(200));
        let tpl = format!(r#"{{{{ "x" | regexFind("{long}") }}}}"#);
        assert_eq!(render(&env, &tpl).expect("render"), "x");
        let tpl = format!(r#"{{{{ "{}" | regexMatch("{big}") }}}}"#, "é".repeat(100));
        assert_eq!(render(&env, &tpl).expect("render"), "true");
        let err = render(&env, r#"{{ "a" | regexFind("(") }}"#).expect_err("invalid");
        assert!(
            err.to_string().contains("regexFind: regexp: Compile(`(`)"),
            "{err}"
        );
    }
}
