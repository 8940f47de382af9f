//! YAML in and out, as Helm 4 reads values files and prints `toYaml`.
//!
//! # Why not serde
//!
//! Helm reads values with sigs.k8s.io/yaml: go-yaml v2 decodes YAML 1.1
//! (`yes`/`on`/`y` are booleans, `0777` is octal, timestamps stay strings),
//! the result goes through JSON (keys become strings, `.inf` is refused),
//! and Helm splits a values file into documents with the Kubernetes
//! `YAMLReader` and deep-merges them. No serde YAML crate resolves scalars
//! that way (serde_yaml is deprecated; serde-saphyr resolves YAML 1.2), and
//! neither lets us bound alias expansion and nesting ourselves. So we walk
//! the events of [`saphyr_parser`] (a maintained pure-Rust YAML 1.2 event
//! parser) and do resolution, key conversion, merging and budgets here:
//!
//! - `resolve`: go-yaml v2 scalar resolution and Go number formatting;
//! - `parse`: the event walk into a [`Value`], anchors, `<<` merges, limits;
//! - `emit`: go-yaml v2's emitter as sigs.k8s.io/yaml `Marshal` drives it.
//!
//! **Swap point:** `parse.rs` is the only file that knows the parser. To
//! change parsers, re-implement `parse::first_document` on the new event
//! stream; everything else (resolution, limits, emission) stays.
//!
//! # Differences from Helm, on purpose
//!
//! - Integers stay exact ([`Value::Int`], [`Value::UInt`]); Helm turns every
//!   number into a float64. Floats are floats in both.
//! - Errors name the line in the whole file; Helm counts lines from the
//!   start of the `---` document and gives no column.
//! - Keys that differ in YAML but convert to the same string (`1:` and
//!   `"1":`, `1:` and `1.0:`) keep the last one; Helm picks one at random
//!   (Go map order). Identical keys keep the last one in both.

mod emit;
mod fast;
pub mod head;
mod keys;
mod parse;
mod resolve;
mod scan;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_emit;
#[cfg(test)]
mod tests_fast;

pub use emit::{helm_marshal_fails, to_string, to_string_pretty};

use crate::{Error, Map, Result, Value};

/// Budgets that bound the time and memory one YAML document may take.
///
/// The defaults let through any honest values file rudder is benchmarked on
/// (10 MB) and refuse hostile ones quickly:
///
/// - `max_depth` = 1000 nested maps/lists. Real values files nest a few
///   dozen levels; go-yaml allows 10000, but every consumer of a
///   [`Value`] (coalescing, templates, emitters, even `Drop`) recurses, and
///   1000 levels stay well inside a 2 MiB thread stack.
/// - `max_nodes` = 10 000 000 nodes, alias copies and anchor copies
///   included. The densest YAML (`[0,0,…]`) spends 2 bytes per node, so a
///   10 MB file has at most 5 000 000 nodes; typical files have one per
///   10–30 bytes.
/// - `max_alias_nodes` = 1 000 000 nodes copied through aliases. Real
///   files alias a handful of small blocks; a "billion laughs" file needs
///   10^9. The copy is charged before it is made, so a bomb is refused
///   after at most this many copies (well under a second, ~100 MB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of maps and lists (the root collection is level 1).
    pub max_depth: usize,
    /// Most nodes a document may produce, counting alias expansions.
    pub max_nodes: usize,
    /// Most nodes that aliases (`*name`) may copy in one document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 1000,
            max_nodes: 10_000_000,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// Stack a document read needs at most, with room to spare; a caller with
/// less left reads on a fresh segment of [`STACK_SEGMENT`] bytes. (A
/// process's main thread has 8 MiB and reads where it is.)
const STACK_RED_ZONE: usize = if cfg!(debug_assertions) {
    6 << 20
} else {
    3 << 20
};

/// Stack segment for reading a document (reserved, touched only as used).
const STACK_SEGMENT: usize = 32 << 20;

/// Parses one YAML document the way sigs.k8s.io/yaml `Unmarshal` reads it
/// into an `interface{}`: the first document only (later `---` documents
/// are not read); no document at all is [`Value::Null`].
pub fn parse(text: &str, origin: &str) -> Result<Value> {
    parse_with(text, origin, &Limits::default())
}

/// [`parse`] with explicit [`Limits`].
pub fn parse_with(text: &str, origin: &str, limits: &Limits) -> Result<Value> {
    Ok(parse::first_document(text, origin, limits, 0)?.map_or(Value::Null, |r| r.value))
}

/// Reads a values file as Helm 4 does (`loader.LoadValues`, used for the
/// chart's `values.yaml` and for `-f`): the text is split into documents at
/// lines starting with `---`, each document must be a map (or empty/null),
/// and the maps are deep-merged in order, later documents winning
/// (`loader.MergeMaps`: maps merge key by key, anything else replaces).
pub fn parse_values(text: &str, origin: &str) -> Result<Map> {
    let limits = Limits::default();
    let mut out = Map::new();
    for (offset, doc) in split_documents(text, origin)? {
        let Some(root) = parse::first_document(doc, origin, &limits, offset)? else {
            continue;
        };
        match root.value {
            Value::Null => {}
            Value::Map(map) => crate::merge::merge_maps(&mut out, *map),
            other => {
                return Err(Error::Yaml {
                    origin: origin.to_owned(),
                    line: root.line,
                    column: root.column,
                    message: format!(
                        "a values document must be a map of keys to values, but this one is \
                         a {}; put the content under a key (`name: …`)",
                        other.kind()
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// Every document of a multi-document stream, split as Kubernetes'
/// `YAMLReader` splits it (lines starting with `---`). A document holding
/// only comments or blank lines is [`Value::Null`]; consecutive `---`
/// lines yield nothing.
pub fn parse_all(text: &str, origin: &str) -> Result<Vec<Value>> {
    let limits = Limits::default();
    split_documents(text, origin)?
        .into_iter()
        .map(|(offset, doc)| {
            Ok(parse::first_document(doc, origin, &limits, offset)?
                .map_or(Value::Null, |r| r.value))
        })
        .collect()
}

/// Checks the fast path for block-style documents against the full parser
/// on one document: whenever the fast path reads `text`, it must produce
/// exactly the value the full parser produces. For the fuzz target and the
/// tests; panics on a difference.
#[doc(hidden)]
pub fn check_fast_path(text: &str) {
    let limits = Limits::default();
    let whole = fast::document_in_parts(text, &limits, 1);
    // Reading in parts (on threads) must not change the outcome.
    for parts in 2..=4 {
        let split = fast::document_in_parts(text, &limits, parts);
        assert!(
            split == whole,
            "fast path in {parts} parts differs on {text:?}:\nparts: {split:?}\nwhole: {whole:?}"
        );
    }
    let Some((fast, _)) = whole else {
        return;
    };
    match parse::full_document(text, "fast-path", &limits, 0) {
        Ok(Some(root)) => assert!(
            root.value == fast,
            "fast path differs from saphyr on {text:?}:\nfast: {fast:?}\nfull: {:?}",
            root.value
        ),
        other => panic!(
            "fast path read {text:?} as {fast:?}, saphyr gives {:?}",
            other.map(|r| r.map(|r| r.value))
        ),
    }
}

/// [`parse`] through saphyr alone, for the benchmark that shows what the
/// fast path saves.
#[doc(hidden)]
pub fn parse_without_fast_path(text: &str, origin: &str) -> Result<Value> {
    Ok(parse::full_document(text, origin, &Limits::default(), 0)?.map_or(Value::Null, |r| r.value))
}

/// True when the fast path reads `text` (for tests that must exercise it).
#[doc(hidden)]
pub fn takes_fast_path(text: &str) -> bool {
    fast::document(text, &Limits::default()).is_some()
}

/// k8s.io/apimachinery `YAMLReader.Read`: a line that starts with `---`
/// ends the current document, and only blanks or a comment may follow the
/// `---` ("invalid Yaml document separator"). The separator is line based,
/// so it also splits inside a block scalar. Returns each document with the
/// number of lines before it.
fn split_documents<'t>(text: &'t str, origin: &str) -> Result<Vec<(usize, &'t str)>> {
    let mut docs = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, line index)
    let mut at = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(Error::Yaml {
                    origin: origin.to_owned(),
                    line: index + 1,
                    column: 4,
                    message: format!(
                        "invalid document separator `---{rest}`: helm splits documents at \
                         lines starting with `---`, and only a comment may follow it; move \
                         the content to the next line"
                    ),
                });
            }
            if let Some((byte, first)) = start.take() {
                docs.push((first, &text[byte..at]));
            }
        } else if start.is_none() {
            start = Some((at, index));
        }
        at += line.len();
    }
    if let Some((byte, first)) = start {
        docs.push((first, &text[byte..]));
    }
    Ok(docs)
}
