//! A panic that escapes every guard: one line asking for a report.
//!
//! Libraries turn panics into errors where Helm recovers from them (a
//! render, schema validation), so the hook must not end the process or
//! print: it only records what panicked, and where. `main` reports an
//! uncaught panic in one line with that record, and adds it to an error
//! that came from a caught one, so a report carries the cause. Rust's
//! default hook would print the message, a backtrace hint and, for a
//! caught panic, noise before a perfectly good error.

use std::sync::Mutex;

static LAST: Mutex<Option<String>> = Mutex::new(None);

/// Installs the recording hook for the life of the process.
pub(crate) fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // The message's first line only: a report stays one line.
        let first = message.lines().next().unwrap_or_default();
        if let Ok(mut last) = LAST.lock() {
            *last = Some(format!("{first}{at}"));
        }
    }));
}

/// The last panic recorded, taken.
pub(crate) fn take() -> Option<String> {
    LAST.lock().ok().and_then(|mut last| last.take())
}

/// The line for a panic that reached `main`.
pub(crate) fn report() -> String {
    let cause = take().unwrap_or_else(|| "no details".to_owned());
    format!(
        "Error: rudder stopped on an internal error ({cause}); this is a bug, please report it \
         with the command you ran"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_is_recorded_in_one_line_with_its_place() {
        let before = std::panic::take_hook();
        super::install();
        let caught = std::panic::catch_unwind(|| panic!("first line\nsecond line"));
        std::panic::set_hook(before);
        assert!(caught.is_err());
        let line = super::report();
        assert!(
            line.starts_with("Error: rudder stopped on an internal error (first line at ")
                && line.contains("crash.rs:")
                && !line.contains("second line")
                && !line.contains('\n'),
            "{line}"
        );
        assert_eq!(super::take(), None, "taken once");
    }
}
