//! `rudder test`: what `helm test` does (pkg/action/release_testing.go,
//! pkg/cmd/release_testing.go) for a release installed with `rudder
//! apply`: render the chart's `helm.sh/hook: test` objects, run them one
//! by one in weight order (each deleted first by its policy, created,
//! waited for up to `--timeout`), print the release's test suite as
//! `helm test` does, the pods' logs with `--logs`, then delete by policy.
//! Exits 1 when a test failed.

use std::io::Write;
use std::time::Duration;

use rudder_render::StreamOptions;

use crate::Failure;
use crate::args::{Kubectl, Release};
use crate::hook_exec::{self, Execution, Phase};
use crate::hooks::{self, Doc};
use crate::kube::{Kube, Out};

/// `rudder test`'s own flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TestOptions {
    pub(crate) dry_run: bool,
    pub(crate) timeout: Duration,
    /// `--logs`: print the test pods' logs after the results.
    pub(crate) logs: bool,
    /// `--filter name=N` (run only these) and `--filter '!name=N'` (skip).
    pub(crate) only: Vec<String>,
    pub(crate) skip: Vec<String>,
}

pub(crate) fn run(
    release: &Release,
    kubectl: &Kubectl,
    opts: &TestOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let rendered = crate::release::render(release, err)?;
    let stream = rendered.stream(&StreamOptions {
        no_hooks: false,
        skip_tests: false,
        ..release.stream.clone()
    })?;
    let (stream, post_rendered) = match &release.post_renderer {
        Some(p) => (crate::post_render::run(p, &stream)?, true),
        None => (stream, false),
    };
    let docs: Vec<Doc> = hooks::documents_of_stream(&stream, post_rendered)?
        .into_iter()
        .filter(|d| d.hook.as_ref().is_some_and(hooks::HookInfo::is_test))
        .filter(|d| !opts.skip.contains(&d.name))
        .filter(|d| opts.only.is_empty() || opts.only.contains(&d.name))
        .collect();
    let ns = release.render.namespace.as_str();
    // Helm's run order: by weight, then name.
    let order = hooks::hooks_of(&docs, "test");
    if opts.dry_run {
        if order.is_empty() {
            crate::warn(
                err,
                "the chart has no test hooks (objects annotated `helm.sh/hook: test`)",
            )?;
        }
        for (i, d) in order.iter().enumerate() {
            let how = crate::apply_cmd::describe_hook("test", d, ns, opts.timeout);
            writeln!(out, "# Step {} of {}: {how}", i + 1, order.len())?;
            out.write_all(d.printed().as_bytes())?;
        }
        return Ok(());
    }
    let kube = Kube {
        kubectl,
        out: Out::Stderr,
    };
    let (done, result) = hook_exec::run(&kube, &order, ns, opts.timeout);
    report(release, &docs, &order, &done, out)?;
    let logs = if opts.logs {
        writeln!(out)?;
        print_logs(&kube, &order, &done, ns, out)
    } else {
        Ok(())
    };
    // Helm deletes by policy after the logs are read, before it exits.
    let cleaned = hook_exec::shutdown(&kube, &order, &done, ns, opts.timeout);
    result?;
    logs?;
    cleaned
}

/// `helm test`'s status: the release, then each test that was started,
/// in the chart's (kind) order. rudder keeps no release record, so the
/// record's LAST DEPLOYED, STATUS, REVISION and DESCRIPTION are left out.
fn report(
    release: &Release,
    docs: &[Doc],
    order: &[&Doc],
    done: &[Execution],
    out: &mut dyn Write,
) -> Result<(), Failure> {
    writeln!(out, "NAME: {}", release.render.release_name)?;
    writeln!(out, "NAMESPACE: {}", release.render.namespace)?;
    if docs.is_empty() {
        writeln!(out, "TEST SUITE: None")?;
        return Ok(());
    }
    // Go's time.ANSIC, in local time.
    let ansic = |t: &jiff::Zoned| t.strftime("%a %b %e %H:%M:%S %Y").to_string();
    for d in docs {
        let Some(e) = done.iter().find(|e| std::ptr::eq(order[e.index], d)) else {
            continue;
        };
        let phase = match e.phase {
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        };
        writeln!(
            out,
            "TEST SUITE:     {}\nLast Started:   {}\nLast Completed: {}\nPhase:          {phase}",
            d.name,
            ansic(&e.started),
            ansic(&e.completed)
        )?;
    }
    Ok(())
}

/// `--logs`: `POD LOGS: NAME`, the logs, a blank line, for each test that
/// ran, in run order (Helm's `GetPodLogs`; a Job's logs are its pods').
fn print_logs(
    kube: &Kube<'_>,
    order: &[&Doc],
    done: &[Execution],
    ns: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    for e in done {
        let d = order[e.index];
        let target = match d.kind.as_str() {
            "Job" => format!("job/{}", d.name),
            "Pod" => format!("pod/{}", d.name),
            _ => continue,
        };
        let logs = kube
            .capture(&["logs", "-n", hook_exec::namespace(d, ns), &target])?
            .map_err(|stderr| Failure::Command {
                at: format!("--logs {target}"),
                message: format!("unable to get pod logs: {stderr}"),
            })?;
        writeln!(out, "POD LOGS: {}", d.name)?;
        out.write_all(logs.as_bytes())?;
        writeln!(out)?;
    }
    Ok(())
}
