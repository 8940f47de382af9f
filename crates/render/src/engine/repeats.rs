//! One error per cause: a mistake in a named template fails every file
//! that includes it.
//!
//! Helm stops at the first failing file, so it shows a broken helper once.
//! rudder lists every failing file, and without this step a typo in a
//! helper included by eight templates would be eight identical problems.
//! Errors whose cause is the same (the same helper, line and message) are
//! reported once, at the helper, with the files that reached it listed.
//! The first of them stays as it is (Helm's own error, in Helm's order).

use crate::Error;

/// The line a Jinja define error carries for the file that included it,
/// merged here into one list.
pub(crate) const INCLUDED_FROM: &str = "included from: ";

/// The detail of an include frame (see [`include_frame`]).
const FRAME: &str = "\u{1}include frame";

/// An error of a named template that a Jinja template included, wrapped
/// in a frame: minijinja stamps an error with the line of the frame it is
/// first seen in and never again, so without the frame the helper's line
/// would be known and the include call's lost. The frame takes the
/// caller's line; [`unframe`] gets both back.
pub(crate) fn include_frame(cause: minijinja::Error) -> minijinja::Error {
    if cause.line().is_none() {
        return cause;
    }
    minijinja::Error::new(cause.kind(), FRAME).with_source(cause)
}

/// The cause under `e`'s include frames, and the line of the outermost
/// frame: where the failing file called the first include.
pub(crate) fn unframe(e: &minijinja::Error) -> (&minijinja::Error, Option<usize>) {
    let mut cause = e;
    while cause.detail() == Some(FRAME) {
        match std::error::Error::source(cause).and_then(|s| s.downcast_ref::<minijinja::Error>()) {
            Some(inner) => cause = inner,
            None => break,
        }
    }
    let caller_line = if std::ptr::eq(cause, e) {
        None
    } else {
        e.line()
    };
    (cause, caller_line)
}

/// Merges errors with the same cause, keeping the first of each.
pub(crate) fn merge(errors: Vec<Error>) -> Vec<Error> {
    let mut out: Vec<Error> = Vec::with_capacity(errors.len());
    let mut keys: Vec<Option<String>> = Vec::with_capacity(errors.len());
    for e in errors {
        let Some((key, caller)) = cause(&e) else {
            out.push(e);
            keys.push(None);
            continue;
        };
        match keys.iter().position(|k| k.as_deref() == Some(key.as_str())) {
            Some(i) => add_caller(&mut out[i], &caller),
            None => {
                keys.push(Some(key));
                out.push(e);
            }
        }
    }
    out
}

/// The cause of an error in a named template, and where it was reached
/// from; `None` for errors of a file's own text.
fn cause(e: &Error) -> Option<(String, String)> {
    match e {
        // Helm's chain: `FILE:L:C` … `error calling include:` then the
        // helper's own `FILE:L:C` and reason. The last link is the cause.
        Error::GoTemplate { message, .. } => {
            let at = ["error calling include:\n", "error calling tpl:\n"]
                .iter()
                .filter_map(|m| message.rfind(m).map(|i| i + m.len()))
                .max()?;
            let caller = message.lines().next().unwrap_or_default().to_owned();
            Some((format!("go\n{}", &message[at..]), caller))
        }
        Error::Template {
            template,
            within: Some(within),
            line,
            message,
        } => {
            let (own, caller) = message.rsplit_once(&format!("\n{INCLUDED_FROM}"))?;
            Some((
                format!("jinja\n{template}\n{within}\n{line:?}\n{own}"),
                caller.to_owned(),
            ))
        }
        _ => None,
    }
}

/// Lists `caller` on `kept`, the first error of its cause.
fn add_caller(kept: &mut Error, caller: &str) {
    match kept {
        Error::GoTemplate { message, .. } => {
            const ALSO: &str = "\nthe same error is reached from: ";
            if message.contains(ALSO) {
                message.push_str(", ");
            } else {
                message.push_str(ALSO);
            }
            message.push_str(caller);
        }
        Error::Template { message, .. } => {
            message.push_str(", ");
            message.push_str(caller);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(file: &str) -> Error {
        Error::GoTemplate {
            template: file.to_owned(),
            message: format!(
                "{file}:6:8\n  executing \"{file}\" at <include \"x\" .>:\n    error calling include:\n\
                 c/templates/_h.tpl:2:10\n  executing \"x\" at <.a.b>:\n    nil pointer"
            ),
        }
    }

    fn jinja(caller: &str, line: usize) -> Error {
        Error::Template {
            template: "c/templates/_h.tpl".to_owned(),
            within: Some("x".to_owned()),
            line: Some(line),
            message: format!("unknown filter\n{INCLUDED_FROM}{caller}"),
        }
    }

    #[test]
    fn one_helper_error_is_one_problem_with_its_callers() {
        let merged = merge(vec![
            go("c/templates/b.yaml"),
            go("c/templates/a.yaml"),
            jinja("c/templates/b.yaml", 2),
            jinja("c/templates/a.yaml", 2),
            jinja("c/templates/a.yaml", 3),
        ]);
        assert_eq!(merged.len(), 3);
        let Error::GoTemplate { message, .. } = &merged[0] else {
            panic!("{merged:?}")
        };
        assert!(message.starts_with("c/templates/b.yaml:6:8\n"), "{message}");
        assert!(
            message
                .ends_with("nil pointer\nthe same error is reached from: c/templates/a.yaml:6:8"),
            "{message}"
        );
        assert_eq!(
            merged[1].to_string(),
            "c/templates/_h.tpl (in x, line 2): unknown filter\n\
             included from: c/templates/b.yaml, c/templates/a.yaml"
        );
        assert!(
            merged[2].to_string().contains("line 3"),
            "another line, another problem"
        );
    }

    #[test]
    fn errors_of_a_files_own_text_stay_apart() {
        let own = |t: &str| Error::GoTemplate {
            template: t.to_owned(),
            message: format!("{t}:1:1: nil pointer"),
        };
        assert_eq!(merge(vec![own("a"), own("a")]).len(), 2);
    }
}
