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
pub(crate) mod dialect;
pub(crate) mod errors;
mod fallback;
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

/// Registers the engine calls that depend on a template's dialect:
/// `include` and `tpl` (replacing the Jinja-only ones), Go's `{{template}}`,
/// Go's printing of nil, rudder's `gotpl`, and the helpers.
pub(crate) fn register_engine_calls(
    env: &mut Environment<'static>,
    go: std::sync::Arc<dialect::GoSet>,
    funcs: std::sync::Arc<inventory::HelmFunctions>,
    strict: bool,
) {
    use crate::engine::calls::{context_for, nested, tpl};
    use minijinja::State;
    use minijinja::value::Value;
    register(env, strict);
    let g = go.clone();
    env.set_formatter(move |out, state, value| {
        let name = state.name();
        crate::engine::print_value(out, value, g.is_go(name) || g.is_ctx_only(name))
    });
    let g = go.clone();
    env.add_function(
        "include",
        move |state: &State, name: &str, ctx: Option<Value>| {
            nested(name, || {
                dialect::include(state, &g, name, ctx.unwrap_or_default(), &context_for)
            })
        },
    );
    let g = go.clone();
    env.add_function(
        rudder_gotmpl::helpers::TEMPLATE,
        move |state: &State, name: &str, ctx: Option<Value>| {
            nested(name, || {
                dialect::template(state, &g, name, ctx.unwrap_or_default(), &context_for)
            })
        },
    );
    let (g, f) = (go.clone(), funcs.clone());
    env.add_function(
        "tpl",
        move |state: &State, text: &str, ctx: Option<Value>| {
            if !g.is_go(state.name()) {
                return tpl(state, text, ctx);
            }
            let name = format!("tpl:{}", state.name());
            nested(&name, || {
                dialect::go_tpl(state, &g, &f, text, ctx.unwrap_or_default())
            })
        },
    );
    // rudder's own, for Jinja charts that take values files written for a
    // Helm chart: such values carry Go template text (`url:
    // ldap://{{ .Release.Name }}-openldap:389`), which Helm's `tpl`
    // renders and Jinja's `tpl` cannot parse. `gotpl(text, ctx)` renders it
    // as Helm's `tpl` does, in either dialect. Not in Helm's function map,
    // so Go templates cannot call it.
    env.add_function(
        "gotpl",
        move |state: &State, text: &str, ctx: Option<Value>| {
            let name = format!("gotpl:{}", state.name());
            nested(&name, || {
                dialect::go_tpl(state, &go, &funcs, text, ctx.unwrap_or_default())
            })
        },
    );
}

/// A number read out of the values tree as Helm's templates see it: Helm
/// decodes values files through JSON, so every number is a float64
/// (`{{ .Values.n }}` with `n: 1000000` prints `1e+06`, `eq .Values.port
/// 80` is an int/float mismatch). rudder keeps integers exact in the tree;
/// Go templates read them as floats.
/// `key` is the map key `v` was read under (`None` for a list item): a
/// number a template `set` on a `Values` map is Go's own `int`, not one
/// from the tree.
pub(crate) fn from_values(
    container: &minijinja::value::Value,
    key: Option<&minijinja::value::Value>,
    v: minijinja::value::Value,
) -> minijinja::value::Value {
    if v.is_integer()
        && container
            .downcast_object_ref::<crate::funcs::convert::View>()
            .is_some_and(|view| key.is_none_or(|k| view.holds_tree_number(k, &v)))
        && let Ok(f) = f64::try_from(v.clone())
    {
        return minijinja::value::Value::from(f);
    }
    v
}

/// Registers Helm functions the function library lacks (see
/// [`fallback`]), before the translator learns which names are globals.
pub(crate) fn register_fallbacks(env: &mut Environment<'_>) {
    fallback::register(env);
}

/// An error carrying Go's message.
pub(crate) fn go_error(msg: impl Into<std::borrow::Cow<'static, str>>) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, msg)
}

#[cfg(test)]
mod tests;
