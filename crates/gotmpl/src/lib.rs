//! Go `text/template` (Helm's template language) parsed and translated
//! into [minijinja](https://docs.rs/minijinja) source.
//!
//! [`parse`] follows Go 1.25's `text/template/parse`: the same grammar
//! (actions, pipelines, parenthesised commands, `:=`/`=` variables,
//! `if`/`else if`/`with`/`else with`/`range`/`else`, `break`/`continue`,
//! `define`/`template`/`block`, comments, trim markers, raw strings,
//! character constants, `nil`) and the same error messages. [`translate`]
//! turns the tree into minijinja source that calls runtime helpers (see
//! [`helpers`]) wherever Go's semantics differ from Jinja's, plus a
//! [`SourceMap`] from the Jinja source back to Go's nodes, so errors can be
//! reported at the Go file, line and column as Helm reports them.
//!
//! Functions other than Go's builtins are called as Jinja globals under
//! their Helm names with Go's argument order: `{{ .x | trunc 63 }}` becomes
//! `trunc(63, __gf(ctx, "x"))`.
//!
//! ```
//! use rudder_gotmpl::{Limits, translate};
//!
//! let src = "{{- range $i, $v := .Values.list }}{{ $i }}={{ $v | quote }} {{ end -}}";
//! let known = |name: &str| name == "quote";
//! let t = translate("demo/templates/x.yaml", src, &known, &Limits::default()).unwrap();
//! assert_eq!(
//!     t.main.source,
//!     r#"{% for __k2, __e1 in __grange(__gfv(ctx, "Values", "list")) %}{% set __v1 = __k2 %}{% set __v2 = __e1 %}{{ __v1 }}={{ quote(__v2) }} {% endfor %}"#
//! );
//!
//! // Unknown functions are parse errors, as in Go.
//! let err = translate("x", "{{ nope 1 }}", &known, &Limits::default()).unwrap_err();
//! assert_eq!(err.to_string(), r#"template: x:1: function "nope" not defined"#);
//! ```
#![forbid(unsafe_code)]

pub mod ast;
mod error;
mod lex;
mod literal;
mod parse;
mod translate;
mod unquote;

pub use error::{Error, line_col};
pub use parse::parse;
pub use translate::{
    BUILTINS, Call, DefineOutput, Functions, Output, SourceMap, Span, Subject, Translation,
    helpers, is_builtin, jinja_string, translate_aligned, translate_file,
};

/// Bounds on one template's source, so hostile input cannot exhaust the
/// stack or take more than linear time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest source accepted, in bytes.
    pub max_source_bytes: usize,
    /// Deepest nesting of control structures and parenthesised pipelines.
    pub max_depth: usize,
    /// Most nodes (text, actions, commands) one file may hold.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_source_bytes: 16 << 20,
            max_depth: 200,
            max_nodes: 2_000_000,
        }
    }
}

/// Parses and translates one Go template file named `name`. `funcs` says
/// which functions exist besides Go's builtins, and how each is called.
pub fn translate(
    name: &str,
    src: &str,
    funcs: &dyn Functions,
    limits: &Limits,
) -> Result<Translation, Error> {
    let file = parse(name, src, funcs, limits)?;
    translate_file(&file, src, funcs)
}
