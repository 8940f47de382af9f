//! The `--set` family: Helm's `strvals` grammar.
//!
//! One parser serves `--set`, `--set-string`, `--set-json`, `--set-file` and
//! `--set-literal`; they differ only in how a value's text becomes a value
//! ([`Mode`]) and, for `--set-literal`, in having no escapes, commas or `{}`
//! lists. Each flag is parsed *into* the values built so far, exactly like
//! Helm's `strvals.ParseInto`, so `--set a=1 --set a.b=2` fails the same way
//! (`a` is already a number when the second flag wants a map).
//!
//! Helm ends a parse silently on any error that wraps `io.EOF`: that is why
//! `a[0`, `a.` and `a[0]` are accepted without a word. rudder keeps the same
//! values but reports those as warnings ([`Halt::Cut`]).

use crate::{Map, Value};

/// Helm's `strvals.MaxIndex`: the largest list index a flag may name.
pub const MAX_INDEX: usize = 65536;
/// Helm's `strvals.MaxNestedNameLevel`: how many `.`-separated names deep a
/// key may go.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How a flag turns a value's text into a value.
pub(crate) enum Mode<'r> {
    /// `--set`: bools, null and 64-bit integers are inferred.
    Typed,
    /// `--set-string`: always a string.
    String,
    /// `--set-json`: the value is JSON.
    Json,
    /// `--set-file`: the value is a path; the file's contents become a string.
    File(&'r mut dyn FnMut(&str) -> Result<Value, String>),
    /// `--set-literal`: key syntax without escapes; the rest is one string.
    Literal,
}

/// Why a parse stopped before its input was complete.
#[derive(Debug)]
pub(crate) enum Halt {
    /// The input ended where a key could start: a normal end.
    End,
    /// `name=` ended the input: the empty string was set and the parse
    /// ends. Helm reports this as EOF too, so a map being built inside a
    /// list element is dropped (`a[0].b=` gives `a: []`).
    EmptyTail,
    /// The input ended early; Helm silently keeps what was set so far.
    /// The text says what was ignored.
    Cut(String),
    /// A real error, with Helm's reason rephrased.
    Fail(String),
}

type Step<T = ()> = Result<T, Halt>;

/// What one flag's parse produced besides its values.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Parts of the input Helm ignores without a word.
    pub(crate) ignored: Vec<String>,
}

/// Parses one flag argument into `data`, as Helm's `ParseInto` family does.
/// An error is the message alone (see [`parse_into_at`] for the piece).
#[cfg(test)]
pub(crate) fn parse_into(text: &str, data: &mut Map, mode: Mode<'_>) -> Result<Outcome, String> {
    parse_into_at(text, data, mode).map_err(|f| f.message)
}

/// Why one flag argument failed: the message, and the one `key=value`
/// pair of the argument it is about.
#[derive(Debug)]
pub(crate) struct Failed {
    /// The offending pair, as typed (never the argument's other pairs:
    /// they may hold secrets that must not reach CI logs).
    pub(crate) piece: String,
    /// What is wrong and what to do.
    pub(crate) message: String,
}

/// [`parse_into`], with the failing pair on error.
pub(crate) fn parse_into_at(text: &str, data: &mut Map, mode: Mode<'_>) -> Result<Outcome, Failed> {
    let mut p = Parser {
        s: text,
        pos: 0,
        mode,
        ignored: Vec::new(),
    };
    loop {
        let pair_start = p.pos;
        match p.key(data, 0) {
            Ok(()) => {}
            Err(Halt::End | Halt::EmptyTail) => break,
            Err(Halt::Cut(what)) => {
                p.ignored.push(what);
                break;
            }
            Err(Halt::Fail(message)) => {
                let end = p.pair_end(pair_start);
                return Err(Failed {
                    piece: text[pair_start..end].to_owned(),
                    message,
                });
            }
        }
    }
    Ok(Outcome { ignored: p.ignored })
}

struct Parser<'s, 'r> {
    s: &'s str,
    pos: usize,
    mode: Mode<'r>,
    /// Pairs Helm drops without a word (an empty name: `=x`, `.a=1`).
    ignored: Vec<String>,
}

impl Parser<'_, '_> {
    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.s[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn unread(&mut self, c: char) {
        self.pos -= c.len_utf8();
    }

    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }

    /// Where the pair that began at `start` ends: the first top-level `,`
    /// at or after the failure point (`self.pos`; a comma just before it is
    /// the one that ended the pair), or the end of the text. Commas inside
    /// a `{a,b}` list, escaped with `\`, or inside a JSON value's brackets
    /// and strings belong to the pair. `--set-literal` has one pair.
    fn pair_end(&self, start: usize) -> usize {
        if self.literal() {
            return self.s.len();
        }
        let json = matches!(self.mode, Mode::Json);
        let (mut escaped, mut in_string, mut depth, mut in_value) = (false, false, 0usize, false);
        for (i, c) in self.s[start..].char_indices().map(|(i, c)| (start + i, c)) {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' if !in_value || in_string || !json => escaped = true,
                '"' if json && in_value => in_string = !in_string,
                _ if in_string => {}
                '=' if !in_value => in_value = true,
                '{' | '[' if in_value && (json || c == '{') => depth += 1,
                '}' | ']' if in_value && depth > 0 => depth -= 1,
                ',' if depth == 0 && i + 1 >= self.pos => return i,
                ',' if depth == 0 => in_value = false,
                _ => {}
            }
        }
        self.s.len()
    }

    /// Reads up to (and consumes) the first rune in `stop`; a backslash
    /// takes the next rune literally (not in literal mode). Returns the text
    /// read and the stop rune, or `None` as the stop at end of input.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let literal = self.literal();
        let mut out = String::new();
        while let Some(c) = self.next_char() {
            if stop.contains(&c) {
                return (out, Some(c));
            }
            if c == '\\' && !literal {
                // Helm drops a trailing backslash: the read fails with EOF.
                match self.next_char() {
                    Some(n) => out.push(n),
                    None => return (out, None),
                }
            } else {
                out.push(c);
            }
        }
        (out, None)
    }

    /// Helm's `parser.key`: one `name...=value` pair, or a nested part of it.
    fn key(&mut self, data: &mut Map, level: usize) -> Step {
        let stop: &[char] = if self.literal() {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let start = self.pos;
        let (k, last) = self.until(stop);
        let r = self.key_after(data, level, start, &k, last);
        // Helm's `set` drops a value whose name is empty; say so.
        if k.is_empty()
            && last.is_some_and(|c| c != ',')
            && matches!(r, Ok(()) | Err(Halt::EmptyTail))
        {
            self.ignored
                .push(self.s[start..self.pos].trim_end_matches(',').to_owned());
        }
        r
    }

    /// The rest of [`Parser::key`], once the name `k` and the rune that
    /// ended it are read.
    fn key_after(
        &mut self,
        data: &mut Map,
        level: usize,
        start: usize,
        k: &str,
        last: Option<char>,
    ) -> Step {
        let k = k.to_owned();
        match last {
            None if k.is_empty() => Err(Halt::End),
            None => Err(Halt::Fail(format!(
                "key {k:?} has no value; write {k}=VALUE (or {k}= for an empty string)"
            ))),
            Some(',') => Err(Halt::Fail(format!(
                "key {k:?} has no value (a pair cannot end with ','); write {k}=VALUE"
            ))),
            Some('[') => {
                let i = self.index(start)?;
                let mut list = match data.get(&k) {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.clone(),
                    Some(other) => return Err(conflict(&k, other, "a list")),
                };
                let r = self.list_item(&mut list, i, level);
                set(data, &k, Value::List(list));
                r
            }
            Some('=') => {
                let empty_tail =
                    !matches!(self.mode, Mode::Literal | Mode::Json) && self.rest().is_empty();
                let v = self.value()?;
                set(data, &k, v);
                if empty_tail {
                    Err(Halt::EmptyTail)
                } else {
                    Ok(())
                }
            }
            Some(_) => {
                // '.': descend into a map.
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(Halt::Fail(format!(
                        "key is nested more than {MAX_NESTED_NAME_LEVEL} levels deep (Helm's limit)"
                    )));
                }
                let mut fresh = Map::new();
                let inner = match data.get_mut(&k) {
                    None => &mut fresh,
                    Some(Value::Map(m)) => m,
                    Some(other) => return Err(conflict(&k, other, "a map")),
                };
                // The input ending right after the dot is ignored by Helm.
                let r = self
                    .key(inner, level)
                    .map_err(|h| self.cut_at_end(h, start));
                if inner.is_empty() {
                    return match r {
                        Ok(()) => Err(Halt::Fail(format!(
                            "key map {k:?} has no value; name a key after '{k}.'"
                        ))),
                        Err(Halt::EmptyTail) => Err(Halt::Cut(self.s[start..].to_owned())),
                        Err(e) => Err(e),
                    };
                }
                if !fresh.is_empty() {
                    set(data, &k, Value::Map(Box::new(fresh)));
                }
                r
            }
        }
    }

    /// A nested key that meets the end of input at once means the text
    /// stopped after a `.`: Helm ignores it, rudder warns.
    fn cut_at_end(&self, h: Halt, start: usize) -> Halt {
        match h {
            Halt::End => Halt::Cut(self.s[start..].to_owned()),
            other => other,
        }
    }

    /// Reads `N]` after a `[`; `start` is where the key began (for messages).
    fn index(&mut self, start: usize) -> Step<usize> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Halt::Cut(self.s[start..].to_owned()));
        }
        let i: i64 = v.parse().map_err(|_| {
            Halt::Fail(format!(
                "list index {v:?} is not a whole number; write e.g. name[0]=VALUE"
            ))
        })?;
        if i < 0 {
            return Err(Halt::Fail(format!(
                "negative list index {i} is not allowed"
            )));
        }
        Ok(usize::try_from(i).unwrap_or(usize::MAX))
    }

    /// Helm's `listItem`: what follows `name[i]`.
    fn list_item(&mut self, list: &mut Vec<Value>, i: usize, level: usize) -> Step {
        let start = self.pos;
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return Err(Halt::Fail(format!(
                "unexpected text {k:?} after a list index; expected '=', '.' or '['"
            )));
        }
        match last {
            None => Err(Halt::Cut(format!("[{i}]{}", &self.s[start..]))),
            Some('=') => {
                let v = self.value()?;
                set_index(list, i, v)
            }
            Some('[') => {
                let next = self.index(start)?;
                let mut inner = match list.get(i) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::List(l)) => l.clone(),
                    Some(other) => return Err(conflict(&format!("[{i}]"), other, "a list")),
                };
                self.list_item(&mut inner, next, level)?;
                set_index(list, i, Value::List(inner))
            }
            Some(_) => {
                // '.': a map inside the list. Helm replaces a non-map element
                // with an empty map before descending, even if that fails.
                if i < list.len() {
                    if !matches!(list[i], Value::Map(_)) {
                        list[i] = Value::Map(Box::new(Map::new()));
                    }
                    if let Some(Value::Map(inner)) = list.get_mut(i) {
                        return self
                            .key(inner, level)
                            .map_err(|h| self.cut_at_end(h, start));
                    }
                    Ok(())
                } else {
                    let mut inner = Map::new();
                    self.key(&mut inner, level).map_err(|h| match h {
                        // Helm returns before storing the new element.
                        Halt::EmptyTail => Halt::Cut(format!("[{i}].{}", &self.s[start..])),
                        h => self.cut_at_end(h, start),
                    })?;
                    set_index(list, i, Value::Map(Box::new(inner)))
                }
            }
        }
    }

    /// The value after `=`, by mode.
    fn value(&mut self) -> Step<Value> {
        match self.mode {
            Mode::Literal => {
                let v = self.rest().to_owned();
                self.pos = self.s.len();
                Ok(Value::String(v))
            }
            Mode::Json => self.json_value(),
            _ => {
                match self.next_char() {
                    // `a=` at the very end: the empty string, and the end.
                    None => return Ok(Value::String(String::new())),
                    Some('{') => return self.list_value(),
                    Some(c) => self.unread(c),
                }
                let (v, _) = self.until(&[',']);
                self.convert(&v)
            }
        }
    }

    /// `{a,b,c}` after `=`.
    fn list_value(&mut self) -> Step<Value> {
        let mut out = Vec::new();
        loop {
            let (v, last) = self.until(&[',', '}']);
            match last {
                None => {
                    return Err(Halt::Fail(
                        "list must end with '}'; write name={a,b}".to_owned(),
                    ));
                }
                Some('}') => {
                    // A ',' right after the list is consumed.
                    match self.next_char() {
                        Some(',') | None => {}
                        Some(c) => self.unread(c),
                    }
                    out.push(self.convert(&v)?);
                    return Ok(Value::List(out));
                }
                Some(_) => out.push(self.convert(&v)?),
            }
        }
    }

    fn convert(&mut self, text: &str) -> Step<Value> {
        match &mut self.mode {
            Mode::Typed => Ok(typed_value(text)),
            Mode::File(read) => read(text).map_err(Halt::Fail),
            _ => Ok(Value::String(text.to_owned())),
        }
    }

    /// `--set-json key=JSON`: one JSON value, then blanks and a comma.
    fn json_value(&mut self) -> Step<Value> {
        if self.skip_empty() {
            return Ok(Value::Null);
        }
        let (v, used) = json_prefix(self.rest()).map_err(Halt::Fail)?;
        self.pos += used;
        self.skip_empty();
        Ok(v)
    }

    /// Helm's `emptyVal`: skips blanks; true at end of input or a comma
    /// (consumed), false before anything else (not consumed).
    fn skip_empty(&mut self) -> bool {
        while let Some(c) = self.next_char() {
            if c == ',' {
                return true;
            }
            if !c.is_whitespace() {
                self.unread(c);
                return false;
            }
        }
        true
    }
}

/// Sets `key` unless it is empty: Helm drops values with an empty name.
fn set(data: &mut Map, key: &str, v: Value) {
    if !key.is_empty() {
        data.insert(key.to_owned(), v);
    }
}

/// Helm's `setIndex`: grows the list with nulls up to `i`.
fn set_index(list: &mut Vec<Value>, i: usize, v: Value) -> Step {
    if i > MAX_INDEX {
        return Err(Halt::Fail(format!(
            "list index {i} is larger than {MAX_INDEX}, the largest Helm allows"
        )));
    }
    if list.len() <= i {
        list.resize(i + 1, Value::Null);
    }
    list[i] = v;
    Ok(())
}

/// The earlier value is named by kind only: it may come from another flag
/// or a values file, and may be a secret.
fn conflict(key: &str, existing: &Value, wanted: &str) -> Halt {
    let shown = match existing {
        Value::Null => "null".to_owned(),
        Value::Int(_) | Value::UInt(_) => "an int".to_owned(),
        other => format!("a {}", other.kind()),
    };
    Halt::Fail(format!(
        "{key:?} is already {shown} (set earlier), so it cannot also be {wanted}; \
         set the whole {key:?} in one place, or drop the earlier value"
    ))
}

/// Helm's `typedVal` for `--set`: `true`/`false`/`null` in any case, and
/// base-10 64-bit integers without a leading zero (`+1` and `-1` included).
/// Everything else, `1.5`, `1e5`, `0777` and integers past 64 bits among it,
/// stays a string.
pub(crate) fn typed_value(text: &str) -> Value {
    if eq_fold(text, "true") {
        return Value::Bool(true);
    }
    if eq_fold(text, "false") {
        return Value::Bool(false);
    }
    if eq_fold(text, "null") {
        return Value::Null;
    }
    if text == "0" {
        return Value::Int(0);
    }
    if !text.starts_with('0')
        && let Ok(i) = text.parse::<i64>()
    {
        return Value::Int(i);
    }
    Value::String(text.to_owned())
}

/// Go's `strings.EqualFold` against an ASCII lowercase word. Unicode simple
/// folding adds exactly one case for the letters of true/false/null:
/// U+017F LATIN SMALL LETTER LONG S folds to `s`.
fn eq_fold(text: &str, word: &str) -> bool {
    let mut t = text.chars();
    for w in word.chars() {
        match t.next() {
            Some(c) if c.to_ascii_lowercase() == w => {}
            Some('\u{17F}') if w == 's' => {}
            _ => return false,
        }
    }
    t.next().is_none()
}

/// Reads one JSON value at the start of `s` the way Go's `json.Decoder`
/// does: a number or literal ends at the first character that cannot
/// continue it (so `1b` reads `1`), containers and strings at their closing
/// delimiter. Returns the value and the bytes used.
pub(crate) fn json_prefix(s: &str) -> Result<(Value, usize), String> {
    let lead = s.len() - s.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let body = &s[lead..];
    let end = match body.as_bytes().first() {
        None => return Err("expected a JSON value after '='".to_owned()),
        Some(b'{' | b'[' | b'"') => {
            let mut it = serde_json::Deserializer::from_str(body).into_iter::<serde_json::Value>();
            return match it.next() {
                Some(Ok(v)) => Ok((Value::from(v), lead + it.byte_offset())),
                Some(Err(e)) => Err(format!("invalid JSON: {e}")),
                None => Err("expected a JSON value after '='".to_owned()),
            };
        }
        Some(b't') => literal_len(body, "true")?,
        Some(b'f') => literal_len(body, "false")?,
        Some(b'n') => literal_len(body, "null")?,
        Some(_) => number_len(body)?,
    };
    let v: serde_json::Value =
        serde_json::from_str(&body[..end]).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok((Value::from(v), lead + end))
}

fn literal_len(s: &str, word: &str) -> Result<usize, String> {
    if s.starts_with(word) {
        Ok(word.len())
    } else {
        Err(format!(
            "invalid JSON value {:?}; JSON strings need double quotes",
            token(s)
        ))
    }
}

/// The bad value itself: `s` up to the comma that ends it (the rest of the
/// argument is other pairs, not to be echoed).
fn token(s: &str) -> &str {
    s.split(',').next().unwrap_or(s)
}

/// Length of the JSON number at the start of `s`
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
fn number_len(s: &str) -> Result<usize, String> {
    let b = s.as_bytes();
    let digits = |from: usize| from + b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let bad = || {
        format!(
            "invalid JSON value {:?}; JSON strings need double quotes",
            token(s)
        )
    };
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(c) if c.is_ascii_digit() => i = digits(i),
        _ => return Err(bad()),
    }
    if b.get(i) == Some(&b'.') {
        let j = digits(i + 1);
        if j == i + 1 {
            return Err(bad());
        }
        i = j;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let k = digits(j);
        if k == j {
            return Err(bad());
        }
        i = k;
    }
    Ok(i)
}

#[cfg(test)]
#[path = "strvals_tests.rs"]
mod tests;
