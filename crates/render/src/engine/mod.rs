//! Rendering: a loaded chart compiled once into a minijinja environment,
//! rendered for any number of releases.
//!
//! The environment is set up for YAML, not HTML: no auto-escaping, trailing
//! newlines kept, undefined values printing as nothing (Helm's
//! `missingkey=zero`) unless strict, values printed with Go's `%v`. Every
//! template file of the chart and of every subchart (under its alias) is
//! available by its Helm path, e.g. `dispatch/charts/argo-cd/templates/x`;
//! named templates (`{% define %}`) live beside them.

mod defines;
mod head;
mod objects;
mod output;
mod scan;
mod scope;
mod stack;
mod view;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, ErrorKind, State, UndefinedBehavior};
use rudder_values::{Map, Value as V};

use crate::chart::{Chart, File};
use crate::funcs::random::Rng;
use crate::{Error, Result, chart_values};

pub(crate) use objects::to_template;
pub use objects::{DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, KubeVersion};
pub(crate) use output::go_path_match;
pub use output::{Crd, Hook, INSTALL_ORDER, Manifest, Rendered, StreamOptions};
pub(crate) use view::{View, tree_values};

/// Helm's limit on nested `include`/`tpl` calls (per template name).
pub const MAX_INCLUDE_DEPTH: usize = 1000;
/// rudder's limit on all nested `include`/`tpl` calls together, whatever
/// their names: a ring of many named templates calling each other stays
/// under Helm's per-name limit while nesting without end (each level holds
/// a render's state, tens of KiB).
const MAX_TOTAL_NESTING: usize = 10 * MAX_INCLUDE_DEPTH;
/// Instructions one template render may run (minijinja fuel): ends runaway
/// loops in well under a second.
pub const FUEL: u64 = 10_000_000;
/// Stack reserved for a render: the deepest value a template can build with
/// [`FUEL`] steps (about 1.7M levels) is freed recursively in far less.
pub(crate) const RENDER_STACK_BYTES: usize = 1 << 30;

const DEFINE_PREFIX: &str = "define:";

/// How an [`Engine`] compiles templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineOptions {
    /// `--strict`: using an undefined value is an error instead of
    /// rendering as nothing.
    pub strict: bool,
    /// Render on the caller's own stack instead of a fresh 1 GiB stack
    /// (both on the calling thread). Saves mapping that stack and faulting
    /// in the pages a render touches (~3 µs a small render); only for
    /// callers that already run on a stack that large, or that render
    /// charts and values they trust (a template can build a value deep
    /// enough to overflow a small stack when it is freed).
    pub same_thread: bool,
    /// Accept any release name: helm-unittest renders as `RELEASE-NAME`
    /// (uppercase, which Helm's release-name check refuses) and checks a
    /// name only when a suite sets one; `rudder unittest` does the same.
    pub any_release_name: bool,
}

/// One release to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// `Release.Name` (`helm template` uses `release-name` without one).
    pub release_name: String,
    /// `Release.Namespace` (`-n`, default `default`).
    pub namespace: String,
    /// `--is-upgrade`: `Release.IsUpgrade` true, `IsInstall` false.
    pub is_upgrade: bool,
    /// `Release.Revision`.
    pub revision: i64,
    /// `--kube-version`, e.g. `1.30` or `v1.30.2`; Helm's default otherwise.
    pub kube_version: Option<String>,
    /// `-a/--api-versions`, added to Helm's default set.
    pub api_versions: Vec<String>,
    /// `--seed`: makes random functions reproducible.
    pub seed: Option<u64>,
    /// The time `now` and certificate validity use; the real time when
    /// `None`. Pin it with the seed for byte-identical renders.
    pub now: Option<std::time::SystemTime>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".to_owned(),
            namespace: "default".to_owned(),
            is_upgrade: false,
            revision: 1,
            kube_version: None,
            api_versions: Vec::new(),
            seed: None,
            now: None,
        }
    }
}

/// A chart compiled for rendering. Load once, render many releases.
#[derive(Debug)]
pub struct Engine {
    chart: Chart,
    env: Environment<'static>,
    rng: Arc<Rng>,
    clock: Arc<crate::funcs::time::Clock>,
    same_thread: bool,
    any_release_name: bool,
    /// The chart tree's `values.schema.json` files, compiled on first use.
    schemas: crate::schema::Cache,
    /// Renders share the random generator; one at a time keeps seeded
    /// output reproducible.
    one_at_a_time: Mutex<()>,
}

impl Engine {
    /// Compiles `chart` (templates are compiled on first use and kept).
    pub fn new(chart: Chart, options: &EngineOptions) -> Result<Engine> {
        let mut sources: HashMap<String, String> = HashMap::new();
        let mut files = Vec::new();
        collect_templates(&chart, &chart.metadata.name, &mut files);
        // Helm parses templates deepest path first, then in reverse
        // lexical order, so a parent's define wins over a subchart's.
        files.sort_by(|(a, _), (b, _)| {
            let (da, db) = (a.matches('/').count(), b.matches('/').count());
            db.cmp(&da).then_with(|| b.cmp(a))
        });
        let mut errors = Vec::new();
        for (path, source) in files {
            match defines::extract(&source) {
                Ok((text, defs)) => {
                    for d in defs {
                        sources.insert(format!("{DEFINE_PREFIX}{}", d.name), d.body);
                    }
                    sources.insert(path, text);
                }
                Err((line, message)) => {
                    errors.push(Error::chart(format!("{path}:{line}"), message))
                }
            }
        }
        Error::collect(errors)?;

        let rng = Rng::new(None);
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        let mut syntax = minijinja::syntax::SyntaxConfig::builder();
        syntax.keep_trailing_newline(true);
        if let Ok(s) = syntax.build() {
            env.set_syntax(s);
        }
        env.set_undefined_behavior(if options.strict {
            UndefinedBehavior::Strict
        } else {
            UndefinedBehavior::Chainable
        });
        env.set_fuel(Some(FUEL));
        env.set_debug(true);
        env.set_formatter(|out, _state, value| {
            // Go prints nil as "<no value>", which Helm then removes.
            match value.kind() {
                ValueKind::Undefined | ValueKind::None => Ok(()),
                ValueKind::String => out
                    .write_str(value.as_str().unwrap_or_default())
                    .map_err(Into::into),
                _ => {
                    let text = crate::funcs::bounded("printing", || {
                        crate::funcs::gofmt::format_value(value)
                    })?;
                    out.write_str(&text).map_err(Into::into)
                }
            }
        });
        let clock = crate::funcs::time::Clock::new(None);
        crate::funcs::register(&mut env, rng.clone(), clock.clone());
        // Jinja's own `string`, `tojson` and `pprint` walk values without a
        // bound; a namespace holding itself would recurse until the stack
        // overflows. They print as rudder prints everything else: Go's
        // text, Helm's JSON.
        env.add_filter("string", crate::funcs::strings::to_string);
        env.add_filter("tojson", crate::funcs::encoding::to_json);
        env.add_filter("pprint", crate::funcs::encoding::to_pretty_json);
        env.add_function("include", include);
        env.add_function("tpl", tpl);
        env.add_function(
            "fail",
            |msg: Option<String>| -> std::result::Result<Value, minijinja::Error> {
                Err(minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    msg.unwrap_or_default(),
                ))
            },
        );
        env.add_filter("required", required);
        env.add_function("required", |msg: String, v: Value| required(v, msg));
        // `helm template` has no cluster: lookup finds nothing.
        env.add_function("lookup", |_a: Value, _b: Value, _c: Value, _d: Value| {
            Value::from_pairs(std::iter::empty::<(String, Value)>())
        });
        let sources = Arc::new(sources);
        env.set_loader(move |name| Ok(sources.get(name).cloned()));
        Ok(Engine {
            chart,
            env,
            rng,
            clock,
            same_thread: options.same_thread,
            any_release_name: options.any_release_name,
            schemas: crate::schema::Cache::default(),
            one_at_a_time: Mutex::new(()),
        })
    }

    /// The chart this engine renders.
    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// Renders one release: coalesces `user` values with the chart's, renders
    /// every template of the chart and its enabled subcharts, and sorts the
    /// output as `helm template` does. All template errors are reported
    /// together.
    ///
    /// Unless [`EngineOptions::same_thread`] is set, the render runs on a
    /// 1 GiB stack, on the calling thread.
    pub fn render(&self, user: Map, opts: &RenderOptions) -> Result<Rendered> {
        if self.same_thread {
            return self.render_here(user, opts);
        }
        stack::on_render_stack(|| self.render_here(user, opts))
    }

    fn render_here(&self, user: Map, opts: &RenderOptions) -> Result<Rendered> {
        if !self.any_release_name {
            validate_release_name(&opts.release_name)?;
        }
        let _guard = self.one_at_a_time.lock().unwrap_or_else(|p| p.into_inner());
        // A render that panicked on this thread may have left its nesting
        // counts behind.
        DEPTH.with(|d| d.borrow_mut().values_mut().for_each(|n| *n = 0));
        TOTAL.with(|t| t.set(0));
        self.rng.reseed(opts.seed);
        self.clock.pin(opts.now);
        let kube = match &opts.kube_version {
            None => KubeVersion::parse(DEFAULT_KUBE_VERSION),
            Some(v) => KubeVersion::parse(v),
        }
        .ok_or_else(|| {
            Error::chart(
                "--kube-version",
                format!(
                    "{:?} is not a Kubernetes version; write e.g. 1.30 or v1.30.2",
                    opts.kube_version.as_deref().unwrap_or_default()
                ),
            )
        })?;
        let computed = chart_values(&self.chart, user)?;
        // Schema violations are reported together with the templates' own
        // checks (`required`, `fail`): Helm stops at the schema, rudder lists
        // every problem of the values in one run.
        let schema =
            crate::schema::validate_with(&computed.chart, &computed.values, &self.schemas).err();
        check_kube_version(&computed.chart, &kube)?;
        let mut api_versions: Vec<String> = DEFAULT_API_VERSIONS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        api_versions.extend(opts.api_versions.iter().cloned());
        let shared = &Shared {
            release: objects::release(
                &opts.release_name,
                &opts.namespace,
                opts.is_upgrade,
                opts.revision,
            ),
            capabilities: objects::capabilities(&kube, &api_versions),
        };
        let mut pass = Pass {
            shared,
            out: Rendered::default(),
            texts: Vec::new(),
            errors: schema.into_iter().collect(),
        };
        let top = computed.chart.metadata.name.clone();
        let tree = Arc::new(V::Map(Box::new(computed.values)));
        let values = view::values(tree.clone());
        self.render_chart(&computed.chart, &top, &values, true, &mut pass);
        drop(values);
        // The templates are done with the tree: hand it to the caller
        // (freeing a large tree takes a while, and the CLI skips it).
        pass.out.values = match Arc::try_unwrap(tree) {
            Ok(V::Map(m)) => *m,
            Ok(_) => Map::new(),
            Err(shared) => shared.as_map().cloned().unwrap_or_default(),
        };
        let Pass {
            mut out,
            mut texts,
            mut errors,
            ..
        } = pass;
        // Helm sorts rendered files by path before sorting by kind, so
        // objects of one kind follow their full Source path.
        texts.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, text) in &texts {
            output::classify(name, text, &mut out.manifests, &mut out.hooks, &mut errors);
        }
        Error::collect(errors)?;
        output::sort_by_kind(&mut out.manifests, |m| m.kind.as_str());
        output::sort_by_kind(&mut out.hooks, |h| h.manifest.kind.as_str());
        Ok(out)
    }

    /// Renders `chart` (at Helm path `path`) and its subcharts into `pass`.
    fn render_chart(
        &self,
        chart: &Chart,
        path: &str,
        values: &Value,
        is_root: bool,
        pass: &mut Pass,
    ) {
        let root_values = values.clone();
        let chart_obj = objects::chart(chart, is_root);
        let files = Value::from_object(objects::Files(chart.files.clone()));
        let base = format!("{path}/templates");
        // A library chart only lends its named templates.
        let library = chart.metadata.kind.as_deref() == Some("library");
        for f in chart.templates.iter().filter(|_| !library) {
            let name = format!("{path}/{}", f.name);
            let root = Value::from_object(scope::Root {
                values: root_values.clone(),
                release: pass.shared.release.clone(),
                chart: chart_obj.clone(),
                capabilities: pass.shared.capabilities.clone(),
                template: objects::template(&name, &base),
                files: files.clone(),
            });
            let rendered = self
                .env
                .get_template(&name)
                .and_then(|t| t.render(context_for(root)));
            let text = match rendered {
                Ok(t) => t,
                Err(e) => {
                    pass.errors.push(template_error(&name, &e));
                    continue;
                }
            };
            let base_name = name.rsplit('/').next().unwrap_or(&name);
            if name.ends_with("NOTES.txt") {
                if is_root && f.name == "templates/NOTES.txt" {
                    pass.out.notes = Some(text);
                }
                continue;
            }
            if base_name.starts_with('_') || text.trim().is_empty() {
                continue;
            }
            pass.texts.push((name, text));
        }
        for f in chart.files.iter().filter(|f| is_crd_file(f)) {
            pass.out.crds.push(Crd {
                source: format!("{path}/{}", f.name),
                text: String::from_utf8_lossy(&f.data).into_owned(),
            });
        }
        for sub in &chart.dependencies {
            // A subchart sees its own part of the tree (shared, not copied).
            let sub_values = match values.get_attr(sub.name()) {
                Ok(v) if v.kind() == ValueKind::Map => v,
                _ => Value::from_pairs(std::iter::empty::<(String, Value)>()),
            };
            let sub_path = format!("{path}/charts/{}", sub.name());
            self.render_chart(sub, &sub_path, &sub_values, false, pass);
        }
    }
}

/// What one release's render accumulates.
struct Pass<'a> {
    shared: &'a Shared,
    out: Rendered,
    /// Rendered files (Helm path, text), before splitting.
    texts: Vec<(String, String)>,
    errors: Vec<Error>,
}

/// Objects every template of a release shares.
struct Shared {
    release: Value,
    capabilities: Value,
}

/// Every template file of the chart tree, by Helm path, subcharts under
/// each name they can take (alias or chart name).
fn collect_templates(chart: &Chart, path: &str, out: &mut Vec<(String, String)>) {
    for f in chart.templates.iter() {
        out.push((
            format!("{path}/{}", f.name),
            String::from_utf8_lossy(&f.data).into_owned(),
        ));
    }
    for sub in &chart.dependencies {
        let reqs = chart.metadata.dependencies.iter().flatten();
        let mut names: Vec<&str> = reqs
            .filter(|r| {
                r.name == sub.name()
                    && crate::funcs::semver::satisfies(&r.version, &sub.metadata.version)
            })
            .map(|r| r.effective_name())
            .collect();
        if names.is_empty() {
            names.push(sub.name());
        }
        for n in names {
            collect_templates(sub, &format!("{path}/charts/{n}"), out);
        }
    }
}

fn is_crd_file(f: &File) -> bool {
    f.name.starts_with("crds/")
        && [".yaml", ".yml", ".json"]
            .iter()
            .any(|e| f.name.ends_with(e))
}

/// Helm's release name rule: a DNS-1123 subdomain of at most 53
/// characters.
fn validate_release_name(name: &str) -> Result<()> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.len() <= 53 && name.split('.').all(label_ok) {
        return Ok(());
    }
    Err(Error::chart(
        "release name",
        format!(
            "invalid release name {name:?}: use at most 53 lowercase letters, digits, '-' and '.', \
             starting and ending with a letter or digit"
        ),
    ))
}

/// Helm checks a chart's `kubeVersion` against the target cluster.
fn check_kube_version(chart: &Chart, kube: &KubeVersion) -> Result<()> {
    let constraint = chart
        .metadata
        .kube_version
        .as_deref()
        .filter(|c| !c.is_empty());
    if let Some(c) = constraint
        && !crate::funcs::semver::satisfies(c, &kube.version)
    {
        return Err(Error::chart(
            format!("{}/Chart.yaml", chart.origin),
            format!(
                "chart requires kubeVersion: {c} which is incompatible with Kubernetes {}; \
                 pass --kube-version with a matching version",
                kube.version
            ),
        ));
    }
    for sub in &chart.dependencies {
        check_kube_version(sub, kube)?;
    }
    Ok(())
}

fn template_error(name: &str, e: &minijinja::Error) -> Error {
    let mut message = match e.kind() {
        ErrorKind::OutOfFuel => format!(
            "the template ran past rudder's limit of {FUEL} steps; look for a loop that never ends or a very large range"
        ),
        _ => e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned),
    };
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = std::error::Error::source(inner);
    }
    let at = match (e.name(), e.line()) {
        (Some(n), Some(l)) if n != name => format!(
            "{name} (in {}, line {l})",
            n.trim_start_matches(DEFINE_PREFIX)
        ),
        (_, Some(l)) => format!("{name}:{l}"),
        _ => name.to_owned(),
    };
    let snippet = e.display_debug_info().to_string();
    let snippet = snippet
        .lines()
        .skip_while(|l| !l.contains('|'))
        .take_while(|l| !l.starts_with("Referenced variables") && !l.contains("~~~~~~~~~"))
        .collect::<Vec<_>>()
        .join("\n");
    Error::chart(
        at,
        if snippet.trim().is_empty() {
            message
        } else {
            format!("{message}\n{snippet}")
        },
    )
}

thread_local! {
    /// Nesting of `include`/`tpl` per name, bounded like Helm's.
    static DEPTH: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
    /// All nested `include`/`tpl` calls together.
    static TOTAL: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `f` one level deeper for `name`, refusing past Helm's limit.
fn nested<T>(
    name: &str,
    f: impl FnOnce() -> std::result::Result<T, minijinja::Error>,
) -> std::result::Result<T, minijinja::Error> {
    let depth = DEPTH.with(|d| {
        let mut d = d.borrow_mut();
        // Names stay in the map at 0: no allocation once a name was seen.
        match d.get_mut(name) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => {
                d.insert(name.to_owned(), 1);
                1
            }
        }
    });
    let total = TOTAL.with(|t| {
        t.set(t.get() + 1);
        t.get()
    });
    let result = if depth > MAX_INCLUDE_DEPTH {
        Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "rendering template has a nested reference name: {name}: more than {MAX_INCLUDE_DEPTH} nested calls"
            ),
        ))
    } else if total > MAX_TOTAL_NESTING {
        Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "rendering template {name}: more than {MAX_TOTAL_NESTING} nested include/tpl calls in all; look for named templates that include each other"
            ),
        ))
    } else {
        // Each level compiles and renders a template; make sure it has
        // room, on a fresh heap-allocated stack segment if need be.
        stacker::maybe_grow(256 * 1024, 2 * 1024 * 1024, f)
    };
    TOTAL.with(|t| t.set(t.get() - 1));
    DEPTH.with(|d| {
        if let Some(n) = d.borrow_mut().get_mut(name) {
            *n -= 1;
        }
    });
    result
}

/// The context a named template or `tpl` text sees: the passed value as
/// `ctx`, and its keys as top-level names when it is a map.
fn context_for(ctx: Value) -> Value {
    Value::from_object(scope::Scope(ctx))
}

/// Helm `include NAME CTX`: renders a named template to a string (so it can
/// be piped: `{{ include("x.labels", ctx) | nindent(4) }}`).
fn include(
    state: &State,
    name: &str,
    ctx: Option<Value>,
) -> std::result::Result<String, minijinja::Error> {
    nested(name, || {
        let mut key = String::with_capacity(DEFINE_PREFIX.len() + name.len());
        key.push_str(DEFINE_PREFIX);
        key.push_str(name);
        let t = state.env().get_template(&key).map_err(|e| {
            if e.kind() == ErrorKind::TemplateNotFound {
                minijinja::Error::new(
                    ErrorKind::TemplateNotFound,
                    format!("include: no template named {name:?}; define it with {{% define \"{name}\" %}}"),
                )
            } else {
                e
            }
        })?;
        t.render(context_for(ctx.unwrap_or_default()))
    })
}

/// Helm `tpl TEXT CTX`: renders a string from values as a template.
fn tpl(
    state: &State,
    text: &str,
    ctx: Option<Value>,
) -> std::result::Result<String, minijinja::Error> {
    let name = state.name().to_owned();
    nested(&format!("tpl:{name}"), || {
        let t = state.env().template_from_named_str(&name, text)?;
        t.render(context_for(ctx.unwrap_or_default()))
    })
}

/// Helm `required MSG VALUE`: the value, or an error with the message when
/// it is missing, null or the empty string.
/// `{{ Values.password | required("set password") }}`
fn required(v: Value, msg: String) -> std::result::Result<Value, minijinja::Error> {
    let missing = match v.kind() {
        ValueKind::Undefined | ValueKind::None => true,
        ValueKind::String => v.as_str() == Some(""),
        _ => false,
    };
    if missing {
        Err(minijinja::Error::new(ErrorKind::InvalidOperation, msg))
    } else {
        Ok(v)
    }
}

#[cfg(test)]
#[path = "mod_tests.rs"]
mod tests;
