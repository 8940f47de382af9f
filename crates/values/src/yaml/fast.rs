//! A fast path for the YAML values files are made of: block maps and lists,
//! one-line scalars, `|` literals, `[]` and `{}`.
//!
//! saphyr-parser is a full YAML 1.2 parser; its scanner reads about
//! 70 MB/s and most of a large values file's load time went there. Values
//! files use a small part of YAML, so this module reads that part directly
//! from the lines and gives up (`None`) on anything else: flow collections,
//! anchors, aliases, tags, multi-line plain or quoted scalars, folded
//! scalars, escapes, tabs, control characters, odd indentation, limits. The
//! caller then parses the document with saphyr as before, so every error
//! and every unusual construct still goes through the one full parser.
//!
//! Whatever this module accepts, it must read exactly as the saphyr walk in
//! `parse.rs` does: scalars go through the same `resolve::scalar`, keys
//! through the same conversion, duplicate keys keep the last value in the
//! first key's place. `tests.rs` checks the two paths against each other on
//! every fixture and on generated documents, and the `values_yaml` fuzz
//! target does the same on arbitrary input.

use super::Limits;
use super::resolve::{self, Want};
use super::scan::is_dash;
use crate::{Map, Value};

/// Documents of twice this size or more are read in parts, one per core,
/// each part about this large or larger.
const PART_BYTES: usize = 1 << 20;

/// Most parts (threads) a document is read in.
const MAX_PARTS: usize = 8;

/// Reads `text` as one block-style document whose root is a map starting
/// in the first column. Returns the map and the 0-based line of its first
/// key, or `None` when the document needs the full parser.
///
/// A large document is read in parts on several threads: a line that
/// starts in the first column with a key begins a new entry of the root
/// map whatever comes before it (every multi-line construct the fast path
/// reads is indented, or a `- ` item), so the parts can be read on their
/// own and their maps joined in order. Page faults for the new tree are
/// half of a large load, and they spread over the threads too.
pub(super) fn document(text: &str, limits: &Limits) -> Option<(Value, usize)> {
    let parts = if text.len() >= 2 * PART_BYTES {
        std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(text.len() / PART_BYTES)
            .min(MAX_PARTS)
    } else {
        1
    };
    document_in_parts(text, limits, parts)
}

/// [`document`] split into at most `parts` parts (the tests force splits
/// on small documents; the result must not depend on `parts`).
pub(super) fn document_in_parts(
    text: &str,
    limits: &Limits,
    parts: usize,
) -> Option<(Value, usize)> {
    let first = Reader::new(text, limits).peek()?;
    if first.indent != 0 || is_dash(first.body) || !plain_characters(&text[..first.start]) {
        return None;
    }
    let line = text[..first.start].bytes().filter(|&b| b == b'\n').count();
    let body = &text[first.start..];
    let bounds = part_bounds(body, parts);
    let mut maps = Vec::with_capacity(bounds.len());
    if bounds.len() == 1 {
        maps.push(root_part(body, limits)?);
    } else {
        let found = std::thread::scope(|scope| {
            let others: Vec<_> = bounds[1..]
                .iter()
                .map(|&(start, end)| {
                    let part = &body[start..end];
                    // As deep as the file goes, like the reader's own.
                    let thread = std::thread::Builder::new()
                        .stack_size(super::STACK_SEGMENT)
                        .spawn_scoped(scope, move || root_part(part, limits));
                    (thread, part)
                })
                .collect();
            let (start, end) = bounds[0];
            let mut found = vec![root_part(&body[start..end], limits)];
            for (thread, part) in others {
                found.push(match thread {
                    Ok(handle) => handle
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    // No thread to be had: this part is read here.
                    Err(_) => super::parse::on_reading_stack(|| root_part(part, limits)),
                });
            }
            found
        });
        for part in found {
            maps.push(part?);
        }
    }
    // Each part counted the root map once.
    let nodes: usize = maps.iter().map(|(_, nodes)| nodes).sum::<usize>() - (maps.len() - 1);
    if nodes > limits.max_nodes {
        return None;
    }
    let mut parts = maps.into_iter().map(|(map, _)| map);
    let mut root = parts.next()?;
    for part in parts {
        // Duplicate keys across parts: the last value wins in the first
        // key's place, as within one map.
        root.reserve(part.len());
        for (key, value) in part {
            root.insert(key, value);
        }
    }
    Some((Value::Map(Box::new(root)), line))
}

/// Splits `body` (which starts with the root map's first key) into at most
/// `parts` ranges of about equal size, each starting at a line that begins
/// in the first column with something other than a blank, a comment or a
/// `-` (a `- ` item at the root's indentation belongs to the key before).
pub(super) fn part_bounds(body: &str, parts: usize) -> Vec<(usize, usize)> {
    let b = body.as_bytes();
    let mut starts = vec![0];
    for i in 1..parts {
        let mut at = (body.len() * i / parts).max(starts[starts.len() - 1] + 1);
        let next = loop {
            let Some(nl) = b.get(at..).and_then(|rest| memchr::memchr(b'\n', rest)) else {
                break None;
            };
            at += nl + 1;
            match b.get(at) {
                None => break None,
                Some(b' ' | b'\n' | b'#' | b'-') => {}
                Some(_) => break Some(at),
            }
        };
        match next {
            Some(at) => starts.push(at),
            None => break,
        }
    }
    let ends = starts[1..].iter().copied().chain([body.len()]);
    starts.iter().copied().zip(ends).collect()
}

/// Reads one part of the root map: the map and the nodes it counted.
fn root_part(text: &str, limits: &Limits) -> Option<(Map, usize)> {
    if !plain_characters(text) {
        return None;
    }
    let mut reader = Reader::new(text, limits);
    let first = reader.peek()?;
    reader.pos = first.next;
    let map = reader.map(0, first.body, 1)?;
    if reader.peek().is_some() {
        return None;
    }
    Some((map, reader.nodes))
}

/// True when the text holds no character the fast path leaves to saphyr:
/// tabs, carriage returns and other C0/C1 controls, DEL, the YAML 1.1 line
/// breaks U+0085/U+2028/U+2029, byte order marks and non-characters.
fn plain_characters(text: &str) -> bool {
    let ascii_clean = text.as_bytes().chunks(64).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7f).contains(&b) | (b == b'\n'))
        })
    });
    ascii_clean
        || text.chars().all(|c| {
            !matches!(c, '\0'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
                && !matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                )
        })
}

/// One line: its indentation, the text after it (without the newline), its
/// start and the start of the next line.
#[derive(Clone, Copy)]
struct Line<'t> {
    indent: usize,
    body: &'t str,
    start: usize,
    next: usize,
}

struct Reader<'t, 'l> {
    text: &'t str,
    /// Start of the next unread line.
    pos: usize,
    /// Nodes built, keys included, as `Limits::max_nodes` counts them.
    nodes: usize,
    limits: &'l Limits,
    /// Entries of the maps being read, innermost last.
    entries: Vec<(String, Value)>,
    ahead: Option<Ahead<'t>>,
}

#[derive(Clone, Copy)]
struct Ahead<'t> {
    /// The `pos` this was computed at.
    at: usize,
    line: Option<Line<'t>>,
    first_indent: Option<usize>,
}

/// Bytes that start something other than a plain scalar (YAML's
/// indicators). `-` followed by a non-space is a plain scalar (`--port`),
/// handled by the callers.
fn is_indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// What a one-line flow collection may still use of [`Limits`]: nesting
/// levels and nodes (each item is charged two, for a key and a value).
struct Budget {
    levels: usize,
    nodes: usize,
}

/// True when `b` (not empty) starts a plain scalar in block context: no
/// indicator first, except `-` followed by a non-space (`--port`).
fn starts_plain(b: &[u8]) -> bool {
    !is_indicator(b[0]) || (b[0] == b'-' && b.get(1).is_some_and(|&c| c != b' '))
}

/// How a `|` literal treats its final line breaks.
#[derive(Clone, Copy, PartialEq)]
enum Chomp {
    Clip,
    Strip,
    Keep,
}

/// What the start of a list item or map entry is.
enum Head<'t> {
    /// `key:` and the text after the colon.
    Key(Value, &'t str),
    /// Not a key: a scalar.
    Scalar,
}

impl<'t, 'l> Reader<'t, 'l> {
    fn new(text: &'t str, limits: &'l Limits) -> Self {
        Reader {
            text,
            pos: 0,
            nodes: 0,
            limits,
            entries: Vec::new(),
            ahead: None,
        }
    }

    fn line_at(&self, pos: usize) -> Option<Line<'t>> {
        let rest = self.text.get(pos..).filter(|r| !r.is_empty())?;
        // Lines are short: a plain loop beats `find`'s memchr set-up.
        let len = rest.bytes().position(|b| b == b'\n').unwrap_or(rest.len());
        let raw = &rest[..len];
        let body = raw.trim_start_matches(' ');
        Some(Line {
            indent: raw.len() - body.len(),
            body,
            start: pos,
            next: (pos + len + 1).min(self.text.len()),
        })
    }

    /// The next line with content, skipping blank and comment lines.
    fn peek(&mut self) -> Option<Line<'t>> {
        self.lookahead().line
    }

    /// What follows `pos`: the next line with content and the indentation
    /// of the next non-blank line (a comment counts). Asked for several
    /// times per line, so the answer is kept until `pos` moves.
    fn lookahead(&mut self) -> Ahead<'t> {
        if let Some(ahead) = self.ahead.filter(|a| a.at == self.pos) {
            return ahead;
        }
        let mut ahead = Ahead {
            at: self.pos,
            line: None,
            first_indent: None,
        };
        let mut pos = self.pos;
        while let Some(line) = self.line_at(pos) {
            if !line.body.is_empty() {
                ahead.first_indent.get_or_insert(line.indent);
                if !line.body.starts_with('#') {
                    ahead.line = Some(line);
                    break;
                }
            }
            pos = line.next;
        }
        self.ahead = Some(ahead);
        ahead
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.limits.max_nodes).then_some(())
    }

    /// A block map at `indent` whose first entry is `first`.
    fn map(&mut self, indent: usize, first: &'t str, depth: usize) -> Option<Map> {
        if depth >= self.limits.max_depth {
            return None;
        }
        self.count()?;
        // Entries wait on a stack shared by all levels, so that each map is
        // allocated once at its final size instead of growing by doubling.
        let start = self.entries.len();
        let mut body = first;
        loop {
            let Head::Key(key, rest) = head(body)? else {
                return None;
            };
            let key = key_text(key)?;
            self.count()?;
            let value = self.value(rest, indent, true, depth)?;
            self.entries.push((key, value));
            match self.peek() {
                Some(line) if line.indent == indent && !is_dash(line.body) => {
                    self.pos = line.next;
                    body = line.body;
                }
                Some(line) if line.indent >= indent => return None,
                _ => break,
            }
        }
        let mut map = Map::with_capacity(self.entries.len() - start);
        // Duplicate keys: the last value wins, in the first key's place.
        for (key, value) in self.entries.drain(start..) {
            map.insert(key, value);
        }
        Some(map)
    }

    /// A block list at `indent` whose first item line is `first`.
    fn list(&mut self, indent: usize, first: &'t str, depth: usize) -> Option<Vec<Value>> {
        if depth >= self.limits.max_depth {
            return None;
        }
        self.count()?;
        let mut items = Vec::new();
        let mut body = first;
        loop {
            let after = &body[1..];
            let rest = after.trim_start_matches(' ');
            let column = indent + 1 + (after.len() - rest.len());
            let scalar_or_block = rest.is_empty() || rest.starts_with(['#', '|', '[', '{']);
            let item = if !scalar_or_block {
                match head(rest)? {
                    Head::Key(..) => Value::Map(Box::new(self.map(column, rest, depth + 1)?)),
                    Head::Scalar => self.value(rest, indent, false, depth)?,
                }
            } else {
                self.value(rest, indent, false, depth)?
            };
            items.push(item);
            match self.peek() {
                Some(line) if line.indent == indent && is_dash(line.body) => {
                    self.pos = line.next;
                    body = line.body;
                }
                Some(line) if line.indent > indent => return None,
                _ => return Some(items),
            }
        }
    }

    /// The value after `key:` or `- ` (`rest`, after the indicator), in a
    /// collection at `indent`.
    fn value(&mut self, rest: &'t str, indent: usize, in_map: bool, depth: usize) -> Option<Value> {
        let rest = rest.trim_start_matches(' ');
        if rest.is_empty() || rest.starts_with('#') {
            return self.nested(indent, in_map, depth);
        }
        if let Some(header) = rest.strip_prefix('|') {
            self.count()?;
            return self.literal(indent, chomp(header)?);
        }
        self.count()?;
        let mut budget = Budget {
            levels: self.limits.max_depth.saturating_sub(depth + 1),
            nodes: self.limits.max_nodes.saturating_sub(self.nodes),
        };
        let value = inline(rest, &mut budget)?;
        self.nodes = self.limits.max_nodes - budget.nodes;
        // A more indented line after a one-line scalar continues it (a
        // multi-line plain scalar) or is an error: both are saphyr's.
        if self.lookahead().first_indent.is_some_and(|i| i > indent) {
            return None;
        }
        Some(value)
    }

    /// The value of a `key:` or `-` with nothing after it: the block on
    /// the following more indented lines, a list at the key's own
    /// indentation (`key:\n- a`), or null.
    fn nested(&mut self, indent: usize, in_map: bool, depth: usize) -> Option<Value> {
        let Some(line) = self.peek() else {
            self.count()?;
            return Some(Value::Null);
        };
        let dash = is_dash(line.body);
        if line.indent > indent || (in_map && line.indent == indent && dash) {
            self.pos = line.next;
            return Some(if dash {
                Value::List(self.list(line.indent, line.body, depth + 1)?)
            } else {
                Value::Map(Box::new(self.map(line.indent, line.body, depth + 1)?))
            });
        }
        self.count()?;
        Some(Value::Null)
    }

    /// A `|` literal block scalar belonging to a collection at `indent`.
    fn literal(&mut self, indent: usize, chomp: Chomp) -> Option<Value> {
        // Leading blank lines, then the first content line sets the
        // indentation; blank lines longer than it are saphyr's to judge.
        let mut pos = self.pos;
        let mut leading = 0;
        let mut widest_blank = 0;
        let first = loop {
            let line = self.line_at(pos)?;
            if !line.body.is_empty() {
                break line;
            }
            widest_blank = widest_blank.max(line.indent);
            leading += 1;
            pos = line.next;
        };
        let width = first.indent;
        if width <= indent || widest_blank > width {
            return None;
        }
        let mut out = "\n".repeat(leading);
        let mut blanks = 0;
        while let Some(line) = self.line_at(pos) {
            if line.body.is_empty() {
                if line.indent > width {
                    return None;
                }
                blanks += 1;
            } else if line.indent < width {
                break;
            } else {
                for _ in 0..blanks {
                    out.push('\n');
                }
                blanks = 0;
                out.push_str(&self.text[line.start + width..line.next]);
                self.pos = line.next;
            }
            if !self.text[..line.next].ends_with('\n') {
                // The last line has no line break: saphyr decides.
                return None;
            }
            pos = line.next;
        }
        match chomp {
            Chomp::Clip => {}
            Chomp::Strip => {
                out.pop();
            }
            Chomp::Keep => {
                for _ in 0..blanks {
                    out.push('\n');
                }
                self.pos = pos;
            }
        }
        Some(Value::String(out))
    }
}

/// The block scalar header after `|`: a chomping indicator, then nothing
/// or a comment. Indentation indicators are saphyr's.
fn chomp(header: &str) -> Option<Chomp> {
    let (chomp, rest) = match header.as_bytes().first() {
        Some(b'-') => (Chomp::Strip, &header[1..]),
        Some(b'+') => (Chomp::Keep, &header[1..]),
        _ => (Chomp::Clip, header),
    };
    only_comment_follows(rest).then_some(chomp)
}

/// Decides whether `body` starts with a key (`key: …`) and reads it.
fn head(body: &str) -> Option<Head<'_>> {
    let b = body.as_bytes();
    match b.first()? {
        quote @ (b'"' | b'\'') => {
            let (text, after) = quoted(body, *quote)?;
            match after.strip_prefix(':') {
                Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                    Some(Head::Key(Value::String(text), rest))
                }
                _ => Some(Head::Scalar),
            }
        }
        _ => {
            // `--- ` and `... ` in the first column are document markers to
            // saphyr, not the start of a key (`--- a: 1`); indented they are
            // plain text, but declining those too costs nothing.
            if !starts_plain(b) || is_marker(body) {
                return None;
            }
            // Flow indicators are fine in a plain scalar but make a key
            // saphyr's to judge.
            let mut flowish = false;
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b':' if b.get(i + 1).is_none_or(|&c| c == b' ') => {
                        let text = body[..i].trim_end_matches(' ');
                        if flowish || text.len() > 1024 || text == "<<" {
                            return None;
                        }
                        let key = resolve::scalar(text, true, Want::Implicit).ok()?;
                        return Some(Head::Key(key, &body[i + 1..]));
                    }
                    b'#' if b[i - 1] == b' ' => return Some(Head::Scalar),
                    b'[' | b']' | b'{' | b'}' | b',' => flowish = true,
                    _ => {}
                }
                i += 1;
            }
            Some(Head::Scalar)
        }
    }
}

/// True when `body` starts with a YAML document marker: `---` or `...`
/// followed by a blank or the end of the line.
fn is_marker(body: &str) -> bool {
    (body.starts_with("---") || body.starts_with("..."))
        && body[3..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

/// A quoted scalar on one line: its text and what follows the closing
/// quote. Escapes (`\` in double quotes) are saphyr's.
fn quoted(body: &str, quote: u8) -> Option<(String, &str)> {
    let inner = &body[1..];
    if quote == b'"' {
        return double_quoted(inner);
    }
    let mut text = String::new();
    let mut rest = inner;
    loop {
        let end = rest.find('\'')?;
        text.push_str(&rest[..end]);
        if rest[end + 1..].starts_with('\'') {
            text.push('\'');
            rest = &rest[end + 2..];
        } else {
            return Some((text, &rest[end + 1..]));
        }
    }
}

/// The rest of a one-line double-quoted scalar after its opening quote:
/// its text, escapes decoded as YAML 1.2 defines them, and what follows
/// the closing quote. Escaped line breaks (multi-line scalars) are saphyr's.
fn double_quoted(inner: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut rest = inner;
    loop {
        let end = rest.find(['"', '\\'])?;
        text.push_str(&rest[..end]);
        if rest.as_bytes()[end] == b'"' {
            return Some((text, &rest[end + 1..]));
        }
        let escape = rest[end + 1..].chars().next()?;
        rest = &rest[end + 1 + escape.len_utf8()..];
        let decoded = match escape {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            ' ' => ' ',
            '"' => '"',
            '/' => '/',
            '\\' => '\\',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' | 'u' | 'U' => {
                let digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex = rest.get(..digits)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                rest = &rest[digits..];
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        text.push(decoded);
    }
}

/// A scalar written on one line after `key: ` or `- `: plain, quoted, or
/// an empty flow collection; a comment may follow.
fn inline(rest: &str, budget: &mut Budget) -> Option<Value> {
    let b = rest.as_bytes();
    let (value, after) = match b[0] {
        quote @ (b'"' | b'\'') => {
            let (text, after) = quoted(rest, quote)?;
            (Value::String(text), after)
        }
        b'[' | b'{' => flow(rest, budget)?,
        _ => {
            if !starts_plain(b) || rest.starts_with("---") {
                return None;
            }
            // One pass: the scalar ends at ` #` (a comment); `: ` or a
            // final `:` inside it would make it a key, which is saphyr's.
            let mut end = b.len();
            for i in 1..b.len() {
                match b[i] {
                    b'#' if b[i - 1] == b' ' => {
                        end = i - 1;
                        break;
                    }
                    b' ' if b[i - 1] == b':' => return None,
                    _ => {}
                }
            }
            let text = rest[..end].trim_end_matches(' ');
            if text.ends_with(':') {
                return None;
            }
            return plain_value(text);
        }
    };
    only_comment_follows(after).then_some(value)
}

/// A flow collection on one line (`[a, "b"]`, `{requests: {cpu: 1}}`): its
/// value and what follows it. Empty or implicit entries, trailing commas,
/// `:` inside plain scalars and nesting past a few levels are saphyr's.
fn flow<'t>(text: &'t str, budget: &mut Budget) -> Option<(Value, &'t str)> {
    budget.levels = budget.levels.checked_sub(1)?;
    let found = flow_items(text, budget);
    budget.levels += 1;
    found
}

/// [`flow`] inside its level.
fn flow_items<'t>(text: &'t str, budget: &mut Budget) -> Option<(Value, &'t str)> {
    let is_map = text.starts_with('{');
    let close = if is_map { '}' } else { ']' };
    let mut rest = text[1..].trim_start_matches(' ');
    if let Some(after) = rest.strip_prefix(close) {
        let empty = if is_map {
            Value::Map(Box::new(Map::new()))
        } else {
            Value::List(Vec::new())
        };
        return Some((empty, after));
    }
    let mut map = Map::new();
    let mut list = Vec::new();
    loop {
        let (item, after) = flow_node(rest, budget)?;
        let after = after.trim_start_matches(' ');
        let after = if is_map {
            let key = key_text(item)?;
            let value_text = after.strip_prefix(": ")?.trim_start_matches(' ');
            let (value, after) = flow_node(value_text, budget)?;
            map.insert(key, value);
            after.trim_start_matches(' ')
        } else {
            list.push(item);
            after
        };
        if let Some(next) = after.strip_prefix(',') {
            rest = next.trim_start_matches(' ');
            if rest.starts_with(close) {
                return None;
            }
        } else {
            let after = after.strip_prefix(close)?;
            let value = if is_map {
                Value::Map(Box::new(map))
            } else {
                Value::List(list)
            };
            return Some((value, after));
        }
    }
}

/// One item inside a one-line flow collection, and what follows it.
fn flow_node<'t>(text: &'t str, budget: &mut Budget) -> Option<(Value, &'t str)> {
    budget.nodes = budget.nodes.checked_sub(2)?;
    let b = text.as_bytes();
    match *b.first()? {
        b'[' | b'{' => flow(text, budget),
        quote @ (b'"' | b'\'') => {
            let (s, after) = quoted(text, quote)?;
            Some((Value::String(s), after))
        }
        first => {
            if is_indicator(first)
                && !(first == b'-' && b.get(1).is_some_and(u8::is_ascii_alphanumeric))
            {
                return None;
            }
            // `:` followed by a letter, digit or `/` is part of the scalar
            // (`https://host`); a `:` before anything else is saphyr's.
            let mut from = 0;
            let end = loop {
                let end = from + text[from..].find([',', ']', '}', '[', '{', ':', '#'])?;
                match b[end] {
                    b':' if b
                        .get(end + 1)
                        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'/') =>
                    {
                        from = end + 1;
                    }
                    b':' if b.get(end + 1) != Some(&b' ') => return None,
                    b'[' | b'{' | b'#' => return None,
                    _ => break end,
                }
            };
            let plain = text[..end].trim_end_matches(' ');
            if plain.is_empty() || plain == "<<" {
                return None;
            }
            Some((plain_value(plain)?, &text[end..]))
        }
    }
}

/// A plain scalar's value; `.inf`/`.nan` (which helm refuses as values)
/// are saphyr's to report.
fn plain_value(text: &str) -> Option<Value> {
    let value = resolve::scalar(text, true, Want::Implicit).ok()?;
    (!matches!(value, Value::Float(f) if !f.is_finite())).then_some(value)
}

/// True when only blanks, or a comment after a blank, follow.
fn only_comment_follows(after: &str) -> bool {
    let rest = after.trim_start_matches(' ');
    rest.is_empty() || (rest.starts_with('#') && rest.len() < after.len())
}

/// sigs.k8s.io/yaml's key conversion; the keys it refuses are left to
/// saphyr's errors.
fn key_text(key: Value) -> Option<String> {
    resolve::json_key(key).ok()
}
