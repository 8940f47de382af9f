//! `--post-renderer PATH [--post-renderer-args ARG]…`: an executable that
//! reads the rendered stream on stdin and writes the stream to use on
//! stdout (Helm 3's post-renderer; Helm 4 runs a `postrenderer/v1` plugin
//! by name, which passes the same stream to the same kind of program).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::Failure;

/// The program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PostRenderer {
    pub(crate) program: PathBuf,
    pub(crate) args: Vec<String>,
}

/// Runs the post-renderer on `stream` and returns what it printed. A
/// program that cannot start, fails, or prints nothing is an error naming
/// it, its exit status and its stderr.
pub(crate) fn run(p: &PostRenderer, stream: &str) -> Result<String, Failure> {
    let at = format!("--post-renderer {}", p.program.display());
    let fail = |message: String| Failure::Command {
        at: at.clone(),
        message,
    };
    let mut child = Command::new(&p.program)
        .args(&p.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            fail(if e.kind() == std::io::ErrorKind::NotFound {
                "no such program; give the path of an executable that reads manifests on stdin and writes them to stdout".to_owned()
            } else {
                format!("cannot run it: {e}")
            })
        })?;
    // Write on a thread: a program that prints while it reads would block
    // on a full stdout pipe while rudder blocks on its full stdin pipe.
    let mut stdin = child.stdin.take();
    let input = stream.to_owned();
    let writer = std::thread::spawn(move || {
        if let Some(pipe) = stdin.as_mut() {
            // A program may stop reading early; its exit status says why.
            let _ = pipe.write_all(input.as_bytes());
        }
    });
    let mut stderr = String::new();
    let mut errs = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(e) = errs.as_mut() {
            let _ = e.read_to_string(&mut text);
        }
        text
    });
    let mut stdout = Vec::new();
    if let Some(o) = child.stdout.as_mut() {
        o.read_to_end(&mut stdout)
            .map_err(|e| fail(format!("reading its output: {e}")))?;
    }
    let status = child
        .wait()
        .map_err(|e| fail(format!("waiting for it: {e}")))?;
    let _ = writer.join();
    if let Ok(text) = reader.join() {
        stderr = text;
    }
    let stderr = stderr.trim();
    if !status.success() {
        let how = status.code().map_or_else(
            || "was killed by a signal".to_owned(),
            |c| format!("exited with status {c}"),
        );
        let tail = if stderr.is_empty() {
            String::new()
        } else {
            format!(": {stderr}")
        };
        return Err(fail(format!("{how}{tail}")));
    }
    let text =
        String::from_utf8(stdout).map_err(|_| fail("its output is not UTF-8 text".to_owned()))?;
    if text.trim().is_empty() {
        // Helm: `post-renderer %q produced empty output`.
        return Err(fail("produced empty output".to_owned()));
    }
    Ok(text)
}

/// `--post-renderer` with `--output-dir`: refused (rudder post-renders the
/// printed stream; Helm splits the post-rendered stream back into files).
pub(crate) fn with_output_dir() -> Failure {
    Failure::Command {
        at: "--post-renderer".to_owned(),
        message:
            "cannot be combined with --output-dir in rudder; post-render the printed stream instead"
                .to_owned(),
    }
}
