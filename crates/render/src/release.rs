//! Rendering a release: the stages of `helm template`, joined in one place
//! (Helm's `pkg/action` install in client-only mode, over `loader`,
//! `chartutil`, `engine` and `releaseutil`).
//!
//! 1. **chart** ([`crate::chart`]): loaded before, and compiled into an
//!    [`Engine`] once for any number of releases;
//! 2. **coalesce** ([`crate::chart_values`]): the user's values over every
//!    chart's defaults, subcharts enabled or dropped;
//! 3. **schema** ([`crate::schema`]): every chart's `values.schema.json`;
//! 4. **engine**: every template file rendered;
//! 5. **manifest** ([`Rendered`]): files split into documents, checked,
//!    sorted in install order, hooks apart.
//!
//! Every command calls [`render_release`] (or [`release_values`] for the
//! values alone), so they all see the same values, checks and warnings.

use std::sync::Arc;

use rudder_values::{Map, Value as V};

use crate::engine::state::RenderState;
use crate::engine::{DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, KubeVersion, ReleaseObjects};
use crate::manifest::{self, Rendered};
use crate::{Chart, ChartValues, Engine, Error, Result, chart_values};

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
    /// `--skip-schema-validation`: values are not checked against the
    /// charts' `values.schema.json` (Helm's `Install.SkipSchemaValidation`).
    pub skip_schema_validation: bool,
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
            skip_schema_validation: false,
        }
    }
}

/// Renders one release of `engine`'s chart with the user's values: the
/// manifests, hooks, CRDs and notes `helm template` prints, the values the
/// templates saw, and Helm's coalescing warnings. Every problem of the
/// values and the templates is reported together.
///
/// Unless [`EngineOptions::same_thread`](crate::EngineOptions) is set, the
/// render runs on a 1 GiB stack (or [`EngineOptions::max_stack`]), on the
/// calling thread. Any number of
/// threads may render from one engine at once; a seeded render gives the
/// same bytes whichever thread runs it.
pub fn render_release(engine: &Engine, user: Map, opts: &RenderOptions) -> Result<Rendered> {
    if engine.same_thread {
        return render_here(engine, user, opts);
    }
    crate::engine::stack::on_render_stack(engine.max_stack, || render_here(engine, user, opts))
}

impl Engine {
    /// [`render_release`] of this engine's chart.
    pub fn render(&self, user: Map, opts: &RenderOptions) -> Result<Rendered> {
        render_release(self, user, opts)
    }
}

/// The values a release's templates see, checked against every schema of
/// the chart tree: what `rudder values` prints, with Helm's warnings.
pub fn release_values(chart: &Chart, user: Map) -> Result<ChartValues> {
    let unknown = crate::coalesce::unknown::check(chart, &user, false)?;
    let mut computed = chart_values(chart, user)?;
    crate::schema::validate(&computed.chart, &computed.values)?;
    computed.warnings.extend(unknown);
    Ok(computed)
}

fn render_here(engine: &Engine, user: Map, opts: &RenderOptions) -> Result<Rendered> {
    if !engine.any_release_name {
        validate_release_name(&opts.release_name)?;
    }
    // Helm's `action.Install` refuses a library chart as the release's
    // chart ("library charts are not installable"); it only lends named
    // templates to the charts that depend on it.
    if engine.chart.metadata.kind.as_deref() == Some("library") {
        return Err(Error::chart(
            engine.chart.metadata.name.clone(),
            "library charts are not installable; render a chart that depends on it",
        ));
    }
    let kube = kube_version(opts.kube_version.as_deref())?;
    let _state = RenderState::enter(opts.seed, opts.now);
    // Keys no chart knows: warnings, errors with --strict (Helm is silent).
    let unknown = crate::coalesce::unknown::check(&engine.chart, &user, engine.strict)?;
    let computed = chart_values(&engine.chart, user)?;
    // Schema violations are reported together with the templates' own
    // checks (`required`, `fail`): Helm stops at the schema, rudder lists
    // every problem of the values in one run.
    let schema = if opts.skip_schema_validation {
        None
    } else {
        crate::schema::validate_with(&computed.chart, &computed.values, &engine.schemas).err()
    };
    check_kube_version(&computed.chart, &kube)?;
    let mut api_versions: Vec<String> = DEFAULT_API_VERSIONS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    api_versions.extend(opts.api_versions.iter().cloned());
    let objects = ReleaseObjects::new(
        &opts.release_name,
        &opts.namespace,
        opts.is_upgrade,
        opts.revision,
        &kube,
        &api_versions,
    );
    let ChartValues {
        values,
        chart,
        warnings,
    } = computed;
    let tree = Arc::new(V::Map(Box::new(values)));
    let files = engine.render_files(&chart, tree.clone(), &objects);
    let mut out = Rendered {
        notes: files.notes,
        warnings,
        ..Rendered::default()
    };
    out.warnings.extend(unknown);
    manifest::crds(&chart, &chart.metadata.name, &mut out.crds);
    // The templates are done with the tree: hand it to the caller
    // (freeing a large tree takes a while, and the CLI skips it).
    out.values = match Arc::try_unwrap(tree) {
        Ok(V::Map(m)) => *m,
        Ok(_) => Map::new(),
        Err(shared) => shared.as_map().cloned().unwrap_or_default(),
    };
    let mut errors: Vec<Error> = schema.into_iter().collect();
    errors.extend(files.errors);
    let mut texts = files.texts;
    // Helm sorts rendered files by path before sorting by kind, so
    // objects of one kind follow their full Source path.
    texts.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, text) in &texts {
        manifest::classify(name, text, &mut out.manifests, &mut out.hooks, &mut errors);
    }
    Error::collect(errors)?;
    manifest::sort_by_kind(&mut out.manifests, |m| m.kind.as_str());
    manifest::sort_by_kind(&mut out.hooks, |h| h.manifest.kind.as_str());
    Ok(out)
}

/// `--kube-version`, or Helm's default.
fn kube_version(given: Option<&str>) -> Result<KubeVersion> {
    KubeVersion::parse(given.unwrap_or(DEFAULT_KUBE_VERSION)).ok_or_else(|| Error::Option {
        option: "--kube-version".to_owned(),
        message: format!(
            "{:?} is not a Kubernetes version; write e.g. 1.30 or v1.30.2",
            given.unwrap_or_default()
        ),
    })
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
    Err(Error::Option {
        option: "release name".to_owned(),
        message: format!(
            "invalid release name {name:?}: use at most 53 lowercase letters, digits, '-' and '.', \
             starting and ending with a letter or digit"
        ),
    })
}

/// Helm checks a chart's `kubeVersion` against the target cluster.
fn check_kube_version(chart: &Chart, kube: &KubeVersion) -> Result<()> {
    let constraint = chart
        .metadata
        .kube_version
        .as_deref()
        .filter(|c| !c.is_empty());
    // Helm says "incompatible" for a constraint it cannot parse too;
    // rudder names the real problem (a deliberate difference).
    if let Some(c) = constraint
        && let Some(why) = crate::funcs::semver::constraint_error(c)
    {
        return Err(Error::chart(
            format!("{}/Chart.yaml", chart.origin),
            format!(
                "invalid kubeVersion constraint {c:?} in Chart.yaml: {why}; write e.g. \">= 1.19.0-0\""
            ),
        ));
    }
    if let Some(c) = constraint
        && !crate::funcs::semver::satisfies(c, &kube.version)
    {
        return Err(Error::KubeVersion {
            file: format!("{}/Chart.yaml", chart.origin),
            constraint: c.to_owned(),
            version: kube.version.clone(),
        });
    }
    for sub in &chart.dependencies {
        check_kube_version(sub, kube)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "release_tests.rs"]
mod tests;

/// Helm's `--name-template` (`action.TemplateName`): the text is a Go
/// template run with Sprig's functions and no values; its output is the
/// release name (checked as any release name is, by the render). `seed`
/// makes `randAlpha` and the other random functions reproducible.
///
/// ```
/// let name = rudder_render::name_from_template("web-{{ \"a-b\" | replace \"-\" \"\" }}", None).unwrap();
/// assert_eq!(name, "web-ab");
/// ```
pub fn name_from_template(text: &str, seed: Option<u64>) -> Result<String> {
    // A one-file Go chart whose NOTES.txt is the template: the engine's
    // Go dialect, function map and error texts, with nothing to render.
    let chart = Chart::from_files(
        vec![
            crate::chart::File::new(
                "Chart.yaml",
                "apiVersion: v2\nname: name-template\nversion: 0.0.0\n",
            ),
            crate::chart::File::new("templates/NOTES.txt", text),
        ],
        "name-template",
    )?;
    let engine = Engine::new(chart, &crate::EngineOptions::default())?;
    let opts = RenderOptions {
        seed,
        ..RenderOptions::default()
    };
    let rendered = render_release(&engine, Map::new(), &opts)?;
    Ok(rendered.notes.unwrap_or_default())
}
