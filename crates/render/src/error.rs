//! The one error type of `rudder-render`.

use std::fmt;

/// Everything that can go wrong loading a chart, computing its values or
/// rendering a release.
///
/// Each variant says where: the chart file, the template (and line), the
/// values path, the option. Messages are lowercase and say what to do.
/// `Display` (`{e}`) is the message a user reads; `Debug` prints the same
/// text, so `fn main() -> Result<(), rudder_render::Error>` and `?` give a
/// readable report instead of a struct dump.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A chart file is missing, malformed or breaks a chart rule.
    #[error("{path}: {message}")]
    Chart {
        /// The chart file (or chart) concerned, as the user would find it.
        path: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A chart file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why reading failed.
        #[source]
        source: std::io::Error,
    },
    /// Values could not be read, parsed or merged.
    #[error(transparent)]
    Values(#[from] rudder_values::Error),
    /// Values break a chart's `values.schema.json`, or that file is not a
    /// usable JSON Schema.
    #[error("{chart}: {message} ({file})")]
    Schema {
        /// The chart, by name from the top (`top/charts/sub`, aliases applied).
        chart: String,
        /// The schema file.
        file: String,
        /// The values path, the rule and the value found; or what is wrong
        /// with the schema.
        message: String,
    },
    /// A template failed to compile or to render.
    #[error("{}: {message}", template_at(template, within.as_deref(), *line))]
    Template {
        /// The template file, by Helm path (`chart/templates/x.yaml`).
        template: String,
        /// The named template (`define`) the error happened in, when it is
        /// not the file's own text.
        within: Option<String>,
        /// The line, in `within` when set, else in `template`.
        line: Option<usize>,
        /// What went wrong, with an excerpt of the template source.
        message: String,
    },
    /// A Go template (a Helm chart's) failed to parse or to render:
    /// Helm's own text (`parse error at (FILE:LINE): …`, `FILE:LINE:COL`
    /// then the action and the reason).
    #[error("{message}")]
    GoTemplate {
        /// The template file, by Helm path.
        template: String,
        /// Helm's message.
        message: String,
    },
    /// A rendered document is not a Kubernetes object Helm accepts.
    #[error("{template}: {message}")]
    Manifest {
        /// The template that rendered it, by Helm path.
        template: String,
        /// What is wrong, with an excerpt of the document.
        message: String,
    },
    /// A release option is unusable: the release name, `--kube-version`,
    /// `--show-only`.
    #[error("{option}: {message}")]
    Option {
        /// The option, as the user wrote it (`--show-only`, `release name`).
        option: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// The chart's `kubeVersion` excludes the Kubernetes version rendered
    /// for.
    #[error(
        "{file}: chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {version}; \
         pass --kube-version with a matching version"
    )]
    KubeVersion {
        /// The chart's `Chart.yaml`.
        file: String,
        /// The chart's constraint.
        constraint: String,
        /// The version rendered for.
        version: String,
    },
    /// The render itself could not run (its thread could not start, or it
    /// panicked).
    #[error("render: {message}")]
    Render {
        /// What happened.
        message: String,
    },
    /// Several independent problems, all reported at once.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
}

impl Error {
    pub(crate) fn chart(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Chart {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Folds a list of errors into one: `Ok(())` for none, the error itself
    /// for one, `Many` otherwise.
    pub fn collect(mut errors: Vec<Error>) -> Result<(), Error> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Error::Many(errors)),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Where a template error happened, as rudder has always printed it:
/// `file:line`, or `file (in define, line n)` inside a named template.
fn template_at(template: &str, within: Option<&str>, line: Option<usize>) -> String {
    match (within, line) {
        (Some(d), Some(l)) => format!("{template} (in {d}, line {l})"),
        (None, Some(l)) => format!("{template}:{l}"),
        _ => template.to_owned(),
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
