//! Parse errors: Go 1.25's messages and lines, checked against Helm 4.1.4
//! (`helm template` prints them as `parse error at (NAME:LINE): MESSAGE`).

use crate::{Limits, translate};

fn known(name: &str) -> bool {
    matches!(
        name,
        "quote" | "include" | "toYaml" | "default" | "nindent" | "list"
    )
}

fn err(src: &str) -> String {
    match translate("c/templates/x.yaml", src, &known, &Limits::default()) {
        Ok(t) => panic!("{src:?} translated: {}", t.main.source),
        Err(e) => e.to_string(),
    }
}

#[test]
fn parse_errors_read_as_go_writes_them() {
    let cases: &[(&str, &str)] = &[
        (
            "{{ if }}",
            "template: c/templates/x.yaml:1: missing value for if",
        ),
        (
            "{{ end }}",
            "template: c/templates/x.yaml:1: unexpected {{end}}",
        ),
        (
            "{{ else }}",
            "template: c/templates/x.yaml:1: unexpected {{else}}",
        ),
        (
            "a\n{{ foo 1 }}",
            "template: c/templates/x.yaml:2: function \"foo\" not defined",
        ),
        (
            "{{ $x }}",
            "template: c/templates/x.yaml:1: undefined variable \"$x\"",
        ),
        (
            "{{ if 1 }}\nx",
            "template: c/templates/x.yaml:2: unexpected EOF",
        ),
        (
            "{{ break }}",
            "template: c/templates/x.yaml:1: {{break}} outside {{range}}",
        ),
        (
            "{{ range . }}{{ else }}{{ continue }}{{ end }}",
            "template: c/templates/x.yaml:1: {{continue}} outside {{range}}",
        ),
        (
            "{{ 1 | 2 }}",
            "template: c/templates/x.yaml:1: non executable command in pipeline stage 2",
        ),
        (
            "{{ \"a\".b }}",
            "template: c/templates/x.yaml:1: unexpected . after term \"\\\"a\\\"\"",
        ),
        ("{{ .a", "template: c/templates/x.yaml:1: unclosed action"),
        (
            "{{ (.a }}",
            "template: c/templates/x.yaml:1: unclosed left paren",
        ),
        (
            "{{ .a) }}",
            "template: c/templates/x.yaml:1: unexpected right paren",
        ),
        (
            "{{ \"abc }}",
            "template: c/templates/x.yaml:1: unterminated quoted string",
        ),
        (
            "{{/* x }}",
            "template: c/templates/x.yaml:1: unclosed comment",
        ),
        (
            "{{ 3x }}",
            "template: c/templates/x.yaml:1: bad number syntax: \"3x\"",
        ),
        (
            "{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}",
            "template: c/templates/x.yaml:1: template: multiple definition of template \"a\"",
        ),
        (
            "{{ template x }}",
            "template: c/templates/x.yaml:1: unexpected \"x\" in template clause",
        ),
        (
            "{{ $x, $y := list }}",
            "template: c/templates/x.yaml:1: too many declarations in command",
        ),
        (
            "{{ range $a, $b, $c := list }}{{ end }}",
            "template: c/templates/x.yaml:1: too many declarations in range",
        ),
        (
            "{{ with $x := 1 }}{{ end }}{{ $x }}",
            "template: c/templates/x.yaml:1: undefined variable \"$x\"",
        ),
        (
            "{{ if 1 }}{{ else }}{{ else }}{{ end }}",
            "template: c/templates/x.yaml:1: expected end; found {{else}}",
        ),
        (
            "{{ define \"x\" }}{{ if 1 }}{{ end }}",
            "template: c/templates/x.yaml:1: unexpected EOF",
        ),
        (
            "{{ 99999999999999999999 }}",
            "template: c/templates/x.yaml:1: integer overflow: \"99999999999999999999\"",
        ),
    ];
    let mut failures = Vec::new();
    for (src, want) in cases {
        let got = err(src);
        if got != *want {
            failures.push(format!("{src:?}\n  want {want}\n   got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let src = "{{ if 1 }}".repeat(100_000);
    let e = err(&src);
    assert!(e.contains("nest more than 200 levels"), "{e}");
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(err(&parens).contains("nest more than 200 levels"));
}

#[test]
fn oversized_source_is_refused() {
    let limits = Limits {
        max_source_bytes: 10,
        ..Limits::default()
    };
    let e = translate("x", "0123456789ab", &known, &limits).unwrap_err();
    assert_eq!(
        e.to_string(),
        "template: x: the template is 12 bytes, more than rudder's limit of 10"
    );
}
