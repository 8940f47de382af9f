//! The runtime half of the Go-template dialect: the helpers that
//! templates translated by [`rudder_gotmpl`] call, where Go's semantics
//! differ from Jinja's.
//!
//! Every helper follows Go 1.25's `text/template` (`exec.go`, `funcs.go`)
//! and returns Go's message on failure; the engine adds the file, line,
//! column and action from the translation's source map, as Helm prints
//! them. Names are [`rudder_gotmpl::helpers`].

mod builtins;
mod compare;
pub(crate) mod errors;
mod fields;
pub(crate) mod inventory;

use minijinja::Environment;
use rudder_gotmpl::helpers as h;

/// Registers every helper on `env`. `strict` is Helm's `--strict`
/// (`missingkey=error`): a missing map key is an error instead of no value.
pub(crate) fn register(env: &mut Environment<'_>, strict: bool) {
    fields::register(env, strict);
    compare::register(env);
    builtins::register(env);
    env.add_function(h::ERROR, |msg: String| -> Result<(), minijinja::Error> {
        Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            msg,
        ))
    });
}

/// An error carrying Go's message.
pub(crate) fn go_error(msg: impl Into<std::borrow::Cow<'static, str>>) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, msg)
}

#[cfg(test)]
mod tests;
