//! YAML text exactly as Helm's `toYaml` prints a value.
//!
//! `toYaml` is sigs.k8s.io/yaml `Marshal`: the value becomes JSON, go-yaml
//! v2 reads that JSON back (so keys are strings and integral floats become
//! ints) and go-yaml v2 `Marshal` prints it. This module reproduces that
//! output: key order, quoting, block scalars, line folding at 80 columns
//! and number formatting follow go-yaml v2's `encode.go` and its libyaml
//! port (`emitterc.go`); each rule cites the function it mirrors.
//!
//! Helm's `toYamlPretty` prints with go-yaml v3's encoder instead
//! (`encoder.SetIndent(2)`, no JSON round trip): [`to_string_pretty`]
//! is the same emitter with v3's differences (see [`Flavor`]).

use super::keys::{key_order, merge_sort};
use super::resolve;
use crate::Value;

/// go-yaml's `best_width`: plain and quoted scalars fold at spaces past it.
const BEST_WIDTH: usize = 80;
/// Keys longer than this (in bytes) are written as `? key` (libyaml
/// `yaml_emitter_check_simple_key`).
const MAX_SIMPLE_KEY: usize = 128;

/// Prints `value` as go-yaml v2 prints it after sigs.k8s.io/yaml's JSON
/// round trip, ending with a newline.
///
/// Helm's `toYaml` returns this text with the final `"\n"` trimmed
/// (`strings.TrimSuffix`); the caller trims. When
/// [`helm_marshal_fails`] is true, Helm's `toYaml` prints nothing at all;
/// this function still prints what go-yaml would.
pub fn to_string(value: &Value) -> String {
    emit(value, Flavor::V2Json)
}

/// Prints `value` as Helm's `toYamlPretty` does: go-yaml v3's encoder with
/// `SetIndent(2)` on the value itself, ending with a newline (Helm trims
/// it). v3 never fails on a value rudder holds (it escapes what v2's
/// reader refuses), so there is no [`helm_marshal_fails`] for it.
pub fn to_string_pretty(value: &Value) -> String {
    emit(value, Flavor::V3)
}

fn emit(value: &Value, flavor: Flavor) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        flavor,
    };
    e.node(value, -1, Place::Root);
    // yaml_emitter_emit_document_end: write_indent at the root.
    e.write_indent(0);
    e.out
}

/// True when Helm's `toYaml` would fail on `value` and print an empty
/// string: a non-finite float (JSON has none), or a string holding a
/// character Go's JSON encoder leaves raw but go-yaml's reader refuses
/// (DEL, C1 controls other than NEL, U+FFFE, U+FFFF).
pub fn helm_marshal_fails(value: &Value) -> bool {
    let bad_text = |s: &str| {
        if s.is_ascii() {
            // Of the refused characters, only DEL is ASCII.
            return s.as_bytes().contains(&0x7f);
        }
        s.chars().any(
            |c| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'),
        )
    };
    match value {
        Value::Float(f) => !f.is_finite(),
        Value::String(s) => bad_text(s),
        Value::List(items) => items.iter().any(helm_marshal_fails),
        Value::Map(map) => map
            .iter()
            .any(|(k, v)| bad_text(k) || helm_marshal_fails(v)),
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::UInt(_) => false,
    }
}

/// Where a node sits; decides indentation and key rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Root,
    /// Value of a simple `key: value` pair: lists there are indentless.
    MapValue,
    /// Item of a list, or the key/value of a `? key` pair.
    Item,
    SimpleKey,
}

/// Which go-yaml prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// `toYaml`: sigs.k8s.io/yaml, go-yaml v2 after a JSON round trip.
    V2Json,
    /// `toYamlPretty`: go-yaml v3 on the value itself. Against v2: a list
    /// that is a key's value is indented under the key (v3's emitter drops
    /// v2's indentless sequences); nothing folds (v3 sets the width to
    /// unlimited); floats print as `strconv.FormatFloat(f, 'g', -1, 64)`
    /// (`1e+08`, where JSON's round trip made v2 print `100000000`) and a
    /// NEL stays a NEL (`"a\Nb"`); keys sort with v3's `keyList.Less`.
    V3,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

struct Emitter {
    out: String,
    column: usize,
    /// libyaml `whitespace`: the last thing written was whitespace.
    whitespace: bool,
    /// libyaml `indention`: only indentation written on this line so far.
    indention: bool,
    flavor: Flavor,
}

impl Emitter {
    /// Past the column where scalars fold at a space (libyaml
    /// `best_width`); v3 has no such column.
    fn past_width(&self) -> bool {
        self.flavor == Flavor::V2Json && self.column > BEST_WIDTH
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// libyaml `yaml_emitter_write_indent`.
    fn write_indent(&mut self, indent: isize) {
        let indent = usize::try_from(indent).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    /// libyaml `yaml_emitter_write_indicator`.
    fn indicator(&mut self, text: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in text.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    /// Emits one node; `indent` is the emitter's indent around it (-1 at
    /// the root).
    fn node(&mut self, value: &Value, indent: isize, place: Place) {
        match value {
            Value::Map(map) if !map.is_empty() => {
                // yaml_emitter_increase_indent(flow=false, indentless=false)
                let inner = if indent < 0 { 0 } else { indent + 2 };
                let entries: Vec<(&String, &Value)> = map.iter().collect();
                let v3 = self.flavor == Flavor::V3;
                for (key, item) in merge_sort(entries, |a, b| key_order(a.0, b.0, v3).is_lt()) {
                    self.write_indent(inner);
                    let simple = key.len() <= MAX_SIMPLE_KEY && !has_break(key);
                    if simple {
                        self.string(key, inner, Place::SimpleKey);
                        self.indicator(":", false, false, false);
                        self.node(item, inner, Place::MapValue);
                    } else {
                        self.indicator("?", true, false, true);
                        self.string(key, inner + 2, Place::Item);
                        self.write_indent(inner);
                        self.indicator(":", true, false, true);
                        self.node(item, inner, Place::Item);
                    }
                }
            }
            Value::List(items) if !items.is_empty() => {
                // In v2 a list that is a simple key's value is
                // "indentless": `key:\n- item` (mapping_context &&
                // !indention); v3 indents it.
                let inner = if indent < 0 {
                    0
                } else if place == Place::MapValue && self.flavor == Flavor::V2Json {
                    indent
                } else {
                    indent + 2
                };
                for item in items {
                    self.write_indent(inner);
                    self.indicator("-", true, false, true);
                    self.node(item, inner, Place::Item);
                }
            }
            Value::Map(_) => {
                self.indicator("{", true, true, false);
                self.indicator("}", false, false, false);
            }
            Value::List(_) => {
                self.indicator("[", true, true, false);
                self.indicator("]", false, false, false);
            }
            Value::String(s) => {
                let scalar_indent = if indent < 0 { 2 } else { indent + 2 };
                self.string(s, scalar_indent, place);
            }
            Value::Null => self.plain("null", 0, false),
            Value::Bool(b) => self.plain(if *b { "true" } else { "false" }, 0, false),
            Value::Int(i) => self.plain(&i.to_string(), 0, false),
            Value::UInt(u) => self.plain(&u.to_string(), 0, false),
            Value::Float(f) if self.flavor == Flavor::V3 => {
                // go-yaml v3 `encoder.floatv`.
                let text = match resolve::go_format_float(*f, 'g', false).as_str() {
                    "+Inf" => ".inf".to_owned(),
                    "-Inf" => "-.inf".to_owned(),
                    "NaN" => ".nan".to_owned(),
                    other => other.to_owned(),
                };
                self.plain(&text, 0, false);
            }
            Value::Float(f) => self.plain(&resolve::float_yaml_text(*f), 0, false),
        }
    }

    /// go-yaml `encoder.stringv` then libyaml's style selection.
    fn string(&mut self, raw: &str, indent: isize, place: Place) {
        let folded = match self.flavor {
            Flavor::V2Json => json_round_trip(raw),
            Flavor::V3 => std::borrow::Cow::Borrowed(raw),
        };
        let s: &str = &folded;
        let simple_key = place == Place::SimpleKey;
        let requested = if s.as_bytes().contains(&b'\n') {
            Style::Literal
        } else if resolve::is_plain_string(s) && !resolve::is_base60_float(s) {
            Style::Plain
        } else {
            Style::Double
        };
        let a = analyze(s);
        // yaml_emitter_select_scalar_style
        let mut style = requested;
        if simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || simple_key) {
            style = Style::Double;
        }
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.plain(s, indent, allow_breaks),
            Style::Single => self.single(s, indent, allow_breaks),
            Style::Double => self.double(s, indent, allow_breaks),
            Style::Literal => self.literal(s, indent),
        }
    }

    /// yaml_emitter_write_plain_scalar (strings never hold breaks here).
    fn plain(&mut self, s: &str, indent: isize, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        if !s.as_bytes().contains(&b' ') {
            // No space, so no place to fold: the text at once (most keys
            // and values).
            self.push_run(s);
        } else {
            let mut chars = s.chars().peekable();
            let mut spaces = false;
            while let Some(c) = chars.next() {
                if c == ' ' {
                    let next_space = chars.peek() == Some(&' ');
                    if allow_breaks && !spaces && self.past_width() && !next_space {
                        self.write_indent(indent);
                    } else {
                        self.put(c);
                    }
                    spaces = true;
                } else {
                    self.put(c);
                    self.indention = false;
                    spaces = false;
                }
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// Writes `run`, which holds no line break and no place to fold, as
    /// `put` would one character at a time.
    fn push_run(&mut self, run: &str) {
        self.out.push_str(run);
        self.column += run.chars().count();
        if !run.is_empty() {
            self.indention = false;
        }
    }

    /// yaml_emitter_write_single_quoted_scalar.
    fn single(&mut self, s: &str, indent: isize, allow_breaks: bool) {
        self.indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.past_width()
                    && i != 0
                    && i != chars.len() - 1
                    && !next_space
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        // go-yaml writes the indent only before the next character: a break
        // that ends the value (U+0085/U+2028/U+2029; `\n` selects literal
        // style) is followed directly by the closing quote, as Helm prints.
        self.indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// yaml_emitter_write_double_quoted_scalar.
    fn double(&mut self, s: &str, indent: isize, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let escape = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match escape {
                    Some(e) => self.put(e),
                    None => {
                        let v = u32::from(c);
                        let (letter, width) = match v {
                            0..=0xff => ('x', 2),
                            0x100..=0xffff => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(letter);
                        for k in (0..width).rev() {
                            let digit = (v >> (k * 4)) & 0xf;
                            self.put(
                                char::from_digit(digit, 16).map_or('0', |d| d.to_ascii_uppercase()),
                            );
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.past_width() && i != 0 && i != chars.len() - 1 {
                    self.write_indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// yaml_emitter_write_literal_scalar with its block scalar hints.
    fn literal(&mut self, s: &str, indent: isize) {
        self.indicator("|", true, false, false);
        if s.chars().next().is_some_and(|c| c == ' ' || is_break(c)) {
            self.indicator("2", false, false, false);
        }
        let mut tail = s.chars().rev();
        let chomp = match (tail.next(), tail.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(prev)) if is_break(prev) => Some("+"),
            _ => None,
        };
        if let Some(hint) = chomp {
            self.indicator(hint, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        // Line by line: each line's text (indented) at once, then its break.
        let mut rest = s;
        while !rest.is_empty() {
            let end = rest.find(is_break).unwrap_or(rest.len());
            if end > 0 {
                self.write_indent(indent);
                self.push_run(&rest[..end]);
            }
            let Some(c) = rest[end..].chars().next() else {
                break;
            };
            self.write_break(c);
            self.indention = true;
            rest = &rest[end + c.len_utf8()..];
        }
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }
}

/// What libyaml's `yaml_emitter_analyze_scalar` allows for a string.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    // Every scalar is analyzed: one pass over the characters, looking one
    // ahead, without collecting them.
    let mut chars = s.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let followed_by_ws = next.is_none_or(|n| n == ' ' || n == '\t');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_ws => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_ws => block_indicators = true,
                '#' if preceded_by_ws => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        let last = next.is_none();
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = c == ' ' || c == '\t' || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// libyaml `is_break`: CR, LF, NEL, LS, PS.
fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// `s` holds a libyaml line break ([`is_break`]); ASCII text, nearly every
/// key, is checked byte-wise for the two ASCII ones.
fn has_break(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b == b'\n' || b == b'\r')
    } else {
        s.chars().any(is_break)
    }
}

/// libyaml `is_printable` (on the UTF-8 bytes): tab, CR, NEL and
/// characters above U+FFFF are not "printable" and force double quotes.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

/// The one change JSON-then-go-yaml makes to a string's text: Go's JSON
/// encoder leaves NEL (U+0085) raw, and go-yaml folds a raw line break in
/// a double-quoted scalar (one break becomes a space, n breaks become n-1
/// newlines, spaces around them vanish).
fn json_round_trip(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() || !s.contains('\u{85}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut spaces = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => spaces.push(c),
            '\u{85}' => {
                spaces.clear();
                let mut breaks = 1;
                while let Some(&n) = chars.peek() {
                    match n {
                        ' ' => {}
                        '\u{85}' => breaks += 1,
                        _ => break,
                    }
                    chars.next();
                }
                if breaks == 1 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', breaks - 1));
                }
            }
            _ => {
                out.push_str(&spaces);
                spaces.clear();
                out.push(c);
            }
        }
    }
    out.push_str(&spaces);
    std::borrow::Cow::Owned(out)
}
