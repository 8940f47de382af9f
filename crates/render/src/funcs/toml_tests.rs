//! `toToml`/`fromToml` tests: expected outputs are what `helm template`
//! (v4.1.4, BurntSushi/toml v1.6.0) printed. Helm decodes values-file
//! numbers as float64, so the inputs here use floats where Helm had them.

use super::*;
use crate::funcs::{Clock, Rng};
use minijinja::{Environment, context};

fn env() -> Environment<'static> {
    crate::funcs::testing::env(Rng::new(Some(1)), Clock::new(None))
}

fn values() -> Value {
    let v: serde_json::Value = serde_json::json!({
        "top": 1.0,
        "f": 1.5,
        "big": 1e21,
        "s": "he said \"hi\"\ttab\u{e9} \u{1}",
        "b": true,
        "n": null,
        "empty": {},
        "el": [],
        "list": [1.0, "two", 3.0],
        "nested": [[1.0, 2.0], ["a"]],
        "tables": [{"name": "a", "x": {"true": 1.0}}, {"name": "b"}],
        "srv": {
            "z": 1.0,
            "key with space": 2.0,
            "a.b": 3.0,
            "sub": {"deep": {"k": "v"}},
            "arr": [{"p": 1.0}],
            "mixed": [{"p": 1.0}, 2.0],
            "nil": null
        },
        "zz": "last",
        "": "emptykey"
    });
    Value::from(minijinja::value::Serde(v))
}

const VALUES_TOML: &str = r#""" = "emptykey"
b = true
big = 1e+21
el = []
f = 1.5
list = [1.0, "two", 3.0]
nested = [[1.0, 2.0], ["a"]]
s = "he said \"hi\"\ttabé \u0001"
top = 1.0
zz = "last"

[empty]

[srv]
  "a.b" = 3.0
  "key with space" = 2.0
  mixed = [{p = 1.0}, 2.0]
  z = 1.0

  [[srv.arr]]
    p = 1.0
  [srv.sub]
    [srv.sub.deep]
      k = "v"

[[tables]]
  name = "a"
  [tables.x]
    true = 1.0

[[tables]]
  name = "b"
"#;

fn render(tpl: &str, ctx: Value) -> String {
    match env().render_str(tpl, ctx) {
        Ok(s) => s,
        Err(e) => panic!("{tpl}: {e:#}"),
    }
}

#[test]
fn to_toml_matches_helm() {
    assert_eq!(to_toml(&values()), VALUES_TOML);
    assert_eq!(
        render("{{ Values | toToml }}", context! { Values => values() }),
        VALUES_TOML
    );
    for (tpl, want) in [
        ("{{ toToml([1, 2]) }}", "[1, 2]"),
        (r#"{{ "str" | toToml }}"#, r#""str""#),
        (
            r#"{{ toToml(dict("a", [], "b", dict(), "c", [dict(), dict("x", 1)])) }}"#,
            "a = []\n\n[b]\n\n[[c]]\n\n[[c]]\n  x = 1\n",
        ),
        (
            r#"{{ toToml(dict("f1", 1.0, "f2", 0.1, "f3", 1e300, "f4", -0.0, "i", 12, "u", -5, "f5", 100000000.0, "f6", 1e-7)) }}"#,
            "f1 = 1.0\nf2 = 0.1\nf3 = 1e+300\nf4 = -0.0\nf5 = 1e+08\nf6 = 1e-07\ni = 12\nu = -5\n",
        ),
        (
            r#"{{ toToml(dict("s", "a\u0008\u000c\r\n\u001f\u007f\\")) }}"#,
            "s = \"a\\b\\f\\r\\n\\u001f\\u007f\\\\\"\n",
        ),
        (
            r#"{{ toToml(dict("m", [dict("a", 1, "t", dict("x", 1))])) }}"#,
            "[[m]]\n  a = 1\n  [m.t]\n    x = 1\n",
        ),
        (
            r#"{{ toToml(dict("l", [1, none])) }}"#,
            "toml: cannot encode array with nil element",
        ),
        (
            r#"{{ toToml([dict("a", 1)]) }}"#,
            "toml: top-level values must be Go maps or structs",
        ),
        (
            r#"{{ toToml(dict("i", dict("a", 1, "b", none))) }}"#,
            "[i]\n  a = 1\n",
        ),
    ] {
        assert_eq!(render(tpl, context! {}), want, "{tpl}");
    }
    // Helm: "error calling toToml: reflect: call of reflect.Value.Type on zero Value".
    assert!(env().render_str("{{ toToml(none) }}", context! {}).is_err());
}

#[test]
fn from_toml_values() {
    let tpl = r#"{{ fromToml("a = 1\nb = 'x'\n[t]\nc = 2.5\nd = 1979-05-27T07:32:00Z\narr = [1, 2]\n[[aot]]\nq = true") }}"#;
    assert_eq!(
        render(tpl, context! {}),
        "map[a:1 aot:[map[q:true]] b:x t:map[arr:[1 2] c:2.5 d:1979-05-27 07:32:00 +0000 UTC]]"
    );
    assert_eq!(
        render(
            r#"{{ (fromToml("c = 07:32:00")).c }} {{ (fromToml("c = 1979-05-27T07:32:00")).c }} {{ (fromToml("c = 1979-05-27")).c }}"#,
            context! {}
        ),
        "0000-01-01 07:32:00 +0000 time-local 1979-05-27 07:32:00 +0000 datetime-local 1979-05-27 00:00:00 +0000 date-local"
    );
    // Round trip of local datetimes keeps TOML's local forms.
    assert_eq!(
        render(
            r#"{{ fromToml("a = 1979-05-27T07:32:00\nb = 1979-05-27\nc = 07:32:00.5\nd = 1979-05-27T07:32:00+02:00") | toToml }}"#,
            context! {}
        ),
        "a = 1979-05-27T07:32:00\nb = 1979-05-27\nc = 07:32:00.5\nd = 1979-05-27T07:32:00+02:00\n"
    );
    let err = render(r#"{{ (fromToml("a = ")).Error }}"#, context! {});
    assert!(err.starts_with("toml: "), "{err}");
    assert!(env().render_str("{{ fromToml(1) }}", context! {}).is_err());
}
