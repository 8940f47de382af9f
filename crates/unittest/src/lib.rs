//! Run [helm-unittest](https://github.com/helm-unittest/helm-unittest)
//! test suites on rudder's renderer.
//!
//! A chart's `tests/*_test.yaml` files are read in helm-unittest's format
//! (`suite`, `templates`, `values`, `set`, `release`, `capabilities`,
//! `tests[].asserts`), each test renders the chart with
//! [`rudder_render::Engine`], and each assert is checked with
//! helm-unittest's semantics and failure text. Snapshots live where
//! helm-unittest keeps them (`tests/__snapshot__/<file>.snap`) in its
//! format, so a chart's existing snapshots keep working.
//!
//! Results come back as data ([`SuiteResult`]); printing them is the
//! caller's business ([`junit::to_xml`] renders JUnit XML).
#![forbid(unsafe_code)]

pub mod junit;
pub mod path;
mod run;
pub mod snapshot;
pub mod suite;
mod validate;
pub mod yaml3;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use snapshot::SnapshotCounts;

/// Everything that stops a suite file from running.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A suite file is not a valid helm-unittest suite.
    #[error("{path}: {at}{}{message}", if at.is_empty() { "" } else { ": " })]
    Suite {
        /// The suite file.
        path: PathBuf,
        /// Where in it (`tests[0].asserts[1]`).
        at: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A snapshot file is not in helm-unittest's format.
    #[error(
        "{path}: not a helm-unittest snapshot file: {message}; delete it and run with -u to write it anew"
    )]
    Snapshot {
        /// The `.snap` file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The chart could not be loaded.
    #[error(transparent)]
    Chart(#[from] rudder_render::Error),
}

/// One assert's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertResult {
    /// Its position in `asserts:`.
    pub index: usize,
    /// The assert type.
    pub kind: String,
    /// `not: true`.
    pub not: bool,
    /// Passed.
    pub passed: bool,
    /// Skipped (`documentSelector.skipEmptyTemplates` found nothing).
    pub skipped: bool,
    /// helm-unittest's failure lines (`Template:`, `DocumentIndex:`,
    /// `Path:`, `Expected …:`, `Actual:`, `Diff:`), tab-indented.
    pub fail_info: Vec<String>,
}

/// One test's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// `it`.
    pub name: String,
    /// Every assert passed.
    pub passed: bool,
    /// Skipped (`skip:`).
    pub skipped: bool,
    /// The render or the values failed (the asserts did not all run).
    pub error: Option<String>,
    /// The asserts, in order.
    pub asserts: Vec<AssertResult>,
    /// Time taken.
    pub duration: Duration,
}

/// One suite's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteResult {
    /// `suite`.
    pub name: String,
    /// The suite file.
    pub file: PathBuf,
    /// Every test passed (or was skipped).
    pub passed: bool,
    /// Every test was skipped.
    pub skipped: bool,
    /// The tests, in order.
    pub tests: Vec<TestResult>,
    /// Snapshot counts of the suite file (on its last suite).
    pub snapshots: SnapshotCounts,
    /// Time taken.
    pub duration: Duration,
}

/// A suite file that could not run, or the suites it ran.
pub type FileResult = Result<Vec<SuiteResult>, Error>;

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `-f`: suite file globs relative to the chart (helm-unittest's
    /// default is `tests/*_test.yaml`).
    pub files: Vec<String>,
    /// Look for suites here instead of the chart directory
    /// (`--tests-dir`); `-f` globs are relative to it.
    pub tests_dir: Option<PathBuf>,
    /// `-u`: rewrite snapshots that differ.
    pub update_snapshots: bool,
    /// Threads to run suite files on (0: one per core).
    pub jobs: usize,
}

/// The suite files `opts` selects for the chart at `chart_dir`, sorted.
pub fn suite_files(chart_dir: &Path, opts: &Options) -> Result<Vec<PathBuf>, Error> {
    let base = opts
        .tests_dir
        .clone()
        .unwrap_or_else(|| chart_dir.to_path_buf());
    let globs: Vec<String> = if opts.files.is_empty() {
        vec!["tests/*_test.yaml".into()]
    } else {
        opts.files.clone()
    };
    let mut out = Vec::new();
    for g in &globs {
        let pattern = glob_regex(g);
        for entry in walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if pattern.as_ref().is_some_and(|p| p.is_match(&rel))
                && !out.contains(&entry.path().to_path_buf())
            {
                out.push(entry.path().to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A `-f` glob (`*` within a folder, `**` across folders) as a regex.
fn glob_regex(glob: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let mut chars = glob.trim_start_matches("./").chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                    re.push_str("(?:.*/)?");
                } else {
                    re.push_str(".*");
                }
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).ok()
}

/// Runs the selected suite files of one chart, each file on a worker
/// thread (files are independent; suites in one file share its snapshot
/// file and run in order). Results come back in file order.
pub fn run_chart(chart_dir: &Path, opts: &Options) -> Result<Vec<(PathBuf, FileResult)>, Error> {
    let chart = rudder_render::Chart::load(chart_dir)?;
    let files = suite_files(chart_dir, opts)?;
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        opts.jobs
    }
    .min(files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<FileResult>>> =
        std::sync::Mutex::new((0..files.len()).map(|_| None).collect());
    // Each worker renders with its own engines; nothing is shared but the
    // loaded chart, so suites scale with cores once rendering does.
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let r = run::run_file(&chart, file, opts.update_snapshots);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    Ok(files
        .into_iter()
        .zip(results)
        .map(|(f, r)| {
            let r = r.unwrap_or_else(|| {
                Err(Error::Suite {
                    path: f.clone(),
                    at: String::new(),
                    message: "the suite did not run".into(),
                })
            });
            (f, r)
        })
        .collect())
}
