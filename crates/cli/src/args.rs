//! Command-line arguments: clap's raw view, turned into typed options in
//! one place ([`parse`]).

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use rudder_render::{EngineOptions, RenderOptions, StreamOptions};
use rudder_values::{ValuesOptions, split_values_flag};

use crate::apply_cmd::ApplyOptions;
use crate::post_render::PostRenderer;
use crate::test_cmd::TestOptions;

use crate::args_help::{CONVERT_EXAMPLES, INIT_EXAMPLES, TEMPLATE_EXAMPLES};

/// Render Helm charts (with Jinja templates) without Helm.
#[derive(Debug, Parser)]
#[command(name = "rudder", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: RawCommand,
}

/// The default of `--max-memory`, for commands that do not render.
const DEFAULT_MAX_MEMORY: usize = 4 << 30;

/// The Helm release rudder matches, byte for byte.
pub(crate) const HELM_VERSION: &str = "v4.1.4";

#[derive(Debug, Subcommand)]
enum RawCommand {
    /// Render a chart's templates into the manifest stream `helm template`
    /// prints, ready for `kubectl apply -f -`.
    #[command(after_help = TEMPLATE_EXAMPLES)]
    Template {
        /// Release name, then the chart (a directory, a .tgz, or a bundled
        /// chart such as dispatch/dispatch); with one argument it is the
        /// chart and the release is named `release-name`, as in Helm.
        #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
        names: Vec<String>,
        #[command(flatten)]
        values: ValuesArgs,
        #[command(flatten)]
        render: RenderArgs,
        /// Write each template to a file under this directory instead of stdout.
        #[arg(long, value_name = "DIR")]
        output_dir: Option<PathBuf>,
        /// Use the release name in the --output-dir path (DIR/NAME/…).
        #[arg(long)]
        release_name: bool,
    },
    /// Print the values a chart's templates see (`.Values`), after merging
    /// the chart's defaults, its subcharts' defaults and your overrides.
    #[command(
        after_help = "Example:\n  rudder values dispatch/dispatch --set minio.mode=distributed -o json"
    )]
    Values {
        /// The chart: a directory, a .tgz, or a bundled chart.
        chart: String,
        #[command(flatten)]
        values: ValuesArgs,
        /// Output format.
        #[arg(short, long, value_enum, default_value_t = Format::Yaml)]
        output: Format,
    },
    /// Check a chart: values against its schema and rules, templates render,
    /// and every object is one the API server accepts (names, labels, ports,
    /// duplicates). Exits 1 if there is any problem.
    #[command(
        after_help = "Example:\n  rudder lint dispatch dispatch/dispatch -n dispatch --set minio.replicas=5"
    )]
    Lint {
        /// Release name, then the chart.
        #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
        names: Vec<String>,
        #[command(flatten)]
        values: ValuesArgs,
        #[command(flatten)]
        render: RenderArgs,
    },
    /// Install Dispatch like `dispatch init`: render the bundled Dispatch
    /// chart and apply it with kubectl (no Helm, no Tiller).
    #[command(after_help = INIT_EXAMPLES)]
    Init {
        #[command(flatten)]
        values: ValuesArgs,
        /// Namespace to install into (created first).
        #[arg(short, long, default_value = "dispatch")]
        namespace: String,
        /// Namespace Dispatch watches for pipelines (repeatable); the
        /// release namespace is watched when none is given.
        #[arg(long = "watch-namespace", value_name = "NAMESPACE")]
        watch_namespaces: Vec<String>,
        #[command(flatten)]
        kubectl: KubectlArgs,
        /// Seed for generated credentials (reproducible output).
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        /// Kubernetes version for `Capabilities.KubeVersion`.
        #[arg(long, value_name = "VERSION", value_parser = kube_version_arg)]
        kube_version: Option<String>,
    },
    /// Render any chart and apply it with kubectl (namespace created first).
    #[command(
        after_help = "Example:\n  rudder apply isd opsmx/isd -n opsmx --set forwarder.enabled=false --dry-run"
    )]
    Apply {
        /// Release name, then the chart.
        #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
        names: Vec<String>,
        #[command(flatten)]
        values: ValuesArgs,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        kubectl: KubectlArgs,
    },
    /// Run a chart's tests: render only its `helm.sh/hook: test` objects (what
    /// `helm test` runs) and apply them with kubectl.
    #[command(after_help = "Example:\n  rudder test dispatch dispatch/dispatch -n dispatch --logs")]
    Test {
        /// Release name, then the chart.
        #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
        names: Vec<String>,
        #[command(flatten)]
        values: ValuesArgs,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        kubectl: KubectlArgs,
        /// Dump the logs from test pods (after all tests ran, before any
        /// cleanup).
        #[arg(long)]
        logs: bool,
        /// Specify tests by attribute (currently "name") using
        /// attribute=value syntax or '!attribute=value' to exclude a test
        /// (can specify multiple or separate values with commas:
        /// name=test1,name=test2).
        #[arg(long, value_name = "FILTER", value_delimiter = ',')]
        filter: Vec<String>,
    },
    /// List the charts bundled in this binary.
    Charts,
    /// Write a bundled chart out to a directory, for editing.
    #[command(
        after_help = "Example:\n  rudder pull dispatch/dispatch ./dispatch && rudder template dispatch ./dispatch"
    )]
    Pull {
        /// The bundled chart, e.g. dispatch/dispatch or opsmx/isd.
        chart: String,
        /// Directory to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Rewrite a Helm (Go-template) chart as a rudder (Jinja) chart that
    /// renders the same bytes.
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert {
        /// The Helm chart: a directory or a .tgz archive.
        chart: PathBuf,
        /// Directory to write the rudder chart to (must not exist, or be
        /// empty).
        out: PathBuf,
    },
    /// Print a shell completion script (`completions` also works).
    #[command(
        alias = "completions",
        after_help = "Example:\n  rudder completion bash > /etc/bash_completion.d/rudder"
    )]
    Completion {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print rudder's version and the Helm version it renders like.
    Version,
    /// Run a chart's helm-unittest suites (tests/*_test.yaml).
    Unittest(crate::unittest_cmd::UnittestArgs),
}

/// The values flags of `helm template`, with Helm's names and help.
#[derive(Debug, Args)]
pub(crate) struct ValuesArgs {
    /// Specify values in a YAML file (can specify multiple; `-` reads stdin).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    values: Vec<String>,
    /// Set values on the command line (can specify multiple or separate
    /// values with commas: key1=val1,key2=val2).
    #[arg(long, value_name = "KEY=VAL", allow_hyphen_values = true)]
    set: Vec<String>,
    /// Set STRING values on the command line.
    #[arg(long, value_name = "KEY=VAL", allow_hyphen_values = true)]
    set_string: Vec<String>,
    /// Set JSON values on the command line (key1=jsonval1,… or a JSON object).
    #[arg(long, value_name = "KEY=JSON", allow_hyphen_values = true)]
    set_json: Vec<String>,
    /// Set values from files (key1=path1,key2=path2).
    #[arg(long, value_name = "KEY=PATH", allow_hyphen_values = true)]
    set_file: Vec<String>,
    /// Set a literal STRING value on the command line.
    #[arg(long, value_name = "KEY=VAL", allow_hyphen_values = true)]
    set_literal: Vec<String>,
    /// Take the `values: |` block of an addon in a Konvoy cluster.yaml as
    /// the lowest values layer (below -f and --set).
    #[arg(long, value_name = "CLUSTER_YAML")]
    from_konvoy: Option<String>,
    /// The addon to read with --from-konvoy (default: the chart's name).
    #[arg(long, value_name = "NAME", requires = "from_konvoy")]
    addon: Option<String>,
    /// Stop with an error when rudder needs more memory than this (e.g.
    /// 512M, 8G): a template growing a value without bound fails cleanly
    /// instead of exhausting the machine.
    #[arg(long, value_name = "SIZE", default_value = "4G",
          value_parser = crate::memory::parse_size)]
    max_memory: usize,
}

/// The flags of `helm template` beyond values.
#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// Namespace of the release (`Release.Namespace`).
    #[arg(short, long, default_value = "default")]
    namespace: String,
    /// Set `Release.IsUpgrade` instead of `Release.IsInstall`.
    #[arg(long)]
    is_upgrade: bool,
    /// Kubernetes version for `Capabilities.KubeVersion` and the chart's
    /// `kubeVersion` check.
    #[arg(long, value_name = "VERSION", value_parser = kube_version_arg)]
    kube_version: Option<String>,
    /// Kubernetes API versions for `Capabilities.APIVersions` (repeatable,
    /// or comma-separated).
    #[arg(
        short = 'a',
        long = "api-versions",
        value_name = "API",
        value_delimiter = ','
    )]
    api_versions: Vec<String>,
    /// Only print manifests from these templates (repeatable, globs).
    #[arg(short = 's', long = "show-only", value_name = "PATH")]
    show_only: Vec<String>,
    /// Include the chart's crds/ in the output.
    #[arg(long)]
    include_crds: bool,
    /// Accepted for Helm compatibility; `template` prints crds/ only with
    /// --include-crds.
    #[arg(long)]
    skip_crds: bool,
    /// Leave out hooks.
    #[arg(long)]
    no_hooks: bool,
    /// Leave out `helm test` hooks.
    #[arg(long)]
    skip_tests: bool,
    /// Fail on undefined values instead of rendering them as nothing.
    #[arg(long)]
    strict: bool,
    /// Show the template source under `fail`/`required` messages too
    /// (the message alone otherwise: it is the chart author's words).
    #[arg(long)]
    debug: bool,
    /// Seed for random functions (passwords, certificates), for
    /// reproducible output. Set SOURCE_DATE_EPOCH (seconds since 1970) to
    /// also pin `now` and certificate validity.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Do not check values against the charts' values.schema.json.
    #[arg(long)]
    skip_schema_validation: bool,
    /// Generate the name (and omit the NAME parameter): CHART-SECONDS, the
    /// seconds since 1970 now (or SOURCE_DATE_EPOCH). `template` keeps
    /// `release-name`, as Helm does.
    #[arg(short = 'g', long)]
    generate_name: bool,
    /// Specify the release name as a template (plain text only: Go
    /// template expressions are not evaluated yet).
    #[arg(long, value_name = "TEMPLATE")]
    name_template: Option<String>,
    /// Labels that would be added to release metadata (key=value, comma
    /// separated). Checked as Helm checks them; rudder keeps no release
    /// record, so they change no output.
    #[arg(short = 'l', long, value_name = "KEY=VALUE")]
    labels: Vec<String>,
    /// An executable that reads the rendered manifests on stdin and writes
    /// the manifests to use on stdout.
    #[arg(long, value_name = "PATH")]
    post_renderer: Option<PathBuf>,
    /// An argument to the post-renderer (can specify multiple).
    #[arg(
        long,
        value_name = "ARG",
        allow_hyphen_values = true,
        requires = "post_renderer"
    )]
    post_renderer_args: Vec<String>,
}

/// How to reach the cluster.
#[derive(Debug, Args)]
pub(crate) struct KubectlArgs {
    /// The kubectl binary to run.
    #[arg(long, value_name = "PATH", default_value = "kubectl")]
    kubectl: PathBuf,
    /// kubectl context to use (kubectl --context).
    #[arg(long, value_name = "CONTEXT")]
    kube_context: Option<String>,
    /// kubeconfig file to use (kubectl --kubeconfig).
    #[arg(long, value_name = "FILE")]
    kubeconfig: Option<String>,
    /// Print what would be applied, step by step, instead of running
    /// kubectl.
    #[arg(long)]
    dry_run: bool,
    /// Time to wait for any individual Kubernetes operation (like Jobs for
    /// hooks).
    #[arg(long, value_name = "DURATION", default_value = "5m0s",
          value_parser = crate::kube::parse_go_duration)]
    timeout: std::time::Duration,
}

/// Output format of `rudder values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// YAML, keys sorted as Helm prints them.
    Yaml,
    /// JSON on one line, keys sorted.
    Json,
}

/// Where a Konvoy values layer comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Konvoy {
    pub(crate) path: String,
    pub(crate) addon: Option<String>,
}

/// A chart and everything needed to render one release of it.
#[derive(Debug)]
pub(crate) struct Release {
    pub(crate) chart: String,
    pub(crate) values: ValuesOptions,
    pub(crate) konvoy: Option<Konvoy>,
    pub(crate) engine: EngineOptions,
    pub(crate) render: RenderOptions,
    pub(crate) stream: StreamOptions,
    /// `--post-renderer`: what the rendered stream goes through.
    pub(crate) post_renderer: Option<PostRenderer>,
}

/// How to run kubectl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kubectl {
    pub(crate) program: PathBuf,
    pub(crate) context: Option<String>,
    pub(crate) kubeconfig: Option<String>,
}

/// A parsed, typed command.
#[derive(Debug)]
pub(crate) enum Command {
    Template {
        release: Release,
        output_dir: Option<PathBuf>,
    },
    Values {
        release: Release,
        output: Format,
    },
    Lint(Release),
    Apply {
        release: Release,
        kubectl: Kubectl,
        opts: ApplyOptions,
    },
    Test {
        release: Release,
        kubectl: Kubectl,
        opts: TestOptions,
    },
    Charts,
    Pull {
        chart: String,
        dir: PathBuf,
    },
    Convert {
        chart: PathBuf,
        out: PathBuf,
    },
    Completions(clap_complete::Shell),
    Version,
    Unittest(crate::unittest_cmd::UnittestArgs),
}

/// `rudder version`'s text.
pub(crate) fn version_text() -> String {
    format!(
        "rudder {} (renders as helm {HELM_VERSION})\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// Which command a release is for: `template` keeps Helm's
/// `release-name` whatever `--generate-name` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum For {
    Template,
    Install,
}

/// Parses the process's arguments into a typed command.
/// The command and the memory budget (`--max-memory`, in bytes).
pub(crate) fn parse() -> Result<(Command, usize), clap::Error> {
    let cli = Cli::try_parse()?;
    let mut max_memory = DEFAULT_MAX_MEMORY;
    let mut budget = |v: &ValuesArgs| max_memory = v.max_memory;
    let command = match cli.command {
        RawCommand::Template {
            names,
            values,
            render,
            output_dir,
            release_name,
        } => {
            budget(&values);
            let release = release(names, values, render, For::Template)?;
            // Helm: `--release-name` puts the files under DIR/NAME.
            let output_dir = output_dir.map(|d| {
                if release_name {
                    d.join(&release.render.release_name)
                } else {
                    d
                }
            });
            Command::Template {
                release,
                output_dir,
            }
        }
        RawCommand::Values {
            chart,
            values,
            output,
        } => {
            budget(&values);
            let (values, konvoy) = values.into_options()?;
            let release = Release {
                chart,
                values,
                konvoy,
                engine: EngineOptions::default(),
                render: RenderOptions::default(),
                stream: StreamOptions::default(),
                post_renderer: None,
            };
            Command::Values { release, output }
        }
        RawCommand::Lint {
            names,
            values,
            render,
        } => {
            budget(&values);
            Command::Lint(release(names, values, render, For::Template)?)
        }
        RawCommand::Init {
            values,
            namespace,
            watch_namespaces,
            kubectl,
            seed,
            kube_version,
        } => {
            use rudder_charts::dispatch;
            budget(&values);
            let (mut values, konvoy) = values.into_options()?;
            values
                .set_json
                .extend(dispatch::watch_namespaces_set_json(&watch_namespaces));
            let konvoy = konvoy.map(|k| Konvoy {
                addon: k.addon.or_else(|| Some(dispatch::ADDON.to_owned())),
                ..k
            });
            let render = RenderOptions {
                release_name: dispatch::RELEASE_NAME.to_owned(),
                namespace,
                seed,
                kube_version,
                now: source_date_epoch()?,
                ..RenderOptions::default()
            };
            let (kubectl, dry_run, timeout) = kubectl.into_options();
            let release = Release {
                chart: dispatch::CHART.to_owned(),
                values,
                konvoy,
                engine: EngineOptions::default(),
                render,
                // `helm install` installs crds/ unless --skip-crds.
                stream: StreamOptions {
                    include_crds: true,
                    ..StreamOptions::default()
                },
                post_renderer: None,
            };
            Command::Apply {
                release,
                kubectl,
                opts: ApplyOptions {
                    dry_run,
                    create_namespace: true,
                    timeout,
                },
            }
        }
        RawCommand::Apply {
            names,
            values,
            render,
            kubectl,
        } => {
            budget(&values);
            let skip_crds = render.skip_crds;
            let (kubectl, dry_run, timeout) = kubectl.into_options();
            let mut release = release(names, values, render, For::Install)?;
            // `helm install` installs crds/ unless --skip-crds.
            release.stream.include_crds = !skip_crds;
            Command::Apply {
                release,
                kubectl,
                opts: ApplyOptions {
                    dry_run,
                    create_namespace: true,
                    timeout,
                },
            }
        }
        RawCommand::Test {
            names,
            values,
            render,
            kubectl,
            logs,
            filter,
        } => {
            budget(&values);
            let (kubectl, dry_run, timeout) = kubectl.into_options();
            let release = release(names, values, render, For::Install)?;
            let (only, skip) = test_filters(&filter);
            Command::Test {
                release,
                kubectl,
                opts: TestOptions {
                    dry_run,
                    timeout,
                    logs,
                    only,
                    skip,
                },
            }
        }
        RawCommand::Charts => Command::Charts,
        RawCommand::Pull { chart, dir } => Command::Pull { chart, dir },
        RawCommand::Convert { chart, out } => Command::Convert { chart, out },
        RawCommand::Completion { shell } => Command::Completions(shell),
        RawCommand::Version => Command::Version,
        RawCommand::Unittest(a) => {
            max_memory = a.max_memory;
            Command::Unittest(a)
        }
    };
    Ok((command, max_memory))
}

/// The clap command, for completion scripts.
pub(crate) fn command() -> clap::Command {
    Cli::command()
}

/// `--filter name=N` / `--filter '!name=N'` (Helm also takes `! name=`);
/// other attributes are ignored, as in Helm.
fn test_filters(filter: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut only, mut skip) = (Vec::new(), Vec::new());
    for f in filter {
        if let Some(name) = f.strip_prefix("name=") {
            only.push(name.to_owned());
        } else if let Some(rest) = f.strip_prefix('!') {
            let rest = rest.strip_prefix(char::is_whitespace).unwrap_or(rest);
            if let Some(name) = rest.strip_prefix("name=") {
                skip.push(name.to_owned());
            }
        }
    }
    (only, skip)
}

fn usage(message: String) -> clap::Error {
    clap::Error::raw(
        clap::error::ErrorKind::ValueValidation,
        format!("{message}\n"),
    )
}

/// The release name as Helm's `Install.NameAndChart` picks it: NAME, or
/// `--name-template`, or (`template`) `release-name`, or with
/// `--generate-name` CHART-SECONDS; `rudder apply`/`test` without a name
/// use `release-name` too.
fn release_name(
    names: &mut Vec<String>,
    chart: &str,
    render: &RenderArgs,
    command: For,
) -> Result<String, clap::Error> {
    if let Some(name) = names.pop() {
        if render.generate_name {
            return Err(usage(
                "cannot set --generate-name and also specify a name".to_owned(),
            ));
        }
        if render.name_template.is_some() {
            return Err(usage(
                "cannot set --name-template and also specify a name".to_owned(),
            ));
        }
        return Ok(name);
    }
    if let Some(t) = &render.name_template {
        // Helm's `TemplateName`: a Go template with Sprig's functions.
        return rudder_render::name_from_template(t, render.seed).map_err(|e| {
            // Helm names the template `name-template`.
            let e = e
                .to_string()
                .replace("name-template/templates/NOTES.txt", "name-template");
            usage(format!("--name-template {t:?}: {e}"))
        });
    }
    if command == For::Template || !render.generate_name {
        return Ok("release-name".to_owned());
    }
    // Helm: the chart path's base name up to its first dot, `chart` when
    // there is none, then `-` and the Unix time in seconds.
    let base = chart
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let base = base.split('.').next().unwrap_or_default();
    let base = if base.is_empty() { "chart" } else { base };
    let now = source_date_epoch()?.unwrap_or_else(std::time::SystemTime::now);
    let secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(format!("{base}-{secs}"))
}

/// `-l/--labels`: key=value pairs, comma separated, none of the names
/// Helm keeps for itself (checked as Helm checks them).
fn check_labels(labels: &[String]) -> Result<(), clap::Error> {
    const RESERVED: [&str; 6] = [
        "name",
        "owner",
        "status",
        "version",
        "createdAt",
        "modifiedAt",
    ];
    for arg in labels {
        for pair in arg.split(',') {
            let Some((key, _)) = pair.split_once('=') else {
                return Err(usage(format!(
                    "invalid argument {arg:?} for \"-l, --labels\" flag: {pair} must be formatted as key=value"
                )));
            };
            if RESERVED.contains(&key) {
                return Err(usage(format!(
                    "user supplied labels contains system reserved label name. System labels: [{}]",
                    RESERVED.join(" ")
                )));
            }
        }
    }
    Ok(())
}

fn release(
    mut names: Vec<String>,
    values: ValuesArgs,
    render: RenderArgs,
    command: For,
) -> Result<Release, clap::Error> {
    let chart = names.pop().unwrap_or_default();
    let release_name = release_name(&mut names, &chart, &render, command)?;
    check_labels(&render.labels)?;
    let max_stack = crate::memory::stack_share(values.max_memory);
    let (values, konvoy) = values.into_options()?;
    Ok(Release {
        chart,
        values,
        konvoy,
        engine: EngineOptions {
            strict: render.strict,
            debug: render.debug,
            max_stack: Some(max_stack),
            ..EngineOptions::default()
        },
        render: RenderOptions {
            release_name,
            namespace: render.namespace,
            is_upgrade: render.is_upgrade,
            revision: 1,
            kube_version: render.kube_version,
            api_versions: render.api_versions,
            seed: render.seed,
            now: source_date_epoch()?,
            skip_schema_validation: render.skip_schema_validation,
        },
        stream: StreamOptions {
            // As in Helm, --skip-crds does not affect `template`.
            include_crds: render.include_crds,
            no_hooks: render.no_hooks,
            skip_tests: render.skip_tests,
            show_only: render.show_only,
        },
        post_renderer: render.post_renderer.map(|program| PostRenderer {
            program,
            args: render.post_renderer_args,
        }),
    })
}

/// `SOURCE_DATE_EPOCH` (the reproducible-builds convention): the time
/// `now` and certificates use.
/// `--kube-version` checked while parsing, so a bad one is a usage error
/// (exit 2) like every other bad flag value.
fn kube_version_arg(text: &str) -> Result<String, String> {
    match rudder_render::KubeVersion::parse(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err(format!(
            "{text:?} is not a Kubernetes version; write e.g. 1.30 or v1.30.2"
        )),
    }
}

fn source_date_epoch() -> Result<Option<std::time::SystemTime>, clap::Error> {
    let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: u64 = text.trim().parse().map_err(|_| {
        clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            format!("SOURCE_DATE_EPOCH={text:?} is not a number of seconds since 1970\n"),
        )
    })?;
    Ok(Some(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs),
    ))
}

impl ValuesArgs {
    /// `-f a.yaml,b.yaml` is two files, as in Helm.
    fn into_options(self) -> Result<(ValuesOptions, Option<Konvoy>), clap::Error> {
        let mut values_files = Vec::new();
        for arg in &self.values {
            let files = split_values_flag(arg).map_err(|m| {
                clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!("invalid value for -f/--values: {m}\n"),
                )
            })?;
            values_files.extend(files);
        }
        let konvoy = self.from_konvoy.map(|path| Konvoy {
            path,
            addon: self.addon,
        });
        Ok((
            ValuesOptions {
                values_files,
                set_json: self.set_json,
                set: self.set,
                set_string: self.set_string,
                set_file: self.set_file,
                set_literal: self.set_literal,
            },
            konvoy,
        ))
    }
}

impl KubectlArgs {
    fn into_options(self) -> (Kubectl, bool, std::time::Duration) {
        (
            Kubectl {
                program: self.kubectl,
                context: self.kube_context,
                kubeconfig: self.kubeconfig,
            },
            self.dry_run,
            self.timeout,
        )
    }
}
