//! Data-driven tests: each Jinja template must render exactly what
//! `helm template` (v4.1.4) printed for the Go-template equivalent (shown in
//! the comment after each case where the shape differs).

use super::{Clock, Rng};
use minijinja::{Environment, Value, context};

fn env() -> Environment<'static> {
    super::testing::env(Rng::new(Some(7)), Clock::new(None))
}

fn ctx() -> Value {
    context! {
        Values => context! {
            s => "hello",
            f => 1.5,
            m => context! { b => 2, a => 1 },
            l => vec!["a", "b"],
            e => "",
            z => 0,
            el => Vec::<i32>::new(),
            n => (),
            t => true,
        }
    }
}

fn render(env: &Environment<'_>, tpl: &str) -> Result<String, minijinja::Error> {
    env.render_str(tpl, ctx())
}

fn check(cases: &[(&str, &str)]) {
    let env = env();
    super::testing::check_table(cases, |tpl| render(&env, tpl));
}

fn check_errors(cases: &[(&str, &str)]) {
    let env = env();
    let mut failures = Vec::new();
    for (tpl, want) in cases {
        match render(&env, tpl) {
            Ok(got) => failures.push(format!("{tpl}: expected error {want:?}, got {got:?}")),
            Err(e) => {
                let msg = format!("{e:#}");
                if !msg.contains(want) {
                    failures.push(format!("{tpl}: error {msg:?} lacks {want:?}"));
                }
            }
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
fn strings() {
    check(&[
        (r#"{{ "abcdef" | trunc(3) }}"#, "abc"),
        (r#"{{ "abcdef" | trunc(-2) }}"#, "ef"),
        (r#"{{ "abc" | trunc(10) }}"#, "abc"),
        (r#"{{ "abc" | trunc(-10) }}"#, "abc"),
        (r#"{{ "abc" | trunc(0) }}"#, ""),
        // Sprig counts bytes: trunc -2 "héllo" is "lo"; a cut inside "é"
        // (Helm emits invalid UTF-8) moves back to the boundary.
        (r#"{{ "héllo" | trunc(-2) }}"#, "lo"),
        (r#"{{ "héllo" | trunc(2) }}"#, "h"),
        (r#"{{ "héllo" | trunc(3) }}"#, "hé"),
        ("{{ '  a b \n' | trim }}", "a b"),
        (r#"{{ "abab" | trimPrefix("ab") }}"#, "ab"),
        (r#"{{ "a--" | trimSuffix("-") }}"#, "a-"),
        (r#"{{ "abc" | trimSuffix("") }}"#, "abc"),
        (r#"{{ "$5.00$" | trimAll("$") }}"#, "5.00"),
        (r#"{{ "aBc" | upper }}|{{ "aBc" | lower }}"#, "ABC|abc"),
        (
            r#"{{ "hello-world foo_bar" | title }}"#,
            "Hello-World Foo_bar",
        ),
        (r#"{{ "hELLO wORLD" | title }}"#, "HELLO WORLD"),
        (r#"{{ "ab.cd ef'gh 1ab" | title }}"#, "Ab.Cd Ef'Gh 1ab"),
        (r#"{{ "élan über" | title }}"#, "Élan Über"),
        (r#"{{ "" | title }}"#, ""),
        (r#"{{ "Hello World" | untitle }}"#, "hello world"),
        (r#"{{ "Hello World" | swapcase }}"#, "hELLO wORLD"),
        (r#"{{ "banana" | replace("a", "b") }}"#, "bbnbnb"),
        (r#"{{ "abc" | replace("", "-") }}"#, "-a-b-c-"),
        (r#"{{ "xfoox" | contains("foo") }}"#, "true"),
        (r#"{{ "abc" | contains("") }}"#, "true"),
        (
            r#"{{ "abc" | hasPrefix("ab") }} {{ "abc" | hasSuffix("bc") }}"#,
            "true true",
        ),
        (r#"{{ "abc" | regexMatch("^[a-z]+$") }}"#, "true"),
        (r#"{{ "a" | regexMatch("[") }}"#, "false"),
        (
            r#"{{ "-ab-axxb-" | regexReplaceAll("a(x*)b", "${1}W") }}"#,
            "-W-xxW-",
        ),
        (
            r#"{{ "-ab-axxb-" | regexReplaceAll("a(x*)b", "$1W") }}"#,
            "---",
        ),
        (
            r#"{{ "banana" | regexReplaceAll("a", "$0$0") }}"#,
            "baanaanaa",
        ),
        (
            r#"{{ "banana" | regexReplaceAll("(?P<x>a)", "[$x]") }}"#,
            "b[a]n[a]n[a]",
        ),
        (r#"{{ "banana" | regexReplaceAll("a", "$$") }}"#, "b$n$n$"),
        (r#"{{ "banana" | regexReplaceAll("(a)", "$1x") }}"#, "bnn"),
        (r#"{{ "banana" | regexReplaceAll("(a)", "$2") }}"#, "bnn"),
        (
            r#"{{ "-ab-axxb-" | regexReplaceAllLiteral("a(x*)b", "${1}") }}"#,
            "-${1}-${1}-",
        ),
        (r#"{{ "abc123def456" | regexFind("[0-9]+") }}"#, "123"),
        (r#"{{ "abc" | regexFind("[0-9]+") }}"#, ""),
        (
            r#"{{ "a1b22c333" | regexFindAll("[0-9]+", -1) }}"#,
            "[1 22 333]",
        ),
        (r#"{{ "a1b22c333" | regexFindAll("[0-9]+", 2) }}"#, "[1 22]"),
        (r#"{{ "pizza" | regexSplit("z+", -1) }}"#, "[pi a]"),
        (
            r#"{{ "foo$bar$baz" | split("$") }}"#,
            "map[_0:foo _1:bar _2:baz]",
        ),
        (r#"{{ ("foo$bar$baz" | split("$"))._1 }}"#, "bar"),
        (r#"{{ "abc" | split("") }}"#, "map[_0:a _1:b _2:c]"),
        (r#"{{ "a,b,,c" | splitList(",") }}"#, "[a b  c]"),
        (r#"{{ "abc" | splitList("") }}"#, "[a b c]"),
        (
            r#"{{ "foo$bar$baz" | splitn("$", 2) }}"#,
            "map[_0:foo _1:bar$baz]",
        ),
        (r#"{{ "a,b" | splitn(",", 0) }}"#, "map[]"),
        (r#"{{ "a,b" | splitn(",", -1) }}"#, "map[_0:a _1:b]"),
        (
            r#"{{ list("a", 1, none, 2.5, true) | join("-") }}"#,
            "a-1-2.5-true",
        ),
        (r#"{{ "abc" | join(",") }}"#, "abc"),
        (r#"{{ none | join(", ") }}"#, ""),
        (r#"{{ until(3) | join(",") }}"#, "0,1,2"),
        (r#"{{ cat("a", 1, none, "b") }}"#, "a 1 b"),
        (r#"{{ cat() }}"#, ""),
        (
            r#"{{ cat("a", list(1, 2), dict("k", "v")) }}"#,
            "a [1 2] map[k:v]",
        ),
        (r#"{{ "b" | cat("a") }}"#, "a b"),
        (r#"{{ "ab" | repeat(3) }}"#, "ababab"),
        (
            r#"{{ "a" | quote }}|{{ none | quote }}|{{ Values.missing | quote }}"#,
            "\"a\"||",
        ),
        (
            r#"{{ 1 | quote }} {{ 1.5 | quote }} {{ true | quote }}"#,
            "\"1\" \"1.5\" \"true\"",
        ),
        (r#"{{ quote("a", "b", 1) }}"#, "\"a\" \"b\" \"1\""),
        (r#"{{ Values.m | quote }}"#, "\"map[a:1 b:2]\""),
        (r#"{{ 'a"b' | quote }}"#, r#""a\"b""#),
        (r#"{{ "" | quote }}"#, "\"\""),
        (r#"{{ list("a", 1) | quote }}"#, "\"[a 1]\""),
        (
            r#"{{ squote("a", 1, none) }}|{{ none | squote }}"#,
            "'a' '1'|",
        ),
        ("{{ 'a\nb' | indent(2) }}", "  a\n  b"),
        ("{{ 'a\nb' | nindent(2) }}", "\n  a\n  b"),
        (r#"{{ "" | indent(2) }}|{{ "" | nindent(2) }}"#, "  |\n  "),
        ("{{ 'a\n\nb\n' | indent(2) }}", "  a\n  \n  b\n  "),
        ("{{ 'a\nb' | indent(0) }}", "a\nb"),
        ("{{ ' a b\tc\n' | nospace }}", "abc"),
        (r#"{{ "abcdef" | substr(1, 3) }}"#, "bc"),
        (r#"{{ "abcdef" | substr(-1, 3) }}"#, "abc"),
        (r#"{{ "abcdef" | substr(2, -1) }}"#, "cdef"),
        (r#"{{ "abcdef" | substr(2, 100) }}"#, "cdef"),
        (r#"{{ "hello world" | initials }}"#, "hw"),
        (
            r#"{{ 1 | plural("one", "many") }} {{ 2 | plural("one", "many") }}"#,
            "one many",
        ),
        (r#"{{ Values.s | upper }}"#, "HELLO"),
    ]);
}

#[test]
fn printf() {
    check(&[
        (r#"{{ printf("%s-%d", "a", 1) }}"#, "a-1"),
        (
            r#"{{ printf("%v", dict("b", 1, "a", list(1, "x", none))) }}"#,
            "map[a:[1 x <nil>] b:1]",
        ),
        (
            r#"{{ printf("%v", none) }}|{{ printf("%v", Values.missing) }}"#,
            "<nil>|<nil>",
        ),
        (r#"{{ printf("%q", 'a"b') }}"#, r#""a\"b""#),
        (
            r#"{{ printf("%5.2f|%-5d|%05d|%x|%X|%o|%b|%e", 3.14159, 42, 42, 255, 255, 8, 5, 1234.5) }}"#,
            " 3.14|42   |00042|ff|FF|10|101|1.234500e+03",
        ),
        (r#"{{ printf("%s", 1) }}"#, "%!s(int=1)"),
        (r#"{{ printf("%d", "x") }}"#, "%!d(string=x)"),
        (r#"{{ printf("%d") }}"#, "%!d(MISSING)"),
        (r#"{{ printf("%s %s", "a") }}"#, "a %!s(MISSING)"),
        (r#"{{ printf("%s", "a", "b") }}"#, "a%!(EXTRA string=b)"),
        (
            r#"{{ printf("%v %v %v %v", 1.5, 2.0, true, Values.f) }}"#,
            "1.5 2 true 1.5",
        ),
        (
            r#"{{ printf("%v", Values.m) }} {{ printf("%v", Values.l) }}"#,
            "map[a:1 b:2] [a b]",
        ),
        (
            r#"{{ printf("%10s|%-10s|%.2s", "abc", "abc", "abc") }}"#,
            "       abc|abc       |ab",
        ),
        (
            r#"{{ printf("%%") }} {{ printf("%c", 65) }} {{ printf("%x", "hi") }}"#,
            "% A 6869",
        ),
        (r#"{{ printf("%q", 65) }}"#, "'A'"),
        (r#"{{ printf("%s", none) }}"#, "%!s(<nil>)"),
        (r#"{{ printf("%+d %+v", 5, 5) }}"#, "+5 5"),
        (r#"{{ printf("%t", true) }}"#, "true"),
        (
            r#"{{ printf("%v", list()) }} {{ printf("%v", dict()) }}"#,
            "[] map[]",
        ),
        (
            r#"{{ printf("%g", 1e21) }} {{ printf("%v", 1e21) }}"#,
            "1e+21 1e+21",
        ),
        (r#"{{ printf("%v", 100000000.0) }}"#, "1e+08"),
        (
            r#"{{ printf("%v", 0.000001) }} {{ printf("%v", 0.0000001) }}"#,
            "1e-06 1e-07",
        ),
        (r#"{{ printf("%6.2v", 3.14159) }}"#, "   3.1"),
        (
            r#"{{ printf("%v", 1.0) }} {{ printf("%v", 123456.0) }}"#,
            "1 123456",
        ),
        (r#"{{ printf("%v", 1234567.0) }}"#, "1.234567e+06"),
        (
            r#"{{ printf("%v", 0.0001) }} {{ printf("%v", 0.00001) }}"#,
            "0.0001 1e-05",
        ),
        (
            r#"{{ printf("%v", list(1.5, "a b", dict("k", none))) }}"#,
            "[1.5 a b map[k:<nil>]]",
        ),
        (
            r#"{{ printf("%s", list("a", "b")) }} {{ printf("%d", list(1, 2)) }}"#,
            "[a b] [1 2]",
        ),
        (r#"{{ printf("%q", list("a", "b")) }}"#, r#"["a" "b"]"#),
        (r#"{{ printf("%s", true) }}"#, "%!s(bool=true)"),
        (
            r#"{{ printf("%d", 1.5) }} {{ printf("%f", 1) }}"#,
            "%!d(float64=1.5) %!f(int=1)",
        ),
        (
            r#"{{ printf("%.3f", 2.0) }} {{ printf("%f", 1.5) }}"#,
            "2.000 1.500000",
        ),
        (
            r#"{{ printf("%8.3f|%-8.2f|", 3.14159, 2.5) }}"#,
            "   3.142|2.50    |",
        ),
        (
            r#"{{ printf("%x", -255) }} {{ printf("%5t|", true) }}"#,
            "-ff  true|",
        ),
        (r#"{{ printf("%-5v|%5v|", "ab", 12) }}"#, "ab   |   12|"),
        (
            r#"{{ printf("%03d", -5) }} {{ printf("%q", 1.5) }}"#,
            "-05 %!q(float64=1.5)",
        ),
        (r#"{{ printf("%v", semver("1.2.3")) }}"#, "1.2.3"),
        (r#"{{ printf("%e", 0.0) }}"#, "0.000000e+00"),
        (
            r#"{{ printf("%g", 100000.0) }} {{ printf("%g", 1000000.0) }}"#,
            "100000 1e+06",
        ),
        (r#"{{ printf("%.2g", 1234.0) }}"#, "1.2e+03"),
        (r#"{{ printf("%*d", 5, 3) }}"#, "    3"),
        (r#"{{ printf("%[2]s %[1]s", "a", "b") }}"#, "b a"),
        (
            r#"{{ printf("%U", 65) }} {{ printf("%08.3f", -3.14159) }}"#,
            "U+0041 -003.142",
        ),
        (
            r#"{{ printf("% d", 5) }} {{ printf("%#x", 255) }}"#,
            " 5 0xff",
        ),
        (
            r#"{{ printf("%v", 9007199254740993) }}"#,
            "9007199254740993",
        ),
        (r#"{{ printf("%z", 1) }}"#, "%!z(int=1)"),
        (
            r#"{{ printf("%") }}|{{ printf("%!") }}|{{ printf("abc%") }}"#,
            "%!(NOVERB)|%!!(MISSING)|abc%!(NOVERB)",
        ),
        (
            r#"{{ printf("%T %T %T", 1, 1.5, Values.m) }}"#,
            "int float64 map[string]interface {}",
        ),
        (r#"{{ "x" | printf("%s-suffix") }}"#, "x-suffix"),
        (r#"{{ "b" | printf("%s-%s", "a") }}"#, "a-b"),
    ]);
}

#[test]
fn conversion() {
    check(&[
        (
            r#"{{ none | default("d") }}|{{ Values.missing | default("d") }}"#,
            "d|d",
        ),
        (
            r#"{{ 0 | default("d") }}|{{ 0.0 | default("d") }}|{{ "" | default("d") }}"#,
            "d|d|d",
        ),
        (
            r#"{{ false | default("d") }}|{{ list() | default("d") }}|{{ dict() | default("d") }}"#,
            "d|d|d",
        ),
        (
            r#"{{ "x" | default("d") }}|{{ 1 | default("d") }}|{{ Values.t | default("d") }}"#,
            "x|1|true",
        ),
        (
            r#"{{ Values.z | default("d") }}|{{ Values.el | default("d") }}|{{ Values.e | default("d") }}"#,
            "d|d|d",
        ),
        (
            r#"{{ Values.f | default("d") }}|{{ Values.n | default("d") }}"#,
            "1.5|d",
        ),
        (r#"{{ none | default }}"#, ""),
        (
            r#"{{ empty(none) }} {{ empty(0) }} {{ empty("") }} {{ empty(" ") }}"#,
            "true true true false",
        ),
        (
            r#"{{ list() | empty }} {{ dict() | empty }} {{ false | empty }} {{ Values.m | empty }}"#,
            "true true true false",
        ),
        (r#"{{ empty(0.0) }} {{ empty("0") }}"#, "true false"),
        (
            r#"{{ coalesce(none, "", 0, "x", "y") }}|{{ coalesce(none, "") }}|{{ coalesce() }}"#,
            "x||",
        ),
        (
            r#"{{ true | ternary("a", "b") }} {{ false | ternary("a", "b") }} {{ true | ternary(1, 2) }}"#,
            "a b 1",
        ),
        (
            r#"{{ "12abc" | int }} {{ "12" | int }} {{ "  12" | int }} {{ "-12" | int }}"#,
            "0 12 0 -12",
        ),
        (
            r#"{{ 1.9 | int }} {{ -1.9 | int }} {{ "1.9" | int }} {{ none | int }} {{ true | int }}"#,
            "1 -1 0 0 1",
        ),
        (
            r#"{{ "0x1F" | int }} {{ "1e3" | int }} {{ "1.0" | int }} {{ "010" | int }}"#,
            "31 0 1 8",
        ),
        (
            r#"{{ "1_000" | int }} {{ "1.50" | int }} {{ "0b101" | int64 }} {{ "" | int }}"#,
            "1000 0 5 0",
        ),
        (
            r#"{{ "9223372036854775808" | int }} {{ int("42") }} {{ 3.7 | int64 }}"#,
            "0 42 3",
        ),
        (
            r#"{{ "1.5" | float64 }} {{ "abc" | float64 }} {{ 3 | float64 }} {{ none | float64 }}"#,
            "1.5 0 3 0",
        ),
        (
            r#"{{ "1e3" | float64 }} {{ "0.1" | float64 }} {{ "1_000.5" | float64 }} {{ "0x10" | float64 }}"#,
            "1000 0.1 1000.5 0",
        ),
        (
            r#"{{ "" | float64 }} {{ "inf" | float64 }} {{ 1 | float64 | kindOf }}"#,
            "0 +Inf float64",
        ),
        (
            r#"{{ "42" | atoi }} {{ "4x" | atoi }} {{ " 4" | atoi }} {{ "+4" | atoi }} {{ "-4" | atoi }}"#,
            "42 0 0 4 -4",
        ),
        (
            r#"{{ 1 | kindOf }} {{ 1.5 | kindOf }} {{ "s" | kindOf }} {{ dict() | kindOf }}"#,
            "int float64 string map",
        ),
        (
            r#"{{ list() | kindOf }} {{ none | kindOf }} {{ true | kindOf }} {{ Values.n | kindOf }}"#,
            "slice invalid bool invalid",
        ),
        (
            r#"{{ until(3) | kindOf }} {{ semver("1.2.3") | kindOf }}"#,
            "slice ptr",
        ),
        (
            r#"{{ 1 | typeOf }} {{ 1.5 | typeOf }} {{ "s" | typeOf }} {{ true | typeOf }}"#,
            "int float64 string bool",
        ),
        (
            r#"{{ dict() | typeOf }}|{{ list() | typeOf }}|{{ none | typeOf }}"#,
            "map[string]interface {}|[]interface {}|<nil>",
        ),
        (r#"{{ semver("1.2") | typeOf }}"#, "*semver.Version"),
        (
            r#"{{ 1 | kindIs("int") }} {{ dict() | kindIs("map") }} {{ list() | kindIs("slice") }}"#,
            "true true true",
        ),
        (
            r#"{{ none | kindIs("invalid") }} {{ "x" | kindIs("string") }} {{ 1 | kindIs("string") }}"#,
            "true true false",
        ),
        (
            r#"{{ 1 | typeIs("int") }} {{ "x" | typeIs("string") }} {{ dict() | typeIs("map[string]interface {}") }}"#,
            "true true true",
        ),
        (r#"{{ 1 | typeIsLike("int") }}"#, "true"),
        (
            r#"{{ 1 | toString }} {{ 1.5 | toString }} {{ 2.0 | toString }} {{ none | toString }}"#,
            "1 1.5 2 <nil>",
        ),
        (
            r#"{{ Values.missing | toString }} {{ true | toString }} {{ Values.m | toString }}"#,
            "<nil> true map[a:1 b:2]",
        ),
        (
            r#"{{ Values.l | toString }} {{ toString(list("a", none)) }}"#,
            "[a b] [a <nil>]",
        ),
    ]);
}

#[test]
fn dicts() {
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
fn lists() {
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
fn encoding() {
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
fn semver() {
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
fn random_is_seeded() {
    let render_with = |seed| {
        let env = super::testing::env(Rng::new(Some(seed)), Clock::new(None));
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
fn errors() {
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
        (r#"{{ "a" | regexFind("(") }}"#, "regexFind: invalid regex"),
        (
            r#"{{ "a" | regexReplaceAll("(", "b") }}"#,
            "regexReplaceAll: invalid regex",
        ),
        (r#"{{ none | first }}"#, "first: expected a list, got nil"),
        (r#"{{ "abc" | first }}"#, "first: expected a list"),
        (r#"{{ none | append(1) }}"#, "append: expected a list"),
        (
            r#"{{ list(1) | concat(2) }}"#,
            "concat: expected a list, got 2",
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
fn kept_regexes_answer_like_fresh_ones() {
    let env = env();
    let big = r"^\\w{100}$";
    // Too large to keep: compiled afresh every time.
    assert!(
        regex::RegexBuilder::new(r"^\w{100}$")
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
            err.to_string().contains("regexFind: invalid regex \"(\""),
            "{err}"
        );
    }
}
