//! String functions (Sprig's `strings.go` and `regex.go`, plus `printf`).
//!
//! Sprig declares most of these with Go `string` parameters, so Helm fails
//! when a template passes a number or nil ("expected string; found 1",
//! "cannot assign nil to string"); these functions fail the same way.

use super::gofmt::{self, go_quote, sprintf, strval};
use super::goregex;
use super::{dicts::Dict, fail, int_arg, is_nil, seq_items, str_arg};
use minijinja::Error;
use minijinja::value::{Rest, Value};
use regex::Regex;

/// Largest string `repeat`/`indent` will build, so a template cannot
/// exhaust memory (Go would simply try).
const MAX_OUTPUT: usize = 64 << 20;

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Helm `trunc N S`: the first `N` bytes, or the last `-N` bytes when `N` is
/// negative (Sprig slices bytes, not runes). A cut inside a multi-byte
/// character moves to the character boundary (Helm would emit invalid UTF-8,
/// which then fails its YAML parse).
///
/// `{{ Values.name | trunc(63) }}`
pub fn trunc(s: &Value, n: &Value) -> Result<String, Error> {
    let s = str_arg("trunc", "", s)?;
    let n = int_arg("trunc", "length", n)?;
    let len = s.len() as i64;
    Ok(if n < 0 && len + n > 0 {
        let start = ceil_boundary(s, (len + n) as usize);
        s.get(start..).unwrap_or_default().to_string()
    } else if n >= 0 && len > n {
        let end = floor_boundary(s, n as usize);
        s.get(..end).unwrap_or_default().to_string()
    } else {
        s.to_string()
    })
}

/// Helm `trim S`: strips leading and trailing Unicode whitespace.
///
/// `{{ Values.s | trim }}`
pub fn trim(s: &Value) -> Result<String, Error> {
    Ok(str_arg("trim", "", s)?.trim().to_string())
}

/// Helm `trimAll CUTSET S`: strips any of the characters in `cutset` from
/// both ends (Go `strings.Trim`).
///
/// `{{ "$5.00$" | trimAll("$") }}` → `5.00`
pub fn trim_all(s: &Value, cutset: &Value) -> Result<String, Error> {
    let s = str_arg("trimAll", "", s)?;
    let cut = str_arg("trimAll", "cutset", cutset)?;
    Ok(s.trim_matches(|c| cut.contains(c)).to_string())
}

/// Helm `trimPrefix P S`: removes one leading `P`.
///
/// `{{ Values.s | trimPrefix("v") }}`
pub fn trim_prefix(s: &Value, prefix: &Value) -> Result<String, Error> {
    let s = str_arg("trimPrefix", "", s)?;
    let p = str_arg("trimPrefix", "prefix", prefix)?;
    Ok(s.strip_prefix(p).unwrap_or(s).to_string())
}

/// Helm `trimSuffix S S`: removes one trailing suffix.
///
/// `{{ name | trunc(63) | trimSuffix("-") }}`
pub fn trim_suffix(s: &Value, suffix: &Value) -> Result<String, Error> {
    let s = str_arg("trimSuffix", "", s)?;
    let p = str_arg("trimSuffix", "suffix", suffix)?;
    Ok(s.strip_suffix(p).unwrap_or(s).to_string())
}

/// Helm `upper S`. `{{ "aBc" | upper }}` → `ABC`
pub fn upper(s: &Value) -> Result<String, Error> {
    Ok(str_arg("upper", "", s)?.to_uppercase())
}

/// Helm `lower S`. `{{ "aBc" | lower }}` → `abc`
pub fn lower(s: &Value) -> Result<String, Error> {
    Ok(str_arg("lower", "", s)?.to_lowercase())
}

/// Go `strings.Title`'s word separator test.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

/// Helm `title S` (Go `strings.Title`): upper-cases the first letter of each
/// word and leaves the rest alone; any ASCII punctuation except `_` starts a
/// word, so `hello-world foo_bar` → `Hello-World Foo_bar`.
pub fn title(s: &Value) -> Result<String, Error> {
    let s = str_arg("title", "", s)?;
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if is_separator(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    Ok(out)
}

/// Helm `untitle S`: lower-cases the first letter of each
/// whitespace-separated word. `{{ "Hello World" | untitle }}` → `hello world`
pub fn untitle(s: &Value) -> Result<String, Error> {
    let s = str_arg("untitle", "", s)?;
    let mut out = String::with_capacity(s.len());
    let mut prev_space = true;
    for c in s.chars() {
        if prev_space {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        prev_space = c.is_whitespace();
    }
    Ok(out)
}

/// Helm `swapcase S`: swaps upper and lower case.
pub fn swapcase(s: &Value) -> Result<String, Error> {
    let s = str_arg("swapcase", "", s)?;
    Ok(s.chars()
        .flat_map(|c| -> Vec<char> {
            if c.is_uppercase() {
                c.to_lowercase().collect()
            } else if c.is_lowercase() {
                c.to_uppercase().collect()
            } else {
                vec![c]
            }
        })
        .collect())
}

/// Helm `replace OLD NEW S`: replaces every `OLD`; an empty `OLD` inserts
/// `NEW` around every character like Go. `{{ s | replace("a", "b") }}`
pub fn replace(s: &Value, old: &Value, new: &Value) -> Result<String, Error> {
    let s = str_arg("replace", "", s)?;
    let old = str_arg("replace", "old", old)?;
    let new = str_arg("replace", "new", new)?;
    Ok(s.replace(old, new))
}

/// Helm `contains SUB S`. `{{ Values.s | contains("foo") }}`
pub fn contains(s: &Value, sub: &Value) -> Result<bool, Error> {
    Ok(str_arg("contains", "", s)?.contains(str_arg("contains", "substring", sub)?))
}

/// Helm `hasPrefix P S`. `{{ Values.s | hasPrefix("ab") }}`
pub fn has_prefix(s: &Value, p: &Value) -> Result<bool, Error> {
    Ok(str_arg("hasPrefix", "", s)?.starts_with(str_arg("hasPrefix", "prefix", p)?))
}

/// Helm `hasSuffix S S`. `{{ Values.s | hasSuffix("bc") }}`
pub fn has_suffix(s: &Value, p: &Value) -> Result<bool, Error> {
    Ok(str_arg("hasSuffix", "", s)?.ends_with(str_arg("hasSuffix", "suffix", p)?))
}

/// Compiles a template's regex, written in Go's RE2 syntax (Sprig calls
/// `regexp.Compile`), through [`goregex::translate`]. Templates use a few
/// patterns over and over (often in loops, and in every render): short
/// ones are kept, per thread and by their Go text, when they compile within
/// a size bound, so the cache holds at most [`KEEP_REGEXES`] small programs.
fn compile(func: &str, re: &Value) -> Result<Regex, Error> {
    thread_local! {
        static KEPT: std::cell::RefCell<Vec<(String, Regex)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let re = str_arg(func, "regex", re)?;
    let kept = KEPT.with(|k| {
        k.borrow()
            .iter()
            .find(|(go, _)| go == re)
            .map(|(_, r)| r.clone())
    });
    if let Some(r) = kept {
        return Ok(r);
    }
    // The plain functions: Sprig's `regexp.MustCompile` panic, as
    // text/template reports it; the `must*` ones return `regexp.Compile`'s
    // error.
    let refuse = |e: String| {
        if func.starts_with("must") {
            fail(format!("{func}: {e}"))
        } else {
            fail(format!(
                "{func}: regexp: Compile({}): {e}",
                goregex::quote(re)
            ))
        }
    };
    let rust = goregex::translate(re).map_err(refuse)?;
    if re.len() <= KEEP_REGEX_LEN
        && let Ok(r) = regex::RegexBuilder::new(&rust)
            .size_limit(KEEP_REGEX_BYTES)
            .dfa_size_limit(KEEP_REGEX_BYTES)
            .build()
    {
        KEPT.with(|k| {
            let mut k = k.borrow_mut();
            if k.len() == KEEP_REGEXES {
                k.remove(0);
            }
            k.push((re.to_owned(), r.clone()));
        });
        return Ok(r);
    }
    Regex::new(&rust).map_err(|e| refuse(goregex::parse_error(re, &rust, &e)))
}

/// How many compiled regexes a thread keeps.
const KEEP_REGEXES: usize = 16;
/// Longest pattern kept.
const KEEP_REGEX_LEN: usize = 256;
/// Size bound of a kept regex's program and of its lazy DFA: what does not
/// fit is compiled afresh each time (with the default, larger bounds).
const KEEP_REGEX_BYTES: usize = 1 << 20;

/// Helm `regexMatch RE S`; an invalid regex is simply `false` (Sprig drops
/// the compile error). `{{ s | regexMatch("^[a-z]+$") }}`
pub fn regex_match(s: &Value, re: &Value) -> Result<bool, Error> {
    let s = str_arg("regexMatch", "", s)?;
    Ok(compile("regexMatch", re).is_ok_and(|r| r.is_match(s)))
}

/// Helm `regexFind RE S`: the first match or `""`.
/// `{{ s | regexFind("[0-9]+") }}`
pub fn regex_find(s: &Value, re: &Value) -> Result<String, Error> {
    regex_find_as("regexFind", s, re)
}

/// Helm `mustRegexFind`: as `regexFind`, but an invalid regex is `regexp.Compile`'s
/// error rather than `MustCompile`'s panic.
pub fn must_regex_find(s: &Value, re: &Value) -> Result<String, Error> {
    regex_find_as("mustRegexFind", s, re)
}

fn regex_find_as(func: &str, s: &Value, re: &Value) -> Result<String, Error> {
    let s = str_arg("regexFind", "", s)?;
    let r = compile(func, re)?;
    Ok(r.find(s)
        .map(|m| m.as_str().to_string())
        .unwrap_or_default())
}

/// Helm `regexFindAll RE S N`: up to `N` matches (all when `N < 0`).
/// `{{ s | regexFindAll("[0-9]+", -1) }}`
pub fn regex_find_all(s: &Value, re: &Value, n: &Value) -> Result<Value, Error> {
    regex_find_all_as("regexFindAll", s, re, n)
}

/// Helm `mustRegexFindAll`: as `regexFindAll`, but an invalid regex is `regexp.Compile`'s
/// error rather than `MustCompile`'s panic.
pub fn must_regex_find_all(s: &Value, re: &Value, n: &Value) -> Result<Value, Error> {
    regex_find_all_as("mustRegexFindAll", s, re, n)
}

fn regex_find_all_as(func: &str, s: &Value, re: &Value, n: &Value) -> Result<Value, Error> {
    let s = str_arg("regexFindAll", "", s)?;
    let r = compile(func, re)?;
    let n = int_arg("regexFindAll", "count", n)?;
    let limit = if n < 0 { usize::MAX } else { n as usize };
    Ok(Value::from(
        r.find_iter(s)
            .take(limit)
            .map(|m| Value::from(m.as_str()))
            .collect::<Vec<_>>(),
    ))
}

/// Helm `regexReplaceAll RE S REPL`: `$1`, `${1}` and `$name` expand as in
/// Go (`$1x` names group `1x`). `{{ s | regexReplaceAll("a(x*)b", "${1}W") }}`
pub fn regex_replace_all(s: &Value, re: &Value, repl: &Value) -> Result<String, Error> {
    regex_replace_all_as("regexReplaceAll", s, re, repl)
}

/// Helm `mustRegexReplaceAll`: as `regexReplaceAll`, but an invalid regex is `regexp.Compile`'s
/// error rather than `MustCompile`'s panic.
pub fn must_regex_replace_all(s: &Value, re: &Value, repl: &Value) -> Result<String, Error> {
    regex_replace_all_as("mustRegexReplaceAll", s, re, repl)
}

fn regex_replace_all_as(func: &str, s: &Value, re: &Value, repl: &Value) -> Result<String, Error> {
    let s = str_arg("regexReplaceAll", "", s)?;
    let r = compile(func, re)?;
    let repl = str_arg("regexReplaceAll", "replacement", repl)?;
    Ok(r.replace_all(s, repl).into_owned())
}

/// Helm `regexReplaceAllLiteral RE S REPL`: no `$` expansion.
pub fn regex_replace_all_literal(s: &Value, re: &Value, repl: &Value) -> Result<String, Error> {
    regex_replace_all_literal_as("regexReplaceAllLiteral", s, re, repl)
}

/// Helm `mustRegexReplaceAllLiteral`: as `regexReplaceAllLiteral`, but an invalid regex is `regexp.Compile`'s
/// error rather than `MustCompile`'s panic.
pub fn must_regex_replace_all_literal(
    s: &Value,
    re: &Value,
    repl: &Value,
) -> Result<String, Error> {
    regex_replace_all_literal_as("mustRegexReplaceAllLiteral", s, re, repl)
}

fn regex_replace_all_literal_as(
    func: &str,
    s: &Value,
    re: &Value,
    repl: &Value,
) -> Result<String, Error> {
    let s = str_arg("regexReplaceAllLiteral", "", s)?;
    let r = compile(func, re)?;
    let repl = str_arg("regexReplaceAllLiteral", "replacement", repl)?;
    Ok(r.replace_all(s, regex::NoExpand(repl)).into_owned())
}

/// Helm `regexSplit RE S N` (Go `Regexp.Split`): at most `N` pieces, all
/// when `N < 0`, none when `N == 0`. `{{ "pizza" | regexSplit("z+", -1) }}`
pub fn regex_split(s: &Value, re: &Value, n: &Value) -> Result<Value, Error> {
    regex_split_as("regexSplit", s, re, n)
}

/// Helm `mustRegexSplit`: as `regexSplit`, but an invalid regex is `regexp.Compile`'s
/// error rather than `MustCompile`'s panic.
pub fn must_regex_split(s: &Value, re: &Value, n: &Value) -> Result<Value, Error> {
    regex_split_as("mustRegexSplit", s, re, n)
}

fn regex_split_as(func: &str, s: &Value, re: &Value, n: &Value) -> Result<Value, Error> {
    let s = str_arg("regexSplit", "", s)?;
    let r = compile(func, re)?;
    let n = int_arg("regexSplit", "count", n)?;
    if n == 0 {
        return Ok(Value::from(Vec::<Value>::new()));
    }
    if !r.as_str().is_empty() && s.is_empty() {
        return Ok(Value::from(vec![Value::from("")]));
    }
    let mut parts = Vec::new();
    let (mut beg, mut end) = (0usize, 0usize);
    for m in r.find_iter(s) {
        if n > 0 && parts.len() as i64 == n - 1 {
            break;
        }
        end = m.start();
        if m.end() != 0 {
            parts.push(Value::from(s.get(beg..end).unwrap_or_default()));
        }
        beg = m.end();
    }
    if end != s.len() {
        parts.push(Value::from(s.get(beg..).unwrap_or_default()));
    }
    Ok(Value::from(parts))
}

/// Go `strings.SplitN` (n < 0: all pieces); an empty separator splits into
/// characters.
fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let limit = if n < 0 { usize::MAX } else { n as usize };
    if sep.is_empty() {
        let chars: Vec<char> = s.chars().collect();
        let mut out: Vec<String> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            if out.len() + 1 == limit {
                out.push(chars.get(i..).unwrap_or_default().iter().collect());
                break;
            }
            out.push(c.to_string());
        }
        return out;
    }
    s.splitn(limit, sep).map(str::to_string).collect()
}

fn index_dict(parts: Vec<String>) -> Value {
    let dict = Dict::default();
    for (i, p) in parts.into_iter().enumerate() {
        dict.insert(format!("_{i}"), Value::from(p));
    }
    Value::from_object(dict)
}

/// Helm `split SEP S`: a dict `{_0: .., _1: ..}` (Sprig's shape, so
/// `(split "$" s)._1` works). `{{ (s | split("$"))._1 }}`
pub fn split(s: &Value, sep: &Value) -> Result<Value, Error> {
    let s = str_arg("split", "", s)?;
    let sep = str_arg("split", "separator", sep)?;
    Ok(index_dict(go_split(s, sep, -1)))
}

/// Helm `splitn SEP N S`: like `split` with at most `N` pieces.
/// `{{ s | splitn("$", 2) }}`
pub fn splitn(s: &Value, sep: &Value, n: &Value) -> Result<Value, Error> {
    let s = str_arg("splitn", "", s)?;
    let sep = str_arg("splitn", "separator", sep)?;
    let n = int_arg("splitn", "count", n)?;
    Ok(index_dict(go_split(s, sep, n)))
}

/// Helm `splitList SEP S`: a list of pieces. `{{ "a,b" | splitList(",") }}`
pub fn split_list(s: &Value, sep: &Value) -> Result<Value, Error> {
    let s = str_arg("splitList", "", s)?;
    let sep = str_arg("splitList", "separator", sep)?;
    Ok(Value::from(
        go_split(s, sep, -1)
            .into_iter()
            .map(Value::from)
            .collect::<Vec<_>>(),
    ))
}

/// Sprig's `strslice`: a list's items as strings with nil items dropped; nil
/// is no items; any other value is one item.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match seq_items(v) {
        Some(items) => items.iter().filter(|i| !is_nil(i)).map(strval).collect(),
        None if is_nil(v) => Vec::new(),
        None => vec![strval(v)],
    }
}

/// Helm `join SEP LIST`: items printed with Go's `%v`, nil items skipped.
/// `{{ Values.l | join(",") }}`
pub fn join(list: &Value, sep: &Value) -> Result<String, Error> {
    let sep = str_arg("join", "separator", sep)?;
    Ok(strslice(list).join(sep))
}

/// Helm `printf FMT ARGS...` (Go `fmt.Sprintf`, see [`gofmt::sprintf`]).
/// `{{ printf("%s-%d", name, 1) }}`
pub fn printf(format: &Value, args: Rest<Value>) -> Result<String, Error> {
    Ok(sprintf(str_arg("printf", "format", format)?, &args))
}

/// `printf` as a filter: the piped value is Go's last argument.
/// `{{ name | printf("%s-suffix") }}`
pub fn printf_filter(value: Value, format: &Value, args: Rest<Value>) -> Result<String, Error> {
    let mut all = args.0;
    all.push(value);
    Ok(sprintf(str_arg("printf", "format", format)?, &all))
}

/// Helm `cat A B ...`: non-nil values joined by spaces.
/// `{{ cat("a", 1, none) }}` → `a 1`
pub fn cat(args: Rest<Value>) -> String {
    args.iter()
        .filter(|v| !is_nil(v))
        .map(strval)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cat` as a filter (piped value last). `{{ x | cat("a") }}` is `cat "a" x`.
pub fn cat_filter(value: Value, args: Rest<Value>) -> String {
    let mut all = args.0;
    all.push(value);
    cat(Rest(all))
}

/// Helm `repeat N S`. `{{ "ab" | repeat(3) }}`
pub fn repeat(s: &Value, n: &Value) -> Result<String, Error> {
    let s = str_arg("repeat", "", s)?;
    let n = int_arg("repeat", "count", n)?;
    if n < 0 {
        return Err(fail("repeat: negative repeat count"));
    }
    if s.len().saturating_mul(n as usize) > MAX_OUTPUT {
        return Err(fail("repeat: result too large"));
    }
    Ok(s.repeat(n as usize))
}

fn quote_with(args: &[Value], q: impl Fn(&str) -> String) -> String {
    args.iter()
        .filter(|v| !is_nil(v))
        .map(|v| q(&strval(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Helm `quote A ...`: each non-nil value printed with `%v` and then Go
/// `%q`-quoted (escapes included), joined by spaces; nil gives nothing.
/// `{{ Values.x | quote }}`
pub fn quote(args: Rest<Value>) -> String {
    quote_with(&args, go_quote)
}

/// `quote` as a filter (piped value last).
pub fn quote_filter(value: Value, args: Rest<Value>) -> String {
    let mut all = args.0;
    all.push(value);
    quote(Rest(all))
}

/// Helm `squote A ...`: like `quote` with single quotes and no escaping.
pub fn squote(args: Rest<Value>) -> String {
    quote_with(&args, |s| format!("'{s}'"))
}

/// `squote` as a filter (piped value last).
pub fn squote_filter(value: Value, args: Rest<Value>) -> String {
    let mut all = args.0;
    all.push(value);
    squote(Rest(all))
}

/// `indent`, after a newline for `nindent`: built in one buffer (charts
/// indent every block they include).
fn indent_impl(func: &str, s: &Value, n: &Value, newline: bool) -> Result<String, Error> {
    let s = str_arg(func, "", s)?;
    let n = int_arg(func, "width", n)?;
    if n < 0 {
        return Err(fail(format!("{func}: negative indent width {n}")));
    }
    let lines = s.matches('\n').count() + 1;
    let size = (n as usize).saturating_mul(lines).saturating_add(s.len());
    if size > MAX_OUTPUT {
        return Err(fail(format!("{func}: result too large")));
    }
    let mut out = String::with_capacity(size + 1);
    if newline {
        out.push('\n');
    }
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n(' ', n as usize));
        out.push_str(line);
    }
    Ok(out)
}

/// Helm `indent N S`: prefixes *every* line, the first included, with `N`
/// spaces (Jinja's builtin skips the first line; Helm's wins).
/// `{{ Values.block | indent(4) }}`
pub fn indent(s: &Value, n: &Value) -> Result<String, Error> {
    indent_impl("indent", s, n, false)
}

/// Helm `nindent N S`: a newline, then `indent`. `{{ x | toYaml | nindent(4) }}`
pub fn nindent(s: &Value, n: &Value) -> Result<String, Error> {
    indent_impl("nindent", s, n, true)
}

/// Helm `nospace S`: removes all Unicode whitespace.
pub fn nospace(s: &Value) -> Result<String, Error> {
    Ok(str_arg("nospace", "", s)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect())
}

/// Helm `substr START END S` (byte offsets like Sprig): a negative start
/// means 0, a negative or too large end means "to the end".
/// `{{ "abcdef" | substr(1, 3) }}` → `bc`
pub fn substr(s: &Value, start: &Value, end: &Value) -> Result<String, Error> {
    let s = str_arg("substr", "", s)?;
    let start = int_arg("substr", "start", start)?;
    let end = int_arg("substr", "end", end)?;
    let len = s.len() as i64;
    let from = if start < 0 { 0 } else { start };
    let to = if end < 0 || end > len { len } else { end };
    if from > to {
        return Err(fail(format!("substr: start {start} is after end {end}")));
    }
    let from = ceil_boundary(s, from as usize);
    let to = floor_boundary(s, to as usize).max(from);
    Ok(s.get(from..to).unwrap_or_default().to_string())
}

/// Helm `initials S`: the first letter of each whitespace-separated word.
pub fn initials(s: &Value) -> Result<String, Error> {
    let s = str_arg("initials", "", s)?;
    Ok(s.split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect())
}

/// Helm `plural ONE MANY N`: `ONE` when `N == 1`. `{{ n | plural("one", "many") }}`
pub fn plural(n: &Value, one: &Value, many: &Value) -> Result<String, Error> {
    let n = int_arg("plural", "count", n)?;
    let one = str_arg("plural", "singular", one)?;
    let many = str_arg("plural", "plural", many)?;
    Ok(if n == 1 { one } else { many }.to_string())
}

/// Helm `toString V`: strings as they are, everything else Go's `%v`
/// (`<nil>` for nil, `1.5`, `map[a:1]`). `{{ Values.port | toString }}`
pub fn to_string(v: Value) -> Result<String, Error> {
    super::bounded("toString", || gofmt::strval(&v))
}

/// Helm `mustRegexMatch RE S`: as `regexMatch`, but an invalid regex is
/// an error.
pub fn must_regex_match(s: &Value, re: &Value) -> Result<bool, Error> {
    let s = str_arg("mustRegexMatch", "", s)?;
    Ok(compile("mustRegexMatch", re)?.is_match(s))
}

/// Helm `regexQuoteMeta S` (Go `regexp.QuoteMeta`): `\.+*?()|[]{}^$`
/// escaped with a backslash, nothing else.
pub fn regex_quote_meta(s: &Value) -> Result<String, Error> {
    let s = str_arg("regexQuoteMeta", "", s)?;
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(out)
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_filter("trunc", trunc);
    env.add_filter("trim", trim);
    env.add_filter("trimAll", trim_all);
    env.add_filter("trimPrefix", trim_prefix);
    env.add_filter("trimSuffix", trim_suffix);
    env.add_filter("upper", upper);
    env.add_filter("lower", lower);
    env.add_filter("title", title);
    env.add_filter("untitle", untitle);
    env.add_filter("swapcase", swapcase);
    env.add_filter("replace", replace);
    env.add_filter("contains", contains);
    env.add_filter("hasPrefix", has_prefix);
    env.add_filter("hasSuffix", has_suffix);
    env.add_filter("regexMatch", regex_match);
    env.add_filter("regexFind", regex_find);
    env.add_filter("regexFindAll", regex_find_all);
    env.add_filter("regexReplaceAll", regex_replace_all);
    env.add_filter("regexReplaceAllLiteral", regex_replace_all_literal);
    env.add_filter("regexSplit", regex_split);
    env.add_filter("split", split);
    env.add_filter("splitn", splitn);
    env.add_filter("splitList", split_list);
    env.add_filter("join", join);
    env.add_function("printf", printf);
    env.add_filter("printf", printf_filter);
    env.add_function("cat", cat);
    env.add_filter("cat", cat_filter);
    env.add_filter("repeat", repeat);
    env.add_function("quote", quote);
    env.add_filter("quote", quote_filter);
    env.add_function("squote", squote);
    env.add_filter("squote", squote_filter);
    env.add_filter("indent", indent);
    env.add_filter("nindent", nindent);
    env.add_filter("nospace", nospace);
    env.add_filter("substr", substr);
    env.add_filter("initials", initials);
    env.add_filter("plural", plural);
    env.add_function("toString", to_string);
    env.add_filter("toString", to_string);
    env.add_filter("mustRegexMatch", must_regex_match);
    env.add_filter("mustRegexFind", must_regex_find);
    env.add_filter("mustRegexFindAll", must_regex_find_all);
    env.add_filter("mustRegexReplaceAll", must_regex_replace_all);
    env.add_filter("mustRegexReplaceAllLiteral", must_regex_replace_all_literal);
    env.add_filter("mustRegexSplit", must_regex_split);
    env.add_filter("regexQuoteMeta", regex_quote_meta);
}
