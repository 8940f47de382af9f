//! Combining values trees, with Helm's two sets of rules.
//!
//! * [`merge_maps`]: how `-f` files (and the documents inside one file, and
//!   a whole-object `--set-json`) stack: maps merge deeply, anything else in
//!   the later layer replaces, nulls are kept.
//! * [`coalesce_tables`]: how chart defaults fill in under user values
//!   (Helm's `coalesceTablesFullKey`): the user side wins, a user null
//!   deletes a chart default, and a map never overwrites a scalar or the
//!   other way round (Helm warns and keeps the user side).

use crate::{Map, Value};

/// Helm's `loader.MergeMaps(a, b)`: `b` wins; maps present on both sides
/// merge recursively; lists and scalars are replaced whole.
pub fn merge_maps(a: &mut Map, b: Map) {
    if a.is_empty() {
        // The first layer (a single values file): nothing to merge into.
        *a = b;
        return;
    }
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Map(av)), Value::Map(bv)) => merge_maps(av, *bv),
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
}

/// Helm's `coalesceTablesFullKey(dst, src, merge)`: fills `dst` (the
/// authoritative side, e.g. user values) with what it lacks from `src`
/// (e.g. chart defaults).
///
/// With `merge == false` (coalescing), a null in `dst` over a non-null
/// default deletes the key; a null on both sides stays. With `merge == true`
/// nulls are kept, to be coalesced later. Kind conflicts keep `dst` and add
/// a warning naming the dotted path.
pub fn coalesce_tables(
    dst: &mut Map,
    src: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<String>,
) {
    for (key, val) in src {
        let full = join_path(prefix, &key);
        match dst.get_mut(&key) {
            None => {
                dst.insert(key, val);
            }
            Some(Value::Null) => {
                if !merge && !val.is_null() {
                    // The user nullified a chart default: drop the key.
                    dst.shift_remove(&key);
                }
            }
            Some(Value::Map(dv)) => match val {
                Value::Map(sv) => coalesce_tables(dv, *sv, &full, merge, warnings),
                Value::Null => {}
                other => warnings.push(format!(
                    "destination for {full} is a table; ignoring non-table value ({})",
                    short(&other)
                )),
            },
            Some(_) => {
                if let Value::Map(_) = val {
                    warnings.push(format!(
                        "cannot overwrite table with non table for {full} ({})",
                        short(&val)
                    ));
                }
            }
        }
    }
}

/// Helm's `cleanNilValues`: removes null entries from maps at every depth
/// (lists are left alone).
pub fn clean_nils(m: &mut Map) {
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        if let Value::Map(sub) = v {
            clean_nils(sub);
        }
    }
}

/// `a.b` from a prefix and a key, as Helm's `concatPrefix`.
pub fn join_path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// A value as a warning shows it: JSON, cut at 60 characters.
pub(crate) fn short(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: serde_json::Value) -> Map {
        match Value::from(v) {
            Value::Map(m) => *m,
            _ => Map::new(),
        }
    }

    #[test]
    fn merge_maps_is_deep_for_maps_and_replaces_the_rest() {
        let mut a = map(json!({"m": {"x": 1, "y": [1, 2]}, "l": [1], "s": 1, "n": 1}));
        merge_maps(
            &mut a,
            map(json!({"m": {"y": [3], "z": null}, "l": [2], "s": {"k": 1}, "n": null})),
        );
        assert_eq!(
            Value::Map(Box::new(a)).to_json(),
            json!({"m": {"x": 1, "y": [3], "z": null}, "l": [2], "s": {"k": 1}, "n": null})
        );
    }

    #[test]
    fn merge_maps_with_an_empty_layer_is_identity() {
        let orig = map(json!({"a": {"b": [1, {"c": null}]}}));
        let mut a = orig.clone();
        merge_maps(&mut a, Map::new());
        assert_eq!(a, orig);
    }

    #[test]
    fn coalesce_user_wins_and_defaults_fill_in() {
        let mut w = Vec::new();
        let mut dst = map(json!({"a": {"x": 1}, "l": [9]}));
        coalesce_tables(
            &mut dst,
            map(json!({"a": {"x": 0, "y": 2}, "l": [1, 2], "d": "def"})),
            "",
            false,
            &mut w,
        );
        assert_eq!(
            Value::Map(Box::new(dst)).to_json(),
            json!({"a": {"x": 1, "y": 2}, "l": [9], "d": "def"})
        );
        assert!(w.is_empty());
    }

    #[test]
    fn coalesce_user_null_deletes_a_default_but_a_null_on_both_sides_stays() {
        let mut w = Vec::new();
        let mut dst = map(json!({"a": null, "b": null, "c": {"d": null}}));
        coalesce_tables(
            &mut dst,
            map(json!({"a": 1, "b": null, "c": {"d": {"e": 1}}})),
            "",
            false,
            &mut w,
        );
        assert_eq!(
            Value::Map(Box::new(dst)).to_json(),
            json!({"b": null, "c": {}})
        );
    }

    #[test]
    fn merging_keeps_user_nulls() {
        let mut w = Vec::new();
        let mut dst = map(json!({"a": null}));
        coalesce_tables(&mut dst, map(json!({"a": 1, "b": 2})), "", true, &mut w);
        assert_eq!(
            Value::Map(Box::new(dst)).to_json(),
            json!({"a": null, "b": 2})
        );
    }

    #[test]
    fn coalesce_kind_conflicts_keep_the_user_side_and_warn() {
        let mut w = Vec::new();
        let mut dst = map(json!({"a": 1, "b": {"c": 1}}));
        coalesce_tables(
            &mut dst,
            map(json!({"a": {"x": 1}, "b": 5})),
            "top",
            false,
            &mut w,
        );
        assert_eq!(
            Value::Map(Box::new(dst)).to_json(),
            json!({"a": 1, "b": {"c": 1}})
        );
        assert_eq!(
            w,
            [
                "cannot overwrite table with non table for top.a ({\"x\":1})",
                "destination for top.b is a table; ignoring non-table value (5)"
            ]
        );
    }

    #[test]
    fn clean_nils_recurses_into_maps_only() {
        let mut m = map(json!({"a": null, "b": {"c": null, "d": [null]}}));
        clean_nils(&mut m);
        assert_eq!(
            Value::Map(Box::new(m)).to_json(),
            json!({"b": {"d": [null]}})
        );
    }
}
