//! Dict functions (Sprig's `dict.go`) and [`Dict`], the mutable map they
//! build.
//!
//! Go maps are references: `{{ $_ := set $d "k" "v" }}` changes `$d`, and
//! `merge` writes into its first argument. Templates rely on that, so maps
//! made here are `Dict` objects with interior mutability. Helm's own maps
//! change in place too: the top-level `.` (an [`Extended`] map) and every
//! map of `Values` (a view that becomes a `Dict` on its first change, see
//! [`View::promote`]). Any other map (a plain minijinja map) cannot change;
//! `set`, `unset` and the merges then return a modified `Dict` copy instead.

use super::convert::View;
use super::gofmt::strval;
use super::{fail, is_empty, is_nil, map_entries, seq_items, str_arg};
use minijinja::Error;
use minijinja::value::{Enumerator, Kwargs, Object, ObjectRepr, Rest, Value, ValueKind};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// A Go `map[string]interface{}`: string keys, iterated in sorted key order
/// as Go's `range`, printers and encoders visit a map, mutable through
/// shared references (every `$d` names the same map, as in Go).
#[derive(Debug, Default)]
pub struct Dict(Mutex<BTreeMap<String, Value>>);

impl Dict {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Value>> {
        // A poisoned lock only means another thread panicked mid-update; the
        // map itself is still a valid map.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets `key` to `value`.
    pub fn insert(&self, key: String, value: Value) {
        self.lock().insert(key, value);
    }

    /// Removes `key`, keeping the order of the rest.
    pub fn remove(&self, key: &str) -> Option<Value> {
        self.lock().remove(key)
    }

    /// How many entries it has.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether it has no entries.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.lock().get(key).cloned()
    }

    /// A snapshot of the entries.
    pub fn entries(&self) -> Vec<(String, Value)> {
        self.lock()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// A `Dict` holding `entries`.
    pub(crate) fn new(entries: impl IntoIterator<Item = (String, Value)>) -> Dict {
        Dict(Mutex::new(entries.into_iter().collect()))
    }

    /// A `Dict` value holding `entries`.
    pub fn from_entries(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
        Value::from_object(Dict(Mutex::new(entries.into_iter().collect())))
    }
}

impl Object for Dict {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get(key.as_str()?)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let keys: Vec<Value> = self
            .lock()
            .keys()
            .map(|k| Value::from(k.as_str()))
            .collect();
        Enumerator::Values(keys)
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.lock().len())
    }

    fn is_true(self: &Arc<Self>) -> bool {
        !self.lock().is_empty()
    }
}

/// A map that templates may add keys to: Helm's top-level `.` is a Go
/// map that all templates of a chart share (`engine.recAllTpls`), so
/// `{{ $_ := set . "enabled" true }}` in one file is `.enabled` in every
/// file Helm executes after it (vault's charts keep their flags there).
/// `base` answers first; added keys live in `extra`.
#[derive(Debug)]
pub(crate) struct Extended {
    base: Value,
    extra: Arc<Dict>,
}

impl Extended {
    /// `base` with the keys of `extra`, shared by every value made with it.
    pub(crate) fn value(base: Value, extra: Arc<Dict>) -> Value {
        Value::from_object(Extended { base, extra })
    }

    fn keys(&self) -> Vec<Value> {
        let mut keys: Vec<Value> = self
            .base
            .try_iter()
            .map(Iterator::collect)
            .unwrap_or_default();
        for (k, _) in self.extra.entries() {
            let k = Value::from(k);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        keys
    }
}

impl Object for Extended {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match self.base.get_item(key) {
            Ok(v) if !v.is_undefined() => Some(v),
            _ => self.extra.get(key.as_str()?),
        }
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        match self.base.get_attr(key) {
            Ok(v) if !v.is_undefined() => Some(v),
            _ => self.extra.get(key),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.keys())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.keys().len())
    }

    fn is_true(self: &Arc<Self>) -> bool {
        true
    }
}

/// The map a change to `v` goes into, when `v` is one of Helm's maps that
/// change in place.
fn in_place(v: &Value) -> Option<Arc<Dict>> {
    if let Some(e) = v.downcast_object_ref::<Extended>() {
        return Some(e.extra.clone());
    }
    v.downcast_object_ref::<View>().and_then(View::promote)
}

/// The map's entries with string keys (Helm turns every key into a string).
fn entries_of(v: &Value) -> Vec<(String, Value)> {
    if let Some(d) = v.downcast_object_ref::<Dict>() {
        return d.entries();
    }
    map_entries(v)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (strval(&k), v))
        .collect()
}

fn expect_map(func: &str, v: &Value) -> Result<(), Error> {
    if v.kind() == ValueKind::Map {
        Ok(())
    } else {
        Err(fail(format!(
            "{func}: expected a dict, got {}",
            super::describe(v)
        )))
    }
}

/// Applies `change` to `d` in place when it is a `Dict`, else to a `Dict`
/// copy; returns the changed dict.
fn modify(d: &Value, change: impl FnOnce(&Dict)) -> Value {
    if let Some(dict) = d.downcast_object_ref::<Dict>() {
        change(dict);
        return d.clone();
    }
    if let Some(dict) = in_place(d) {
        change(&dict);
        return d.clone();
    }
    let copy = Dict(Mutex::new(entries_of(d).into_iter().collect()));
    change(&copy);
    Value::from_object(copy)
}

/// Helm `dict K1 V1 K2 V2 ...`: keys are printed as strings (`dict 1 2` has
/// key `"1"`), a key without a value maps to `""`. Keyword arguments are
/// also accepted. `{{ dict("a", 1, "b", 2) }}`
pub fn dict(args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let d = Dict::default();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::from(""));
        d.insert(pair.first().map(strval).unwrap_or_default(), value);
    }
    for name in kwargs.args().map(str::to_string).collect::<Vec<_>>() {
        let value = kwargs.get::<Value>(&name)?;
        d.insert(name, value);
    }
    Ok(Value::from_object(d))
}

/// Helm `get D KEY`: the value, or `""` when the key is missing.
/// `{{ Values.m | get("k") }}`
pub fn get(d: &Value, key: &Value) -> Result<Value, Error> {
    let key = str_arg("get", "key", key)?;
    if is_nil(d) {
        return Ok(Value::from(""));
    }
    expect_map("get", d)?;
    Ok(d.get_attr(key)
        .ok()
        .filter(|v| !v.is_undefined())
        .unwrap_or_else(|| Value::from("")))
}

/// Helm `set D KEY VALUE`: sets the key (in place for a `Dict`) and returns
/// the dict. `{% set _ = d | set("k", 1) %}`
pub fn set(d: &Value, key: &Value, value: Value) -> Result<Value, Error> {
    expect_map("set", d)?;
    let key = str_arg("set", "key", key)?.to_string();
    refuse_cycle("set", d, &value)?;
    Ok(modify(d, |m| m.insert(key, value)))
}

/// Go maps can hold themselves; printing such a map recurses forever (Go
/// and minijinja alike). rudder refuses to put a `Dict` inside itself:
/// `value` may not reach `d` through maps and lists. The walk is bounded,
/// so a huge value costs at most that many steps.
fn refuse_cycle(func: &str, d: &Value, value: &Value) -> Result<(), Error> {
    let Some(target) = d.downcast_object_ref::<Dict>() else {
        return Ok(());
    };
    let mut budget = 100_000usize;
    if reaches(value, target, &mut budget) {
        return Err(fail(format!(
            "{func}: cannot put a map inside itself (the value contains the map)"
        )));
    }
    Ok(())
}

fn reaches(v: &Value, target: &Dict, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    if v.downcast_object_ref::<Dict>()
        .is_some_and(|d| std::ptr::eq(d, target))
    {
        return true;
    }
    match v.kind() {
        ValueKind::Map => entries_of(v)
            .iter()
            .any(|(_, x)| reaches(x, target, budget)),
        ValueKind::Seq => v
            .try_iter()
            .is_ok_and(|mut it| it.any(|x| reaches(&x, target, budget))),
        _ => false,
    }
}

/// Helm `unset D KEY`: removes the key (in place for a `Dict`) and returns
/// the dict. `{% set _ = d | unset("k") %}`
pub fn unset(d: &Value, key: &Value) -> Result<Value, Error> {
    expect_map("unset", d)?;
    let key = str_arg("unset", "key", key)?.to_string();
    Ok(modify(d, |m| {
        m.remove(&key);
    }))
}

/// Helm `hasKey D KEY`; a nil dict has no keys. `{{ Values.m | hasKey("k") }}`
pub fn has_key(d: &Value, key: &Value) -> Result<bool, Error> {
    let key = str_arg("hasKey", "key", key)?;
    if is_nil(d) {
        return Ok(false);
    }
    expect_map("hasKey", d)?;
    Ok(entries_of(d).iter().any(|(k, _)| k == key))
}

/// Helm `keys D ...`: the keys of all given dicts (Go's order is random;
/// rudder gives each dict's keys in its iteration order, sorted for the
/// maps `dict` builds; pipe to `sortAlpha` for Helm-stable text).
/// `{{ Values.m | keys | sortAlpha }}`
pub fn keys(dicts: Rest<Value>) -> Result<Value, Error> {
    let mut out = Vec::new();
    for d in dicts.iter() {
        if is_nil(d) {
            continue;
        }
        expect_map("keys", d)?;
        out.extend(entries_of(d).into_iter().map(|(k, _)| Value::from(k)));
    }
    Ok(Value::from(out))
}

/// `keys` as a filter: `d | keys(other...)`.
pub fn keys_filter(d: Value, more: Rest<Value>) -> Result<Value, Error> {
    let mut all = vec![d];
    all.extend(more.0);
    keys(Rest(all))
}

/// Helm `values D`: the values (in key order for `dict` maps). `{{ Values.m | values }}`
pub fn values(d: &Value) -> Result<Value, Error> {
    if is_nil(d) {
        return Ok(Value::from(Vec::<Value>::new()));
    }
    expect_map("values", d)?;
    Ok(Value::from(
        entries_of(d)
            .into_iter()
            .map(|(_, v)| v)
            .collect::<Vec<_>>(),
    ))
}

fn key_names(func: &str, names: &[Value]) -> Result<Vec<String>, Error> {
    names
        .iter()
        .map(|k| str_arg(func, "key", k).map(str::to_string))
        .collect()
}

/// Helm `pick D K ...`: a new dict with only the named keys.
/// `{{ Values.m | pick("a", "c") }}`
pub fn pick(d: &Value, names: Rest<Value>) -> Result<Value, Error> {
    expect_map("pick", d)?;
    let names = key_names("pick", &names)?;
    Ok(Dict::from_entries(
        entries_of(d).into_iter().filter(|(k, _)| names.contains(k)),
    ))
}

/// Helm `omit D K ...`: a new dict without the named keys.
/// `{{ Values.m | omit("a") }}`
pub fn omit(d: &Value, names: Rest<Value>) -> Result<Value, Error> {
    expect_map("omit", d)?;
    let names = key_names("omit", &names)?;
    Ok(Dict::from_entries(
        entries_of(d)
            .into_iter()
            .filter(|(k, _)| !names.contains(k)),
    ))
}

/// mergo's deep merge of `src` into `dst`: nested maps merge recursively;
/// other keys take `src`'s value when missing in `dst`, when `overwrite`,
/// or (without `overwrite`) when `dst`'s value is empty (nil, `""`, `0`,
/// `false`, empty list or map).
fn merge_into(dst: &Dict, src: &Value, overwrite: bool) {
    for (k, sv) in entries_of(src) {
        match dst.get(&k) {
            None => dst.insert(k, sv),
            Some(dv) if dv.kind() == ValueKind::Map && sv.kind() == ValueKind::Map => {
                let merged = modify(&dv, |inner| merge_into(inner, &sv, overwrite));
                dst.insert(k, merged);
            }
            Some(dv) => {
                if overwrite {
                    // mergo keeps a map when the source is an empty map.
                    if !(dv.kind() == ValueKind::Map && is_empty(&sv) && !is_nil(&sv)) {
                        dst.insert(k, sv);
                    }
                } else if is_empty(&dv) {
                    dst.insert(k, sv);
                }
            }
        }
    }
}

fn merge_impl(func: &str, dst: &Value, srcs: &[Value], overwrite: bool) -> Result<Value, Error> {
    expect_map(func, dst)?;
    for s in srcs.iter().filter(|s| !is_nil(s)) {
        expect_map(func, s)?;
        for (_, v) in entries_of(s) {
            refuse_cycle(func, dst, &v)?;
        }
    }
    Ok(modify(dst, |d| {
        for s in srcs.iter().filter(|s| !is_nil(s)) {
            merge_into(d, s, overwrite);
        }
    }))
}

/// Helm `merge DST SRC ...`: deep-merges the sources into `DST`, earlier
/// values winning; `DST`'s empty values (`""`, `0`, `false`, nil) are
/// filled. Mutates `DST` when it is a `Dict`, and returns it.
/// `{{ Values.a | merge(Values.b) }}`
pub fn merge(dst: &Value, srcs: Rest<Value>) -> Result<Value, Error> {
    merge_impl("merge", dst, &srcs, false)
}

/// Helm `mergeOverwrite DST SRC ...`: like `merge` but later values win,
/// even nil and empty ones.
pub fn merge_overwrite(dst: &Value, srcs: Rest<Value>) -> Result<Value, Error> {
    merge_impl("mergeOverwrite", dst, &srcs, true)
}

/// Helm `deepCopy V`: a copy in which every map is a new `Dict` and every
/// list a new list. `{{ Values.m | deepCopy }}`
///
/// Sprig hands the value to `copystructure`, which fails on Go's nil
/// ("reflect: call of reflect.Value.Type on zero Value"): so does this.
pub fn deep_copy(v: Value) -> Result<Value, Error> {
    if v.is_none() || v.is_undefined() {
        return Err(fail(
            "deepCopy: cannot copy nil; check the value with `if` first",
        ));
    }
    super::bounded("deepCopy", || copy(v))
}

fn copy(v: Value) -> Value {
    let Some(_nest) = super::Nest::enter() else {
        return Value::from(());
    };
    if v.kind() == ValueKind::Map {
        return Dict::from_entries(entries_of(&v).into_iter().map(|(k, x)| (k, copy(x))));
    }
    if v.kind() == ValueKind::Seq
        && let Some(items) = seq_items(&v)
    {
        return Value::from(items.into_iter().map(copy).collect::<Vec<_>>());
    }
    v
}

/// Helm `dig K1 K2 ... DEFAULT D`: walks nested keys, `DEFAULT` when one is
/// missing. `{{ Values | dig("a", "b", "fallback") }}`
pub fn dig(d: &Value, args: Rest<Value>) -> Result<Value, Error> {
    let Some((default, path)) = args.split_last() else {
        return Err(fail("dig: expected keys and a default value"));
    };
    let path = key_names("dig", path)?;
    let mut cur = d.clone();
    for key in &path {
        if cur.kind() != ValueKind::Map {
            return Ok(default.clone());
        }
        match entries_of(&cur).into_iter().find(|(k, _)| k == key) {
            Some((_, v)) => cur = v,
            None => return Ok(default.clone()),
        }
    }
    Ok(cur)
}

/// Helm `pluck KEY DICT…`: the values under `KEY` in each dict that has it.
pub fn pluck(key: &Value, dicts: Rest<Value>) -> Result<Value, Error> {
    let key = str_arg("pluck", "key", key)?;
    let mut out = Vec::new();
    for d in dicts.iter() {
        let entries = map_entries(d)
            .ok_or_else(|| fail(format!("pluck: expected maps, got {}", super::describe(d))))?;
        if let Some((_, v)) = entries.into_iter().find(|(k, _)| k.as_str() == Some(key)) {
            out.push(v);
        }
    }
    Ok(Value::from(out))
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_function("dict", dict);
    env.add_filter("get", get);
    env.add_filter("set", set);
    env.add_filter("unset", unset);
    env.add_filter("hasKey", has_key);
    env.add_function("keys", keys);
    env.add_filter("keys", keys_filter);
    env.add_filter("values", values);
    env.add_filter("pick", pick);
    env.add_filter("omit", omit);
    env.add_filter("merge", merge);
    env.add_filter("mergeOverwrite", merge_overwrite);
    env.add_function("deepCopy", deep_copy);
    env.add_filter("deepCopy", deep_copy);
    env.add_filter("dig", dig);
    env.add_function("pluck", pluck);
    env.add_filter("mustMerge", merge);
    env.add_filter("mustMergeOverwrite", merge_overwrite);
    env.add_filter("mustDeepCopy", deep_copy);
}

#[cfg(test)]
mod cycle_tests {
    use super::super::{Rng, time::Clock};

    /// A map put inside itself would make printing recurse forever: refused.
    #[test]
    fn a_map_cannot_be_put_inside_itself() {
        let env = super::super::testing::env(Rng::new(Some(1)), Clock::new(None));
        for (tpl, func) in [
            (
                r#"{% set d = dict("a", 1) %}{% set _ = d | set("self", d) %}"#,
                "set",
            ),
            (
                r#"{% set d = dict() %}{% set _ = d | set("l", list(1, d)) %}"#,
                "set",
            ),
            (
                r#"{% set d = dict() %}{% set _ = d | merge(dict("in", d)) %}"#,
                "merge",
            ),
            (
                r#"{% set d = dict() %}{% set _ = d | mergeOverwrite(dict("x", dict("y", d))) %}"#,
                "mergeOverwrite",
            ),
        ] {
            let err = env.render_str(tpl, ()).expect_err(tpl).to_string();
            assert!(
                err.contains(&format!("{func}: cannot put a map inside itself")),
                "{tpl}: {err}"
            );
        }
        // Copies are fine: the same content, another map.
        let ok = r#"{% set d = dict("a", 1) %}{% set _ = d | set("copy", d | deepCopy) %}{{ d | toJson }}"#;
        assert_eq!(
            env.render_str(ok, ()).expect("renders"),
            r#"{"a":1,"copy":{"a":1}}"#
        );
    }
}
