//! rudder under an address-space limit (`ulimit -v`, as shared CI runners
//! and hosts set it), issue 20: renders run on a stack that fits, and what
//! does not fit ends in a clear message and status 1 — never a panic, an
//! abort or a signal.

#[path = "common/mod.rs"]
mod common;

use std::process::{Command, Stdio};

/// Runs `rudder ARGS` from the workspace root under `ulimit -v KIB`.
fn limited(kib: u64, args: &[&str]) -> common::Run {
    let script = format!("ulimit -v {kib} && exec \"$0\" \"$@\"");
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", common::PINNED_EPOCH)
        .current_dir(common::root())
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    common::Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// No trace of Rust's panic or allocation-failure output.
fn assert_no_crash(run: &common::Run) {
    for crash in ["panicked", "RUST_BACKTRACE", "memory allocation of"] {
        assert!(!run.stderr.contains(crash), "{crash}:\n{}", run.stderr);
    }
    assert!(run.code.is_some(), "killed by a signal:\n{}", run.stderr);
}

#[test]
fn a_small_chart_renders_in_256_mib() {
    let run = limited(256 << 10, &["template", "x", "fixtures/charts/small-app"]);
    assert_no_crash(&run);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        common::rudder(&["template", "x", "fixtures/charts/small-app"]).stdout
    );
}

#[test]
fn the_bundled_charts_render_in_512_mib_as_without_a_limit() {
    for (release, chart, ns) in [
        ("dispatch", "charts/dispatch", "dispatch"),
        ("isd", "charts/isd", "opsmx"),
    ] {
        let args = ["template", release, chart, "-n", ns, "--seed", "1"];
        let run = limited(512 << 10, &args);
        assert_no_crash(&run);
        assert_eq!(run.code, Some(0), "{chart}: {}", run.stderr);
        let free = common::rudder_pinned(&args);
        assert!(
            run.stdout == free.stdout,
            "{chart}: the limit changed the render"
        );
    }
}

#[test]
fn memory_the_system_refuses_is_a_clear_error() {
    // An endless values file, and a string doubled until it cannot grow.
    for args in [
        &[
            "template",
            "x",
            "fixtures/charts/small-app",
            "-f",
            "/dev/zero",
        ][..],
        &["template", "x", "fixtures/unbounded/doubling"][..],
    ] {
        let run = limited(256 << 10, args);
        assert_no_crash(&run);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("Error: ")
                && (run.stderr.contains("refused rudder more memory")
                    || run.stderr.contains("--max-memory")),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn running_out_of_a_smaller_stack_is_a_clear_error() {
    let run = limited(
        256 << 10,
        &["template", "x", "fixtures/unbounded/self-namespace"],
    );
    assert_no_crash(&run);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("ran out of stack"), "{}", run.stderr);
}

/// Peak resident memory of `rudder ARGS`, in KiB, as the kernel counts it
/// (`getrusage` through Python's standard library, on every CI machine).
fn peak_kib(args: &[&str]) -> (Option<i32>, u64) {
    let probe = "import resource, subprocess, sys\n\
                 code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n\
                 print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)";
    let out = Command::new("python3")
        .arg("-c")
        .arg(probe)
        .arg(env!("CARGO_BIN_EXE_rudder"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace();
    let code = words.next().and_then(|c| c.parse().ok());
    let kib = words.next().and_then(|k| k.parse().ok()).expect("a peak");
    (code, kib)
}

#[test]
fn max_memory_bounds_the_stack_too() {
    // A namespace printed inside itself recurses until the stack is gone:
    // with a 1 GiB stack that was 1.4 GiB resident under --max-memory 256M.
    let (code, kib) = peak_kib(&[
        "template",
        "x",
        "fixtures/unbounded/self-namespace",
        "--max-memory",
        "256M",
    ]);
    assert_eq!(code, Some(1));
    assert!(kib < (256 + 64) << 10, "peak {kib} KiB");
}
