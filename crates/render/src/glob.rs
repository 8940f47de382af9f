//! Glob matching, as Go and Helm do it: the ground floor of the crate,
//! used by chart loading (`.helmignore`), `Files.Glob` and `--show-only`.
//!
//! Both matchers are written here because no maintained crate has these
//! exact semantics: globset treats `**` specially only as a whole path
//! component (gobwas crosses `/` anywhere) and reads `{a,b}` where Go's
//! `path.Match` sees literal braces.

/// Go's `path/filepath.Match` on `/` paths: `*` and `?` stay within a
/// segment, `[...]` classes (with `^` negation and ranges), `\` escapes.
pub(crate) fn go_path_match(pattern: &str, name: &str) -> bool {
    fn m(p: &[char], s: &[char]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some('*') => {
                let seg = s.iter().position(|&c| c == '/').unwrap_or(s.len());
                (0..=seg).any(|i| m(&p[1..], &s[i..]))
            }
            Some('?') => s.first().is_some_and(|&c| c != '/') && m(&p[1..], &s[1..]),
            Some('[') => {
                let Some(&c) = s.first() else { return false };
                let mut i = 1;
                let neg = p.get(1) == Some(&'^');
                if neg {
                    i += 1;
                }
                let mut hit = false;
                while i < p.len() && p[i] != ']' {
                    let lo = p[i];
                    if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&c| c != ']') {
                        hit |= lo <= c && c <= p[i + 2];
                        i += 3;
                    } else {
                        hit |= lo == c;
                        i += 1;
                    }
                }
                i < p.len() && hit != neg && c != '/' && m(&p[i + 1..], &s[1..])
            }
            Some('\\') if p.len() > 1 => s.first() == Some(&p[1]) && m(&p[2..], &s[1..]),
            Some(c) => s.first() == Some(c) && m(&p[1..], &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    m(&p, &s)
}

/// gobwas/glob with `/` as separator, as Helm's `Files.Glob`: `*` and `?`
/// stay within a path segment, `**` crosses segments, `[abc]`/`[!a-z]`
/// classes and `{a,b}` alternatives.
pub(crate) fn glob_match(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            (0..=s.len()).any(|i| glob_match(&p[2..], &s[i..]))
        }
        Some(b'*') => {
            let seg = s.iter().position(|&c| c == b'/').unwrap_or(s.len());
            (0..=seg).any(|i| glob_match(&p[1..], &s[i..]))
        }
        Some(b'?') => s.first().is_some_and(|&c| c != b'/') && glob_match(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some(close) = p.iter().skip(1).position(|&c| c == b']').map(|i| i + 1) else {
                return s.first() == Some(&b'[') && glob_match(&p[1..], &s[1..]);
            };
            let (neg, set) = match p.get(1) {
                Some(b'!') => (true, &p[2..close]),
                _ => (false, &p[1..close]),
            };
            let Some(&c) = s.first() else { return false };
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == b'-' {
                    hit |= set[i] <= c && c <= set[i + 2];
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != neg && c != b'/' && glob_match(&p[close + 1..], &s[1..])
        }
        Some(b'{') => {
            let Some(close) = p.iter().position(|&c| c == b'}') else {
                return s.first() == Some(&b'{') && glob_match(&p[1..], &s[1..]);
            };
            let rest = &p[close + 1..];
            p[1..close].split(|&c| c == b',').any(|alt| {
                let mut q = alt.to_vec();
                q.extend_from_slice(rest);
                glob_match(&q, s)
            })
        }
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob_match(&p[2..], &s[1..]),
        Some(&c) => s.first() == Some(&c) && glob_match(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_follows_gobwas_with_slash_separator() {
        let m = |p: &str, s: &str| glob_match(p.as_bytes(), s.as_bytes());
        assert!(m("config/*.yaml", "config/a.yaml"));
        assert!(!m("config/*.yaml", "config/sub/a.yaml"));
        assert!(m("config/**.yaml", "config/sub/a.yaml"));
        assert!(m("**", "a/b/c"));
        assert!(m("f?le.txt", "file.txt"));
        assert!(m("[a-c]x", "bx") && !m("[!a-c]x", "bx"));
        assert!(m("*.{json,yaml}", "a.yaml") && !m("*.{json,yaml}", "a.txt"));
    }

    #[test]
    fn go_path_match_is_segment_aware() {
        assert!(go_path_match("templates/*.yaml", "templates/a.yaml"));
        assert!(!go_path_match("templates/*", "templates/sub/a.yaml"));
        assert!(go_path_match(
            "charts/sub/templates/?.yaml",
            "charts/sub/templates/a.yaml"
        ));
        assert!(go_path_match("templates/[a-c].yaml", "templates/b.yaml"));
        assert!(!go_path_match("templates/[^a-c].yaml", "templates/b.yaml"));
        assert!(!go_path_match("templates", "templates/a.yaml"));
    }
}
