//! The helpers with a bare minijinja environment: Go templates translated
//! by rudder-gotmpl and rendered here give the bytes Helm 4.1.4 gives
//! (expectations recorded from `helm template` with the values below, in a
//! define, so `<no value>` is not yet removed).

use minijinja::Environment;
use minijinja::value::Value;
use rudder_gotmpl::{Limits, translate};

use super::register;

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_formatter(|out, _state, value| {
        if value.is_none() || value.is_undefined() {
            out.write_str("<no value>")?;
        } else if let Some(s) = value.as_str() {
            out.write_str(s)?;
        } else {
            out.write_str(&crate::funcs::gofmt::format_value(value))?;
        }
        Ok(())
    });
    register(&mut env, false);
    env
}

/// Helm's view of the chart's values (numbers from a values file are
/// float64) and a `.Release`.
fn root() -> Value {
    let values = serde_json::json!({
        "str": "hello", "num": 80.0, "big": 1000000.0, "flt": 1.5, "nul": null,
        "empty": "", "list": [1.0, "two", null, 3.5],
        "map": {"b": 2.0, "a": "one", "c": {"d": true}},
        "emptymap": {}, "emptylist": [],
        "nested": {"x": {"true": {"z": "deep"}}},
    });
    Value::from(minijinja::value::Serde(serde_json::json!({
        "Values": values,
        "Release": {"Name": "release-name", "Namespace": "default"},
    })))
}

fn render(src: &str) -> Result<String, String> {
    let t = translate("t", src, &|_: &str| false, &Limits::default()).map_err(|e| e.to_string())?;
    let env = env();
    let tmpl = env
        .template_from_str(&t.main.source)
        .map_err(|e| format!("compile {}: {e}", t.main.source))?;
    tmpl.render(minijinja::context! { ctx => root() })
        .map_err(|e| {
            let at = e
                .range()
                .and_then(|r| t.main.map.find(r))
                .map(|s| format!("{}@{}", s.context, s.go_pos))
                .unwrap_or_default();
            format!("{at}: {}", e.detail().unwrap_or_default())
        })
}

#[test]
fn renders_as_helm_does() {
    let cases: &[(&str, &str)] = &[
        (
            "{{ .Values.str }}|{{ .Values.num }}|{{ .Values.big }}|{{ .Values.flt }}|{{ .Values.nul }}|{{ .Values.missing }}",
            "hello|80|1e+06|1.5|<no value>|<no value>",
        ),
        (
            "{{ .Values.list }}|{{ .Values.map }}|{{ .Values.emptymap }}|{{ .Values.emptylist }}",
            "[1 two <nil> 3.5]|map[a:one b:2 c:map[d:true]]|map[]|[]",
        ),
        (
            r#"{{ print 1 2 "a" "b" 3 nil .Values.nul }}|{{ print }}|{{ print "a" 1 }}"#,
            "1 2ab3 <nil> <nil>||a1",
        ),
        (
            r#"{{ println 1 "a" .Values.list }}"#,
            "1 a [1 two <nil> 3.5]\n",
        ),
        (
            r#"{{ printf "%s-%d-%v-%q" "a" 3 .Values.map "q" }}|{{ printf "%d" .Values.num }}|{{ printf "%v" .Values.nul }}"#,
            "a-3-map[a:one b:2 c:map[d:true]]-\"q\"|%!d(float64=80)|<nil>",
        ),
        (
            r#"{{ len .Values.str }}|{{ len .Values.list }}|{{ len .Values.map }}|{{ len "héllo" }}"#,
            "5|4|3|6",
        ),
        (
            r#"{{ index .Values.map "a" }}|{{ index .Values.list 1 }}|{{ index .Values.map "zz" }}"#,
            "one|two|<no value>",
        ),
        (
            r#"{{ eq 1 1 }}|{{ eq "a" "b" "a" }}|{{ eq .Values.str "hello" }}|{{ eq .Values.missing "x" }}|{{ ne 1 2 }}|{{ eq nil nil }}"#,
            "true|true|true|false|true|true",
        ),
        (
            r#"{{ lt 1 2 }}|{{ le 2 2 }}|{{ gt "b" "a" }}|{{ ge 1.5 2.5 }}|{{ lt .Values.flt 2.0 }}"#,
            "true|true|true|false|true",
        ),
        (
            r#"{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 "" "x" }}|{{ or 0 "" }}|{{ not 0 }}|{{ not "a" }}"#,
            "0|2|x||true|false",
        ),
        ("{{ or 1 .Values.missing.x }}", "1"),
        (
            "{{ range .Values.list }}[{{ . }}]{{ end }}|{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}",
            "[1][two][<no value>][3.5]|0=1;1=two;2=<no value>;3=3.5;",
        ),
        (
            "{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}|{{ range .Values.map }}<{{ . }}>{{ end }}",
            "a=one;b=2;c=map[d:true];|<one><2><map[d:true]>",
        ),
        (
            "{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range .Values.emptylist }}x{{ else }}empty{{ end }}|{{ range .Values.missing }}x{{ else }}none{{ end }}",
            "012|01|empty|none",
        ),
        (
            "{{ range $i, $v := .Values.list }}{{ if eq $i 2 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $v }}{{ end }}",
            "1two",
        ),
        (
            "{{ $x := 1 }}{{ range .Values.list }}{{ $x = . }}{{ end }}{{ $x }}",
            "3.5",
        ),
        (
            r#"{{ $x := "outer" }}{{ if true }}{{ $x := "inner" }}{{ $x }}{{ end }}{{ $x }}"#,
            "innerouter",
        ),
        (
            "{{ with .Values.map }}{{ .a }}{{ $.Values.str }}{{ end }}|{{ with .Values.missing }}x{{ else }}no{{ end }}|{{ with $m := .Values.map }}{{ $m.b }}{{ end }}",
            "onehello|no|2",
        ),
        (
            "{{ with .Values.missing }}a{{ else with .Values.map }}{{ .b }}{{ end }}",
            "2",
        ),
        (
            "{{ if .Values.missing }}a{{ else if .Values.emptymap }}b{{ else if .Values.nested }}c{{ else }}d{{ end }}",
            "c",
        ),
        ("{{ if $v := .Values.str }}{{ $v }}{{ end }}", "hello"),
        (
            "{{ $v := .Values.missing }}{{ $v.x }}|{{ (.Values.missing).x }}",
            "<no value>|<no value>",
        ),
        (
            r#"{{ 'a' }}|{{ 1e3 }}|{{ 0x1F }}|{{ -5 }}|{{ 1.0 }}|{{ "a\tb\u00e9" }}|{{ `raw\n` }}|{{ true }}|{{ 0o17 }}|{{ 1_000 }}"#,
            "97|1000|31|-5|1|a\tbé|raw\\n|true|15|1000",
        ),
        (
            r#"{{ html "<a href='x'>&</a>" }}|{{ js "it's <b> \"q\" =" }}|{{ urlquery "a b&c=d/é" }}"#,
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;|it\\'s \\u003Cb\\u003E \\\"q\\\" \\u003D|a+b%26c%3Dd%2F%C3%A9",
        ),
        ("{{- /* comment */ -}}  x  {{- \"y\" -}}  z", "xyz"),
        ("a  {{- 1 }}  b  {{ 2 -}}  c", "a1  b  2c"),
        (
            r#"{{ (print "a" "b") }}|{{ (.Values.map).a }}|{{ print (len .Values.list) }}|{{ .Values.str | print "x" }}|{{ "y" | printf "%s-%s" "x" }}"#,
            "ab|one|4|xhello|x-y",
        ),
        (
            "{{ with .Values.list }}{{ range . }}{{ $.Values.str }}{{ end }}{{ end }}",
            "hellohellohellohello",
        ),
        (
            r#"{{ .Values.flt | printf "%.3f" }}|{{ printf "%5s|%-5s|%05d" "a" "b" 42 }}|{{ printf "%x %X %o %b %e %g" 255 255 8 5 1234.5 0.000012 }}"#,
            "1.500|    a|b    |00042|ff FF 10 101 1.234500e+03 1.2e-05",
        ),
        (
            r#"{{ print .Values.nul }}|{{ print .Values.list }}|{{ printf "%s" .Values.nul }}|{{ printf "%s" .Values.num }}"#,
            "<nil>|[1 two <nil> 3.5]|%!s(<nil>)|%!s(float64=80)",
        ),
        ("{% raw %}{# {{ `{%` }} #}", "{% raw %}{# {% #}"),
    ];
    let mut failures = Vec::new();
    for (src, want) in cases {
        match render(src) {
            Ok(got) if got == *want => {}
            other => failures.push(format!("{src}\n   want {want:?}\n    got {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn errors_carry_go_messages_and_nodes() {
    // (template, the Go node and its byte offset, Go's message) as Helm
    // 4.1.4 reports them.
    let cases: &[(&str, &str)] = &[
        (
            r#"{{ index .Values.list 9 }}"#,
            "index .Values.list 9@3: index out of range: 9",
        ),
        (
            r#"{{ index .Values.list 4 }}"#,
            "index .Values.list 4@3: reflect: slice index out of range",
        ),
        (
            r#"{{ index .Values "missing" "x" }}"#,
            r#"index .Values "missing" "x"@3: index of nil pointer"#,
        ),
        ("{{ index nil 1 }}", "index nil 1@3: index of untyped nil"),
        (
            "{{ eq .Values.num 80 }}",
            "eq .Values.num 80@3: incompatible types for comparison: float64 and int",
        ),
        (
            "{{ eq 1 1.0 }}",
            "eq 1 1.0@3: incompatible types for comparison: int and float64",
        ),
        (
            "{{ lt true false }}",
            "lt true false@3: invalid type for comparison",
        ),
        (
            "{{ and .Values.missing.x 1 }}",
            ".Values.missing.x@14: nil pointer evaluating interface {}.x",
        ),
        (
            "{{ .Values.str.x }}",
            ".Values.str.x@10: can't evaluate field x in type interface {}",
        ),
        (
            "{{ .Values.map 1 }}",
            ".Values.map@10: map is not a method but has arguments",
        ),
        (
            r#"{{ "x" 1 }}"#,
            r#""x"@3: can't give argument to non-function "x""#,
        ),
        ("{{ nil }}", "nil@3: nil is not a command"),
        (
            r#"{{ range "abc" }}x{{ end }}"#,
            r#""abc"@9: range can't iterate over abc"#,
        ),
        (
            "{{ range $k, $v := 3 }}x{{ end }}",
            "3@19: can't use 3 to iterate over more than one variable",
        ),
        (
            "{{ range 1.5 }}x{{ end }}",
            "1.5@9: range can't iterate over 1.5",
        ),
        (
            "{{ range .Values.list }}{{ .x }}{{ end }}",
            ".x@27: can't evaluate field x in type interface {}",
        ),
        (
            "{{ range .Values.list }}{{ if not . }}{{ .x }}{{ end }}{{ end }}",
            ".x@41: nil pointer evaluating interface {}.x",
        ),
        (
            "{{ $x := 1 }}{{ $x 2 }}",
            "$x@16: can't give argument to non-function $x",
        ),
        (
            // minio 2.5's deployment (in Dispatch's chart): the node is the
            // pipeline around the parenthesized word.
            "{{ if and ((not .a) (not .b)) }}x{{ end }}",
            "(not .a) (not .b)@11: can't give argument to non-function not .a",
        ),
        (
            "{{ and }}",
            "and@3: wrong number of args for and: want at least 1 got 0",
        ),
        (
            "{{ not 1 2 }}",
            "not@3: wrong number of args for not: want 1 got 2",
        ),
        (
            "{{ len .Values.missing }}",
            "len .Values.missing@3: len of nil pointer",
        ),
        ("{{ len 3 }}", "len 3@3: len of type int"),
        (
            r#"{{ index .Values.map 1 }}"#,
            "index .Values.map 1@3: value has type int; should be string",
        ),
    ];
    let mut failures = Vec::new();
    for (src, want) in cases {
        match render(src) {
            Err(got) if got == *want => {}
            other => failures.push(format!("{src}\n   want Err({want:?})\n    got {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
