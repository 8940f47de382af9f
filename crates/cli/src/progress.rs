//! Progress lines on stderr for steps that take seconds (a large values
//! file, a chart's unittest suites) — only when stderr is a terminal, so
//! logs and pipes never see them.

use std::io::{IsTerminal, Write};

/// Values files above this size get a `reading …` line.
pub(crate) const LARGE_FILE: u64 = 1 << 20;

/// Whether progress is shown: stderr is a terminal.
pub(crate) fn enabled() -> bool {
    std::io::stderr().is_terminal()
}

/// Prints `message` as a line of its own on stderr, if [`enabled`].
pub(crate) fn line(message: &str) {
    if enabled() {
        // Progress is best-effort: a closed stderr is no reason to fail.
        let _ = writeln!(std::io::stderr(), "{message}");
    }
}
