//! `rudder init`, `rudder apply`, `rudder test`: render, then pipe the stream
//! to `kubectl apply -f -` (or print it with `--dry-run`).

use std::io::Write;
use std::process::{Command, Stdio};

use rudder_render::{Rendered, StreamOptions};

use crate::Failure;
use crate::args::{Kubectl, Release};

pub(crate) fn run(
    release: &Release,
    kubectl: &Kubectl,
    dry_run: bool,
    tests_only: bool,
    create_namespace: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let rendered = crate::release::render(release, err)?;
    let mut stream = String::new();
    if create_namespace {
        // `kubectl apply` creates objects in order: the namespace first.
        stream.push_str(&namespace_document(&release.render.namespace));
    }
    stream.push_str(&body(&rendered, &release.stream, tests_only)?);
    if dry_run {
        out.write_all(stream.as_bytes())?;
        return Ok(());
    }
    apply(kubectl, &stream)
}

fn namespace_document(ns: &str) -> String {
    format!(
        "---\n# Source: rudder/namespace.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"
    )
}

/// The release's stream, or only its test hooks.
fn body(rendered: &Rendered, stream: &StreamOptions, tests_only: bool) -> Result<String, Failure> {
    if !tests_only {
        return Ok(rendered.stream(stream)?);
    }
    let tests: Vec<_> = rendered.hooks.iter().filter(|h| h.is_test()).collect();
    if tests.is_empty() {
        return Err(Failure::Command {
            at: "rudder test".to_owned(),
            message: "the chart has no test hooks (objects annotated `helm.sh/hook: test`)"
                .to_owned(),
        });
    }
    Ok(tests
        .iter()
        .map(|h| {
            format!(
                "---\n# Source: {}\n{}\n",
                h.manifest.source, h.manifest.text
            )
        })
        .collect())
}

/// Runs `kubectl [--context C] [--kubeconfig F] apply -f -` with the stream
/// on stdin. kubectl's output and exit status reach the user unchanged.
fn apply(kubectl: &Kubectl, stream: &str) -> Result<(), Failure> {
    let mut cmd = Command::new(&kubectl.program);
    if let Some(c) = &kubectl.context {
        cmd.args(["--context", c]);
    }
    if let Some(k) = &kubectl.kubeconfig {
        cmd.args(["--kubeconfig", k]);
    }
    cmd.args(["apply", "-f", "-"]).stdin(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| {
        let program = kubectl.program.display();
        Failure::Kubectl(if e.kind() == std::io::ErrorKind::NotFound {
            format!("{program} not found: install kubectl, or pass its path with --kubectl (or print the stream with --dry-run)")
        } else {
            format!("cannot run {program}: {e}")
        })
    })?;
    if let Some(mut stdin) = child.stdin.take() {
        // kubectl may exit early (bad context); its status tells why.
        let _ = stdin.write_all(stream.as_bytes());
    }
    let status = child
        .wait()
        .map_err(|e| Failure::Kubectl(format!("waiting for kubectl: {e}")))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(Failure::Exit(u8::try_from(code).unwrap_or(1))),
        None => Err(Failure::Kubectl(
            "kubectl was killed by a signal".to_owned(),
        )),
    }
}
