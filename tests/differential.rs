//! Differential tests: `rudder values` against the reference `helm template`.
//!
//! Every case runs both tools with the same arguments and compares the
//! coalesced `.Values` of the top chart.
//!
//! # Case files
//!
//! Cases live in `tests/differential/*.cases`, one file per category. Blank
//! lines and lines starting with `#` are ignored. Every other line is a case:
//!
//! ```text
//! NAME: [@ANNOTATION]... ARGS
//! ```
//!
//! * `NAME` is unique over all files (letters, digits, `-`, `_`, `.`).
//! * The rest of the line after the first `:` is split with shell rules
//!   (`shlex`, i.e. what bash would pass on). Leading words starting with `@`
//!   are annotations; the remaining words are `ARGS`. Both tools get exactly
//!   these arguments:
//!   - helm:   `helm template rel CHART ARGS...`
//!   - rudder: `rudder values CHART -o json ARGS...`
//!
//!   Both run with the workspace root as the current directory, so paths in
//!   `ARGS` (`-f fixtures/values/x.yaml`, `--set-file k=...`) are relative
//!   to it.
//! * Annotations:
//!   - `@chart=NAME`: the fixture chart `fixtures/charts/NAME` (default `dump`).
//!   - `@stdin=PATH`: feed this file (workspace-relative) to both tools'
//!     stdin (for `-f -`). Without it stdin is empty.
//!   - `@error`: helm fails on this case. Rudder must fail too, with exit code 1
//!     and stderr starting with `Error: `. (The harness also checks that helm
//!     really fails, and that helm succeeds on cases without `@error`.)
//!   - `@usage`: like `@error`, for command-line usage errors (a flag without
//!     its argument, an unknown flag, an extra argument). rudder follows its
//!     own exit-code contract there: exit code 2 and clap's `error:` message.
//!   - `@warn`: helm silently ignores (part of) the input. Rudder must succeed
//!     with the same values and print a line starting with `warning:` on
//!     stderr. Without `@warn` rudder must not print such a line, unless helm
//!     itself logged a warning for the case (e.g. `skipped value for ...: Not
//!     a table`, `returned non-bool value`): then a warning is optional.
//!   - `@exact=INT` (repeatable): a deliberate difference: a file (or
//!     `--set-json`) holds the integer `INT` beyond 2^53. Helm turns it into a float64 and loses precision; rudder
//!     must keep it exact. The harness checks that rudder's values contain
//!     the number `INT`, that helm's do not, and that the trees are otherwise
//!     equal.
//!
//! # Comparison
//!
//! Helm's side renders `fixtures/charts/CHART/templates/values.yaml`
//! (`# {{ toJson .Values }}`) and the harness takes the top chart's document.
//! JSON numbers are compared by value (as `f64`) because Helm turns numbers
//! from files and `--set-json` into float64 while `--set` integers are int64.
//! Object key order is irrelevant.
//!
//! # Subcharts packaged at test time
//!
//! The fixture charts are copied to a temporary directory first. There, every
//! directory `charts/*.tgz-src` inside a chart is replaced by the archive
//! `charts/NAME-VERSION.tgz` (made with the `tar` command) so that `.tgz`
//! subcharts are tested without committing archives.
//!
//! # Environment
//!
//! * `RUDDER_HELM`: the helm binary (default `<workspace>/.tools/bin/helm`,
//!   installed by `scripts/install-helm.sh`). Missing helm fails the test
//!   unless `RUDDER_SKIP_HELM=1`.
//! * `RUDDER_DIFF_HELM_ONLY=1`: run only helm and print each case's outcome.
//! * `RUDDER_DIFF_FILTER=TEXT`: run only cases whose name contains `TEXT`.
//! * `RUDDER_DIFF_JOBS=N`: parallel cases (default 4).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "test harness: the report goes to the terminal"
)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[path = "harness/mod.rs"]
mod harness;
use harness::*;

const MIN_CASES: usize = 300;
const TIMEOUT: Duration = Duration::from_secs(60);

/// One line of a case file.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    location: String,
    chart: String,
    stdin: Option<String>,
    error: bool,
    usage: bool,
    warn: bool,
    exact: Vec<String>,
    args: Vec<String>,
}

/// What one tool did.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

impl Outcome {
    fn ok(&self) -> bool {
        self.code == Some(0) && !self.timed_out
    }

    fn describe(&self) -> String {
        let mut s = String::new();
        if self.timed_out {
            let _ = writeln!(s, "    TIMED OUT after {TIMEOUT:?}");
        }
        let _ = writeln!(s, "    exit code: {:?}", self.code);
        for (label, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            if !text.trim().is_empty() {
                let _ = writeln!(s, "    {label}:");
                for line in truncate(text.trim_end(), 3000).lines() {
                    let _ = writeln!(s, "      | {line}");
                }
            }
        }
        s
    }
}

fn parse_case_line(line: &str, location: &str) -> Result<Case, String> {
    let (name, rest) = line
        .split_once(':')
        .ok_or_else(|| format!("{location}: missing `:` after the case name"))?;
    let name = name.trim().to_string();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!("{location}: bad case name {name:?}"));
    }
    let words =
        shlex::split(rest).ok_or_else(|| format!("{location}: cannot split arguments {rest:?}"))?;
    let mut case = Case {
        name,
        location: location.to_string(),
        chart: "dump".to_string(),
        stdin: None,
        error: false,
        usage: false,
        warn: false,
        exact: Vec::new(),
        args: Vec::new(),
    };
    let mut words = words.into_iter().peekable();
    while let Some(word) = words.next_if(|w| w.starts_with('@')) {
        let annotation = &word[1..];
        let (key, value) = match annotation.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (annotation, None),
        };
        match (key, value) {
            ("chart", Some(v)) => case.chart = v,
            ("stdin", Some(v)) => case.stdin = Some(v),
            ("exact", Some(v)) => case.exact.push(v),
            ("error", None) => case.error = true,
            ("usage", None) => {
                case.error = true;
                case.usage = true;
            }
            ("warn", None) => case.warn = true,
            _ => return Err(format!("{location}: unknown annotation {word:?}")),
        }
    }
    if case.error && (case.warn || !case.exact.is_empty()) {
        return Err(format!("{location}: @error excludes @warn and @exact"));
    }
    case.args = words.collect();
    Ok(case)
}

fn load_cases(root: &Path) -> Vec<Case> {
    let dir = root.join("tests/differential");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read tests/differential")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cases"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    let mut names = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read case file");
        let short = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let location = format!("{short}:{}", i + 1);
            match parse_case_line(line, &location) {
                Ok(case) => {
                    if !names.insert(case.name.clone()) {
                        errors.push(format!("{location}: duplicate case name {}", case.name));
                    }
                    cases.push(case);
                }
                Err(e) => errors.push(e),
            }
        }
    }
    assert!(errors.is_empty(), "bad case files:\n{}", errors.join("\n"));
    cases
}

fn run(cmd: Command, cwd: &Path, stdin: Option<&[u8]>) -> Outcome {
    let exit = run_process(cmd, cwd, stdin, TIMEOUT);
    Outcome {
        code: exit.code,
        stdout: String::from_utf8_lossy(&exit.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&exit.stderr).into_owned(),
        timed_out: exit.timed_out,
    }
}

fn helm_values(stdout: &str, chart: &str) -> Result<Value, String> {
    let source = format!("# Source: {chart}/templates/values.yaml");
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() == source {
            let json = lines
                .next()
                .and_then(|l| l.strip_prefix("# "))
                .ok_or("no JSON line after the source line")?;
            return serde_json::from_str(json).map_err(|e| format!("bad JSON from helm: {e}"));
        }
    }
    Err(format!("no `{source}` document in helm's output"))
}

fn rudder_values(stdout: &str) -> Result<Value, String> {
    serde_json::from_str(stdout).map_err(|e| format!("stdout is not JSON: {e}"))
}

/// Collects the differences between two trees (numbers by f64 value).
fn diff(path: &str, helm: &Value, rudder: &Value, out: &mut Vec<String>) {
    match (helm, rudder) {
        (Value::Number(a), Value::Number(b)) => {
            if a.as_f64() != b.as_f64() {
                out.push(format!("{path}: helm {a}, rudder {b}"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = format!("{path}.{}", display_key(k));
                match b.get(k) {
                    Some(vb) => diff(&p, va, vb, out),
                    None => out.push(format!("{p}: missing in rudder (helm {va})")),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    let p = format!("{path}.{}", display_key(k));
                    out.push(format!("{p}: missing in helm (rudder {vb})"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: list length helm {} rudder {} (helm {helm}, rudder {rudder})",
                    a.len(),
                    b.len()
                ));
                return;
            }
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ => {
            if helm != rudder {
                out.push(format!("{path}: helm {helm}, rudder {rudder}"));
            }
        }
    }
}

fn display_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        serde_json::to_string(k).unwrap_or_default()
    }
}

/// Whether `v` holds the integer `text` exactly as a JSON number.
fn contains_exact_number(v: &Value, text: &str) -> bool {
    match v {
        Value::Number(n) => (n.is_i64() || n.is_u64()) && n.to_string() == text,
        Value::Array(a) => a.iter().any(|x| contains_exact_number(x, text)),
        Value::Object(o) => o.values().any(|x| contains_exact_number(x, text)),
        _ => false,
    }
}

/// Helm logs its own coalescing warnings (`level=INFO msg="warning: ..."`,
/// `level=WARN ...`) on stderr.
fn helm_logged_warning(stderr: &str) -> bool {
    stderr.contains("warning") || stderr.contains("level=WARN")
}

/// A `warning:` line other than rudder's unknown-values-key warning: the
/// fixture charts take keys their defaults lack on purpose, and that
/// warning is a deliberate addition where Helm is silent (README,
/// "Deliberate differences"; tests/mistakes.rs checks it).
fn has_warning(stderr: &str) -> bool {
    stderr.lines().any(|l| {
        l.starts_with("warning:")
            && !(l.starts_with("warning: values key `") && l.contains("` is unknown: "))
    })
}

struct Env {
    root: PathBuf,
    charts: PathBuf,
    helm: PathBuf,
    rudder: Option<PathBuf>,
    home: PathBuf,
}

fn helm_command(env: &Env, case: &Case) -> Command {
    let mut cmd = Command::new(&env.helm);
    cmd.arg("template")
        .arg("rel")
        .arg(env.charts.join(&case.chart))
        .args(&case.args)
        .env("HELM_CACHE_HOME", env.home.join("cache"))
        .env("HELM_CONFIG_HOME", env.home.join("config"))
        .env("HELM_DATA_HOME", env.home.join("data"));
    cmd
}

fn rudder_command(env: &Env, case: &Case, rudder: &Path) -> Command {
    let mut cmd = Command::new(rudder);
    cmd.arg("values")
        .arg(env.charts.join(&case.chart))
        .arg("-o")
        .arg("json")
        .args(&case.args);
    cmd
}

fn stdin_for(env: &Env, case: &Case) -> Option<Vec<u8>> {
    case.stdin.as_ref().map(|p| {
        std::fs::read(env.root.join(p))
            .unwrap_or_else(|e| panic!("{}: stdin {p}: {e}", case.location))
    })
}

/// Checks the helm side against the case's annotations.
fn check_helm(case: &Case, helm: &Outcome) -> Result<Option<Value>, String> {
    if helm.timed_out {
        return Err("helm timed out".into());
    }
    match (helm.ok(), case.error) {
        (true, true) => Err("case says @error but helm succeeded".into()),
        (false, false) => Err("helm failed but the case has no @error".into()),
        (false, true) => Ok(None),
        (true, false) => {
            let v = helm_values(&helm.stdout, &case.chart)?;
            if let Some(exact) = case.exact.iter().find(|e| contains_exact_number(&v, e)) {
                return Err(format!("@exact={exact}: helm kept the number exact"));
            }
            Ok(Some(v))
        }
    }
}

/// Compares rudder with helm; returns the problems found.
fn check_rudder(
    case: &Case,
    helm: &Outcome,
    helm_value: Option<&Value>,
    rudder: &Outcome,
) -> Vec<String> {
    let mut problems = Vec::new();
    let warned = has_warning(&rudder.stderr);
    match helm_value {
        None => {
            let (code, prefix) = if case.usage {
                (2, "error: ")
            } else {
                (1, "Error: ")
            };
            if rudder.code != Some(code) || rudder.timed_out {
                problems.push(format!(
                    "helm failed; rudder must exit with code {code}, got {:?}",
                    rudder.code
                ));
            }
            if !rudder.stderr.starts_with(prefix) {
                problems.push(format!(
                    "helm failed; rudder's stderr must start with `{prefix}`"
                ));
            }
        }
        Some(hv) => {
            if !rudder.ok() {
                problems.push(format!(
                    "helm succeeded, rudder failed (exit {:?})",
                    rudder.code
                ));
                return problems;
            }
            match rudder_values(&rudder.stdout) {
                Err(e) => problems.push(e),
                Ok(rv) => {
                    let mut d = Vec::new();
                    diff("", hv, &rv, &mut d);
                    if !d.is_empty() {
                        let n = d.len();
                        d.truncate(15);
                        let mut msg = format!("values differ ({n} differences):");
                        for line in d {
                            let _ = write!(msg, "\n      {line}");
                        }
                        problems.push(msg);
                    }
                    for exact in &case.exact {
                        if !contains_exact_number(&rv, exact) {
                            problems.push(format!("@exact={exact}: rudder lost the exact integer"));
                        }
                    }
                }
            }
            if case.warn && !warned {
                problems
                    .push("helm ignores part of the input; rudder must print `warning:`".into());
            }
            if !case.warn && warned && !helm_logged_warning(&helm.stderr) {
                problems.push("rudder printed `warning:` but the case has no @warn".into());
            }
        }
    }
    problems
}

#[test]
fn rudder_values_matches_helm() {
    let root = workspace_root();
    let mut cases = load_cases(&root);
    let filter = std::env::var("RUDDER_DIFF_FILTER").ok();
    if let Some(f) = &filter {
        cases.retain(|c| c.name.contains(f.as_str()));
    } else {
        assert!(
            cases.len() >= MIN_CASES,
            "only {} differential cases, expected at least {MIN_CASES}",
            cases.len()
        );
    }

    let Some(helm) = locate_helm(&root, &format!("{} differential cases", cases.len())) else {
        return;
    };
    let helm_only = helm_only();
    let jobs = jobs();

    let tmp = TempDir::new("values");
    let charts = tmp.0.join("charts");
    copy_dir(&root.join("fixtures/charts"), &charts);
    for entry in std::fs::read_dir(&charts).expect("read charts") {
        package_tgz_subcharts(&entry.expect("dir entry").path());
    }
    let env = Env {
        root: root.clone(),
        charts,
        helm,
        rudder: (!helm_only).then(|| PathBuf::from(env!("CARGO_BIN_EXE_rudder"))),
        home: tmp.0.join("helm-home"),
    };

    let failures = run_all(&cases, jobs, |case| {
        let stdin = stdin_for(&env, case);
        let helm_out = run(helm_command(&env, case), &env.root, stdin.as_deref());
        let helm_checked = check_helm(case, &helm_out);
        let header = format!(
            "--- {} ({})\n  args: {}\n",
            case.name,
            case.location,
            quote_args(&case.args)
        );
        let Some(rudder) = &env.rudder else {
            // Helm only: print the outcome of every case.
            let summary = match &helm_checked {
                Ok(Some(v)) => format!("  helm ok: {v}\n"),
                Ok(None) => format!("  helm error: {}\n", helm_out.stderr.trim()),
                Err(e) => format!("  CASE FILE PROBLEM: {e}\n{}", helm_out.describe()),
            };
            let stderr = if helm_out.ok() && !helm_out.stderr.trim().is_empty() {
                format!("  helm stderr: {}\n", helm_out.stderr.trim())
            } else {
                String::new()
            };
            println!("{header}{summary}{stderr}");
            return helm_checked.err().map(|e| format!("{header}  {e}\n"));
        };
        let helm_value = match helm_checked {
            Ok(v) => v,
            Err(e) => {
                return Some(format!(
                    "{header}  CASE FILE PROBLEM: {e}\n  helm:\n{}",
                    helm_out.describe()
                ));
            }
        };
        let rudder_out = run(
            rudder_command(&env, case, rudder),
            &env.root,
            stdin.as_deref(),
        );
        let problems = check_rudder(case, &helm_out, helm_value.as_ref(), &rudder_out);
        if problems.is_empty() {
            return None;
        }
        let mut report = header;
        for p in problems {
            let _ = writeln!(report, "  * {p}");
        }
        let helm_described = match &helm_value {
            // Helm's stdout holds every rendered template: show only the values.
            Some(v) => Outcome {
                stdout: truncate(&v.to_string(), 3000),
                ..helm_out
            }
            .describe(),
            None => helm_out.describe(),
        };
        let _ = write!(
            report,
            "  helm:\n{helm_described}  rudder:\n{}",
            rudder_out.describe()
        );
        Some(report)
    });

    if !failures.is_empty() {
        let mut report = String::new();
        for (_, f) in &failures {
            report.push_str(f);
            report.push('\n');
        }
        panic!(
            "{report}\n{} of {} differential cases failed (listed above)",
            failures.len(),
            cases.len()
        );
    }
    println!("{} differential cases passed", cases.len());
}
