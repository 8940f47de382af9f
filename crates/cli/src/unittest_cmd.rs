//! `rudder unittest CHART…`: helm-unittest suites on rudder's renderer.
//!
//! The report follows `helm unittest`'s layout (a ` PASS `/` FAIL ` line
//! per suite, each failed test and assert with its expected/actual text,
//! the `Charts:`/`Test Suites:`/`Tests:`/`Snapshot:`/`Time:` summary) and
//! ends with `N passed, N failed` (tests), the line CI runners read. The
//! exit status is 1 when a test failed or a suite could not run.

use crate::Failure;
use anstyle::{AnsiColor, Style};
use rudder_unittest::{FileResult, Options, SuiteResult};
use std::io::Write;
use std::path::PathBuf;

/// `rudder unittest`'s flags (helm-unittest's names where it has them).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  rudder unittest ./mychart\n  rudder unittest -f 'tests/deployment_test.yaml' -u ./mychart\n  rudder unittest --tests-dir fixtures/unittest/bundled/dispatch charts/dispatch"
)]
pub(crate) struct UnittestArgs {
    /// Chart directories (or .tgz) whose suites to run.
    #[arg(required = true, value_name = "CHART")]
    charts: Vec<PathBuf>,
    /// Suite files to run, globs relative to the chart (or --tests-dir);
    /// default tests/*_test.yaml (repeatable).
    #[arg(short = 'f', long = "file", value_name = "GLOB")]
    files: Vec<String>,
    /// Read suites (and their snapshots) from this directory instead of
    /// the chart's; suite globs are relative to it.
    #[arg(long, value_name = "DIR")]
    tests_dir: Option<PathBuf>,
    /// Write snapshots that differ instead of failing.
    #[arg(short = 'u', long = "update-snapshot")]
    update_snapshot: bool,
    /// Also write a report in this format (JUnit).
    #[arg(short = 't', long = "output-type", value_name = "TYPE", value_parser = ["JUnit", "junit"])]
    output_type: Option<String>,
    /// Where the report goes (default: stdout, after the summary).
    #[arg(short = 'o', long = "output-file", value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Suite files run at once (default: one per core).
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Stop with an error when rudder needs more memory than this (e.g.
    /// 512M, 8G).
    #[arg(long, value_name = "SIZE", default_value = "4G",
          value_parser = crate::memory::parse_size)]
    pub(crate) max_memory: usize,
}

struct Paint {
    colour: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.colour {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
    fn red(&self, t: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), t)
    }
    fn bold(&self, t: &str) -> String {
        self.paint(Style::new().bold(), t)
    }
    fn faint(&self, t: &str) -> String {
        self.paint(Style::new().dimmed(), t)
    }
    fn label(&self, t: &str, bg: AnsiColor, fg: AnsiColor) -> String {
        self.paint(
            Style::new()
                .bg_color(Some(bg.into()))
                .fg_color(Some(fg.into())),
            t,
        )
    }
}

#[derive(Default)]
struct Count {
    passed: usize,
    failed: usize,
    skipped: usize,
    errored: usize,
}

impl Count {
    /// helm-unittest `testUnitCounting.sprint`.
    fn line(&self, p: &Paint) -> String {
        let mut out = String::new();
        if self.failed > 0 {
            out.push_str(&p.red(&format!("{} failed, ", self.failed)));
        }
        if self.errored > 0 {
            out.push_str(&format!("{} errored, ", self.errored));
        }
        if self.skipped > 0 {
            out.push_str(&format!(
                "{} passed, {} skipped, {} total",
                self.passed,
                self.skipped,
                self.passed + self.failed + self.skipped
            ));
        } else {
            out.push_str(&format!(
                "{} passed, {} total",
                self.passed,
                self.passed + self.failed
            ));
        }
        out
    }
}

fn print_suite(
    out: &mut dyn Write,
    p: &Paint,
    s: &SuiteResult,
    base: &std::path::Path,
) -> std::io::Result<()> {
    let label = if s.skipped {
        p.label(" SKIP ", AnsiColor::Yellow, AnsiColor::Black)
    } else if s.passed {
        p.label(" PASS ", AnsiColor::Green, AnsiColor::Black)
    } else {
        p.label(" FAIL ", AnsiColor::Red, AnsiColor::White)
    };
    let rel = s.file.strip_prefix(base).unwrap_or(&s.file);
    let dir = rel
        .parent()
        .map(|d| format!("{}/", d.display()))
        .unwrap_or_default();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    writeln!(out, "{label} {}\t{}{name}", p.bold(&s.name), p.faint(&dir))?;
    for t in &s.tests {
        if t.passed || t.skipped {
            continue;
        }
        if let Some(e) = t.error.as_ref().filter(|_| t.asserts.is_empty()) {
            writeln!(out, "\t{}", p.bold(&format!("- {}", t.name)))?;
            writeln!(out, "\t\t{}\n", p.bold(&format!("Error: {e}")))?;
            continue;
        }
        writeln!(out, "\t{}\n", p.red(&format!("- {}", t.name)))?;
        for a in t.asserts.iter().filter(|a| !a.passed) {
            let not = if a.not { " NOT" } else { "" };
            writeln!(
                out,
                "\t\t{}",
                p.red(&format!("- asserts[{}]{not} `{}` fail", a.index, a.kind))
            )?;
            for line in &a.fail_info {
                writeln!(out, "\t\t\t{line}")?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

pub(crate) fn run(a: &UnittestArgs, out: &mut dyn Write) -> Result<(), Failure> {
    // anstream's choice: a terminal, and neither NO_COLOR nor
    // CLICOLOR=0 set (CLICOLOR_FORCE forces colour).
    let colour = anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let p = Paint { colour };
    let opts = Options {
        files: a.files.clone(),
        tests_dir: a.tests_dir.clone(),
        update_snapshots: a.update_snapshot,
        jobs: a.jobs,
    };
    let start = std::time::Instant::now();
    let (mut charts, mut suites, mut tests, mut snaps) = (
        Count::default(),
        Count::default(),
        Count::default(),
        Count::default(),
    );
    let (mut snap_failed_suites, mut created, mut vanished) = (0, 0, 0);
    let mut all: Vec<SuiteResult> = Vec::new();
    for chart in &a.charts {
        // The suites of a chart run together, for seconds on a big chart.
        crate::progress::line(&format!("running the suites of {}…", chart.display()));
        let results: Vec<(PathBuf, FileResult)> = match rudder_unittest::run_chart(chart, &opts) {
            Ok(r) => r,
            Err(e) => {
                writeln!(out, "\n### {} {e}\n", p.red("Error: "))?;
                charts.failed += 1;
                continue;
            }
        };
        let name = rudder_render::Chart::load(chart)
            .map(|c| c.name().to_owned())
            .unwrap_or_default();
        writeln!(
            out,
            "\n### Chart [ {} ] {}\n",
            p.bold(&name),
            p.faint(&chart.display().to_string())
        )?;
        let base = opts.tests_dir.clone().unwrap_or_else(|| chart.clone());
        let mut chart_ok = true;
        for (file, r) in results {
            match r {
                Err(e) => {
                    chart_ok = false;
                    suites.failed += 1;
                    suites.errored += 1;
                    let rel = file.strip_prefix(&base).unwrap_or(&file);
                    writeln!(
                        out,
                        "{} {}",
                        p.label(" FAIL ", AnsiColor::Red, AnsiColor::White),
                        rel.display()
                    )?;
                    writeln!(out, "\t{}", p.bold("- Execution Error: "))?;
                    writeln!(out, "\t\t{e}\n")?;
                }
                Ok(list) => {
                    for s in list {
                        print_suite(out, &p, &s, &base)?;
                        if s.skipped {
                            suites.skipped += 1;
                        } else if s.passed {
                            suites.passed += 1;
                        } else {
                            suites.failed += 1;
                            chart_ok = false;
                            if s.snapshots.failed > 0 {
                                snap_failed_suites += 1;
                            }
                        }
                        for t in &s.tests {
                            if t.skipped {
                                tests.skipped += 1;
                            } else if t.passed {
                                tests.passed += 1;
                            } else {
                                tests.failed += 1;
                            }
                        }
                        let c = s.snapshots;
                        snaps.failed += usize::try_from(c.failed).unwrap_or(0);
                        snaps.passed +=
                            usize::try_from(c.total.saturating_sub(c.failed)).unwrap_or(0);
                        created += c.created;
                        vanished += c.vanished;
                        all.push(s);
                    }
                }
            }
        }
        if chart_ok {
            charts.passed += 1;
        } else {
            charts.failed += 1;
        }
    }
    let elapsed = start.elapsed();
    writeln!(
        out,
        "\nCharts:      {}\nTest Suites: {}\nTests:       {}\nSnapshot:    {}\nTime:        {:?}\n",
        charts.line(&p),
        suites.line(&p),
        tests.line(&p),
        snaps.line(&p),
        elapsed
    )?;
    if snaps.failed > 0 {
        writeln!(
            out,
            "Snapshot Summary: {} in {snap_failed_suites} test suite.{}\n",
            p.red(&format!("{} snapshot failed", snaps.failed)),
            p.faint(" Check changes and use `-u` to update snapshot.")
        )?;
    }
    if created > 0 || vanished > 0 {
        writeln!(out, "Snapshots: {created} written, {vanished} vanished\n")?;
    }
    let skipped = if tests.skipped > 0 {
        format!(", {} skipped", tests.skipped)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} passed, {} failed{skipped}",
        tests.passed,
        tests.failed + suites.errored
    )?;
    if a.output_type.is_some() {
        let refs: Vec<&SuiteResult> = all.iter().collect();
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into());
        let xml = rudder_unittest::junit::to_xml(&refs, &timestamp(), &host);
        match &a.output_file {
            Some(f) => std::fs::write(f, xml)
                .map_err(|e| Failure::Kubectl(format!("{}: {e}", f.display())))?,
            None => out.write_all(xml.as_bytes())?,
        }
    }
    if tests.failed > 0 || suites.failed > 0 || charts.failed > 0 {
        return Err(Failure::Exit(1));
    }
    Ok(())
}

/// Now, as JUnit's `timestamp` (UTC, seconds).
fn timestamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}
