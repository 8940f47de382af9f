//! Helm's engine functions, the ones that need the engine itself rather
//! than a value: `include`, `tpl`, `required`, `fail`, `lookup` (Helm's
//! `pkg/engine/engine.go` registers them the same way, apart from Sprig).

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, ErrorKind, State};

use super::state::NESTING;
use super::{
    DEFINE_PREFIX, MAX_INCLUDE_CALLS, MAX_INCLUDE_DEPTH, MAX_INCLUDE_OUTPUT, MAX_TOTAL_NESTING,
    scope,
};

type Result<T> = std::result::Result<T, minijinja::Error>;

/// Installs the engine functions into `env`.
pub(super) fn register(env: &mut Environment<'_>) {
    env.add_function("include", include);
    env.add_function("tpl", tpl);
    env.add_function("fail", |msg: Option<String>| -> Result<Value> {
        Err(chart_rule(msg.unwrap_or_default()))
    });
    env.add_filter("required", required);
    env.add_function("required", |msg: String, v: Value| required(v, msg));
    // `helm template` has no cluster: lookup finds nothing.
    env.add_function("lookup", |_a: Value, _b: Value, _c: Value, _d: Value| {
        Value::from_pairs(std::iter::empty::<(String, Value)>())
    });
}

thread_local! {
    /// The message of the last `fail`/`required` that failed on this
    /// thread: the chart author's own words, shown without the template
    /// excerpt (Helm: `execution error at (FILE:LINE): MESSAGE`).
    static CHART_RULE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The error of a chart rule (`fail`, `required`), remembered as such.
fn chart_rule(message: String) -> minijinja::Error {
    CHART_RULE.with(|r| *r.borrow_mut() = Some(message.clone()));
    minijinja::Error::new(ErrorKind::InvalidOperation, message)
}

/// The last chart rule's message, taken (see [`CHART_RULE`]).
pub(crate) fn take_chart_rule() -> Option<String> {
    CHART_RULE.with(|r| r.borrow_mut().take())
}

/// Runs `f` one level deeper for `name`, refusing past Helm's limit and
/// rudder's per-render budget of calls and output.
pub(crate) fn nested(name: &str, f: impl FnOnce() -> Result<String>) -> Result<String> {
    let (depth, total, calls) = NESTING.with(|n| {
        let mut n = n.borrow_mut();
        n.total += 1;
        n.calls += 1;
        // Names stay in the map at 0: no allocation once a name was seen.
        let depth = match n.by_name.get_mut(name) {
            Some(d) => {
                *d += 1;
                *d
            }
            None => {
                n.by_name.insert(name.to_owned(), 1);
                1
            }
        };
        (depth, n.total, n.calls)
    });
    let result = if calls > MAX_INCLUDE_CALLS {
        Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "rendering template {name}: more than {MAX_INCLUDE_CALLS} include/tpl calls in one render; look for a named template that includes itself more than once per level"
            ),
        ))
    } else if depth > MAX_INCLUDE_DEPTH {
        Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "rendering template has a nested reference name: {name}: more than {MAX_INCLUDE_DEPTH} nested calls"
            ),
        ))
    } else if total > MAX_TOTAL_NESTING {
        Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "rendering template {name}: more than {MAX_TOTAL_NESTING} nested include/tpl calls in all; look for named templates that include each other"
            ),
        ))
    } else {
        // Each level compiles and renders a template; make sure it has
        // room, on a fresh heap-allocated stack segment if need be.
        stacker::maybe_grow(256 * 1024, 2 * 1024 * 1024, f)
    };
    let output = NESTING.with(|n| {
        let mut n = n.borrow_mut();
        n.total = n.total.saturating_sub(1);
        if let Some(d) = n.by_name.get_mut(name) {
            *d = d.saturating_sub(1);
        }
        if let Ok(text) = &result {
            n.output = n.output.saturating_add(text.len());
        }
        n.output
    });
    match result {
        Ok(_) if output > MAX_INCLUDE_OUTPUT => Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "rendering template {name}: include/tpl calls returned more than {} MiB in one render; look for a named template whose output doubles per level",
                MAX_INCLUDE_OUTPUT >> 20
            ),
        )),
        result => result,
    }
}

/// The context a named template or `tpl` text sees: the passed value as
/// `ctx`, and its keys as top-level names when it is a map.
pub(crate) fn context_for(ctx: Value) -> Value {
    Value::from_object(scope::Scope(ctx))
}

/// Helm `include NAME CTX`: renders a named template to a string (so it can
/// be piped: `{{ include("x.labels", ctx) | nindent(4) }}`).
fn include(state: &State, name: &str, ctx: Option<Value>) -> Result<String> {
    nested(name, || {
        let mut key = String::with_capacity(DEFINE_PREFIX.len() + name.len());
        key.push_str(DEFINE_PREFIX);
        key.push_str(name);
        let t = state.env().get_template(&key).map_err(|e| {
            if e.kind() == ErrorKind::TemplateNotFound {
                minijinja::Error::new(
                    ErrorKind::TemplateNotFound,
                    format!("include: no template named {name:?}; define it with {{% define \"{name}\" %}}"),
                )
            } else {
                e
            }
        })?;
        t.render(context_for(ctx.unwrap_or_default()))
    })
}

/// Helm `tpl TEXT CTX`: renders a string from values as a template.
pub(crate) fn tpl(state: &State, text: &str, ctx: Option<Value>) -> Result<String> {
    let name = state.name().to_owned();
    nested(&format!("tpl:{name}"), || {
        let t = state.env().template_from_named_str(&name, text)?;
        t.render(context_for(ctx.unwrap_or_default()))
    })
}

/// Helm `required MSG VALUE`: the value, or an error with the message when
/// it is missing, null or the empty string.
/// `{{ Values.password | required("set password") }}`
fn required(v: Value, msg: String) -> Result<Value> {
    let missing = match v.kind() {
        ValueKind::Undefined | ValueKind::None => true,
        ValueKind::String => v.as_str() == Some(""),
        _ => false,
    };
    if missing { Err(chart_rule(msg)) } else { Ok(v) }
}
