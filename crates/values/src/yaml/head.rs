//! The head of a rendered document: the fields Helm reads from every
//! document to sort and check it (`apiVersion`, `kind`, `metadata.name`,
//! the `helm.sh/hook` and `helm.sh/hook-weight` annotations).
//!
//! Helm (`releaseutil.SortManifests`) unmarshals every document into a
//! `SimpleHead` with sigs.k8s.io/yaml, so the whole document must be valid
//! YAML even though only the head is kept. A full parse of every document
//! was 39% of a render. [`scan`] reads the head in one pass over the lines
//! instead, for the block-style YAML that templates produce, and checks on
//! the way that the whole document is YAML the full parser accepts. It gives
//! up (`None`) on anything it cannot vouch for: flow collections over
//! several lines, anchors, aliases, tags, multi-line plain or quoted
//! scalars, tabs outside block scalars, control characters, directives,
//! keys that are not plain strings, `.inf`/`.nan` values, fields whose type
//! it cannot tell. The caller then parses the document in full, so the
//! result and every error are the same either way; the tests compare both on
//! every document of the repository's charts (rudder-render's manifest tests), on hand-written edge cases and
//! on mutations of them.
//!
//! Duplicate keys keep the last value, as in the full parse (go-yaml v2's
//! `Unmarshal` is not strict): a second `metadata:` replaces the first one's
//! name and annotations.

use crate::Value as V;

use super::scan::{self, KeySplit, Quoted};

/// What sorting needs from one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head {
    /// The document is a map (otherwise it is empty, comments or null).
    pub is_map: bool,
    /// `apiVersion`, empty unless a string.
    pub api_version: String,
    /// `kind`, empty unless a string.
    pub kind: String,
    /// `metadata.name`, empty unless a string.
    pub name: String,
    /// `metadata.annotations["helm.sh/hook"]`, if a string.
    pub hook: Option<String>,
    /// `metadata.annotations["helm.sh/hook-weight"]`, if a string.
    pub hook_weight: Option<String>,
}

impl Head {
    /// The head of a parsed document; `Err` names the kind of a document
    /// that is neither a map nor null.
    pub fn of_value(v: &V) -> Result<Head, &'static str> {
        let text = |path: &[&str]| match v.get_path(path.iter().copied()) {
            Some(V::String(s)) => Some(s.clone()),
            _ => None,
        };
        match v {
            V::Null => Ok(Head::default()),
            V::Map(_) => Ok(Head {
                is_map: true,
                api_version: text(&["apiVersion"]).unwrap_or_default(),
                kind: text(&["kind"]).unwrap_or_default(),
                name: text(&["metadata", "name"]).unwrap_or_default(),
                hook: text(&["metadata", "annotations", "helm.sh/hook"]),
                hook_weight: text(&["metadata", "annotations", "helm.sh/hook-weight"]),
            }),
            other => Err(other.kind()),
        }
    }
}

/// The full parser's node budget (`rudder_values::yaml::Limits`): a
/// document that might exceed it is left to the full parser, which reports
/// it. The scanner charges each line outside block scalars its length plus
/// two, more than the nodes a line can hold (every key, item and scalar
/// takes at least one character, and a line opens at most one map or list
/// more than it has characters for); block scalar lines cost nothing (the
/// scalar is one node, charged on its header line). A large document of
/// `toYaml` output inside a `|` block is therefore scanned, not parsed.
fn max_nodes() -> usize {
    super::Limits::default().max_nodes
}
/// Deeper nesting is left to the full parser (and its depth limit).
const MAX_DEPTH: usize = 100;

/// The head of `doc` if the document is certainly valid YAML whose head can
/// be read without a full parse; `None` to parse it in full.
pub fn scan(doc: &str) -> Option<Head> {
    let mut s = Scanner {
        tabs: scan::chars_ok(doc)?,
        ..Scanner::default()
    };
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', doc.as_bytes()) {
        s.line(&doc[start..end])?;
        start = end + 1;
    }
    s.line(&doc[start..])?;
    let [api_version, kind, name, hook, hook_weight] = s.fields;
    Some(Head {
        is_map: s.started,
        api_version: api_version.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        name: name.unwrap_or_default(),
        hook,
        hook_weight,
    })
}

/// Where a map sits on the paths the head reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Root,
    Metadata,
    Annotations,
    Other,
}

/// What a value is for: a node on the head's paths, or one of its fields
/// (an index into `Scanner::fields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Node(Slot),
    Field(usize),
}

const API_VERSION: usize = 0;
const KIND: usize = 1;
const NAME: usize = 2;
const HOOK: usize = 3;
const HOOK_WEIGHT: usize = 4;

/// An open block collection.
#[derive(Debug)]
struct Frame {
    indent: usize,
    kind: FrameKind,
}

#[derive(Debug, PartialEq, Eq)]
enum FrameKind {
    Map(Slot),
    /// A block sequence; `in_map` when it is a map value indented like
    /// its key (`key:` then `- item` at the same column).
    Seq {
        in_map: bool,
    },
}

/// A key or `-` whose value starts on a later line (or is null).
#[derive(Debug)]
struct Pending {
    /// Indentation of the map or sequence holding the key or item.
    indent: usize,
    target: Target,
    after_key: bool,
}

/// A block scalar (`|`, `>`) being skipped.
#[derive(Debug)]
struct BlockScalar {
    /// Indentation of the collection holding it: content is deeper.
    parent: usize,
    /// The content's indentation, once a non-blank line set it.
    content: Option<usize>,
    /// The widest all-space line before the content: YAML refuses one
    /// wider than the content's indentation.
    leading: usize,
}

#[derive(Debug, Default)]
struct Scanner {
    stack: Vec<Frame>,
    pending: Option<Pending>,
    block: Option<BlockScalar>,
    /// The root map has started.
    started: bool,
    /// The document holds tabs somewhere.
    tabs: bool,
    fields: [Option<String>; 5],
    /// More than the nodes read so far (see [`max_nodes`]).
    nodes: usize,
}

impl Scanner {
    fn line(&mut self, line: &str) -> Option<()> {
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let rest = &line[indent..];
        if self.block_line(indent, rest)? {
            return Some(());
        }
        if rest.is_empty() || rest.starts_with('#') {
            return Some(());
        }
        self.nodes += rest.len() + 2;
        if self.nodes > max_nodes() {
            return None;
        }
        // Tabs (go-yaml refuses some, saphyr others), document markers and
        // directives are left to the full parser.
        if (self.tabs && rest.as_bytes().contains(&b'\t'))
            || (indent == 0 && (rest.starts_with("---") || rest.starts_with("...")))
            || rest.starts_with('%')
        {
            return None;
        }
        let dash = scan::is_dash(rest);
        if let Some(p) = self.pending.take()
            && (indent > p.indent || (indent == p.indent && dash && p.after_key))
        {
            // The pending key's (or item's) value is a collection starting
            // on this line.
            if self.stack.len() >= MAX_DEPTH {
                return None;
            }
            if dash {
                self.stack.push(Frame {
                    indent,
                    kind: FrameKind::Seq {
                        in_map: indent == p.indent,
                    },
                });
                return self.seq_entry(indent, rest);
            }
            let slot = match p.target {
                Target::Node(slot) => slot,
                Target::Field(_) => Slot::Other,
            };
            self.stack.push(Frame {
                indent,
                kind: FrameKind::Map(slot),
            });
            return self.map_entry(indent, slot, rest);
        }
        // Otherwise a pending value was null, and this line continues an
        // enclosing collection.
        while let Some(top) = self.stack.last() {
            let closes = top.indent > indent
                || (top.indent == indent && top.kind == FrameKind::Seq { in_map: true } && !dash);
            if !closes {
                break;
            }
            self.stack.pop();
        }
        match self.stack.last() {
            None if self.started || dash => None,
            None => {
                self.started = true;
                self.stack.push(Frame {
                    indent,
                    kind: FrameKind::Map(Slot::Root),
                });
                self.map_entry(indent, Slot::Root, rest)
            }
            Some(top) if top.indent != indent => None,
            Some(Frame {
                kind: FrameKind::Map(slot),
                ..
            }) => {
                if dash {
                    return None;
                }
                let slot = *slot;
                self.map_entry(indent, slot, rest)
            }
            Some(Frame {
                kind: FrameKind::Seq { .. },
                ..
            }) => {
                if !dash {
                    return None;
                }
                self.seq_entry(indent, rest)
            }
        }
    }

    /// Consumes a line of an open block scalar; `false` when the line is
    /// not part of it (the scalar has ended).
    fn block_line(&mut self, indent: usize, rest: &str) -> Option<bool> {
        let Some(block) = &mut self.block else {
            return Some(false);
        };
        if block.content.is_some_and(|content| indent >= content) {
            return Some(true);
        }
        if rest.bytes().all(|b| b == b' ' || b == b'\t') {
            // A tab in the indentation: left to the full parser.
            if rest.contains('\t') {
                return None;
            }
            if block.content.is_none() {
                block.leading = block.leading.max(indent);
            }
            return Some(true);
        }
        if block.content.is_none() && indent > block.parent {
            if block.leading > indent {
                return None;
            }
            block.content = Some(indent);
            return Some(true);
        }
        self.block = None;
        Some(false)
    }

    /// `- …` at column `indent`.
    fn seq_entry(&mut self, indent: usize, rest: &str) -> Option<()> {
        let after = &rest[1..];
        let content = scan::trim_spaces_start(after);
        let col = indent + 1 + (after.len() - content.len());
        if content.is_empty() || content.starts_with('#') {
            self.pending = Some(Pending {
                indent,
                target: Target::Node(Slot::Other),
                after_key: false,
            });
            return Some(());
        }
        if self.stack.len() >= MAX_DEPTH {
            return None;
        }
        if scan::is_dash(content) {
            self.stack.push(Frame {
                indent: col,
                kind: FrameKind::Seq { in_map: false },
            });
            return self.seq_entry(col, content);
        }
        match scan::split_key(content) {
            KeySplit::Bail => None,
            KeySplit::Key(..) => {
                self.stack.push(Frame {
                    indent: col,
                    kind: FrameKind::Map(Slot::Other),
                });
                self.map_entry(col, Slot::Other, content)
            }
            KeySplit::NotKey => self.value(indent, Target::Node(Slot::Other), content, false),
        }
    }

    /// `key: …` at column `indent`, in a map at `slot`.
    fn map_entry(&mut self, indent: usize, slot: Slot, text: &str) -> Option<()> {
        let KeySplit::Key(key, after) = scan::split_key(text) else {
            return None;
        };
        let target = self.target(slot, &key);
        let value = scan::trim_spaces_start(&text[after..]);
        self.value(indent, target, value, true)
    }

    /// What the value of `key` in a map at `slot` is for. A key seen again
    /// replaces its old value, so the fields below it are forgotten.
    fn target(&mut self, slot: Slot, key: &str) -> Target {
        if slot == Slot::Other {
            return Target::Node(Slot::Other);
        }
        let (target, clears): (Target, &[usize]) = match (slot, key) {
            (Slot::Root, "apiVersion") => (Target::Field(API_VERSION), &[API_VERSION]),
            (Slot::Root, "kind") => (Target::Field(KIND), &[KIND]),
            (Slot::Root, "metadata") => (Target::Node(Slot::Metadata), &[NAME, HOOK, HOOK_WEIGHT]),
            (Slot::Metadata, "name") => (Target::Field(NAME), &[NAME]),
            (Slot::Metadata, "annotations") => {
                (Target::Node(Slot::Annotations), &[HOOK, HOOK_WEIGHT])
            }
            (Slot::Annotations, "helm.sh/hook") => (Target::Field(HOOK), &[HOOK]),
            (Slot::Annotations, "helm.sh/hook-weight") => {
                (Target::Field(HOOK_WEIGHT), &[HOOK_WEIGHT])
            }
            _ => (Target::Node(Slot::Other), &[]),
        };
        for &f in clears {
            self.fields[f] = None;
        }
        target
    }

    /// A value starting on the line of its key or `-` (`owner` is the
    /// indentation of the collection holding it).
    fn value(&mut self, owner: usize, target: Target, text: &str, after_key: bool) -> Option<()> {
        let Some(&first) = text.as_bytes().first() else {
            self.pending = Some(Pending {
                indent: owner,
                target,
                after_key,
            });
            return Some(());
        };
        match first {
            b'#' => {
                self.pending = Some(Pending {
                    indent: owner,
                    target,
                    after_key,
                });
                Some(())
            }
            b'"' | b'\'' => {
                let q = scan::quoted(text.as_bytes(), 0)?;
                if !scan::trailing_ok(&text[q.end..]) {
                    return None;
                }
                if let Target::Field(f) = target {
                    // Escapes are left to the full parser.
                    if q.escaped {
                        return None;
                    }
                    self.fields[f] = Some(unquote(text, &q));
                }
                Some(())
            }
            b'|' | b'>' => {
                if matches!(target, Target::Field(_)) || !scan::block_header_ok(&text[1..]) {
                    return None;
                }
                self.block = Some(BlockScalar {
                    parent: owner,
                    content: None,
                    leading: 0,
                });
                Some(())
            }
            b'[' | b'{' => {
                let (end, empty) = scan::flow(text.as_bytes(), 0, 0)?;
                if !scan::trailing_ok(&text[end..]) {
                    return None;
                }
                // A non-empty flow map on the head's path is left to the
                // full parser; a collection is never a field's string.
                match target {
                    Target::Node(Slot::Metadata | Slot::Annotations) if !empty => None,
                    _ => Some(()),
                }
            }
            _ => {
                let plain = scan::plain_value(text)?;
                if let Target::Field(f) = target {
                    if !scan::is_string(plain) {
                        return None;
                    }
                    self.fields[f] = Some(plain.to_owned());
                }
                Some(())
            }
        }
    }
}

/// The text of a quoted scalar without escapes.
fn unquote(text: &str, q: &Quoted) -> String {
    let inner = &text[1..q.end - 1];
    if text.starts_with('\'') {
        inner.replace("''", "'")
    } else {
        inner.to_owned()
    }
}
