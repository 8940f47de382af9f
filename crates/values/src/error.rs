//! The one error type of `rudder-values`.

use std::path::PathBuf;

/// Everything that can go wrong reading or combining values.
///
/// Messages are lowercase, name where the problem is (file and line, flag and
/// text, or values path) and say what to do.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A values file (or other YAML text) could not be parsed.
    #[error("{origin}:{line}:{column}: {message}")]
    Yaml {
        /// Where the text came from: a file path, `<stdin>`, `--set-json`, ….
        origin: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A `--set`-family flag could not be parsed or applied.
    #[error("{flag} {text:?}: {message}")]
    Flag {
        /// The flag, as typed: `--set`, `--set-string`, `--set-json`, ….
        flag: &'static str,
        /// The flag's argument, or the part of it that is wrong.
        text: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A file named by `-f` or `--set-file` could not be read.
    #[error("{flag} {path}: {source}", path = path.display())]
    Read {
        /// The flag that named the file.
        flag: &'static str,
        /// The file.
        path: PathBuf,
        /// Why reading failed.
        #[source]
        source: std::io::Error,
    },
    /// Values that cannot be combined, at a values path.
    #[error("values path `{path}`: {message}")]
    Merge {
        /// Dotted values path, e.g. `argo-cd.server`.
        path: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// Several independent problems, all reported at once.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
}

impl Error {
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

/// `Debug` prints the message, so `?` from `main` reads like `{e}`.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
