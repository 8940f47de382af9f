//! The user's values: `-f` files and the `--set` family, combined as Helm 4
//! does in `values.Options.MergeValues`.

use crate::merge::merge_maps;
use crate::strvals::{self, Mode};
use crate::{Error, Map, Result, Value, yaml};

/// Every values flag of one command line, grouped by kind.
///
/// Precedence is by kind, not by position on the command line, exactly as
/// in Helm: `-f` < `--set-json` < `--set` < `--set-string` < `--set-file` <
/// `--set-literal`; within one kind a later flag wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValuesOptions {
    /// `-f/--values`, one entry per file (see [`split_values_flag`]); `-`
    /// is standard input.
    pub values_files: Vec<String>,
    /// `--set-json`: `key=JSON[,key=JSON]` or a whole JSON object.
    pub set_json: Vec<String>,
    /// `--set`: `key=value[,key=value]`, with type inference.
    pub set: Vec<String>,
    /// `--set-string`: like `--set`, every value a string.
    pub set_string: Vec<String>,
    /// `--set-file`: `key=path[,key=path]`; the file's text is the value.
    pub set_file: Vec<String>,
    /// `--set-literal`: `key=value`, the value taken verbatim.
    pub set_literal: Vec<String>,
}

/// The values a user supplied, merged, before any chart defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserValues {
    /// The merged tree; nulls are kept (they delete chart defaults later).
    pub values: Map,
    /// Input Helm accepts but ignores, worth telling the user about.
    pub warnings: Vec<String>,
}

/// Reads a file named by a flag: `-f` and `--set-file` paths, `-` meaning
/// standard input. The caller decides where bytes come from, so the library
/// never touches the process's stdin itself.
pub trait ReadFile {
    /// The file's bytes.
    fn read(&mut self, path: &str) -> std::io::Result<Vec<u8>>;
}

impl<F: FnMut(&str) -> std::io::Result<Vec<u8>>> ReadFile for F {
    fn read(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        self(path)
    }
}

/// Reads from the file system; `-` is refused (there is no stdin here).
#[derive(Debug, Clone, Copy, Default)]
pub struct FsReader;

impl ReadFile for FsReader {
    fn read(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        if path.trim() == "-" {
            return Err(std::io::Error::other(
                "standard input is not available here",
            ));
        }
        std::fs::read(path)
    }
}

impl ValuesOptions {
    /// True when no values flag was given.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Reads and merges every layer. All problems are reported at once:
    /// the error is [`Error::Many`] when there are several.
    pub fn merge(&self, files: &mut dyn ReadFile) -> Result<UserValues> {
        self.merge_over(Map::new(), files)
    }

    /// Like [`ValuesOptions::merge`], on top of `base`, a lower layer than
    /// every flag (e.g. a Konvoy addon's values block): `-f` files merge into
    /// it as into one more file.
    pub fn merge_over(&self, base: Map, files: &mut dyn ReadFile) -> Result<UserValues> {
        let mut base = base;
        let mut errors = Vec::new();
        let mut warnings = Vec::new();

        for path in &self.values_files {
            match read_values_file(path, files) {
                Ok(layer) => merge_maps(&mut base, layer),
                Err(e) => errors.push(e),
            }
        }
        for text in &self.set_json {
            let trimmed = text.trim();
            if trimmed.starts_with('{') {
                match serde_json::from_str::<serde_json::Value>(trimmed).map(Value::from) {
                    Ok(Value::Map(layer)) => merge_maps(&mut base, *layer),
                    Ok(_) => unreachable_object(&mut errors, text),
                    Err(e) => errors.push(Error::Flag {
                        flag: "--set-json",
                        text: text.clone(),
                        message: format!("invalid JSON object: {e}"),
                    }),
                }
            } else {
                apply(
                    &mut base,
                    "--set-json",
                    text,
                    Mode::Json,
                    &mut errors,
                    &mut warnings,
                );
            }
        }
        for text in &self.set {
            apply(
                &mut base,
                "--set",
                text,
                Mode::Typed,
                &mut errors,
                &mut warnings,
            );
        }
        for text in &self.set_string {
            apply(
                &mut base,
                "--set-string",
                text,
                Mode::String,
                &mut errors,
                &mut warnings,
            );
        }
        for text in &self.set_file {
            let mut read = |path: &str| -> std::result::Result<Value, String> {
                files
                    .read(path)
                    .map(|b| Value::String(String::from_utf8_lossy(&b).into_owned()))
                    .map_err(|e| format!("cannot read file {path:?}: {e}"))
            };
            apply(
                &mut base,
                "--set-file",
                text,
                Mode::File(&mut read),
                &mut errors,
                &mut warnings,
            );
        }
        for text in &self.set_literal {
            apply(
                &mut base,
                "--set-literal",
                text,
                Mode::Literal,
                &mut errors,
                &mut warnings,
            );
        }
        Error::collect(errors)?;
        Ok(UserValues {
            values: base,
            warnings,
        })
    }
}

fn unreachable_object(errors: &mut Vec<Error>, text: &str) {
    // `{` always starts an object; kept as an error rather than a panic.
    errors.push(Error::Flag {
        flag: "--set-json",
        text: text.to_owned(),
        message: "expected a JSON object".to_owned(),
    });
}

fn apply(
    base: &mut Map,
    flag: &'static str,
    text: &str,
    mode: Mode<'_>,
    errors: &mut Vec<Error>,
    warnings: &mut Vec<String>,
) {
    // Only the offending piece is quoted: the argument's other pairs may be
    // secrets (`--set user=x,password=y` in a CI log).
    match strvals::parse_into_at(text, base, mode) {
        Ok(outcome) => warnings.extend(outcome.ignored.into_iter().map(|part| {
            format!("{flag}: ignoring incomplete {part:?}, as Helm does; finish it with =VALUE or remove it")
        })),
        Err(f) => errors.push(Error::Flag { flag, text: f.piece, message: f.message }),
    }
}

/// Reads one `-f` file: every YAML document in it merged in order, as
/// Helm 4's `loader.LoadValues`.
fn read_values_file(path: &str, files: &mut dyn ReadFile) -> Result<Map> {
    if path.contains("://") {
        return Err(Error::Flag {
            flag: "-f",
            text: path.to_owned(),
            message: "remote values files are not supported; download the file and pass its path"
                .to_owned(),
        });
    }
    let bytes = files.read(path).map_err(|source| Error::Read {
        flag: "-f",
        path: path.into(),
        source,
    })?;
    let origin = if path.trim() == "-" { "<stdin>" } else { path };
    let text = String::from_utf8(bytes).map_err(|e| Error::Yaml {
        origin: origin.to_owned(),
        line: 1,
        column: 1,
        message: format!(
            "file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    yaml::parse_values(&text, origin)
}

/// Splits one `-f` argument into paths the way Helm's flag library does
/// (a CSV record): `a.yaml,b.yaml` is two files, `"a,b.yaml"` one, and an
/// empty argument none.
pub fn split_values_flag(arg: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    if arg.is_empty() {
        return Ok(out);
    }
    let mut field = String::new();
    let mut chars = arg.chars().peekable();
    let mut at_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    if !matches!(chars.peek(), None | Some(',')) {
                        return Err(format!("unexpected text after a closing quote in {arg:?}"));
                    }
                }
            } else {
                field.push(c);
            }
        } else if c == ',' {
            out.push(std::mem::take(&mut field));
            at_start = true;
            continue;
        } else if c == '"' && at_start {
            quoted = true;
        } else if c == '"' {
            return Err(format!("a quote may only start a file name in {arg:?}"));
        } else {
            field.push(c);
        }
        at_start = false;
    }
    if quoted {
        return Err(format!("unterminated quote in {arg:?}"));
    }
    out.push(field);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn files(list: &[(&str, &str)]) -> impl FnMut(&str) -> std::io::Result<Vec<u8>> + use<> {
        let map: HashMap<String, Vec<u8>> = list
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.as_bytes().to_vec()))
            .collect();
        move |p: &str| {
            map.get(p)
                .cloned()
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not found"))
        }
    }

    fn merged(o: &ValuesOptions, fs: &[(&str, &str)]) -> serde_json::Value {
        let mut r = files(fs);
        Value::Map(Box::new(o.merge(&mut r).expect("merges").values)).to_json()
    }

    #[test]
    fn precedence_is_by_kind_not_position() {
        let o = ValuesOptions {
            values_files: vec!["f.yaml".into()],
            set_json: vec!["a=\"json\"".into(), "j=1".into()],
            set: vec!["a=set".into(), "s=1".into()],
            set_string: vec!["a=string".into()],
            set_file: vec!["a=file.txt".into()],
            set_literal: vec!["a=literal".into()],
        };
        let fs = [("f.yaml", "a: file\nf: 1\n"), ("file.txt", "from-file")];
        assert_eq!(
            merged(&o, &fs),
            json!({"a": "literal", "f": 1, "j": 1, "s": 1})
        );
        let o = ValuesOptions {
            set_literal: vec![],
            ..o
        };
        assert_eq!(merged(&o, &fs)["a"], json!("from-file"));
    }

    #[test]
    fn files_merge_deeply_and_later_files_win() {
        let o = ValuesOptions {
            values_files: vec!["a".into(), "b".into()],
            ..Default::default()
        };
        let fs = [
            ("a", "m: {x: 1, z: 1}\nl: [1, 2]\n"),
            ("b", "m: {z: 2}\nl: [3]\n"),
        ];
        assert_eq!(merged(&o, &fs), json!({"m": {"x": 1, "z": 2}, "l": [3]}));
    }

    #[test]
    fn set_json_whole_object_merges_deeply() {
        let o = ValuesOptions {
            values_files: vec!["a".into()],
            set_json: vec![r#" {"m": {"z": [1]}, "n": null} "#.into()],
            ..Default::default()
        };
        assert_eq!(
            merged(&o, &[("a", "m: {x: 1}\n")]),
            json!({"m": {"x": 1, "z": [1]}, "n": null})
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let o = ValuesOptions {
            values_files: vec!["missing.yaml".into()],
            set: vec!["a".into()],
            set_json: vec!["{oops".into()],
            set_file: vec!["k=nofile".into()],
            ..Default::default()
        };
        let mut r = files(&[]);
        let err = o.merge(&mut r).expect_err("fails").to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 4, "{err}");
        assert!(lines[0].starts_with("-f missing.yaml: not found"), "{err}");
        assert!(
            lines[1].starts_with("--set-json \"{oops\": invalid JSON object"),
            "{err}"
        );
        assert!(
            lines[2].starts_with("--set \"a\": key \"a\" has no value"),
            "{err}"
        );
        assert!(lines[3].contains("cannot read file \"nofile\""), "{err}");
    }

    #[test]
    fn ignored_input_becomes_a_warning() {
        let o = ValuesOptions {
            set: vec!["b=1,a[0".into()],
            ..Default::default()
        };
        let mut r = files(&[]);
        let u = o.merge(&mut r).expect("merges");
        assert_eq!(Value::Map(Box::new(u.values)).to_json(), json!({"b": 1}));
        assert_eq!(u.warnings.len(), 1);
        assert!(
            u.warnings[0].contains("ignoring incomplete \"a[0\""),
            "{:?}",
            u.warnings
        );
    }

    #[test]
    fn errors_and_warnings_quote_only_the_offending_pair() {
        let o = ValuesOptions {
            set: vec!["user=me,password=s3cret,a[x]=1".into()],
            set_json: vec![r#"token="s3cret",j=bad"#.into()],
            set_string: vec!["password=s3cret,b[0".into()],
            ..Default::default()
        };
        let mut r = files(&[]);
        let err = o.merge(&mut r).expect_err("fails").to_string();
        assert!(!err.contains("s3cret"), "{err}");
        assert!(err.contains("--set \"a[x]=1\": list index \"x\""), "{err}");
        assert!(
            err.contains("--set-json \"j=bad\": invalid JSON value \"bad\""),
            "{err}"
        );
        let o = ValuesOptions {
            set_string: vec!["password=s3cret,b[0".into()],
            ..Default::default()
        };
        let u = o.merge(&mut r).expect("merges");
        assert_eq!(
            u.warnings,
            [
                "--set-string: ignoring incomplete \"b[0\", as Helm does; finish it with =VALUE or remove it"
            ]
        );
    }

    #[test]
    fn remote_values_files_are_refused_clearly() {
        let o = ValuesOptions {
            values_files: vec!["https://x/v.yaml".into()],
            ..Default::default()
        };
        let mut r = files(&[]);
        assert!(
            o.merge(&mut r)
                .expect_err("fails")
                .to_string()
                .contains("remote values files")
        );
    }

    #[test]
    fn values_flag_splits_like_a_csv_record() {
        assert_eq!(
            split_values_flag("a.yaml,b.yaml"),
            Ok(vec!["a.yaml".into(), "b.yaml".into()])
        );
        assert_eq!(
            split_values_flag(r#""a,b.yaml",c"#),
            Ok(vec!["a,b.yaml".into(), "c".into()])
        );
        assert_eq!(
            split_values_flag(r#""say ""hi""""#),
            Ok(vec![r#"say "hi""#.into()])
        );
        assert_eq!(split_values_flag(""), Ok(vec![]));
        assert_eq!(split_values_flag("a,"), Ok(vec!["a".into(), String::new()]));
        assert!(split_values_flag(r#""a"#).is_err());
        assert!(split_values_flag(r#"a"b"#).is_err());
    }
}
