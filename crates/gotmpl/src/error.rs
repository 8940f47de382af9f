//! The crate's one error type.

/// Why a Go template could not be parsed or translated. The `Display` text
/// is Go's own (`template: NAME:LINE: MESSAGE`), which Helm then rewrites
/// as `parse error at (NAME:LINE): MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A syntax error Go's parser reports too.
    #[error("template: {name}:{line}: {message}")]
    Parse {
        /// The template file's name.
        name: String,
        /// The 1-based line of the offending token.
        line: usize,
        /// Go's message, e.g. `unexpected {{end}}`.
        message: String,
    },
    /// The source is larger than [`crate::Limits::max_source_bytes`].
    #[error("template: {name}: the template is {size} bytes, more than rudder's limit of {limit}")]
    TooLarge {
        /// The template file's name.
        name: String,
        /// Its size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Actions, pipelines or parentheses nest deeper than
    /// [`crate::Limits::max_depth`].
    #[error(
        "template: {name}:{line}: actions nest more than {limit} levels deep (rudder's limit); flatten the template"
    )]
    TooDeep {
        /// The template file's name.
        name: String,
        /// The line where the limit was passed.
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// More syntax nodes than [`crate::Limits::max_nodes`].
    #[error("template: {name}:{line}: more than {limit} template nodes (rudder's limit)")]
    TooManyNodes {
        /// The template file's name.
        name: String,
        /// The line where the limit was passed.
        line: usize,
        /// The limit.
        limit: usize,
    },
}

impl Error {
    /// The 1-based line the error points at, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::Parse { line, .. }
            | Error::TooDeep { line, .. }
            | Error::TooManyNodes { line, .. } => Some(*line),
            Error::TooLarge { .. } => None,
        }
    }

    /// The message without the `template: NAME:LINE: ` prefix.
    pub fn message(&self) -> String {
        match self {
            Error::Parse { message, .. } => message.clone(),
            other => {
                let full = other.to_string();
                match full.splitn(3, ": ").nth(2) {
                    Some(m) => m.to_owned(),
                    None => full,
                }
            }
        }
    }
}

/// The 1-based line of byte `at` in `src`.
pub(crate) fn line_of(src: &str, at: usize) -> usize {
    let at = at.min(src.len());
    1 + src.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count()
}

/// Go's `ErrorContext` location of byte `at`: 1-based line, 0-based byte
/// column.
pub fn line_col(src: &str, at: usize) -> (usize, usize) {
    let at = at.min(src.len());
    let before = &src.as_bytes()[..at];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let col = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => at - nl - 1,
        None => at,
    };
    (line, col)
}
