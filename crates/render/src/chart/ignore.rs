//! `.helmignore`: Helm's `pkg/ignore` rules for loading a chart directory.
//!
//! One pattern per line, `#` comments; `!` negates; a trailing `/` matches
//! directories only; a pattern without `/` matches the base name, one with
//! `/` the whole path (a leading `/` is dropped); matching is Go's
//! `filepath.Match`. Helm always adds `templates/.?*` (hidden files in
//! templates/).

use crate::glob::go_path_match;

#[derive(Debug, Clone)]
struct Rule {
    pattern: String,
    negate: bool,
    dir_only: bool,
    whole_path: bool,
}

/// The rules of one chart directory.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules(Vec<Rule>);

impl Rules {
    /// Parses `.helmignore` text and adds Helm's default rule.
    pub(crate) fn parse(text: &str) -> Rules {
        let mut rules = Rules(Vec::new());
        for line in text.lines().chain(std::iter::once("templates/.?*")) {
            let mut p = line.trim();
            if p.is_empty() || p.starts_with('#') {
                continue;
            }
            let negate = p.starts_with('!');
            if negate {
                p = &p[1..];
            }
            let dir_only = p.ends_with('/');
            let p = p.trim_end_matches('/');
            let whole_path = p.contains('/');
            rules.0.push(Rule {
                pattern: p.trim_start_matches('/').to_owned(),
                negate,
                dir_only,
                whole_path,
            });
        }
        rules
    }

    /// Helm's `Rules.Ignore` for a path relative to the chart root.
    pub(crate) fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." {
            return false;
        }
        for r in &self.0 {
            let subject = if r.whole_path {
                path
            } else {
                path.rsplit('/').next().unwrap_or(path)
            };
            let hit = go_path_match(&r.pattern, subject);
            if r.negate {
                // Helm's negation: a path that does not match is ignored.
                if (r.dir_only && !is_dir) || !hit {
                    return true;
                }
                continue;
            }
            if r.dir_only && !is_dir {
                continue;
            }
            if hit {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_ignore_rules() {
        let r = Rules::parse("# comment\n*.tmp\nsecret/\n/docs/*.md\nci/*\n");
        assert!(r.ignore("a.tmp", false) && r.ignore("templates/x.tmp", false));
        assert!(r.ignore("secret", true) && !r.ignore("secret", false));
        assert!(r.ignore("docs/a.md", false) && !r.ignore("docs/sub/a.md", false));
        assert!(r.ignore("ci/values.yaml", false));
        assert!(r.ignore("templates/.hidden", false), "Helm's default rule");
        assert!(!r.ignore("templates/deploy.yaml", false));
    }
}
