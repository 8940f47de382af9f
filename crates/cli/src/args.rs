//! Command-line arguments: clap's raw view, turned into typed options in
//! one place ([`parse`]).

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use rudder_render::{EngineOptions, RenderOptions, StreamOptions};
use rudder_values::{ValuesOptions, split_values_flag};

const TEMPLATE_EXAMPLES: &str = "\
Examples:
  # The Dispatch chart with its defaults, as `helm install --name dispatch --namespace dispatch dispatch/dispatch`
  rudder template dispatch dispatch/dispatch -n dispatch | kubectl apply -f -

  # Argo CD autoscaling from the Dispatch docs
  rudder template dispatch dispatch/dispatch -n dispatch \\
    --set argo-cd.server.autoscaling.minReplicas=2 \\
    --set argo-cd.repoServer.autoscaling.minReplicas=3

  # Keys with dots: escape them, as with Helm
  rudder template dispatch dispatch/dispatch -n dispatch \\
    --set argo-cd.server.ingress.annotations.\"traefik\\.ingress\\.kubernetes\\.io\\/auth-type\"=\"\"

  # A values file, or the values block of a Konvoy addon
  rudder template dispatch dispatch/dispatch -n dispatch --values values.yaml
  rudder template dispatch dispatch/dispatch -n dispatch --from-konvoy cluster.yaml";

const INIT_EXAMPLES: &str = "\
Examples:
  # Install Dispatch into the current kubectl context (namespace dispatch)
  rudder init

  # MinIO in distributed mode, as in the Dispatch docs
  rudder init --set minio.mode=distributed --set minio.replicas=6

  # Manual replicas instead of autoscaling
  rudder init \\
    --set argo-cd.server.autoscaling.enabled=false \\
    --set argo-cd.repoServer.autoscaling.enabled=false \\
    --set argo-cd.server.replicas=2 \\
    --set argo-cd.repoServer.replicas=1

  # Another cluster: pick the kubectl context, watch two namespaces
  rudder init --kube-context prod --watch-namespace team-a --watch-namespace team-b

  # Look before applying
  rudder init --set argo-cd.konvoyDex.enabled=true --dry-run";

/// Render Helm charts (with Jinja templates) without Helm.
#[derive(Debug, Parser)]
#[command(name = "rudder", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: RawCommand,
    /// Stop with an error when rudder needs more memory than this (e.g.
    /// 512M, 8G): a template growing a value without bound fails cleanly
    /// instead of exhausting the machine.
    #[arg(long, global = true, value_name = "SIZE", default_value = "4G",
          value_parser = crate::memory::parse_size)]
    max_memory: usize,
}

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
        after_help = "Example:\n  rudder apply isd opsmx/isd -n opsmx --set controller.enabled=true --dry-run"
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
    #[command(
        after_help = "Example:\n  rudder test dispatch dispatch/dispatch -n dispatch --dry-run"
    )]
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
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  rudder completions bash > /etc/bash_completion.d/rudder")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
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
    /// Seed for random functions (passwords, certificates), for
    /// reproducible output. Set SOURCE_DATE_EPOCH (seconds since 1970) to
    /// also pin `now` and certificate validity.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
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
    /// Print the stream that would be applied instead of running kubectl.
    #[arg(long)]
    dry_run: bool,
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
        dry_run: bool,
        tests_only: bool,
        create_namespace: bool,
    },
    Charts,
    Pull {
        chart: String,
        dir: PathBuf,
    },
    Completions(clap_complete::Shell),
    Unittest(crate::unittest_cmd::UnittestArgs),
}

/// Parses the process's arguments into a typed command.
/// The command and the memory budget (`--max-memory`, in bytes).
pub(crate) fn parse() -> Result<(Command, usize), clap::Error> {
    let cli = Cli::try_parse()?;
    let command = match cli.command {
        RawCommand::Template {
            names,
            values,
            render,
            output_dir,
        } => Command::Template {
            release: release(names, values, render)?,
            output_dir,
        },
        RawCommand::Values {
            chart,
            values,
            output,
        } => {
            let (values, konvoy) = values.into_options()?;
            let release = Release {
                chart,
                values,
                konvoy,
                engine: EngineOptions::default(),
                render: RenderOptions::default(),
                stream: StreamOptions::default(),
            };
            Command::Values { release, output }
        }
        RawCommand::Lint {
            names,
            values,
            render,
        } => Command::Lint(release(names, values, render)?),
        RawCommand::Init {
            values,
            namespace,
            watch_namespaces,
            kubectl,
            seed,
            kube_version,
        } => {
            use rudder_charts::dispatch;
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
            let (kubectl, dry_run) = kubectl.into_options();
            let release = Release {
                chart: dispatch::CHART.to_owned(),
                values,
                konvoy,
                engine: EngineOptions::default(),
                render,
                stream: StreamOptions::default(),
            };
            Command::Apply {
                release,
                kubectl,
                dry_run,
                tests_only: false,
                create_namespace: true,
            }
        }
        RawCommand::Apply {
            names,
            values,
            render,
            kubectl,
        } => apply(names, values, render, kubectl, false)?,
        RawCommand::Test {
            names,
            values,
            render,
            kubectl,
        } => apply(names, values, render, kubectl, true)?,
        RawCommand::Charts => Command::Charts,
        RawCommand::Pull { chart, dir } => Command::Pull { chart, dir },
        RawCommand::Completions { shell } => Command::Completions(shell),
        RawCommand::Unittest(a) => Command::Unittest(a),
    };
    Ok((command, cli.max_memory))
}

/// The clap command, for completion scripts.
pub(crate) fn command() -> clap::Command {
    Cli::command()
}

/// `rudder apply` (namespace created first) or `rudder test` (test hooks
/// only, into an existing release).
fn apply(
    names: Vec<String>,
    values: ValuesArgs,
    render: RenderArgs,
    kubectl: KubectlArgs,
    tests_only: bool,
) -> Result<Command, clap::Error> {
    let (kubectl, dry_run) = kubectl.into_options();
    let release = release(names, values, render)?;
    Ok(Command::Apply {
        release,
        kubectl,
        dry_run,
        tests_only,
        create_namespace: !tests_only,
    })
}

fn release(
    mut names: Vec<String>,
    values: ValuesArgs,
    render: RenderArgs,
) -> Result<Release, clap::Error> {
    let chart = names.pop().unwrap_or_default();
    let release_name = names.pop().unwrap_or_else(|| "release-name".to_owned());
    let (values, konvoy) = values.into_options()?;
    Ok(Release {
        chart,
        values,
        konvoy,
        engine: EngineOptions {
            strict: render.strict,
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
        },
        stream: StreamOptions {
            // As in Helm, --skip-crds does not affect `template`.
            include_crds: render.include_crds,
            no_hooks: render.no_hooks,
            skip_tests: render.skip_tests,
            show_only: render.show_only,
        },
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
    fn into_options(self) -> (Kubectl, bool) {
        (
            Kubectl {
                program: self.kubectl,
                context: self.kube_context,
                kubeconfig: self.kubeconfig,
            },
            self.dry_run,
        )
    }
}
