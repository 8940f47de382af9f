//! Semantic versions and constraints as Helm reads them (Masterminds
//! semver v3): `v` prefixes and short versions (`1.2`) are accepted;
//! constraints combine with `,` or spaces (and) and `||` (or); a bare
//! version means `=`; `x`/`*` are wildcards; pre-releases only match
//! constraints that name a pre-release.

use semver::{Version, VersionReq};

/// Parses a version leniently, as Masterminds' `NewVersion`.
pub fn parse_version(text: &str) -> Option<Version> {
    let t = text.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    let (core, rest) = match t.find(['-', '+']) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut full = parts.join(".");
    for _ in parts.len()..3 {
        full.push_str(".0");
    }
    Version::parse(&format!("{full}{rest}")).ok()
}

/// Whether `version` satisfies the Masterminds-style `constraint`.
/// An unparsable constraint or version never matches (as Helm's
/// `IsCompatibleRange`).
pub fn matches(constraint: &str, version: &str) -> bool {
    let Some(v) = parse_version(version) else {
        return false;
    };
    constraint.split("||").any(|alt| {
        let terms = split_terms(alt);
        !terms.is_empty() && terms.iter().all(|t| term_matches(t, &v))
    })
}

/// Splits an and-group into terms: `>=1.0, <2.0` and `>= 1.0 < 2.0`.
fn split_terms(alt: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in alt.split([',', ' ', '\t']).filter(|p| !p.is_empty()) {
        // An operator standing alone (`>= 1.0`) joins the next piece.
        if let Some(last) = out.last_mut() {
            if last.chars().all(|c| "=<>!~^".contains(c)) {
                last.push_str(piece);
                continue;
            }
        }
        out.push(piece.to_owned());
    }
    out
}

fn term_matches(term: &str, v: &Version) -> bool {
    if let Some(rest) = term.strip_prefix("!=") {
        return parse_version(rest).is_none_or(|x| &x != v);
    }
    let op_len = term.len() - term.trim_start_matches(['=', '<', '>', '~', '^']).len();
    let (op, ver) = term.split_at(op_len);
    let ver = ver.strip_prefix(['v', 'V']).unwrap_or(ver);
    let wildcard = ver.split('.').any(|p| p == "x" || p == "X" || p == "*");
    let op = match op {
        "" if wildcard => "",
        "" => "=",
        o => o,
    };
    let Ok(req) = VersionReq::parse(&format!("{op}{ver}")) else {
        return false;
    };
    req.matches(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_leniently() {
        assert_eq!(
            parse_version("v1.2").map(|v| v.to_string()),
            Some("1.2.0".into())
        );
        assert_eq!(
            parse_version("1.2.3-rc.1+b").map(|v| v.to_string()),
            Some("1.2.3-rc.1+b".into())
        );
        assert!(parse_version("1.2.3.4").is_none());
        assert!(parse_version("abc").is_none());
        assert!(parse_version("").is_none());
    }

    #[test]
    fn constraints_follow_masterminds() {
        assert!(matches("1.2.3", "1.2.3"));
        assert!(!matches("1.2.3", "1.2.4"), "a bare version is exact");
        assert!(matches("1.2.x", "1.2.9"));
        assert!(matches("^1.2", "1.9.0"));
        assert!(matches("~1.2.3", "1.2.9"));
        assert!(!matches("~1.2.3", "1.3.0"));
        assert!(matches(">=1.0.0, <2.0.0", "1.5.0"));
        assert!(matches(">= 1.0.0 < 2.0.0", "1.5.0"));
        assert!(matches("<1.0.0 || >=3.0.0", "3.1.0"));
        assert!(!matches("<1.0.0 || >=3.0.0", "2.0.0"));
        assert!(matches("!=1.0.0", "1.0.1"));
        assert!(!matches("", "1.0.0"));
        assert!(
            !matches(">=1.0.0", "1.1.0-rc.1"),
            "pre-releases need a pre-release constraint"
        );
    }
}
