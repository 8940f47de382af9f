//! `semver` and `semverCompare` with Masterminds/semver v3 semantics (what
//! Sprig uses), so `Capabilities.KubeVersion.Version | semverCompare(...)`
//! decides exactly like Helm.
//!
//! Masterminds' rules that differ from npm/Cargo: a version with a
//! prerelease (`1.19.0-gke.1`) only satisfies a constraint whose own version
//! has a prerelease, which is why charts write `>=1.19.0-0`; `1.2`, `1.2.x`
//! and `=1.2` mean "any 1.2.*"; `>1.2` means "minor above 2"; `~1.2.3` is
//! `>=1.2.3 <1.3.0`; `^0.2.3` is `>=0.2.3 <0.3.0`; `a - b` is
//! `>=a, <=b`; `,` or space is AND, `||` is OR; a leading `v` is accepted.

use super::{fail, str_arg};
use minijinja::value::{Object, ObjectRepr, Value};
use minijinja::{Error, State};
use regex::Regex;
use std::cmp::Ordering;
use std::fmt;
use std::sync::{Arc, LazyLock};

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

/// The patterns Masterminds compiles in `init()`, verbatim; Rust's regex
/// has the same leftmost-first alternation as Go's RE2 (the empty `ops`
/// alternative matters). Compiled on first use, apart from the version
/// pattern, which most versions never need (see [`Version::parse`]).
struct Patterns {
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

static VERSION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$",
    )
    .ok()
});

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    Some(Patterns {
        constraint: Regex::new(&format!(r"^\s*({OPS})\s*({CV})\s*$")).ok()?,
        range: Regex::new(&format!(r"\s*({CV})\s+-\s+({CV})\s*")).ok()?,
        find: Regex::new(&format!(r"({OPS})\s*({CV})")).ok()?,
        valid: Regex::new(&format!(
            r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
        ))
        .ok()?,
    })
});

fn patterns() -> Result<&'static Patterns, Error> {
    PATTERNS
        .as_ref()
        .ok_or_else(|| fail("semver: internal pattern error"))
}

/// A parsed version, as Helm's `semver` returns it. Attributes `Major`,
/// `Minor`, `Patch` (integers), `Prerelease`, `Metadata`, `Original`;
/// methods `Compare`, `LessThan`, `GreaterThan`, `Equal`; prints as
/// `1.2.3-pre+meta` without the `v`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl Version {
    /// Masterminds `NewVersion`: optional `v`, one to three numeric parts
    /// (leading zeros allowed), optional `-prerelease` and `+metadata`.
    pub fn parse(s: &str) -> Result<Version, Error> {
        Version::parse_plain(s).unwrap_or_else(|| Version::parse_pattern(s))
    }

    /// [`Version::parse`] with Masterminds' pattern.
    fn parse_pattern(s: &str) -> Result<Version, Error> {
        let invalid = || fail("semver: invalid semantic version");
        let version = VERSION
            .as_ref()
            .ok_or_else(|| fail("semver: internal pattern error"))?;
        let caps = version.captures(s).ok_or_else(invalid)?;
        let num = |i: usize| -> Result<u64, Error> {
            match caps.get(i) {
                None => Ok(0),
                Some(m) => m
                    .as_str()
                    .trim_start_matches('.')
                    .parse()
                    .map_err(|_| invalid()),
            }
        };
        let pre = caps.get(5).map_or("", |m| m.as_str()).to_string();
        for part in pre.split('.').filter(|_| !pre.is_empty()) {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fail("semver: version segment starts with 0"));
            }
        }
        Ok(Version {
            major: num(1)?,
            minor: num(2)?,
            patch: num(3)?,
            pre,
            metadata: caps.get(8).map_or("", |m| m.as_str()).to_string(),
            original: s.to_string(),
        })
    }

    /// Masterminds' version pattern read by hand: `v`, one to three
    /// numeric parts, `-prerelease`, `+metadata` (dot-separated
    /// `[0-9A-Za-z-]+` identifiers), so that most runs never compile it
    /// (every `Chart.yaml` version, the Kubernetes version, the versions in
    /// `kubeVersion` constraints). `None` for anything else (the pattern
    /// then decides).
    fn parse_plain(s: &str) -> Option<Result<Version, Error>> {
        let b = s.as_bytes();
        let mut i = usize::from(b.first() == Some(&b'v'));
        let digits = |i: &mut usize| {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            (*i > start).then(|| &s[start..*i])
        };
        let mut parts = [None; 3];
        parts[0] = Some(digits(&mut i)?);
        for part in &mut parts[1..] {
            if b.get(i) != Some(&b'.') {
                break;
            }
            i += 1;
            *part = Some(digits(&mut i)?);
        }
        let idents = |i: &mut usize| {
            let start = *i;
            loop {
                let id = *i;
                while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'-') {
                    *i += 1;
                }
                if *i == id {
                    return None;
                }
                if b.get(*i) != Some(&b'.') {
                    return Some(&s[start..*i]);
                }
                *i += 1;
            }
        };
        let mut pre = "";
        if b.get(i) == Some(&b'-') {
            i += 1;
            pre = idents(&mut i)?;
        }
        let mut metadata = "";
        if b.get(i) == Some(&b'+') {
            i += 1;
            metadata = idents(&mut i)?;
        }
        if i != b.len() {
            return None;
        }
        // The pattern's path checks prerelease segments before numbers.
        for part in pre.split('.').filter(|_| !pre.is_empty()) {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                return Some(Err(fail("semver: version segment starts with 0")));
            }
        }
        let mut nums = [0u64; 3];
        for (n, part) in parts.iter().enumerate() {
            // Digits the pattern matches but a u64 cannot hold.
            match part.map(str::parse) {
                None => {}
                Some(Ok(v)) => nums[n] = v,
                Some(Err(_)) => return Some(Err(fail("semver: invalid semantic version"))),
            }
        }
        Some(Ok(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre: pre.to_owned(),
            metadata: metadata.to_owned(),
            original: s.to_string(),
        }))
    }

    /// Masterminds `Compare`: major, minor, patch, then prerelease (a
    /// release sorts after its prereleases); metadata is ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let x = ap.get(i).copied().unwrap_or("");
        let y = bp.get(i).copied().unwrap_or("");
        let d = compare_pre_part(x, y);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// Masterminds `comparePrePart`: numeric identifiers compare as numbers
/// and sort before alphanumeric ones; a missing part sorts by whether the
/// other one is numeric (their quirk, kept).
fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    let sn = s.parse::<u64>().ok();
    let on = o.parse::<u64>().ok();
    if o.is_empty() {
        return if sn.is_some() {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    if s.is_empty() {
        return if on.is_some() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    match (sn, on) {
        (None, None) => s.cmp(o),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    }
}

impl Object for Version {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(match key.as_str()? {
            "Major" => Value::from(self.major),
            "Minor" => Value::from(self.minor),
            "Patch" => Value::from(self.patch),
            "Prerelease" => Value::from(self.pre.as_str()),
            "Metadata" => Value::from(self.metadata.as_str()),
            "Original" => Value::from(self.original.as_str()),
            "String" => Value::from(self.to_string()),
            _ => return None,
        })
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        let other = args
            .first()
            .and_then(|a| a.downcast_object_ref::<Version>())
            .ok_or_else(|| fail(format!("semver: {method} expects a semver version")))?;
        let ord = self.compare(other);
        Ok(match method {
            "Compare" => Value::from(ord as i64),
            "LessThan" => Value::from(ord == Ordering::Less),
            "GreaterThan" => Value::from(ord == Ordering::Greater),
            "Equal" => Value::from(ord == Ordering::Equal),
            _ => return Err(fail(format!("semver: unknown method {method}"))),
        })
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_ref(), f)
    }
}

/// One `op version` term of a constraint.
#[derive(Debug, PartialEq)]
struct Term {
    op: String,
    con: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_term(s: &str) -> Result<Term, Error> {
    let caps = patterns()?
        .constraint
        .captures(s)
        .ok_or_else(|| fail(format!("semverCompare: improper constraint: {s}")))?;
    let g = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let (major, minor, patch, pre) = (g(3), g(4), g(5), g(6));
    let (mut ver, mut dirty, mut minor_dirty, mut patch_dirty) =
        (g(2).to_string(), false, false, false);
    if is_x(major) || major.is_empty() {
        ver = format!("0.0.0{pre}");
        dirty = true;
    } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
        ver = format!("{major}.0.0{pre}");
        dirty = true;
        minor_dirty = true;
    } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
        ver = format!("{major}{minor}.0{pre}");
        dirty = true;
        patch_dirty = true;
    }
    let con = Version::parse(&ver).map_err(|_| fail("semverCompare: constraint parser error"))?;
    Ok(Term {
        op: g(1).to_string(),
        con,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

impl Term {
    /// Masterminds' per-operator check functions.
    fn check(&self, v: &Version) -> bool {
        let c = &self.con;
        // "Pre-releases are not compatible unless the constraint asks for
        // them" (Masterminds issue 21), for every operator.
        if !v.pre.is_empty() && c.pre.is_empty() {
            return false;
        }
        let cmp = v.compare(c);
        match self.op.as_str() {
            "" | "=" => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    cmp == Ordering::Equal
                }
            }
            "!=" => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                cmp != Ordering::Equal
            }
            ">" => {
                if !self.dirty {
                    return cmp == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                if self.patch_dirty {
                    return v.minor > c.minor;
                }
                cmp == Ordering::Greater
            }
            "<" => cmp == Ordering::Less,
            ">=" | "=>" => cmp != Ordering::Less,
            "<=" | "=<" => {
                if !self.dirty {
                    return cmp != Ordering::Greater;
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            "~" | "~>" => self.tilde(v),
            "^" => self.caret(v),
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        v.major == c.major && (v.minor == c.minor || self.minor_dirty)
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        v.patch == c.patch
    }
}

/// A parsed constraint: OR of ANDs.
#[derive(Debug, PartialEq)]
struct Constraints(Vec<Vec<Term>>);

impl Constraints {
    /// Masterminds `NewConstraint`: rewrite `a - b` ranges, split on `||`,
    /// validate each part, then parse its terms.
    fn parse(c: &str) -> Result<Constraints, Error> {
        match Constraints::parse_single(c) {
            Some(single) => Ok(single),
            None => Constraints::parse_patterns(c),
        }
    }

    /// One `OP MAJOR.MINOR.PATCH[-pre][+meta]` term without blanks,
    /// commas, bars or wildcards (`>=1.19.0-0`, what charts' `kubeVersion`
    /// and dependency versions usually are), read without compiling
    /// Masterminds' patterns; `None` for anything else, which the patterns
    /// then read (errors included). There, no range can be rewritten, the
    /// only part is the term and it is valid exactly when the term pattern
    /// matches it whole.
    fn parse_single(c: &str) -> Option<Constraints> {
        if c.is_empty()
            || !c
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b',' && b != b'|')
        {
            return None;
        }
        let op_len = c.bytes().take_while(|b| b"=!<>~^".contains(b)).count();
        let (op, version) = c.split_at(op_len);
        let known = [
            "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
        ];
        if !known.contains(&op) {
            return None;
        }
        // All three numeric parts: no wildcard, nothing dirty.
        let numbers = version.trim_start_matches('v');
        let numbers = numbers.split(['-', '+']).next().unwrap_or_default();
        if numbers.split('.').count() != 3 {
            return None;
        }
        let con = Version::parse_plain(version)?.ok()?;
        Some(Constraints(vec![vec![Term {
            op: op.to_owned(),
            con,
            dirty: false,
            minor_dirty: false,
            patch_dirty: false,
        }]]))
    }

    /// [`Constraints::parse`] with Masterminds' patterns.
    fn parse_patterns(c: &str) -> Result<Constraints, Error> {
        let p = patterns()?;
        let mut rewritten = c.to_string();
        for caps in p.range.captures_iter(c) {
            let (Some(all), Some(lo), Some(hi)) = (caps.get(0), caps.get(1), caps.get(11)) else {
                continue;
            };
            let t = format!(">= {}, <= {}", lo.as_str(), hi.as_str());
            rewritten = rewritten.replacen(all.as_str(), &t, 1);
        }
        let mut ors = Vec::new();
        for part in rewritten.split("||") {
            if !p.valid.is_match(part) {
                return Err(fail(format!("semverCompare: improper constraint: {part}")));
            }
            let terms: Vec<&str> = p.find.find_iter(part).map(|m| m.as_str()).collect();
            let terms = if terms.is_empty() { vec![part] } else { terms };
            ors.push(
                terms
                    .into_iter()
                    .map(parse_term)
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(Constraints(ors))
    }

    fn check(&self, v: &Version) -> bool {
        self.0.iter().any(|and| and.iter().all(|t| t.check(v)))
    }
}

/// Helm `semver V`: a [`Version`] object; invalid input fails with
/// "invalid semantic version". `{{ (semver(Chart.AppVersion)).Major }}`
pub fn semver(v: &Value) -> Result<Value, Error> {
    Ok(Value::from_object(Version::parse(str_arg(
        "semver", "version", v,
    )?)?))
}

/// Helm `semverCompare CONSTRAINT VERSION`: whether the version satisfies
/// the constraint. A bad version or constraint is an error, as in Helm.
/// `{{ Capabilities.KubeVersion.Version | semverCompare(">=1.19.0-0") }}`
pub fn semver_compare(version: &Value, constraint: &Value) -> Result<bool, Error> {
    let c = Constraints::parse(str_arg("semverCompare", "constraint", constraint)?)?;
    let v = match version.downcast_object_ref::<Version>() {
        Some(v) => v.clone(),
        None => Version::parse(str_arg("semverCompare", "version", version)?).map_err(|e| {
            fail(format!(
                "semverCompare: {}",
                e.detail()
                    .unwrap_or_default()
                    .trim_start_matches("semver: ")
            ))
        })?,
    };
    Ok(c.check(&v))
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    env.add_function("semver", semver);
    env.add_filter("semver", semver);
    env.add_filter("semverCompare", semver_compare);
}

/// Whether `text` is a version Helm accepts in `Chart.yaml`
/// (Masterminds `NewVersion`).
pub(crate) fn is_valid_version(text: &str) -> bool {
    Version::parse(text).is_ok()
}

/// Why `constraint` is not a Masterminds constraint (`NewConstraint`'s
/// error), or `None` when it parses.
pub(crate) fn constraint_error(constraint: &str) -> Option<String> {
    Constraints::parse(constraint).err().map(|e| {
        let detail = e.detail().map_or_else(|| e.to_string(), str::to_owned);
        detail
            .strip_prefix("semverCompare: ")
            .unwrap_or(&detail)
            .to_owned()
    })
}

/// Helm's `IsCompatibleRange`: whether `version` satisfies `constraint`;
/// an unparsable constraint or version never does.
pub(crate) fn satisfies(constraint: &str, version: &str) -> bool {
    // Every render checks each dependency's constraint and the charts'
    // `kubeVersion`s again: the answers are kept (a few, per thread).
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<(String, String, bool)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    const KEEP: usize = 64;
    let known = SEEN.with(|seen| {
        seen.borrow()
            .iter()
            .find(|(c, v, _)| c == constraint && v == version)
            .map(|(.., ok)| *ok)
    });
    if let Some(ok) = known {
        return ok;
    }
    let ok = match (Constraints::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    };
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.len() == KEEP {
            seen.clear();
        }
        seen.push((constraint.to_owned(), version.to_owned(), ok));
    });
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain-version fast path reads what the pattern reads.
    #[test]
    fn plain_versions_parse_like_the_pattern() {
        for s in [
            "1.2.3",
            "v1.2.3",
            "1",
            "1.2",
            "01.002.0003",
            "v0",
            "1.2.3.4",
            "",
            "v",
            "1.",
            ".1",
            "1..2",
            "V1.2.3",
            "1.2.3-rc.1",
            "1.2.3+b",
            " 1.2.3",
            "1.2.3\n",
            "١.2.3",
            "99999999999999999999.1.1",
            "18446744073709551615",
            "18446744073709551616",
        ] {
            let pattern = Version::parse_pattern(s).map_err(|e| e.to_string());
            if let Some(plain) = Version::parse_plain(s) {
                assert_eq!(plain.map_err(|e| e.to_string()), pattern, "{s:?}");
            }
            assert_eq!(
                Version::parse(s).map_err(|e| e.to_string()),
                pattern,
                "{s:?}"
            );
        }
    }

    /// Every mix of a few tricky pieces, as a version and after each
    /// constraint operator (and a few others): the hand-read forms equal
    /// what the patterns read.
    #[test]
    fn hand_reading_matches_the_patterns_on_generated_text() {
        let pieces = [
            "1",
            "0",
            "01",
            ".",
            "-",
            "+",
            "a",
            "v",
            "x",
            "99999999999999999999",
            "|",
        ];
        let ops = [
            "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^", "==", "<>",
        ];
        for len in 1..=5 {
            crate::test_support::each_text(&pieces, len, |text| {
                let pattern = Version::parse_pattern(text).map_err(|e| e.to_string());
                if let Some(hand) = Version::parse_plain(text) {
                    assert_eq!(hand.map_err(|e| e.to_string()), pattern, "{text:?}");
                }
                if len > 4 {
                    return;
                }
                for op in ops {
                    let c = format!("{op}{text}");
                    if let Some(single) = Constraints::parse_single(&c) {
                        let patterns = Constraints::parse_patterns(&c).map_err(|e| e.to_string());
                        assert_eq!(Ok(single), patterns, "{c:?}");
                    }
                }
            });
        }
        for c in [
            ">=1.19.0-0",
            "1.2.3",
            "v1.2.3",
            "^0.2.3",
            "~1.2.3+m",
            "!=1.0.0-rc.1",
        ] {
            let single = Constraints::parse_single(c).expect("read by hand");
            assert_eq!(
                Ok(single),
                Constraints::parse_patterns(c).map_err(|e| e.to_string())
            );
        }
    }

    #[test]
    fn satisfies_answers_the_same_when_asked_again() {
        for _ in 0..3 {
            assert!(satisfies(">=1.19.0-0", "v1.35.0"));
            assert!(!satisfies("<1.19.0", "v1.35.0"));
            assert!(!satisfies("not a constraint", "1.0.0"));
            assert!(satisfies("~0.1.0", "0.1.5"));
        }
    }
}
