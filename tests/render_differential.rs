//! Differential render tests: `rudder template` against the reference
//! `helm template`, byte for byte.
//!
//! # Layout
//!
//! Every directory `tests/render/CASE/` holds one chart written twice:
//!
//! * `CASE/go/`: the chart with Go templates, rendered by helm;
//! * `CASE/jinja/`: the same chart with Jinja templates, rendered by rudder;
//! * `CASE/runs`: the runs (below);
//! * optionally other files used by the runs (`-f tests/render/CASE/x.yaml`).
//!
//! The two charts must hold the same set of files, and every file outside a
//! `templates/` directory (`Chart.yaml`, `values.yaml`, `crds/`, `.helmignore`,
//! plain files, subcharts' non-template files) must be byte-identical: only
//! templates differ. The harness checks this first.
//!
//! Before running, `tests/render` is copied to a temporary directory and every
//! directory `charts/X.tgz-src` inside a chart is replaced by the archive
//! `charts/NAME-VERSION.tgz` (made with `tar`), so packaged subcharts are
//! tested without committing archives (the same convention as
//! `tests/differential.rs`).
//!
//! # Run files
//!
//! `CASE/runs` has one run per line; blank lines and lines starting with `#`
//! are ignored:
//!
//! ```text
//! NAME: [@ANNOTATION]... ARGS
//! ```
//!
//! `NAME` is unique within the case (letters, digits, `-`, `_`, `.`); runs
//! are reported as `CASE/NAME`. The rest of the line is split with shell rules
//! (`shlex`); leading words starting with `@` are annotations, the remaining
//! words `ARGS`. With the workspace root as the current directory the harness
//! runs
//!
//! * helm:   `helm template RELEASE <tmp>/CASE/go ARGS...`
//! * rudder: `rudder template RELEASE <tmp>/CASE/jinja ARGS...`
//!
//! and requires identical stdout bytes. `RELEASE` is `rel` unless set.
//! An argument `OUTDIR` (alone, or as `--output-dir=OUTDIR`) is replaced by
//! a fresh empty directory per tool; the harness then also compares the two
//! trees (file names and bytes), and stdout after replacing each tool's
//! directory by `OUTDIR` (helm prints `wrote OUTDIR/... ` lines).
//!
//! Annotations:
//!
//! * `@error`: helm fails. rudder must fail too, with exit code 1 and stderr
//!   starting with `Error: ` (error texts are not compared). The harness also
//!   checks that helm fails here and succeeds everywhere else.
//! * `@usage`: helm fails (exit 1) on a malformed flag value; rudder treats
//!   it as a usage error, the documented difference: exit code 2 and stderr
//!   starting with clap's `error: `. Implies `@error` for the helm side.
//! * `@stricter=TEXT`: a documented difference: helm prints output, rudder
//!   refuses it (e.g. a rendered object without `kind`). rudder must exit 1
//!   with stderr starting `Error: ` and containing `TEXT`.
//! * `@release=NAME`: the release name (default `rel`).
//! * `@float=HELM:RUDDER` (repeatable): the documented difference: an integer
//!   from a values file printed with `{{ }}` is a float64 in Helm (`1e+06`)
//!   and an exact integer in rudder (`1000000`). The harness checks that
//!   helm's output contains `HELM`, and compares rudder's output with helm's
//!   after replacing every `HELM` by `RUDDER`.
//!
//! # Environment
//!
//! * `RUDDER_HELM`: the helm binary (default `<workspace>/.tools/bin/helm`,
//!   installed by `scripts/install-helm.sh`). Missing helm fails the test
//!   unless `RUDDER_SKIP_HELM=1`.
//! * `RUDDER_DIFF_HELM_ONLY=1`: run only helm and print each run's output.
//! * `RUDDER_DIFF_FILTER=TEXT`: only runs whose `CASE/NAME` contains `TEXT`.
//! * `RUDDER_DIFF_JOBS=N`: parallel runs (default 4).
//!
//! On a mismatch the report shows the first differing line with context;
//! both complete outputs are kept under
//! `$TMPDIR/rudder-render-diff/CASE/NAME.{helm,rudder}` for `diff -u`.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "test harness: the report goes to the terminal"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[path = "harness/mod.rs"]
mod harness;
use harness::*;

const MIN_CHARTS: usize = 15;
const TIMEOUT: Duration = Duration::from_secs(60);
const OUTDIR: &str = "OUTDIR";

/// One line of a `runs` file.
#[derive(Debug, Clone)]
struct Run {
    /// `CASE/NAME`.
    id: String,
    case: String,
    location: String,
    release: String,
    error: bool,
    /// `@usage`: rudder exits 2 where helm exits 1.
    usage: bool,
    /// `@stricter`: the text rudder's error must contain.
    stricter: Option<String>,
    /// `(helm text, rudder text)` pairs of `@float`.
    floats: Vec<(String, String)>,
    args: Vec<String>,
}

impl Run {
    fn output_dir(&self) -> bool {
        self.args
            .iter()
            .any(|a| a == OUTDIR || a.ends_with(&format!("={OUTDIR}")))
    }
}

/// What one tool did.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    timed_out: bool,
    /// The `--output-dir` tree (relative path → bytes), if any.
    tree: Option<BTreeMap<String, Vec<u8>>>,
}

impl Outcome {
    fn ok(&self) -> bool {
        self.code == Some(0) && !self.timed_out
    }

    fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    fn describe(&self, with_stdout: bool) -> String {
        let mut s = String::new();
        if self.timed_out {
            let _ = writeln!(s, "    TIMED OUT after {TIMEOUT:?}");
        }
        let _ = writeln!(s, "    exit code: {:?}", self.code);
        let stdout = self.stdout_text();
        let mut parts = vec![("stderr", self.stderr.as_str())];
        if with_stdout {
            parts.insert(0, ("stdout", stdout.as_str()));
        }
        for (label, text) in parts {
            if !text.trim().is_empty() {
                let _ = writeln!(s, "    {label}:");
                for line in truncate(text.trim_end(), 2000).lines() {
                    let _ = writeln!(s, "      | {line}");
                }
            }
        }
        s
    }
}

fn parse_run_line(case: &str, line: &str, location: &str) -> Result<Run, String> {
    let (name, rest) = line
        .split_once(':')
        .ok_or_else(|| format!("{location}: missing `:` after the run name"))?;
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!("{location}: bad run name {name:?}"));
    }
    let words =
        shlex::split(rest).ok_or_else(|| format!("{location}: cannot split arguments {rest:?}"))?;
    let mut run = Run {
        id: format!("{case}/{name}"),
        case: case.to_string(),
        location: location.to_string(),
        release: "rel".to_string(),
        error: false,
        usage: false,
        floats: Vec::new(),
        stricter: None,
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
            ("error", None) => run.error = true,
            ("usage", None) => {
                run.error = true;
                run.usage = true;
            }
            ("release", Some(v)) if !v.is_empty() => run.release = v,
            ("stricter", Some(v)) if !v.is_empty() => run.stricter = Some(v),
            ("float", Some(v)) => {
                let (h, r) = v
                    .split_once(':')
                    .filter(|(h, _)| !h.is_empty())
                    .ok_or_else(|| format!("{location}: @float needs HELM:RUDDER"))?;
                run.floats.push((h.to_string(), r.to_string()));
            }
            _ => return Err(format!("{location}: unknown annotation {word:?}")),
        }
    }
    if run.error && !run.floats.is_empty() {
        return Err(format!("{location}: @error excludes @float"));
    }
    run.args = words.collect();
    Ok(run)
}

/// The case directories (those with a `runs` file), sorted.
fn case_dirs(render: &Path) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(render)
        .expect("read tests/render")
        .map(|e| e.expect("dir entry"))
        .filter(|e| e.path().join("runs").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

fn load_runs(root: &Path, cases: &[String]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut errors = Vec::new();
    for case in cases {
        let file = root.join("tests/render").join(case).join("runs");
        let text = std::fs::read_to_string(&file).expect("read runs file");
        let mut names = BTreeSet::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let location = format!("tests/render/{case}/runs:{}", i + 1);
            match parse_run_line(case, line, &location) {
                Ok(run) => {
                    if !names.insert(run.id.clone()) {
                        errors.push(format!("{location}: duplicate run name {}", run.id));
                    }
                    runs.push(run);
                }
                Err(e) => errors.push(e),
            }
        }
        if names.is_empty() {
            errors.push(format!("tests/render/{case}/runs: no runs"));
        }
    }
    assert!(errors.is_empty(), "bad runs files:\n{}", errors.join("\n"));
    runs
}

/// Every file below `dir`: relative path (with `/`) → bytes.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("below base");
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A Jinja twin's Chart.yaml with its dialect annotation taken out: the
/// one line (and its `annotations:` key) it may add to the Go chart's.
fn without_dialect(file: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(file);
    let lines: Vec<&str> = text
        .split_inclusive('\n')
        .filter(|l| l.trim() != "rudder.dev/templates: jinja")
        .collect();
    // An `annotations:` key left with nothing under it was added for the
    // dialect alone.
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let next_indented = lines.get(i + 1).is_some_and(|n| n.starts_with(' '));
        if l.trim_end() == "annotations:" && !next_indented {
            continue;
        }
        out.push_str(l);
    }
    out.into_bytes()
}

/// Checks that the two charts of a case differ only in their templates
/// (and the Jinja twin's dialect annotation).
fn check_twins(render: &Path, case: &str) -> Vec<String> {
    let go = read_tree(&render.join(case).join("go"));
    let jinja = read_tree(&render.join(case).join("jinja"));
    let mut problems = Vec::new();
    if go.is_empty() || jinja.is_empty() {
        problems.push(format!("{case}: needs both go/ and jinja/ charts"));
        return problems;
    }
    for path in go.keys().chain(jinja.keys()).collect::<BTreeSet<_>>() {
        let in_templates = path.split('/').any(|c| c == "templates");
        match (go.get(path), jinja.get(path)) {
            (Some(_), None) => problems.push(format!("{case}: {path} only in go/")),
            (None, Some(_)) => problems.push(format!("{case}: {path} only in jinja/")),
            (Some(a), Some(b)) if !in_templates && a != &without_dialect(b) => problems.push(
                format!("{case}: {path} differs between go/ and jinja/ (only templates may)"),
            ),
            _ => {}
        }
    }
    problems
}

fn execute(cmd: Command, cwd: &Path) -> Outcome {
    let exit = run_process(cmd, cwd, None, TIMEOUT);
    Outcome {
        code: exit.code,
        stdout: exit.stdout,
        stderr: String::from_utf8_lossy(&exit.stderr).into_owned(),
        timed_out: exit.timed_out,
        tree: None,
    }
}

/// Replaces every occurrence of `from` by `to` in `bytes`.
fn replace_bytes(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from.is_empty() {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

struct Env {
    root: PathBuf,
    charts: PathBuf,
    helm: PathBuf,
    rudder: Option<PathBuf>,
    home: PathBuf,
    keep: PathBuf,
}

/// Runs one tool: `TOOL template RELEASE CHART ARGS`, with `OUTDIR`
/// replaced by a fresh directory whose tree is read back.
fn run_tool(env: &Env, run: &Run, program: &Path, side: &str, helm: bool) -> Outcome {
    let out = run
        .output_dir()
        .then(|| TempDir::new(&format!("out-{side}")));
    let out_str = out
        .as_ref()
        .map(|d| d.0.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args: Vec<String> = run
        .args
        .iter()
        .map(|a| {
            if out.is_some() && (a == OUTDIR || a.ends_with(&format!("={OUTDIR}"))) {
                format!("{}{out_str}", &a[..a.len() - OUTDIR.len()])
            } else {
                a.clone()
            }
        })
        .collect();
    let mut cmd = Command::new(program);
    cmd.arg("template")
        .arg(&run.release)
        .arg(env.charts.join(&run.case).join(side))
        .args(&args);
    if helm {
        cmd.env("HELM_CACHE_HOME", env.home.join("cache"))
            .env("HELM_CONFIG_HOME", env.home.join("config"))
            .env("HELM_DATA_HOME", env.home.join("data"));
    }
    let mut outcome = execute(cmd, &env.root);
    if let Some(dir) = &out {
        outcome.stdout = replace_bytes(&outcome.stdout, out_str.as_bytes(), OUTDIR.as_bytes());
        outcome.tree = Some(read_tree(&dir.0));
    }
    outcome
}

/// The first differing line of `a` and `b`, with a few lines of context.
fn first_difference(label_a: &str, a: &[u8], label_b: &str, b: &[u8]) -> String {
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    let la: Vec<&str> = a.split_inclusive('\n').collect();
    let lb: Vec<&str> = b.split_inclusive('\n').collect();
    let first = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let from = first.saturating_sub(4);
    let mut s = format!("first difference at line {}:\n", first + 1);
    for (label, lines) in [(label_a, &la), (label_b, &lb)] {
        let _ = writeln!(s, "      {label} ({} lines):", lines.len());
        let end = (first + 5).min(lines.len());
        for (i, line) in lines.iter().enumerate().take(end).skip(from) {
            let marker = if i == first { '>' } else { ' ' };
            let _ = writeln!(s, "      {marker}{:4} | {line:?}", i + 1);
        }
        if first >= lines.len() {
            let _ = writeln!(s, "      >     | <end of output>");
        }
    }
    s
}

/// Checks the helm side against the run's annotations.
fn check_helm(run: &Run, helm: &Outcome) -> Result<(), String> {
    if helm.timed_out {
        return Err("helm timed out".into());
    }
    match (helm.ok(), run.error) {
        (true, true) => Err("the run says @error but helm succeeded".into()),
        (false, false) => Err("helm failed but the run has no @error".into()),
        (false, true) => Ok(()),
        (true, false) => {
            for (h, _) in &run.floats {
                if !contains_bytes(&helm.stdout, h.as_bytes()) {
                    return Err(format!("@float={h}:...: helm's output has no `{h}`"));
                }
            }
            Ok(())
        }
    }
}

/// Compares rudder with helm; returns the problems found.
fn check_rudder(env: &Env, run: &Run, helm: &Outcome, rudder: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(text) = &run.stricter {
        if rudder.code != Some(1)
            || !rudder.stderr.starts_with("Error: ")
            || !rudder.stderr.contains(text.as_str())
        {
            problems.push(format!(
                "@stricter: rudder must exit 1 with `Error: ` mentioning {text:?}, got exit {:?}",
                rudder.code
            ));
        }
        return problems;
    }
    if run.usage {
        if rudder.code != Some(2) || !rudder.stderr.starts_with("error: ") {
            problems.push(format!(
                "@usage: rudder must exit 2 with stderr starting `error: `, got exit {:?}",
                rudder.code
            ));
        }
        return problems;
    }
    if run.error {
        if rudder.code != Some(1) || rudder.timed_out {
            problems.push(format!(
                "helm failed; rudder must exit with code 1, got {:?}",
                rudder.code
            ));
        }
        if !rudder.stderr.starts_with("Error: ") {
            problems.push("helm failed; rudder's stderr must start with `Error: `".into());
        }
        return problems;
    }
    if !rudder.ok() {
        problems.push(format!(
            "helm succeeded, rudder failed (exit {:?})",
            rudder.code
        ));
        return problems;
    }
    let mut expected = helm.stdout.clone();
    for (h, r) in &run.floats {
        expected = replace_bytes(&expected, h.as_bytes(), r.as_bytes());
    }
    if expected != rudder.stdout {
        let keep = env.keep.join(&run.case);
        let _ = std::fs::create_dir_all(&keep);
        let name = run.id.rsplit('/').next().unwrap_or("run");
        let _ = std::fs::write(keep.join(format!("{name}.helm")), &expected);
        let _ = std::fs::write(keep.join(format!("{name}.rudder")), &rudder.stdout);
        problems.push(format!(
            "stdout differs (both kept in {}/{name}.{{helm,rudder}}); {}",
            keep.display(),
            first_difference("helm", &expected, "rudder", &rudder.stdout)
        ));
    }
    if let (Some(ht), Some(rt)) = (&helm.tree, &rudder.tree) {
        for path in ht.keys().chain(rt.keys()).collect::<BTreeSet<_>>() {
            match (ht.get(path), rt.get(path)) {
                (Some(_), None) => problems.push(format!("output dir: {path} missing in rudder's")),
                (None, Some(_)) => problems.push(format!("output dir: {path} only in rudder's")),
                (Some(a), Some(b)) if a != b => problems.push(format!(
                    "output dir: {path} differs; {}",
                    first_difference("helm", a, "rudder", b)
                )),
                _ => {}
            }
        }
    }
    problems
}

fn describe_tree(tree: &BTreeMap<String, Vec<u8>>) -> String {
    let mut s = String::new();
    for (path, bytes) in tree {
        let _ = writeln!(s, "    {path} ({} bytes)", bytes.len());
    }
    s
}

#[test]
fn rudder_template_matches_helm() {
    let root = workspace_root();
    let render = root.join("tests/render");
    let cases = case_dirs(&render);
    assert!(
        cases.len() >= MIN_CHARTS,
        "only {} charts in tests/render, expected at least {MIN_CHARTS}",
        cases.len()
    );
    let twin_problems: Vec<String> = cases.iter().flat_map(|c| check_twins(&render, c)).collect();
    assert!(
        twin_problems.is_empty(),
        "go/ and jinja/ charts must differ only in templates:\n{}",
        twin_problems.join("\n")
    );
    let mut runs = load_runs(&root, &cases);
    if let Ok(f) = std::env::var("RUDDER_DIFF_FILTER") {
        runs.retain(|r| r.id.contains(f.as_str()));
    }

    let Some(helm) = locate_helm(&root, &format!("{} render runs", runs.len())) else {
        return;
    };
    let helm_only = helm_only();
    let jobs = jobs();

    let tmp = TempDir::new("charts");
    let charts = tmp.0.join("charts");
    copy_dir(&render, &charts);
    for case in &cases {
        for side in ["go", "jinja"] {
            package_tgz_subcharts(&charts.join(case).join(side));
        }
    }
    let env = Env {
        root: root.clone(),
        charts,
        helm,
        rudder: (!helm_only).then(|| PathBuf::from(env!("CARGO_BIN_EXE_rudder"))),
        home: tmp.0.join("helm-home"),
        keep: std::env::temp_dir().join("rudder-render-diff"),
    };

    let failures = run_all(&runs, jobs, |run| {
        let helm_out = run_tool(&env, run, &env.helm, "go", true);
        let helm_checked = check_helm(run, &helm_out);
        let header = format!(
            "--- {} ({})\n  args: {}{}\n",
            run.id,
            run.location,
            if run.release == "rel" {
                String::new()
            } else {
                format!("[release {}] ", run.release)
            },
            quote_args(&run.args)
        );
        let Some(rudder) = &env.rudder else {
            let mut s = header.clone();
            match &helm_checked {
                Ok(()) => s.push_str(&helm_out.describe(true)),
                Err(e) => {
                    let _ = write!(s, "  RUN FILE PROBLEM: {e}\n{}", helm_out.describe(true));
                }
            }
            if let Some(tree) = &helm_out.tree {
                let _ = write!(s, "  output dir:\n{}", describe_tree(tree));
            }
            println!("{s}");
            return helm_checked.err().map(|e| format!("{header}  {e}\n"));
        };
        if let Err(e) = helm_checked {
            return Some(format!(
                "{header}  RUN FILE PROBLEM: {e}\n  helm:\n{}",
                helm_out.describe(true)
            ));
        }
        let rudder_out = run_tool(&env, run, rudder, "jinja", false);
        let problems = check_rudder(&env, run, &helm_out, &rudder_out);
        if problems.is_empty() {
            return None;
        }
        let mut report = header;
        for p in problems {
            let _ = writeln!(report, "  * {p}");
        }
        // Successful outputs are shown by the difference above.
        let _ = write!(
            report,
            "  helm:\n{}  rudder:\n{}",
            helm_out.describe(!helm_out.ok()),
            rudder_out.describe(!rudder_out.ok())
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
            "{report}\n{} of {} render runs failed (listed above)",
            failures.len(),
            runs.len()
        );
    }
    println!(
        "{} render runs over {} charts passed",
        runs.len(),
        cases.len()
    );
}
