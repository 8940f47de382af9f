//! YAML text as go-yaml v3 prints it with `SetIndent(2)`.
//!
//! helm-unittest prints every expected and actual value, and stores every
//! snapshot, with go-yaml v3's encoder at indent 2
//! (`common.TrustedMarshalYAML`). Snapshot files are compared byte for byte,
//! so this follows v3's `encode.go` (`stringv`, `floatv`), `sorter.go`
//! (key order) and its libyaml port `emitterc.go` (style selection, block
//! sequences indented under mapping keys, folding at 80 columns). rudder's
//! own emitter (`rudder_values::yaml::to_string`) is go-yaml *v2* as Helm's
//! `toYaml` drives it; the two differ in sequence indentation and scalar
//! resolution, hence a second, smaller emitter here.

use rudder_values::Value;
use std::cmp::Ordering;

/// libyaml's `best_width`, which go-yaml v3 leaves at its default.
const BEST_WIDTH: usize = 80;
/// libyaml `yaml_emitter_check_simple_key`: longer keys use `? key`.
const MAX_SIMPLE_KEY: usize = 128;

/// `value` as go-yaml v3 encodes it at indent 2, ending with a newline.
pub fn to_string(value: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
    };
    e.node(value, None, Ctx::Root);
    if !e.out.ends_with('\n') {
        e.out.push('\n');
    }
    e.out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Root,
    MapValue,
    SeqItem,
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
    whitespace: bool,
    indention: bool,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// libyaml `yaml_emitter_write_indent`.
    fn write_indent(&mut self, indent: usize) {
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

    /// Emits `v`; `indent` is the enclosing block's indentation (`None` at
    /// the root, libyaml's -1).
    fn node(&mut self, v: &Value, indent: Option<usize>, ctx: Ctx) {
        match v {
            Value::Map(m) if !m.is_empty() => {
                // libyaml increase_indent: inside a sequence item the block
                // skips the "- "; elsewhere it aligns to the next multiple of 2.
                let ind = child_indent(indent, ctx);
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_by(|a, b| key_cmp(a, b));
                for k in keys {
                    self.write_indent(ind);
                    let simple = k.chars().count() <= MAX_SIMPLE_KEY && !k.contains('\n');
                    if simple {
                        self.scalar(k, ind, true);
                        self.indicator(":", false, false, false);
                    } else {
                        self.indicator("?", true, false, true);
                        self.scalar(k, ind + 2, false);
                        self.write_indent(ind);
                        self.indicator(":", true, false, true);
                    }
                    self.node(&m[k.as_str()], Some(ind), Ctx::MapValue);
                }
            }
            Value::List(items) if !items.is_empty() => {
                let ind = child_indent(indent, ctx);
                for item in items {
                    self.write_indent(ind);
                    self.indicator("-", true, false, true);
                    self.node(item, Some(ind), Ctx::SeqItem);
                }
            }
            Value::Map(_) => self.indicator("{}", true, false, false),
            Value::List(_) => self.indicator("[]", true, false, false),
            Value::String(s) => self.scalar(s, scalar_indent(indent, ctx), false),
            other => {
                let text = plain_text(other);
                self.write_plain(&text, scalar_indent(indent, ctx), true);
            }
        }
    }

    /// A string scalar: go-yaml v3 `stringv`, then libyaml
    /// `yaml_emitter_select_scalar_style`.
    fn scalar(&mut self, s: &str, indent: usize, simple_key: bool) {
        let can_plain = resolves_to_str(s) && !is_base60_float(s) && !is_old_bool(s);
        let mut style = if s.contains('\n') {
            Style::Literal
        } else if can_plain {
            Style::Plain
        } else {
            Style::Double
        };
        let a = analyze(s);
        if style == Style::Plain && (!a.block_plain || (s.is_empty() && simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block || simple_key) {
            style = Style::Double;
        }
        match style {
            Style::Plain => self.write_plain(s, indent, !simple_key),
            Style::Single => self.write_single(s, indent, !simple_key),
            Style::Double => self.write_double(s, indent, !simple_key),
            Style::Literal => self.write_literal(s, indent),
        }
    }

    /// libyaml `yaml_emitter_write_plain_scalar`.
    fn write_plain(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        if !s.is_empty() && !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
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
        if !s.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    /// libyaml `yaml_emitter_write_single_quoted_scalar` (no line breaks:
    /// multi-line strings never get here).
    fn write_single(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && !next_space
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// libyaml `yaml_emitter_write_double_quoted_scalar`.
    fn write_double(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (tag, width) = if v <= 0xff {
                            ('x', 2)
                        } else if v <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(tag);
                        for ch in format!("{v:0width$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                {
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

    /// libyaml `yaml_emitter_write_literal_scalar` with its block hints.
    fn write_literal(&mut self, s: &str, indent: usize) {
        self.indicator("|", true, false, false);
        if s.starts_with(' ') || s.starts_with('\n') {
            self.indicator("2", false, false, false);
        }
        if !s.ends_with('\n') {
            self.indicator("-", false, false, false);
        } else if s == "\n" || s.ends_with("\n\n") {
            self.indicator("+", false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in s.chars() {
            if c == '\n' {
                // go-yaml's write_break marks the new line as indentation.
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// The indentation of a block inside a node at `indent` (libyaml
/// `yaml_emitter_increase_indent` with go-yaml's change).
fn child_indent(indent: Option<usize>, ctx: Ctx) -> usize {
    match (indent, ctx) {
        (None, _) | (_, Ctx::Root) => 0,
        (Some(i), Ctx::SeqItem) => i + 2,
        (Some(i), Ctx::MapValue) => 2 * ((i + 2) / 2),
    }
}

/// libyaml `yaml_emitter_emit_scalar` raises the indent as a flow level:
/// at the root to `best_indent`.
fn scalar_indent(indent: Option<usize>, ctx: Ctx) -> usize {
    match indent {
        None => 2,
        Some(_) => child_indent(indent, ctx),
    }
}

fn plain_text(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => go_float(*f),
        _ => String::new(),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` as go-yaml v3 `floatv` uses
/// it, with YAML's names for infinities and NaN.
pub(crate) fn go_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Shortest round-trip digits, as Rust's `{:e}` prints them.
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if neg { "-" } else { "" };
    // %g: exponent form when exp < -4 || exp >= eprec, and eprec is 6 when
    // the shortest digits are asked for (strconv `%g` with precision -1).
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let nd = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let dp = exp + 1;
    if dp <= 0 {
        let zeros = "0".repeat(usize::try_from(-dp).unwrap_or(0));
        format!("{sign}0.{zeros}{digits}")
    } else if dp >= nd {
        let zeros = "0".repeat(usize::try_from(dp - nd).unwrap_or(0));
        format!("{sign}{digits}{zeros}")
    } else {
        let (a, b) = digits.split_at(usize::try_from(dp).unwrap_or(0));
        format!("{sign}{a}.{b}")
    }
}

struct Analysis {
    block_plain: bool,
    single: bool,
    block: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml `is_printable` (go-yaml emits unicode).
fn is_printable(c: char) -> bool {
    matches!(c, '\u{a}' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
        && c != '\u{feff}'
}

/// libyaml `yaml_emitter_analyze_scalar`, the block-context answers.
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            block_plain: true,
            single: true,
            block: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_by_ws = true;
    let blank = |c: Option<&char>| {
        matches!(
            c,
            None | Some(' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
        )
    };
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_ws = blank(chars.get(i + 1));
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
        if c == '\t' {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == chars.len() {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == chars.len() {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = blank(Some(&c));
    }
    let mut a = Analysis {
        block_plain: true,
        single: true,
        block: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single = false;
    }
    if space_break || tabs || special {
        a.block_plain = false;
        a.single = false;
    }
    if space_break || special {
        a.block = false;
    }
    if line_breaks || block_indicators {
        a.block_plain = false;
    }
    a
}

/// go-yaml v3 `resolve("", s)` gives `!!str`: the text read back plain is
/// a string (not null, bool, number, timestamp or merge key).
fn resolves_to_str(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    if matches!(
        s,
        "~" | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "<<"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | ".nan"
            | ".NaN"
            | ".NAN"
    ) {
        return false;
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return true;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if go_parse_int(&plain) {
        return false;
    }
    if float_re().is_match(&plain) {
        return false;
    }
    if first.is_ascii_digit() && is_timestamp(s) {
        return false;
    }
    true
}

/// `strconv.ParseInt(s, 0, 64)` / `ParseUint` succeed (base prefixes
/// `0x`, `0o`, `0b`, and a leading `0` for octal).
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let parse =
        |digits: &str, radix: u32| !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok();
    if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        parse(h, 16)
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        parse(o, 8)
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        parse(b, 2)
    } else if body.len() > 1 && body.starts_with('0') {
        parse(&body[1..], 8)
    } else {
        parse(body, 10)
    }
}

fn float_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
            .unwrap_or_else(|_| unreachable!("a constant pattern"))
    })
}

/// go-yaml v3 `parseTimestamp`'s formats: a date, or a date and time.
fn is_timestamp(s: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?(Z|[ \t]*[-+][0-9]{1,2}(:[0-9]{2})?)?)?$",
        )
        .unwrap_or_else(|_| unreachable!("a constant pattern"))
    })
    .is_match(s)
}

/// go-yaml v3 `isBase60Float`.
fn is_base60_float(s: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    if s.is_empty() || !s.contains(':') {
        return false;
    }
    RE.get_or_init(|| {
        regex::Regex::new(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
            .unwrap_or_else(|_| unreachable!("a constant pattern"))
    })
    .is_match(s)
}

/// go-yaml v3 `isOldBool`: YAML 1.1 booleans v3 still quotes.
fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// go-yaml v3 `keyList.Less` for string keys: letters before other
/// characters, runs of digits compared as numbers.
pub(crate) fn key_cmp(a: &str, b: &str) -> Ordering {
    if key_less(a, b) {
        Ordering::Less
    } else if key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn key_less(a: &str, b: &str) -> bool {
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut digits = false;
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            digits = ar[i].is_numeric();
            i += 1;
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// A snapshot file's text: go-yaml v3 encoding a
/// `map[string]map[uint]string` (test name → assert counter → snapshot).
pub fn snapshot_file(tests: &[(&str, Vec<(u64, &str)>)]) -> String {
    if tests.is_empty() {
        return "{}\n".to_owned();
    }
    let mut tests: Vec<&(&str, Vec<(u64, &str)>)> = tests.iter().collect();
    tests.sort_by(|a, b| key_cmp(a.0, b.0));
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
    };
    for (name, entries) in tests {
        e.write_indent(0);
        e.scalar(name, 0, true);
        e.indicator(":", false, false, false);
        if entries.is_empty() {
            e.indicator("{}", true, false, false);
            continue;
        }
        let mut entries = entries.clone();
        entries.sort_by_key(|(i, _)| *i);
        for (i, text) in entries {
            e.write_indent(2);
            e.write_plain(&i.to_string(), 2, false);
            e.indicator(":", false, false, false);
            e.scalar(text, 4, false);
        }
    }
    if !e.out.ends_with('\n') {
        e.out.push('\n');
    }
    e.out
}
