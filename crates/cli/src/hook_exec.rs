//! Running the hooks of one event as Helm's `execHookWithDelayedShutdown`
//! (pkg/action/hooks.go) does: one at a time in weight order, each deleted
//! first when its policy says `before-hook-creation`, created, and waited
//! for (Jobs until complete, Pods until succeeded); the first failure
//! stops the event. Deletions by `hook-succeeded`/`hook-failed` happen
//! afterwards, in [`shutdown`], so that `rudder test --logs` can read the
//! pods first.

use std::time::Duration;

use crate::Failure;
use crate::hooks::{BEFORE_HOOK_CREATION, Doc, HOOK_FAILED, HOOK_SUCCEEDED};
use crate::kube::{Kube, Object, go_duration};

/// Helm's `HookPhase` of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Succeeded,
    Failed,
}

/// One hook that was started.
#[derive(Debug, Clone)]
pub(crate) struct Execution {
    /// Index into the hooks given to [`run`].
    pub(crate) index: usize,
    pub(crate) started: jiff::Zoned,
    pub(crate) completed: jiff::Zoned,
    pub(crate) phase: Phase,
}

/// The namespace kubectl addresses a hook in: its own, else the release's
/// (Helm builds hook objects with the release namespace as default).
pub(crate) fn namespace<'a>(doc: &'a Doc, release_ns: &'a str) -> &'a str {
    doc.namespace.as_deref().unwrap_or(release_ns)
}

fn object<'a>(doc: &'a Doc, release_ns: &'a str) -> Object<'a> {
    Object {
        kind: &doc.kind,
        name: &doc.name,
        namespace: namespace(doc, release_ns),
    }
}

/// `kubectl delete` of one hook, waiting until it is gone (Helm's
/// `deleteHookByPolicy`); CustomResourceDefinitions are never deleted.
pub(crate) fn delete(
    kube: &Kube<'_>,
    doc: &Doc,
    release_ns: &str,
    timeout: Duration,
) -> Result<(), Failure> {
    if doc.kind == "CustomResourceDefinition" {
        return Ok(());
    }
    let timeout = format!("--timeout={}", go_duration(timeout));
    kube.run(
        &[
            "delete",
            "-n",
            namespace(doc, release_ns),
            "--ignore-not-found",
            "--wait=true",
            &timeout,
            "-f",
            "-",
        ],
        &doc.printed(),
    )
}

/// Runs `hooks` (already in Helm's order) and returns what ran; the error
/// is the first failure, after which no hook is started.
pub(crate) fn run(
    kube: &Kube<'_>,
    hooks: &[&Doc],
    release_ns: &str,
    timeout: Duration,
) -> (Vec<Execution>, Result<(), Failure>) {
    let mut done = Vec::new();
    for (index, doc) in hooks.iter().enumerate() {
        let policy = |p: &str| doc.hook.as_ref().is_some_and(|h| h.deletes(p));
        if policy(BEFORE_HOOK_CREATION)
            && let Err(e) = delete(kube, doc, release_ns, timeout)
        {
            return (done, Err(e));
        }
        let started = jiff::Zoned::now();
        let ns = namespace(doc, release_ns);
        if let Err(e) = kube.run(&["apply", "-n", ns, "-f", "-"], &doc.printed()) {
            done.push(Execution {
                index,
                started,
                completed: jiff::Zoned::now(),
                phase: Phase::Failed,
            });
            return (done, Err(e));
        }
        let waited = kube.wait(&object(doc, release_ns), timeout);
        let phase = if waited.is_ok() {
            Phase::Succeeded
        } else {
            Phase::Failed
        };
        done.push(Execution {
            index,
            started,
            completed: jiff::Zoned::now(),
            phase,
        });
        if let Err(why) = waited {
            let event = doc
                .hook
                .as_ref()
                .map(|h| h.events.join(","))
                .unwrap_or_default();
            return (
                done,
                Err(Failure::Command {
                    at: format!("{event} hook {} ({})", doc.id(), doc.source),
                    message: why,
                }),
            );
        }
    }
    (done, Ok(()))
}

/// The deletions Helm does after an event's hooks ran: on success every
/// `hook-succeeded` hook, last first; on failure the failed hook if it is
/// `hook-failed`, and the hooks before it that are `hook-succeeded`.
pub(crate) fn shutdown(
    kube: &Kube<'_>,
    hooks: &[&Doc],
    done: &[Execution],
    release_ns: &str,
    timeout: Duration,
) -> Result<(), Failure> {
    let policy = |d: &Doc, p: &str| d.hook.as_ref().is_some_and(|h| h.deletes(p));
    match done.last() {
        Some(last) if last.phase == Phase::Failed => {
            let failed = hooks[last.index];
            if policy(failed, HOOK_FAILED) {
                delete(kube, failed, release_ns, timeout)?;
            }
            for d in hooks[..last.index]
                .iter()
                .filter(|d| policy(d, HOOK_SUCCEEDED))
            {
                delete(kube, d, release_ns, timeout)?;
            }
        }
        _ => {
            for d in done.iter().rev().map(|e| hooks[e.index]) {
                if policy(d, HOOK_SUCCEEDED) {
                    delete(kube, d, release_ns, timeout)?;
                }
            }
        }
    }
    Ok(())
}
