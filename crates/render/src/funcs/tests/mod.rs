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

mod collections;
