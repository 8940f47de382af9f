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
    Values(ValuesCmd),
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
