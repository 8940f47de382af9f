//! The one error type of `rudder-render`.

/// Everything that can go wrong loading a chart or computing its values.
///
/// Messages are lowercase, name the file (and line where known), the values
/// path or the dependency, and say what to do.
#[derive(Debug, thiserror::Error)]
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

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
