//! `rudder init`, `rudder apply`: render, then install the release in the
//! order `helm install` does (pkg/action/install.go): the namespace, the
//! `pre-install` hooks one by one (each waited for), the release's objects
//! in install order, the `post-install` hooks; `helm test` hooks never.
//! `--dry-run` prints that plan, one comment line per step.

use std::io::Write;
use std::time::Duration;

use rudder_render::StreamOptions;

use crate::Failure;
use crate::args::{Kubectl, Release};
use crate::hooks::{self, Doc};
use crate::kube::{Kube, Out, go_duration};

/// How `rudder apply`/`init` install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApplyOptions {
    /// Print the plan instead of running kubectl.
    pub(crate) dry_run: bool,
    /// Create the release namespace first (`--create-namespace`).
    pub(crate) create_namespace: bool,
    /// Each hook's wait (`--timeout`, Helm's default 5m0s).
    pub(crate) timeout: Duration,
}

/// One step of the install.
enum Step<'a> {
    /// One `kubectl apply`: into the release namespace (`-n`), or, for
    /// objects naming another namespace, without `-n`.
    Objects {
        namespace: Option<&'a str>,
        docs: Vec<&'a Doc>,
    },
    /// The hooks of one event, in Helm's order.
    Hooks {
        event: &'static str,
        docs: Vec<&'a Doc>,
    },
}

pub(crate) fn run(
    release: &Release,
    kubectl: &Kubectl,
    opts: &ApplyOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let docs = release_documents(release, opts.create_namespace, err)?;
    let ns = release.render.namespace.as_str();
    let steps = plan(&docs, ns, release.render.is_upgrade);
    if opts.dry_run {
        out.write_all(print_plan(&steps, ns, opts.timeout).as_bytes())?;
        return Ok(());
    }
    let kube = Kube {
        kubectl,
        out: Out::Inherit,
    };
    for step in &steps {
        match step {
            Step::Objects { namespace, docs } => {
                let stream: String = docs.iter().map(|d| d.printed()).collect();
                match namespace {
                    Some(n) => kube.run(&["apply", "-n", n, "-f", "-"], &stream)?,
                    None => kube.run(&["apply", "-f", "-"], &stream)?,
                }
            }
            Step::Hooks { docs, .. } => {
                let (done, result) = crate::hook_exec::run(&kube, docs, ns, opts.timeout);
                // Helm deletes by policy before it reports the failure.
                let cleaned = crate::hook_exec::shutdown(&kube, docs, &done, ns, opts.timeout);
                result?;
                cleaned?;
            }
        }
    }
    Ok(())
}

/// The release's documents (post-rendered when asked), test hooks left
/// out, the namespace object first when it is created.
fn release_documents(
    release: &Release,
    create_namespace: bool,
    err: &mut dyn Write,
) -> Result<Vec<Doc>, Failure> {
    let rendered = crate::release::render(release, err)?;
    let stream = rendered.stream(&StreamOptions {
        skip_tests: true,
        ..release.stream.clone()
    })?;
    let (stream, post_rendered) = match &release.post_renderer {
        Some(p) => (crate::post_render::run(p, &stream)?, true),
        None => (stream, false),
    };
    let mut docs = Vec::new();
    if create_namespace {
        docs.push(hooks::doc(
            "rudder/namespace.yaml",
            &format!(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}",
                release.render.namespace
            ),
        )?);
    }
    docs.extend(
        hooks::documents_of_stream(&stream, post_rendered)?
            .into_iter()
            .filter(|d| !d.hook.as_ref().is_some_and(hooks::HookInfo::is_test)),
    );
    Ok(docs)
}

/// Helm's install sequence over `docs` (the namespace object, if any,
/// first): consecutive `kubectl apply`s merged.
fn plan<'a>(docs: &'a [Doc], release_ns: &'a str, upgrade: bool) -> Vec<Step<'a>> {
    let (pre, post) = if upgrade {
        ("pre-upgrade", "post-upgrade")
    } else {
        ("pre-install", "post-install")
    };
    let objects: Vec<&Doc> = docs.iter().filter(|d| d.hook.is_none()).collect();
    let mut steps = Vec::new();
    // The namespace exists before any hook runs in it.
    let (namespace, rest) = match objects.split_first() {
        Some((first, rest)) if first.source == "rudder/namespace.yaml" => (Some(*first), rest),
        _ => (None, objects.as_slice()),
    };
    let push_objects = |steps: &mut Vec<Step<'a>>, d: &'a Doc| {
        let target = match d.namespace.as_deref() {
            None => Some(release_ns),
            Some(n) if n == release_ns => Some(release_ns),
            Some(_) => None,
        };
        match steps.last_mut() {
            Some(Step::Objects { namespace, docs }) if *namespace == target => docs.push(d),
            _ => steps.push(Step::Objects {
                namespace: target,
                docs: vec![d],
            }),
        }
    };
    if let Some(n) = namespace {
        push_objects(&mut steps, n);
    }
    let pre_hooks = hooks::hooks_of(docs, pre);
    if !pre_hooks.is_empty() {
        steps.push(Step::Hooks {
            event: pre,
            docs: pre_hooks,
        });
    }
    for d in rest {
        push_objects(&mut steps, d);
    }
    let post_hooks = hooks::hooks_of(docs, post);
    if !post_hooks.is_empty() {
        steps.push(Step::Hooks {
            event: post,
            docs: post_hooks,
        });
    }
    steps
}

/// What `--dry-run` prints: the documents in the order they are applied.
/// A plan of one `kubectl apply` is exactly the stream kubectl gets; with
/// more steps each starts with a `# Step N of M: …` comment saying how
/// it is applied.
fn print_plan(steps: &[Step<'_>], release_ns: &str, timeout: Duration) -> String {
    let mut out = String::new();
    if let [Step::Objects { docs, .. }] = steps {
        docs.iter().for_each(|d| out.push_str(&d.printed()));
        return out;
    }
    let total: usize = steps
        .iter()
        .map(|s| match s {
            Step::Objects { .. } => 1,
            Step::Hooks { docs, .. } => docs.len(),
        })
        .sum();
    let mut n = 0;
    for step in steps {
        match step {
            Step::Objects { namespace, docs } => {
                n += 1;
                let how = match namespace {
                    Some(ns) => format!("kubectl apply -n {ns} -f -"),
                    None => "kubectl apply -f - (each object in its own namespace)".to_owned(),
                };
                out.push_str(&format!("# Step {n} of {total}: {how}\n"));
                docs.iter().for_each(|d| out.push_str(&d.printed()));
            }
            Step::Hooks { event, docs } => {
                for d in docs {
                    n += 1;
                    out.push_str(&format!(
                        "# Step {n} of {total}: {}\n",
                        describe_hook(event, d, release_ns, timeout)
                    ));
                    out.push_str(&d.printed());
                }
            }
        }
    }
    out
}

/// `pre-install hook Job/x (weight -5, delete policy …): kubectl apply -n
/// NS -f -, then wait until it completes (up to 5m0s)`.
pub(crate) fn describe_hook(event: &str, d: &Doc, release_ns: &str, timeout: Duration) -> String {
    let (weight, policy) = d
        .hook
        .as_ref()
        .map_or((0, String::new()), |h| (h.weight, h.delete.join(",")));
    let wait = match d.kind.as_str() {
        "Job" => format!(
            ", then wait until it completes (up to {})",
            go_duration(timeout)
        ),
        "Pod" => format!(
            ", then wait until it succeeds (up to {})",
            go_duration(timeout)
        ),
        _ => String::new(),
    };
    format!(
        "{event} hook {} (weight {weight}, delete policy {policy}): kubectl apply -n {} -f -{wait}",
        d.id(),
        crate::hook_exec::namespace(d, release_ns)
    )
}
