//! Walks saphyr-parser's events into a [`Value`], resolving scalars the way
//! go-yaml v2 does and converting keys the way sigs.k8s.io/yaml does, under
//! the node and depth budgets of [`Limits`].

use super::Limits;
use super::resolve::{self, Want};
use crate::{Error, Map, Result, Value};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::HashMap;

/// The value of one document and where its root node starts (1-based).
pub(super) struct Root {
    pub(super) value: Value,
    pub(super) line: usize,
    pub(super) column: usize,
}

/// Parses the first YAML document of `text` and ignores the rest, as go-yaml
/// v2's `Unmarshal` does. `None` when the text holds no document at all.
/// `line_offset` is added to every reported line (for documents that start
/// further down a file).
pub(super) fn first_document(
    text: &str,
    origin: &str,
    limits: &Limits,
    line_offset: usize,
) -> Result<Option<Root>> {
    on_reading_stack(|| read_first_document(text, origin, limits, line_offset))
}

/// Runs `read` where it has the stack a document read may need.
///
/// Both readers recurse once per nesting level: a document as deep as
/// `Limits::max_depth` allows needs up to 2 MiB of stack (4 MiB in a debug
/// build), all a spawned thread has. A caller with less room left reads
/// on a stack segment of its own.
pub(super) fn on_reading_stack<T>(read: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(super::STACK_RED_ZONE, super::STACK_SEGMENT, read)
}

fn read_first_document(
    text: &str,
    origin: &str,
    limits: &Limits,
    line_offset: usize,
) -> Result<Option<Root>> {
    if let Some((value, line)) = super::fast::document(text, limits) {
        return Ok(Some(Root {
            value,
            line: line + 1 + line_offset,
            column: 1,
        }));
    }
    full_document(text, origin, limits, line_offset).or_else(|e| {
        // go-yaml accepts a flow collection whose closing bracket sits at
        // its key's column or left of it (bitnami chainloop's values,
        // minio's `command: [` … `]`); saphyr wants it indented.
        // Whitespace before a closing bracket means nothing in flow
        // context, so a failed read is retried with such lines indented
        // like the line before them (lines and columns unchanged).
        match reindent_flow_closers(text) {
            Some(fixed) => full_document(&fixed, origin, limits, line_offset).map_err(|_| e),
            None => Err(e),
        }
    })
}

/// `doc` with every line that holds only a closing `]`/`}` (and maybe a
/// comma) indented deeper than the line before it, when it is not; `None`
/// when there is none.
fn reindent_flow_closers(doc: &str) -> Option<String> {
    let mut out = String::with_capacity(doc.len() + 64);
    let mut prev_indent = 0usize;
    let mut changed = false;
    for line in doc.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start_matches(' ');
        let indent = body.len() - trimmed.len();
        let closer = matches!(trimmed.trim_end(), "]" | "}" | "]," | "},");
        if closer && indent <= prev_indent {
            out.extend(std::iter::repeat_n(' ', prev_indent + 1));
            out.push_str(&line[indent..]);
            changed = true;
            continue;
        }
        if !trimmed.trim().is_empty() {
            prev_indent = indent;
        }
        out.push_str(line);
    }
    changed.then_some(out)
}

/// [`first_document`] without the fast path: every event through saphyr.
pub(super) fn full_document(
    text: &str,
    origin: &str,
    limits: &Limits,
    line_offset: usize,
) -> Result<Option<Root>> {
    check_tab_lines(text, origin, line_offset)?;
    // saphyr reads a last line of only spaces without a line break as one
    // more line break in a block scalar (`a: |\n  x\n  ` gives "x\n\n");
    // go-yaml, and so helm, read it as a line that ends there ("x\n").
    // Ending the line makes saphyr agree; nothing else reads differently.
    let ended;
    let text = match text.rsplit_once('\n') {
        Some((_, last)) if !last.is_empty() && last.bytes().all(|b| b == b' ') => {
            ended = format!("{text}\n");
            ended.as_str()
        }
        _ => text,
    };
    let yaml11;
    let mut inserted = Vec::new();
    let text = if text.contains(YAML11_BREAKS) {
        (yaml11, inserted) = yaml11_breaks(text);
        yaml11.as_str()
    } else {
        text
    };
    let mut walk = Walk {
        origin,
        limits,
        line_offset,
        inserted,
        built: 0,
        charged: 0,
        aliased: 0,
        anchors: HashMap::new(),
        stack: Vec::new(),
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    let mut root_mark = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let message = if e.info() == "recursion limit exceeded" {
                // saphyr-parser counts flow levels in a u8.
                "flow collections (`[…]`, `{…}`) nested more than 255 levels deep; \
                 flatten the structure"
                    .to_owned()
            } else {
                format!(
                    "{}; fix the YAML syntax here (indentation, quotes, brackets)",
                    e.info()
                )
            };
            walk.error(*e.marker(), message)
        })?;
        let mark = span.start;
        if matches!(
            event,
            Event::Scalar(..)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
                | Event::Alias(_)
        ) && walk.stack.is_empty()
        {
            root_mark = Some(mark);
        }
        match event {
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => {}
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Alias(id) => walk.alias(id, mark)?,
            Event::Scalar(text, style, anchor, tag) => {
                walk.charge(1, false, mark)?;
                walk.built += 1;
                let plain = style == ScalarStyle::Plain;
                let full_tag = tag.as_ref().map(|t| format!("{}{}", t.handle, t.suffix));
                let want = full_tag.as_deref().map_or(Want::Implicit, Want::from_tag);
                // go-yaml `isMerge`: a plain `<<` (or one tagged `!!merge`).
                let merge = text == "<<"
                    && (full_tag.is_none() && plain
                        || full_tag.as_deref() == Some("tag:yaml.org,2002:merge"));
                let value = resolve::scalar(&text, plain, want).map_err(|m| walk.error(mark, m))?;
                if anchor > 0 {
                    walk.remember(anchor, &value, 1, mark)?;
                }
                walk.deliver(value, merge, mark)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if walk.expects_key() {
                    return Err(walk.error(
                        mark,
                        "a map or list used as a map key; helm only accepts strings, numbers \
                         and booleans as keys, so rewrite the key as a plain string"
                            .to_owned(),
                    ));
                }
                if walk.stack.len() >= walk.limits.max_depth {
                    return Err(walk.error(
                        mark,
                        format!(
                            "values nested deeper than {} levels; flatten the structure \
                             (this limit keeps rendering bounded)",
                            walk.limits.max_depth
                        ),
                    ));
                }
                walk.charge(1, false, mark)?;
                walk.built += 1;
                let kind = if matches!(event, Event::MappingStart(..)) {
                    Kind::Map(Map::new(), None)
                } else {
                    Kind::Seq(Vec::new())
                };
                walk.stack.push(Frame {
                    kind,
                    anchor,
                    start: walk.built - 1,
                    mark,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = walk.stack.pop() else {
                    continue;
                };
                let value = match frame.kind {
                    Kind::Seq(items) => Value::List(items),
                    Kind::Map(map, _) => Value::Map(Box::new(map)),
                };
                if frame.anchor > 0 {
                    let size = walk.built - frame.start;
                    walk.remember(frame.anchor, &value, size, frame.mark)?;
                }
                walk.deliver(value, false, frame.mark)?;
            }
        }
    }
    Ok(walk.root.take().map(|value| {
        let mark = root_mark.unwrap_or_else(|| Marker::new(0, 1, 0));
        Root {
            value,
            line: walk.line(mark),
            column: mark.col() + 1,
        }
    }))
}

enum Kind {
    Seq(Vec<Value>),
    /// The map so far and the key waiting for its value.
    Map(Map, Option<Key>),
}

enum Key {
    /// `<<`: the value is merged into the map.
    Merge,
    Str(String),
}

struct Frame {
    kind: Kind,
    anchor: usize,
    /// `built` before this node, to size it when it is anchored.
    start: usize,
    mark: Marker,
}

struct Walk<'a> {
    origin: &'a str,
    limits: &'a Limits,
    line_offset: usize,
    /// Lines after which [`yaml11_breaks`] added a line break.
    inserted: Vec<usize>,
    /// Nodes in the tree being built, alias copies included.
    built: usize,
    /// `built` plus the copies kept for anchors: what `max_nodes` bounds.
    charged: usize,
    /// Nodes copied by aliases: what `max_alias_nodes` bounds.
    aliased: usize,
    /// Anchor id -> (value, node count).
    anchors: HashMap<usize, (Value, usize)>,
    stack: Vec<Frame>,
    root: Option<Value>,
}

impl Walk<'_> {
    /// The line of `mark` in the text as given.
    fn line(&self, mark: Marker) -> usize {
        let line = mark.line();
        line - self.inserted.iter().filter(|&&k| k < line).count() + self.line_offset
    }

    fn error(&self, mark: Marker, message: String) -> Error {
        Error::Yaml {
            origin: self.origin.to_owned(),
            line: self.line(mark),
            column: mark.col() + 1,
            message,
        }
    }

    fn charge(&mut self, nodes: usize, alias: bool, mark: Marker) -> Result<()> {
        self.charged = self.charged.saturating_add(nodes);
        if self.charged > self.limits.max_nodes {
            return Err(self.error(
                mark,
                format!(
                    "the document expands to more than {} nodes (aliases counted at full \
                     size); split the values or reduce anchors and aliases",
                    self.limits.max_nodes
                ),
            ));
        }
        if alias {
            self.aliased = self.aliased.saturating_add(nodes);
            if self.aliased > self.limits.max_alias_nodes {
                return Err(self.error(
                    mark,
                    format!(
                        "aliases expand to more than {} nodes, which looks like an alias bomb \
                         (\"billion laughs\"); write the repeated values out or use fewer \
                         nested aliases",
                        self.limits.max_alias_nodes
                    ),
                ));
            }
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, value: &Value, size: usize, mark: Marker) -> Result<()> {
        self.charge(size, false, mark)?;
        self.anchors.insert(anchor, (value.clone(), size));
        Ok(())
    }

    fn alias(&mut self, id: usize, mark: Marker) -> Result<()> {
        let Some(size) = self.anchors.get(&id).map(|(_, size)| *size) else {
            return Err(self.error(
                mark,
                "alias to an unknown anchor; define `&name` before using `*name`".to_owned(),
            ));
        };
        // Charge before copying, so a bomb is refused before it allocates.
        self.charge(size, true, mark)?;
        self.built += size;
        let value = self
            .anchors
            .get(&id)
            .map(|(v, _)| v.clone())
            .unwrap_or_default();
        self.deliver(value, false, mark)
    }

    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: Kind::Map(_, None),
                ..
            })
        )
    }

    /// Hands a finished node to its parent: a list item, a map key, a map
    /// value, or the document root.
    fn deliver(&mut self, value: Value, merge: bool, mark: Marker) -> Result<()> {
        let expects_key = self.expects_key();
        if !expects_key
            && let Value::Float(f) = value
            && !f.is_finite()
        {
            // sigs.k8s.io/yaml fails: "json: unsupported value: +Inf".
            return Err(self.error(
                mark,
                "`.inf`/`.nan` cannot be a value: helm passes values through JSON, \
                 which has no infinity or NaN; quote it to make it a string"
                    .to_owned(),
            ));
        }
        let (key, value) = if expects_key && !merge {
            (Some(self.key_text(value, mark)?), Value::Null)
        } else {
            (None, value)
        };
        let error = |walk: &Self, message: &str| walk.error(mark, message.to_owned());
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        match &mut frame.kind {
            Kind::Seq(items) => items.push(value),
            Kind::Map(_, pending @ None) => {
                *pending = Some(match key {
                    Some(k) => Key::Str(k),
                    None => Key::Merge,
                });
            }
            Kind::Map(map, pending) => match pending.take() {
                Some(Key::Str(k)) => {
                    // Duplicate keys are allowed; the last one wins (go-yaml
                    // v2 `Unmarshal` is not strict).
                    map.insert(k, value);
                }
                _ => {
                    // go-yaml v2 `decoder.merge`: the merged keys are set in
                    // document order, so keys before `<<` are overwritten
                    // and keys after it win; in a list, earlier maps win.
                    match value {
                        Value::Map(m) => map.extend(*m),
                        Value::List(items) if items.iter().all(|i| matches!(i, Value::Map(_))) => {
                            for item in items.into_iter().rev() {
                                if let Value::Map(m) = item {
                                    map.extend(*m);
                                }
                            }
                        }
                        _ => {
                            return Err(error(
                                self,
                                "the merge key `<<` needs a map or a list of maps as its \
                                 value (map merge requires map or sequence of maps)",
                            ));
                        }
                    }
                }
            },
        }
        Ok(())
    }

    /// [`resolve::json_key`], with an error naming the key helm refuses.
    fn key_text(&self, key: Value, mark: Marker) -> Result<String> {
        resolve::json_key(key).map_err(|key| {
            let message = match key {
                Value::UInt(u) => format!(
                    "the map key {u} is above 9223372036854775807, which helm cannot use \
                     as a key (unsupported map key of type uint64); quote it"
                ),
                Value::Null => "a null map key (`~`, `null` or an empty key); helm cannot use \
                                it, quote it to make it a string key"
                    .to_owned(),
                _ => "a map or list used as a map key; helm only accepts strings, numbers \
                      and booleans as keys, so rewrite the key as a plain string"
                    .to_owned(),
            };
            self.error(mark, message)
        })
    }
}

/// go-yaml's scanner does not skip a tab at the start of a line in block
/// context: a line that is only a tab (or a tab then a comment) fails with
/// "found a tab character that violates indentation", where saphyr skips
/// it. Tab-indented content already fails in saphyr. (Inside a multi-line
/// quoted scalar or a flow collection go-yaml allows such a line; rudder
/// refuses it there too, a known gap.)
fn check_tab_lines(text: &str, origin: &str, line_offset: usize) -> Result<()> {
    for (index, line) in text.lines().enumerate() {
        if !line.starts_with('\t') {
            continue;
        }
        let rest = line.trim_start_matches([' ', '\t']);
        if rest.is_empty() || rest.starts_with('#') {
            return Err(Error::Yaml {
                origin: origin.to_owned(),
                line: line_offset + index + 1,
                column: 1,
                message: "a tab starts this line; YAML indentation must use spaces \
                          (helm rejects it too): replace the tab with spaces or remove it"
                    .to_owned(),
            });
        }
    }
    Ok(())
}

/// The line breaks of YAML 1.1 that YAML 1.2 reads as ordinary characters.
const YAML11_BREAKS: [char; 3] = ['\u{85}', '\u{2028}', '\u{2029}'];
/// What stays a break in the value after NEL became `\n`.
const KEPT_BREAKS: [char; 2] = ['\u{2028}', '\u{2029}'];

/// Makes saphyr (YAML 1.2) read U+0085, U+2028 and U+2029 the way go-yaml
/// v2 (YAML 1.1, and so helm) does inside a scalar: as a line break that is
/// kept in the value, with the blanks around it dropped and a `\n` right
/// after it kept rather than folded into a space (go-yaml's
/// `yaml_parser_scan_flow_scalar`: the break is the "leading break", what
/// follows the "trailing breaks"). So `'a  \u2028  b'` reads `a\u2028b` and
/// `'a\u2028\n  b'` reads `a\u2028\nb`, as helm does. Block scalars with
/// such a break followed by more blanks than the indentation still read as
/// YAML 1.2 (README, deliberate differences).
///
/// Returns the text and the (1-based) lines after which a line break was
/// added, so that errors name the lines as given.
fn yaml11_breaks(text: &str) -> (String, Vec<usize>) {
    // go-yaml's `read_line` turns NEL into `\n`; only LS and PS stay.
    let nel;
    let text = if text.contains('\u{85}') {
        nel = text.replace('\u{85}', "\n");
        nel.as_str()
    } else {
        text
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut inserted = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(KEPT_BREAKS) {
        let before = rest[..at].trim_end_matches([' ', '\t']);
        // Blanks after an indicator (`key: `, `- `) separate it from the
        // value; only blanks inside a scalar are dropped.
        let keep =
            before.is_empty() || before.ends_with(['\n', ':', '-', '?', ',', '[', '{', '\'', '"']);
        out.push_str(if keep { &rest[..at] } else { before });
        let brk = rest[at..].chars().next().unwrap_or('\u{2028}');
        out.push(brk);
        rest = rest[at + brk.len_utf8()..].trim_start_matches([' ', '\t']);
        if rest.starts_with('\n') || rest.starts_with("\r\n") {
            // One more line break, so that YAML 1.2's folding of the next
            // one leaves exactly the `\n` go-yaml keeps.
            inserted.push(out.matches('\n').count() + 1);
            out.push('\n');
        }
    }
    out.push_str(rest);
    (out, inserted)
}
