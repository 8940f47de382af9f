//! Paths, URLs and the network (Sprig's `base`, `dir`, `clean`, `ext`,
//! `isAbs` on Go's `path`, their `os*` twins on `path/filepath`, `urlParse`,
//! `urlJoin` on `net/url`, and `getHostByName`).
//!
//! On Linux, where Helm runs for rudder's users, `path/filepath` is `path`:
//! the `os*` functions are the same functions.

use super::dicts::Dict;
use super::{fail, map_entries, str_arg};
use minijinja::Error;
use minijinja::value::Value;

/// Go `path.Clean`: the shortest equivalent path (`a/./b/../c` → `a/c`).
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go `path.Base`: the last element, trailing slashes removed.
pub fn base_path(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".to_string();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// Go `path.Dir`: everything but the last element, cleaned.
pub fn dir_path(p: &str) -> String {
    let dir = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    clean_path(dir)
}

/// Go `path.Ext`: the suffix from the last `.` of the last element.
pub fn ext_path(p: &str) -> String {
    for (i, b) in p.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return p[i..].to_string(),
            _ => {}
        }
    }
    String::new()
}

fn path_fn(
    name: &'static str,
    f: fn(&str) -> String,
) -> impl Fn(&Value) -> Result<String, Error> + Clone {
    move |v: &Value| Ok(f(str_arg(name, "path", v)?))
}

fn is_abs(name: &'static str) -> impl Fn(&Value) -> Result<bool, Error> + Clone {
    move |v: &Value| Ok(str_arg(name, "path", v)?.starts_with('/'))
}

/// Go's `url.Userinfo`, as parsed.
#[derive(Debug, Default)]
struct User {
    name: String,
    password: Option<String>,
}

/// The parts of a Go `url.URL` that Sprig reads.
#[derive(Debug, Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<User>,
    host: String,
    path: String,
    raw_query: String,
    fragment: String,
}

fn unhex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Go `url.unescape`: `%XX` decoded; a bad escape is an error.
fn unescape(s: &str, plus_is_space: bool) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let pair = b
                    .get(i + 1)
                    .copied()
                    .and_then(unhex)
                    .zip(b.get(i + 2).copied().and_then(unhex));
                let Some((h, l)) = pair else {
                    let end = (i + 3).min(s.len());
                    return Err(format!(
                        "invalid URL escape {:?}",
                        s.get(i..end).unwrap_or("%")
                    ));
                };
                out.push(h << 4 | l);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    Fragment,
}

/// Go `url.shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~') {
        return false;
    }
    if mode == Mode::Host {
        return !matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        );
    }
    match c {
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => c == b'?',
            Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => false,
            Mode::Host => true,
        },
        b'!' | b'(' | b')' | b'*' if mode == Mode::Fragment => false,
        _ => true,
    }
}

/// Go `url.escape`.
fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if should_escape(b, mode) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

impl User {
    fn text(&self) -> String {
        let mut s = escape(&self.name, Mode::UserPassword);
        if let Some(p) = &self.password {
            s.push(':');
            s.push_str(&escape(p, Mode::UserPassword));
        }
        s
    }
}

impl Url {
    /// Go `url.Parse` (not via a request).
    fn parse(raw: &str) -> Result<Url, String> {
        let mut u = Url::default();
        let (rest, frag) = match raw.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (raw, None),
        };
        if let Some(f) = frag {
            u.fragment = unescape(f, false)?;
        }
        if rest == "*" {
            u.path = "*".to_string();
            return Ok(u);
        }
        let mut rest = rest;
        // getScheme.
        for (i, c) in rest.char_indices() {
            if c.is_ascii_alphabetic() {
                continue;
            }
            if i > 0 && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
                continue;
            }
            if c == ':' {
                if i == 0 {
                    return Err("missing protocol scheme".to_string());
                }
                u.scheme = rest[..i].to_ascii_lowercase();
                rest = &rest[i + 1..];
            }
            break;
        }
        let mut rest = rest.to_string();
        if rest.ends_with('?') && rest.matches('?').count() == 1 {
            rest.pop();
        } else if let Some((r, q)) = rest.split_once('?') {
            u.raw_query = q.to_string();
            rest = r.to_string();
        }
        if !rest.starts_with('/') {
            if !u.scheme.is_empty() {
                u.opaque = rest;
                return Ok(u);
            }
            let first = rest.split('/').next().unwrap_or_default();
            if first.contains(':') {
                return Err("first path segment in URL cannot contain colon".to_string());
            }
        }
        if (!u.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
            let after = &rest[2..];
            let (authority, path) = match after.find('/') {
                Some(i) => (&after[..i], &after[i..]),
                None => (after, ""),
            };
            let host = match authority.rfind('@') {
                Some(i) => {
                    let info = &authority[..i];
                    u.user = Some(match info.split_once(':') {
                        Some((n, p)) => User {
                            name: unescape(n, false)?,
                            password: Some(unescape(p, false)?),
                        },
                        None => User {
                            name: unescape(info, false)?,
                            password: None,
                        },
                    });
                    &authority[i + 1..]
                }
                None => authority,
            };
            u.host = unescape(host, false)?;
            rest = path.to_string();
        }
        u.path = unescape(&rest, false)?;
        Ok(u)
    }

    /// Go `URL.Hostname`: the host without port or IPv6 brackets.
    fn hostname(&self) -> String {
        let h = &self.host;
        if let Some(inner) = h.strip_prefix('[') {
            return inner.split(']').next().unwrap_or_default().to_string();
        }
        match h.rfind(':') {
            Some(i) => h[..i].to_string(),
            None => h.clone(),
        }
    }

    /// Go `URL.String`.
    fn text(&self) -> String {
        let mut s = String::new();
        if !self.opaque.is_empty() {
            s.push_str(&self.scheme);
            s.push(':');
            s.push_str(&self.opaque);
        } else {
            if !self.scheme.is_empty() {
                s.push_str(&self.scheme);
                s.push(':');
            }
            if !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some() {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    s.push_str("//");
                }
                if let Some(u) = &self.user {
                    s.push_str(&u.text());
                    s.push('@');
                }
                s.push_str(&escape(&self.host, Mode::Host));
            }
            let path = if self.path == "*" {
                "*".to_string()
            } else {
                escape(&self.path, Mode::Path)
            };
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                s.push('/');
            }
            if s.is_empty() {
                let first = path.split('/').next().unwrap_or_default();
                if first.contains(':') {
                    s.push_str("./");
                }
            }
            s.push_str(&path);
        }
        if !self.raw_query.is_empty() {
            s.push('?');
            s.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            s.push('#');
            s.push_str(&escape(&self.fragment, Mode::Fragment));
        }
        s
    }
}

/// Helm `urlParse URL`: a dict of `scheme`, `host`, `hostname`, `path`,
/// `query`, `opaque`, `fragment` and `userinfo`; an unparsable URL is an
/// error (a panic in Helm: "unable to parse url").
pub fn url_parse(v: &Value) -> Result<Value, Error> {
    let raw = str_arg("urlParse", "URL", v)?;
    let u = Url::parse(raw)
        .map_err(|e| fail(format!("urlParse: unable to parse url: parse {raw:?}: {e}")))?;
    let s = |x: &str| Value::from(x);
    Ok(Dict::from_entries([
        ("scheme".to_string(), s(&u.scheme)),
        ("host".to_string(), s(&u.host)),
        ("hostname".to_string(), Value::from(u.hostname())),
        ("path".to_string(), s(&u.path)),
        ("query".to_string(), s(&u.raw_query)),
        ("opaque".to_string(), s(&u.opaque)),
        ("fragment".to_string(), s(&u.fragment)),
        (
            "userinfo".to_string(),
            Value::from(u.user.as_ref().map(User::text).unwrap_or_default()),
        ),
    ]))
}

/// Helm `urlJoin DICT`: the URL that `urlParse` would split into `DICT`
/// (Go's `URL.String`); a missing key counts as `""`.
pub fn url_join(d: &Value) -> Result<Value, Error> {
    let entries = map_entries(d).ok_or_else(|| {
        fail(format!(
            "urlJoin: expected a map, got {}",
            super::describe(d)
        ))
    })?;
    let get = |k: &str| -> Result<String, Error> {
        match entries.iter().find(|(key, _)| key.as_str() == Some(k)) {
            None => Ok(String::new()),
            Some((_, v)) if super::is_nil(v) => Ok(String::new()),
            Some((_, v)) => Ok(str_arg("urlJoin", k, v)?.to_string()),
        }
    };
    let info = get("userinfo")?;
    let user = if info.is_empty() {
        None
    } else {
        let tmp = Url::parse(&format!("proto://{info}@host"))
            .map_err(|e| fail(format!("urlJoin: unable to parse userinfo in dict: {e}")))?;
        tmp.user
    };
    let u = Url {
        scheme: get("scheme")?,
        host: get("host")?,
        path: get("path")?,
        raw_query: get("query")?,
        opaque: get("opaque")?,
        fragment: get("fragment")?,
        user,
    };
    Ok(Value::from(u.text()))
}

/// Helm `getHostByName NAME`: `helm template` runs without `--enable-dns`,
/// and Helm then replaces Sprig's DNS lookup with one that returns `""`.
pub fn get_host_by_name(v: &Value) -> Result<String, Error> {
    str_arg("getHostByName", "host name", v)?;
    Ok(String::new())
}

pub(crate) fn register(env: &mut super::inventory::Reg<'_, '_>) {
    for (name, f) in [
        ("base", base_path as fn(&str) -> String),
        ("dir", dir_path),
        ("clean", clean_path),
        ("ext", ext_path),
        ("osBase", base_path),
        ("osDir", dir_path),
        ("osClean", clean_path),
        ("osExt", ext_path),
    ] {
        env.add_function(name, path_fn(name, f));
    }
    env.add_function("isAbs", is_abs("isAbs"));
    env.add_function("osIsAbs", is_abs("osIsAbs"));
    env.add_function("urlParse", url_parse);
    env.add_function("urlJoin", url_join);
    env.add_function("getHostByName", get_host_by_name);
}
