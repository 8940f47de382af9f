//! The one error type of `rudder-charts`.

use std::fmt;

/// What can go wrong finding or loading a chart by reference.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The reference is neither a local chart nor a bundled one.
    #[error(
        "{reference}: no such chart: not a local directory or .tgz, and not a bundled chart ({known}); \
         `rudder charts` lists the bundled ones"
    )]
    UnknownChart {
        /// The reference as given.
        reference: String,
        /// The bundled charts' references, comma-separated.
        known: String,
    },
    /// The chart could not be loaded.
    #[error(transparent)]
    Render(#[from] rudder_render::Error),
    /// Values (a Konvoy addon block) could not be read.
    #[error(transparent)]
    Values(#[from] rudder_values::Error),
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
