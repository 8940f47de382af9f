//! Go-template differential suite: Helm charts (Go `text/template`)
//! rendered unmodified by `helm template` and by `rudder template`, byte
//! for byte.
//!
//! Charts: every `tests/go_templates/CASE/` (a chart with a `runs` file),
//! and every `tests/render/CASE/go/` chart with that case's `runs` (the
//! Go twins the Jinja suite compares against; rudder now renders them
//! directly). Runs are `NAME: [@ANNOTATION]... ARGS` lines, as in
//! `tests/render_differential.rs`:
//!
//! * no annotation: both tools succeed with identical stdout;
//! * `@error`: both fail, rudder with exit code 1, and the first
//!   `FILE:LINE` either names in its error (Helm's location of the failing
//!   action or parse error) is the same;
//! * `@set-int=HELM:RUDDER`: the documented difference: a `--set` integer
//!   is an int64 in Helm and a float64 in rudder's Go dialect (`1000000`
//!   vs `1e+06`); rudder's output is compared after replacing `HELM`;
//! * runs of `tests/render` that use `OUTDIR`, `@stricter` or `@usage` are skipped
//!   here (the Jinja suite covers them).
//!
//! `RUDDER_HELM` names the helm binary (default `.tools/bin/helm`);
//! `RUDDER_SKIP_HELM=1` skips the suite when helm is missing;
//! `RUDDER_DIFF_FILTER=TEXT` runs only matching `CASE/NAME`s.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "test harness: the report goes to the terminal"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[path = "harness/mod.rs"]
mod harness;
use harness::*;

const TIMEOUT: Duration = Duration::from_secs(60);
/// The suite's own charts must not silently disappear.
const MIN_OWN_CASES: usize = 10;
/// Runs of `tests/render` whose difference is documented (README, "Where
/// rudder deliberately differs"): `--set` integers are int64 in Helm and
/// float64 in rudder's Go dialect.
const KNOWN: &[&str] = &["render/printing/set-ints"];

struct Run {
    id: String,
    chart: PathBuf,
    error: bool,
    set_int: Option<(String, String)>,
    args: Vec<String>,
}

fn parse_runs(id_prefix: &str, chart: &Path, text: &str, from_render: bool) -> Vec<Run> {
    let mut runs = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, rest) = line.split_once(':').expect("NAME: ARGS");
        let words = shlex::split(rest).expect("shell words");
        let mut error = false;
        let mut set_int = None;
        let mut skip = false;
        let mut args = Vec::new();
        for w in words {
            if let Some(a) = w.strip_prefix('@').filter(|_| args.is_empty()) {
                match a.split_once('=') {
                    None if a == "error" => error = true,
                    Some(("set-int", v)) => {
                        let (h, r) = v.split_once(':').expect("@set-int=HELM:RUDDER");
                        set_int = Some((h.to_owned(), r.to_owned()));
                    }
                    // The Jinja suite's float difference does not exist in
                    // the Go dialect: those runs must match exactly.
                    Some(("float", _)) if from_render => {}
                    _ if from_render => skip = true,
                    _ => panic!("{id_prefix}/{name}: unknown annotation @{a}"),
                }
                continue;
            }
            if w.contains("OUTDIR") {
                skip = true;
            }
            args.push(w);
        }
        if !skip {
            runs.push(Run {
                id: format!("{id_prefix}/{}", name.trim()),
                chart: chart.to_owned(),
                error,
                set_int,
                args,
            });
        }
    }
    runs
}

fn collect(root: &Path) -> (Vec<Run>, usize) {
    let mut runs = Vec::new();
    let mut own = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("tests/go_templates"))
        .expect("tests/go_templates")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("runs").is_file())
        .collect();
    dirs.sort();
    for d in dirs {
        own += 1;
        let case = d.file_name().expect("name").to_string_lossy().into_owned();
        let text = std::fs::read_to_string(d.join("runs")).expect("runs");
        runs.extend(parse_runs(&case, &d, &text, false));
    }
    let mut render: Vec<PathBuf> = std::fs::read_dir(root.join("tests/render"))
        .expect("tests/render")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("go").is_dir() && p.join("runs").is_file())
        .collect();
    render.sort();
    for d in render {
        let case = d.file_name().expect("name").to_string_lossy().into_owned();
        let text = std::fs::read_to_string(d.join("runs")).expect("runs");
        runs.extend(parse_runs(
            &format!("render/{case}"),
            &d.join("go"),
            &text,
            true,
        ));
    }
    (runs, own)
}

/// Every `FILE:LINE` an error text names, in order of appearance (Helm:
/// `parse error at (c/templates/x.yaml:3)`, `c/templates/x.yaml:3:10`,
/// `template: c/templates/x.yaml:3:10: …`; a Jinja chart's helper error:
/// `c/templates/_h.tpl (in name, line 3)`, `included from: c/templates/x.yaml:9`).
fn locations(text: &str) -> Vec<String> {
    let word = |c: char| c.is_ascii_alphanumeric() || "_.-/".contains(c);
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let mut found: Vec<(usize, String)> = Vec::new();
    for ext in [".yaml", ".yml", ".tpl", ".txt", ".json"] {
        for (at, _) in text.match_indices(ext) {
            let after = &text[at + ext.len()..];
            let line = if let Some(rest) = after.strip_prefix(':') {
                &rest[..digits(rest)]
            } else if let Some(rest) = after.strip_prefix(" (in ") {
                // `(in NAME, line N)`
                rest.split_once(", line ")
                    .map_or("", |(_, r)| &r[..digits(r)])
            } else {
                ""
            };
            if line.is_empty() {
                continue;
            }
            let start = text[..at]
                .char_indices()
                .rev()
                .take_while(|(_, c)| word(*c))
                .last()
                .map_or(at, |(i, _)| i);
            found.push((start, format!("{}:{line}", &text[start..at + ext.len()])));
        }
    }
    found.sort();
    found.into_iter().map(|(_, l)| l).collect()
}

/// The first `FILE:LINE` in an error text.
fn first_location(text: &str) -> Option<String> {
    locations(text).into_iter().next()
}

/// Where `run`'s chart is in the test's copy, and where `rudder convert`
/// writes its rudder chart.
fn chart_paths(tmp: &Path, run: &Run) -> (PathBuf, PathBuf) {
    let rel = run
        .chart
        .strip_prefix(workspace_root())
        .unwrap_or(&run.chart);
    (tmp.join(rel), tmp.join("converted").join(rel))
}

/// Converts `chart` into `out` with `rudder convert`: `Ok(true)` when it
/// did, `Ok(false)` when it refused with exit 1 (a template that does not
/// parse), `Err` on anything else.
fn convert(rudder: &Path, chart: &Path, out: &Path) -> Result<bool, String> {
    let mut c = Command::new(rudder);
    c.arg("convert").arg(chart).arg(out);
    let r = run_process(c, &workspace_root(), None, TIMEOUT);
    match r.code {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        code => Err(format!(
            "rudder convert exit {code:?}: {}",
            String::from_utf8_lossy(&r.stderr)
        )),
    }
}

fn run_one(helm: &Path, rudder: &Path, tmp: &Path, run: &Run) -> Result<(), String> {
    let (chart, converted) = chart_paths(tmp, run);
    let cmd_on = |program: &Path, chart: &Path| {
        let mut c = Command::new(program);
        c.arg("template").arg("rel").arg(chart).args(&run.args);
        c
    };
    let cmd = |program: &Path| cmd_on(program, &chart);
    let root = workspace_root();
    let h = run_process(cmd(helm), &root, None, TIMEOUT);
    let r = run_process(cmd(rudder), &root, None, TIMEOUT);
    // The same run on the chart `rudder convert` wrote (None: convert
    // refused the chart with exit 1).
    let c = converted
        .is_dir()
        .then(|| run_process(cmd_on(rudder, &converted), &root, None, TIMEOUT));
    let (h_ok, r_ok) = (h.code == Some(0), r.code == Some(0));
    let h_err = String::from_utf8_lossy(&h.stderr).into_owned();
    let r_err = String::from_utf8_lossy(&r.stderr).into_owned();
    if run.error {
        if h_ok {
            return Err("helm succeeded where @error expects a failure".to_owned());
        }
        if r.code != Some(1) {
            return Err(format!(
                "rudder exit {:?}, want 1\n  stderr: {}",
                r.code,
                truncate(&r_err, 600)
            ));
        }
        let (hl, rl) = (first_location(&h_err), first_location(&r_err));
        // A converted chart fails as the original does (exit 1), and names
        // Helm's location: its Jinja keeps every node on its Go line. An
        // error in a helper is reported at the helper (a Jinja chart's
        // rule), with the include call's line as Helm's first location.
        if let Some(c) = &c {
            if c.code != Some(1) {
                return Err(format!(
                    "converted chart: rudder exit {:?}, want 1\n  stdout: {}",
                    c.code,
                    truncate(&String::from_utf8_lossy(&c.stdout), 600)
                ));
            }
            let c_err = String::from_utf8_lossy(&c.stderr);
            let (h_all, c_all) = (locations(&h_err), locations(&c_err));
            // Helm's chain ends at the cause (a helper's line): the
            // converted chart reports that first.
            let cause = (h_all.len() > 1).then(|| h_all.last()).flatten();
            let missing = hl.as_ref().filter(|hl| !c_all.contains(hl));
            let wrong_cause = cause.filter(|c| c_all.first() != Some(c));
            if let Some(want) = missing.or(wrong_cause) {
                return Err(format!(
                    "converted chart's error does not name helm's {want}\n  helm:      {}\n  converted: {}",
                    truncate(&h_err, 600),
                    truncate(&c_err, 600)
                ));
            }
        }
        if hl != rl {
            return Err(format!(
                "error location differs: helm {hl:?}, rudder {rl:?}\n  helm:   {}\n  rudder: {}",
                truncate(&h_err, 600),
                truncate(&r_err, 600)
            ));
        }
        return Ok(());
    }
    if !h_ok {
        return Err(format!("helm failed: {}", truncate(&h_err, 600)));
    }
    if !r_ok {
        return Err(format!("rudder failed: {}", truncate(&r_err, 900)));
    }
    let mut want = String::from_utf8_lossy(&h.stdout).into_owned();
    if let Some((helm_text, rudder_text)) = &run.set_int {
        if !want.contains(helm_text.as_str()) {
            return Err(format!("@set-int: helm's output lacks {helm_text:?}"));
        }
        want = want.replace(helm_text.as_str(), rudder_text);
    }
    let got = String::from_utf8_lossy(&r.stdout).into_owned();
    compare(&want, &got, "rudder")?;
    let Some(c) = c else {
        return Err("rudder convert refused a chart helm renders".to_owned());
    };
    if c.code != Some(0) {
        return Err(format!(
            "converted chart failed: {}",
            truncate(&String::from_utf8_lossy(&c.stderr), 900)
        ));
    }
    compare(&want, &String::from_utf8_lossy(&c.stdout), "converted")
}

/// Helm's stdout `want` against `got`, with the first differing lines.
fn compare(want: &str, got: &str, who: &str) -> Result<(), String> {
    if want != got {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
        let w: Vec<&str> = want.lines().skip(line).take(3).collect();
        let g: Vec<&str> = got.lines().skip(line).take(3).collect();
        return Err(format!(
            "{who} stdout differs at line {}:\n  helm:   {:?}\n  {who}: {:?}",
            line + 1,
            w,
            g
        ));
    }
    Ok(())
}

#[test]
fn go_templates_render_as_helm_does() {
    let root = workspace_root();
    let Some(helm) = locate_helm(&root, "go_templates") else {
        return;
    };
    let rudder = PathBuf::from(env!("CARGO_BIN_EXE_rudder"));
    let (mut runs, own) = collect(&root);
    assert!(
        own >= MIN_OWN_CASES,
        "only {own} cases in tests/go_templates"
    );
    runs.retain(|r| !KNOWN.contains(&r.id.as_str()));
    if let Ok(f) = std::env::var("RUDDER_DIFF_FILTER") {
        runs.retain(|r| r.id.contains(&f));
    }
    let tmp = TempDir::new("go-templates");
    for dir in ["tests/go_templates", "tests/render"] {
        copy_dir(&root.join(dir), &tmp.0.join(dir));
    }
    // Packaged subcharts are made at test time, as in the other suites.
    let mut stack = vec![tmp.0.clone()];
    while let Some(d) = stack.pop() {
        if d.join("Chart.yaml").is_file() {
            package_tgz_subcharts(&d);
        }
        if let Ok(entries) = std::fs::read_dir(&d) {
            stack.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir() && !p.ends_with("templates")),
            );
        }
    }
    // `rudder convert` on every chart: each run is checked again on the
    // rudder chart it writes.
    let mut charts: Vec<(PathBuf, PathBuf)> = runs.iter().map(|r| chart_paths(&tmp.0, r)).collect();
    charts.sort();
    charts.dedup();
    let mut refused = Vec::new();
    for (chart, out) in &charts {
        match convert(&rudder, chart, out) {
            Ok(true) => {}
            Ok(false) => refused.push(chart.clone()),
            Err(e) => panic!("{}: {e}", chart.display()),
        }
    }
    let failures = run_all(&runs, jobs(), |run| {
        run_one(&helm, &rudder, &tmp.0, run).err()
    });
    let report: Vec<String> = failures
        .iter()
        .map(|(i, msg)| format!("{}: {msg}", runs[*i].id))
        .collect();
    println!(
        "{} runs, {} failed; {} charts converted, {} refused by convert",
        runs.len(),
        report.len(),
        charts.len() - refused.len(),
        refused.len()
    );
    assert!(report.is_empty(), "{}", report.join("\n\n"));
}
