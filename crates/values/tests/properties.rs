//! Property tests for the values layer (issue 7): `--set` of a key reads
//! back, coalescing is idempotent, merging an empty layer is the identity,
//! and `toYaml` output parses back to the same tree.

use proptest::prelude::*;
use rudder_values::merge::{clean_nils, coalesce_tables, merge_maps};
use rudder_values::{Map, Value, ValuesOptions};

/// A key segment `--set` takes without escapes.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z_][a-zA-Z0-9_-]{0,7}"
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<String>().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec((name(), inner), 0..4)
                .prop_map(|kv| Value::from(kv.into_iter().collect::<Map>())),
        ]
    })
}

fn map() -> impl Strategy<Value = Map> {
    prop::collection::vec((name(), value()), 0..5).prop_map(|kv| kv.into_iter().collect())
}

/// Escapes a `--set` value so every rune is taken literally.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '\\' | ',' | '{' | '}' | '[' | ']' | '=' | '.') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn set(flag: &str, text: String) -> Map {
    let mut opts = ValuesOptions::default();
    match flag {
        "set" => opts.set.push(text),
        "set-string" => opts.set_string.push(text),
        _ => opts.set_literal.push(text),
    }
    opts.merge(&mut rudder_values::FsReader)
        .unwrap_or_else(|e| panic!("--{flag}: {e}"))
        .values
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn set_then_read_back(path in prop::collection::vec(name(), 1..6), n in any::<i64>(), b in any::<bool>(), s in "[^\u{0}]{0,12}") {
        let key = path.join(".");
        let root = Value::Map(Box::new(set("set", format!("{key}={n}"))));
        prop_assert_eq!(root.get_path(path.iter().map(String::as_str)), Some(&Value::Int(n)));
        let root = Value::Map(Box::new(set("set", format!("{key}={b}"))));
        prop_assert_eq!(root.get_path(path.iter().map(String::as_str)), Some(&Value::Bool(b)));
        let root = Value::Map(Box::new(set("set-string", format!("{key}={}", escape(&s)))));
        prop_assert_eq!(root.get_path(path.iter().map(String::as_str)), Some(&Value::String(s.clone())));
        let root = Value::Map(Box::new(set("set-literal", format!("{key}={s}"))));
        prop_assert_eq!(root.get_path(path.iter().map(String::as_str)), Some(&Value::String(s)));
    }

    #[test]
    fn set_list_index_then_read_back(key in name(), i in 0usize..64, n in any::<i64>()) {
        let root = set("set", format!("{key}[{i}]={n}"));
        let Some(Value::List(l)) = root.get(&key) else { panic!("{root:?}") };
        prop_assert_eq!(l.len(), i + 1);
        prop_assert_eq!(&l[i], &Value::Int(n));
        prop_assert!(l[..i].iter().all(Value::is_null));
    }

    #[test]
    fn merging_an_empty_layer_is_identity(a in map()) {
        let mut left = a.clone();
        merge_maps(&mut left, Map::new());
        prop_assert_eq!(&left, &a);
        let mut right = Map::new();
        merge_maps(&mut right, a.clone());
        prop_assert_eq!(&right, &a);
    }

    #[test]
    fn coalescing_is_idempotent(user in map(), defaults in map()) {
        // With nulls kept (`merge`), any user tree.
        let mut once = user.clone();
        let mut w = Vec::new();
        coalesce_tables(&mut once, defaults.clone(), "", true, &mut w);
        let mut twice = once.clone();
        coalesce_tables(&mut twice, defaults.clone(), "", true, &mut w);
        prop_assert_eq!(&twice, &once);
        // Coalescing proper: a user null deletes a default once, so the
        // property holds for user trees without nulls.
        let mut user = user;
        clean_nils(&mut user);
        let mut once = user.clone();
        coalesce_tables(&mut once, defaults.clone(), "", false, &mut w);
        let mut twice = once.clone();
        coalesce_tables(&mut twice, defaults.clone(), "", false, &mut w);
        prop_assert_eq!(&twice, &once);
        // And coalescing a tree with itself changes nothing.
        let mut same = user.clone();
        coalesce_tables(&mut same, user.clone(), "", false, &mut w);
        prop_assert_eq!(&same, &user);
    }

    #[test]
    fn to_yaml_parses_back_to_the_same_tree(v in map()) {
        let v = Value::Map(Box::new(v));
        let text = rudder_values::yaml::to_string(&v);
        let back = rudder_values::yaml::parse(&text, "printed.yaml")
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        // An empty map prints as `{}`; everything else exactly.
        prop_assert_eq!(back, v, "{}", text);
    }
}

/// Found by fuzzing (`fixtures/hostile/values_yaml/tagged-merge-key`): a
/// tagged `!z <<` key is a plain key named `<<`. go-yaml v2 (so Helm's
/// `toYaml`) prints it plain, and plain `<<` reads back as a merge key;
/// rudder prints what Helm prints, so this is the one key that does not
/// round-trip. Values are unaffected.
#[test]
fn a_key_named_lt_lt_prints_plain_as_helm_does() {
    let v = rudder_values::yaml::parse("!z <<: 6\nk: <<\n", "t.yaml").expect("parses");
    let text = rudder_values::yaml::to_string(&v);
    assert_eq!(text, "<<: 6\nk: <<\n");
    let err = rudder_values::yaml::parse(&text, "t.yaml").expect_err("a merge now");
    assert!(err.to_string().contains("merge key"), "{err}");
}
