//! Command-line arguments: clap's raw view, turned into typed options in
//! one place ([`parse`]).

use clap::{Args, Parser, Subcommand, ValueEnum};
use rudder_values::{ValuesOptions, split_values_flag};

/// Render Helm charts (with Jinja templates) without Helm.
#[derive(Debug, Parser)]
#[command(name = "rudder", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: RawCommand,
}

#[derive(Debug, Subcommand)]
enum RawCommand {
    /// Render a chart's templates into the manifest stream `helm template`
    /// prints, ready for `kubectl apply -f -`.
    Template {
        /// Release name, then the chart; with one argument it is the chart
        /// and the release is named `release-name`, as in Helm.
        #[arg(value_name = "[NAME] CHART", num_args = 1..=2, required = true)]
        names: Vec<String>,
        #[command(flatten)]
        values: ValuesArgs,
        #[command(flatten)]
        render: RenderArgs,
    },
    /// Print the values a chart's templates see (`.Values`), after merging
    /// the chart's defaults, its subcharts' defaults and your overrides.
    Values {
        /// The chart: a directory or a .tgz archive.
        chart: String,
        #[command(flatten)]
        values: ValuesArgs,
        /// Output format.
        #[arg(short, long, value_enum, default_value_t = Format::Yaml)]
        output: Format,
    },
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
    #[arg(long, value_name = "VERSION")]
    kube_version: Option<String>,
    /// Kubernetes API versions for `Capabilities.APIVersions` (repeatable).
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
    /// Write each template to a file under this directory instead of stdout.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<std::path::PathBuf>,
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

/// Output format of `rudder values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// YAML, keys sorted as Helm prints them.
    Yaml,
    /// JSON on one line, keys sorted.
    Json,
}

/// A parsed, typed command.
#[derive(Debug)]
pub(crate) enum Command {
    Template(TemplateCmd),
    Values(ValuesCmd),
}

/// `rudder template`.
#[derive(Debug)]
pub(crate) struct TemplateCmd {
    pub(crate) chart: String,
    pub(crate) values: ValuesOptions,
    pub(crate) engine: rudder_render::EngineOptions,
    pub(crate) render: rudder_render::RenderOptions,
    pub(crate) stream: rudder_render::StreamOptions,
    pub(crate) output_dir: Option<std::path::PathBuf>,
}

/// `rudder values`.
#[derive(Debug)]
pub(crate) struct ValuesCmd {
    pub(crate) chart: String,
    pub(crate) values: ValuesOptions,
    pub(crate) output: Format,
}

/// Parses the process's arguments into a typed command.
pub(crate) fn parse() -> Result<Command, clap::Error> {
    let cli = Cli::try_parse()?;
    match cli.command {
        RawCommand::Template {
            mut names,
            values,
            render,
        } => {
            let chart = names.pop().unwrap_or_default();
            let release_name = names.pop().unwrap_or_else(|| "release-name".to_owned());
            Ok(Command::Template(TemplateCmd {
                chart,
                values: values.into_options()?,
                engine: rudder_render::EngineOptions {
                    strict: render.strict,
                },
                render: rudder_render::RenderOptions {
                    release_name,
                    namespace: render.namespace,
                    is_upgrade: render.is_upgrade,
                    revision: 1,
                    kube_version: render.kube_version,
                    api_versions: render.api_versions,
                    seed: render.seed,
                    now: source_date_epoch()?,
                },
                stream: rudder_render::StreamOptions {
                    // As in Helm, --skip-crds does not affect `template`.
                    include_crds: render.include_crds,
                    no_hooks: render.no_hooks,
                    skip_tests: render.skip_tests,
                    show_only: render.show_only,
                },
                output_dir: render.output_dir,
            }))
        }
        RawCommand::Values {
            chart,
            values,
            output,
        } => Ok(Command::Values(ValuesCmd {
            chart,
            values: values.into_options()?,
            output,
        })),
    }
}

/// `SOURCE_DATE_EPOCH` (the reproducible-builds convention): the time
/// `now` and certificates use.
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
    fn into_options(self) -> Result<ValuesOptions, clap::Error> {
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
        Ok(ValuesOptions {
            values_files,
            set_json: self.set_json,
            set: self.set,
            set_string: self.set_string,
            set_file: self.set_file,
            set_literal: self.set_literal,
        })
    }
}
