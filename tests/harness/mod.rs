//! Shared by the differential suites (`differential.rs`, values;
//! `render_differential.rs`, templates): fixture copies, `.tgz` subcharts
//! packed at test time, temporary directories, parallel runs.
#![allow(dead_code, unreachable_pub)]

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} [... {} more bytes]", &s[..end], s.len() - end)
}

pub fn workspace_root() -> PathBuf {
    // CARGO_MANIFEST_DIR is crates/cli.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Reads `name:` and `version:` from a Chart.yaml (top-level keys only).
pub fn chart_name_version(chart_dir: &Path) -> (String, String) {
    let text = std::fs::read_to_string(chart_dir.join("Chart.yaml")).expect("read Chart.yaml");
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_else(|| panic!("{key} missing in {}", chart_dir.display()))
    };
    (field("name:"), field("version:"))
}

/// Replaces every `charts/X.tgz-src` directory below `dir` by a packaged
/// `charts/NAME-VERSION.tgz`.
pub fn package_tgz_subcharts(dir: &Path) {
    let charts = dir.join("charts");
    let Ok(entries) = std::fs::read_dir(&charts) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if !path.is_dir() {
            continue;
        }
        package_tgz_subcharts(&path);
        let file_name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if !file_name.ends_with(".tgz-src") {
            continue;
        }
        let (name, version) = chart_name_version(&path);
        let staging = charts.join(format!(".staging-{name}"));
        std::fs::create_dir_all(&staging).expect("staging dir");
        std::fs::rename(&path, staging.join(&name)).expect("move subchart");
        let archive = charts.join(format!("{name}-{version}.tgz"));
        let status = Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(&staging)
            .arg(&name)
            .status()
            .expect("run tar");
        assert!(status.success(), "tar failed for {}", archive.display());
        std::fs::remove_dir_all(&staging).expect("remove staging dir");
    }
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "rudder-render-{label}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn quote_args(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            shlex::try_quote(a)
                .map(|q| q.into_owned())
                .unwrap_or_else(|_| format!("{a:?}"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn run_all<T: Sync, F>(runs: &[T], jobs: usize, f: F) -> Vec<(usize, String)>
where
    F: Fn(&T) -> Option<String> + Sync,
{
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(run) = runs.get(i) else { break };
                    if let Some(report) = f(run) {
                        results.lock().expect("results lock").push((i, report));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results lock");
    results.sort_by_key(|(i, _)| *i);
    results
}

/// The reference helm: `RUDDER_HELM`, else `<root>/.tools/bin/helm`.
/// Missing, the test fails with the install hint, unless
/// `RUDDER_SKIP_HELM=1`: then it says what it skipped (`skipped`, e.g.
/// "871 differential cases") and returns `None`.
pub fn locate_helm(root: &Path, skipped: &str) -> Option<PathBuf> {
    let helm = std::env::var_os("RUDDER_HELM")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".tools/bin/helm"));
    if helm.is_file() {
        return Some(helm);
    }
    if std::env::var("RUDDER_SKIP_HELM").is_ok_and(|v| v == "1") {
        println!(
            "SKIPPED: helm not found at {} (RUDDER_SKIP_HELM=1); {skipped} not run",
            helm.display()
        );
        return None;
    }
    panic!(
        "helm not found at {}: run scripts/install-helm.sh (or set RUDDER_HELM, \
         or RUDDER_SKIP_HELM=1 to skip the differential tests)",
        helm.display()
    );
}

/// `RUDDER_DIFF_HELM_ONLY=1`: run helm only, to explore its behaviour.
pub fn helm_only() -> bool {
    std::env::var("RUDDER_DIFF_HELM_ONLY").is_ok_and(|v| v == "1")
}

/// `RUDDER_DIFF_JOBS`: parallel runs (default 4).
pub fn jobs() -> usize {
    std::env::var("RUDDER_DIFF_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(4)
}

/// How a process ended.
pub struct Exit {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub timed_out: bool,
}

/// Runs `cmd` in `cwd`, feeding `stdin` (or none), collecting both outputs,
/// killing it after `timeout`.
pub fn run_process(mut cmd: Command, cwd: &Path, stdin: Option<&[u8]>, timeout: Duration) -> Exit {
    cmd.current_dir(cwd)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn process");
    let feeder = stdin.map(|data| {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let data = data.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        })
    });
    let read_all = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let out_reader = read_all(Box::new(child.stdout.take().expect("stdout pipe")));
    let err_reader = read_all(Box::new(child.stderr.take().expect("stderr pipe")));
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    Exit {
        code: status.code(),
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
        timed_out,
    }
}
