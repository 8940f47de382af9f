//! Test suite files (`tests/*_test.yaml`), helm-unittest's `TestSuite`,
//! `TestJob` and `Assertion`, read from YAML.

use crate::Error;
use rudder_values::{Map, Value};
use std::path::{Path, PathBuf};

/// `release:` of a suite or test.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Release {
    /// `name` (helm-unittest's default is `RELEASE-NAME`).
    pub name: String,
    /// `namespace` (default `NAMESPACE`).
    pub namespace: String,
    /// `revision` (default 0).
    pub revision: i64,
    /// `upgrade`.
    pub upgrade: bool,
}

/// `capabilities:` of a suite or test.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Capabilities {
    /// `majorVersion`.
    pub major: String,
    /// `minorVersion`.
    pub minor: String,
    /// `apiVersions`.
    pub api_versions: Vec<String>,
}

/// `documentSelector:`.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// `path`.
    pub path: String,
    /// `value` (absent: any document where the path exists).
    pub value: Option<Value>,
    /// `matchMany`.
    pub match_many: bool,
    /// `skipEmptyTemplates`.
    pub skip_empty: bool,
}

/// One entry of `asserts:`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    /// The assert type (`equal`, `matchSnapshot`, …).
    pub kind: String,
    /// Its parameters.
    pub params: Value,
    /// `not: true`.
    pub not: bool,
    /// `template`.
    pub template: String,
    /// `documentIndex` (-1: every document).
    pub document_index: i64,
    /// `documentSelector`.
    pub selector: Option<Selector>,
}

/// One entry of `tests:`.
#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    /// `it`.
    pub name: String,
    /// `values` files, relative to the suite file.
    pub values: Vec<String>,
    /// `set`, in file order.
    pub set: Vec<(String, Value)>,
    /// `template` / `templates`.
    pub templates: Vec<String>,
    /// `documentIndex`.
    pub document_index: Option<i64>,
    /// `documentSelector`.
    pub selector: Option<Selector>,
    /// `release`.
    pub release: Release,
    /// `capabilities`.
    pub capabilities: Capabilities,
    /// `chart.version`, `chart.appVersion`.
    pub chart: (String, String),
    /// `skip.reason`.
    pub skip: String,
    /// `asserts`.
    pub asserts: Vec<Assertion>,
}

/// One suite (a suite file may hold several, `---` separated).
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    /// `suite`.
    pub name: String,
    /// The file it came from.
    pub file: PathBuf,
    /// `templates`.
    pub templates: Vec<String>,
    /// `excludeTemplates`.
    pub exclude_templates: Vec<String>,
    /// `values`.
    pub values: Vec<String>,
    /// `set`.
    pub set: Vec<(String, Value)>,
    /// `release`.
    pub release: Release,
    /// `capabilities`.
    pub capabilities: Capabilities,
    /// `chart`.
    pub chart: (String, String),
    /// `includeCrds`.
    pub include_crds: bool,
    /// `skip.reason`.
    pub skip: String,
    /// `tests`.
    pub tests: Vec<Test>,
}

/// The asserts helm-unittest knows (`assertTypeMapping`).
pub const ASSERT_TYPES: &[&str] = &[
    "matchSnapshot",
    "matchSnapshotRaw",
    "equal",
    "notEqual",
    "greaterOrEqual",
    "notGreaterOrEqual",
    "lessOrEqual",
    "notLessOrEqual",
    "equalRaw",
    "notEqualRaw",
    "exists",
    "notExists",
    "matchRegex",
    "notMatchRegex",
    "matchRegexRaw",
    "notMatchRegexRaw",
    "contains",
    "notContains",
    "isKind",
    "isAPIVersion",
    "hasDocuments",
    "isSubset",
    "isNotSubset",
    "isNullOrEmpty",
    "isNotNullOrEmpty",
    "failedTemplate",
    "notFailedTemplate",
    "containsDocument",
    "lengthEqual",
    "notLengthEqual",
    "isNull",
    "isNotNull",
    "isEmpty",
    "isNotEmpty",
    "isType",
    "isNotType",
];

struct Reader<'a> {
    file: &'a Path,
    doc: usize,
}

impl Reader<'_> {
    fn bad(&self, at: &str, message: impl Into<String>) -> Error {
        Error::Suite {
            path: self.file.to_path_buf(),
            at: if self.doc > 0 {
                format!("document {}: {at}", self.doc + 1)
            } else {
                at.to_owned()
            },
            message: message.into(),
        }
    }

    fn string(&self, m: &Map, key: &str, at: &str) -> Result<String, Error> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Int(i)) => Ok(i.to_string()),
            Some(Value::Float(f)) => Ok(f.to_string()),
            Some(Value::Bool(b)) => Ok(b.to_string()),
            Some(other) => Err(self.bad(
                &format!("{at}{key}"),
                format!("expected a string, found a {}", other.kind()),
            )),
        }
    }

    fn strings(&self, m: &Map, key: &str, at: &str) -> Result<Vec<String>, Error> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(Value::List(l)) => l
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str().map(str::to_owned).ok_or_else(|| {
                        self.bad(
                            &format!("{at}{key}[{i}]"),
                            format!("expected a string, found a {}", v.kind()),
                        )
                    })
                })
                .collect(),
            Some(other) => Err(self.bad(
                &format!("{at}{key}"),
                format!("expected a list of strings, found a {}", other.kind()),
            )),
        }
    }

    fn map<'m>(&self, m: &'m Map, key: &str, at: &str) -> Result<Option<&'m Map>, Error> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Map(inner)) => Ok(Some(inner)),
            Some(other) => Err(self.bad(
                &format!("{at}{key}"),
                format!("expected a map, found a {}", other.kind()),
            )),
        }
    }

    fn set(&self, m: &Map, at: &str) -> Result<Vec<(String, Value)>, Error> {
        Ok(self
            .map(m, "set", at)?
            .map(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    fn release(&self, m: &Map, at: &str) -> Result<Release, Error> {
        let Some(r) = self.map(m, "release", at)? else {
            return Ok(Release::default());
        };
        let at = format!("{at}release.");
        Ok(Release {
            name: self.string(r, "name", &at)?,
            namespace: self.string(r, "namespace", &at)?,
            revision: match r.get("revision") {
                Some(Value::Int(i)) => *i,
                _ => 0,
            },
            upgrade: matches!(r.get("upgrade"), Some(Value::Bool(true))),
        })
    }

    fn capabilities(&self, m: &Map, at: &str) -> Result<Capabilities, Error> {
        let Some(c) = self.map(m, "capabilities", at)? else {
            return Ok(Capabilities::default());
        };
        let at = format!("{at}capabilities.");
        Ok(Capabilities {
            major: self.string(c, "majorVersion", &at)?,
            minor: self.string(c, "minorVersion", &at)?,
            api_versions: self.strings(c, "apiVersions", &at)?,
        })
    }

    fn chart(&self, m: &Map, at: &str) -> Result<(String, String), Error> {
        let Some(c) = self.map(m, "chart", at)? else {
            return Ok(Default::default());
        };
        let at = format!("{at}chart.");
        Ok((
            self.string(c, "version", &at)?,
            self.string(c, "appVersion", &at)?,
        ))
    }

    fn skip(&self, m: &Map, at: &str) -> Result<String, Error> {
        Ok(match self.map(m, "skip", at)? {
            Some(s) => self.string(s, "reason", &format!("{at}skip."))?,
            None => String::new(),
        })
    }

    fn selector(&self, m: &Map, at: &str) -> Result<Option<Selector>, Error> {
        let Some(s) = self.map(m, "documentSelector", at)? else {
            return Ok(None);
        };
        let path = match s.get("path") {
            Some(Value::String(p)) => p.clone(),
            _ => {
                return Err(self.bad(
                    &format!("{at}documentSelector"),
                    "empty 'documentSelector.path' not supported",
                ));
            }
        };
        Ok(Some(Selector {
            path,
            value: s.get("value").filter(|v| !v.is_null()).cloned(),
            match_many: matches!(s.get("matchMany"), Some(Value::Bool(true))),
            skip_empty: matches!(s.get("skipEmptyTemplates"), Some(Value::Bool(true))),
        }))
    }

    fn assertion(&self, v: &Value, at: &str) -> Result<Assertion, Error> {
        let Value::Map(m) = v else {
            return Err(self.bad(at, format!("an assertion is a map, found a {}", v.kind())));
        };
        let mut kind: Option<&str> = None;
        for k in m.keys() {
            if let Some(t) = ASSERT_TYPES.iter().find(|t| **t == k.as_str()) {
                if let Some(prev) = kind {
                    return Err(self.bad(
                        at,
                        format!("assertion type `{prev}` and `{t}` is declared duplicately"),
                    ));
                }
                kind = Some(t);
            }
        }
        let Some(kind) = kind else {
            let unknown = m.keys().find(|k| {
                !matches!(
                    k.as_str(),
                    "template" | "documentIndex" | "not" | "documentSelector"
                )
            });
            return Err(match unknown {
                Some(k) => self.bad(at, format!("Assertion type `{k}` is invalid")),
                None => self.bad(at, "no assertion type defined"),
            });
        };
        Ok(Assertion {
            kind: kind.to_owned(),
            params: m.get(kind).cloned().unwrap_or_default(),
            not: matches!(m.get("not"), Some(Value::Bool(true))),
            template: self.string(m, "template", at)?,
            document_index: match m.get("documentIndex") {
                Some(Value::Int(i)) => *i,
                _ => -1,
            },
            selector: self.selector(m, at)?,
        })
    }

    fn test(&self, v: &Value, at: &str) -> Result<Test, Error> {
        let Value::Map(m) = v else {
            return Err(self.bad(at, format!("a test is a map, found a {}", v.kind())));
        };
        let mut templates = self.strings(m, "templates", at)?;
        let single = self.string(m, "template", at)?;
        if templates.is_empty() && !single.is_empty() {
            templates.push(single);
        }
        let asserts = match m.get("asserts") {
            Some(Value::List(l)) => l
                .iter()
                .enumerate()
                .map(|(i, a)| self.assertion(a, &format!("{at}asserts[{i}]")))
                .collect::<Result<_, _>>()?,
            _ => Vec::new(),
        };
        Ok(Test {
            name: self.string(m, "it", at)?,
            values: self.strings(m, "values", at)?,
            set: self.set(m, at)?,
            templates,
            document_index: match m.get("documentIndex") {
                Some(Value::Int(i)) => Some(*i),
                _ => None,
            },
            selector: self.selector(m, at)?,
            release: self.release(m, at)?,
            capabilities: self.capabilities(m, at)?,
            chart: self.chart(m, at)?,
            skip: self.skip(m, at)?,
            asserts,
        })
    }
}

/// Reads every suite of one suite file.
pub fn read(file: &Path) -> Result<Vec<Suite>, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::Io {
        path: file.to_path_buf(),
        source: e,
    })?;
    let origin = file.display().to_string();
    let docs = rudder_values::yaml::parse_all(&text, &origin).map_err(|e| Error::Suite {
        path: file.to_path_buf(),
        at: String::new(),
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (doc, v) in docs.iter().enumerate() {
        let r = Reader { file, doc };
        let m = match v {
            Value::Null => continue,
            Value::Map(m) => m,
            other => {
                return Err(r.bad(
                    "",
                    format!("a test suite is a map, found a {}", other.kind()),
                ));
            }
        };
        let tests = match m.get("tests") {
            Some(Value::List(l)) => l
                .iter()
                .enumerate()
                .map(|(i, t)| r.test(t, &format!("tests[{i}].")))
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(r.bad("tests", "a test suite needs `tests:`, a list of tests")),
        };
        let at = "";
        out.push(Suite {
            name: r.string(m, "suite", at)?,
            file: file.to_path_buf(),
            templates: r.strings(m, "templates", at)?,
            exclude_templates: r.strings(m, "excludeTemplates", at)?,
            values: r.strings(m, "values", at)?,
            set: r.set(m, at)?,
            release: r.release(m, at)?,
            capabilities: r.capabilities(m, at)?,
            chart: r.chart(m, at)?,
            include_crds: matches!(m.get("includeCrds"), Some(Value::Bool(true))),
            skip: r.skip(m, at)?,
            tests,
        });
    }
    Ok(out)
}
