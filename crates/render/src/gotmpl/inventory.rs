//! The functions a Helm chart's templates may call, as the Go-template
//! translator sees them: exactly the names of the function library's
//! inventory ([`crate::funcs::inventory`], Helm 4.1.4's map: Sprig v3
//! without `env`/`expandenv`, Helm's own and the engine's late-bound
//! `include`, `tpl`, `required`, `fail`, `lookup`), so the parser and the
//! registration can never disagree. Go's parser rejects any other name at
//! parse time (`function "x" not defined`); so does rudder's.
//!
//! Every inventory name is registered as a global taking Go's arguments in
//! Go's order, and the translator calls it so. A name the environment has
//! only as a filter (none today) is called as one, with the input the
//! inventory's `pipe` column names.

use std::collections::HashSet;

use rudder_gotmpl::{Call, Functions, Subject};

use crate::funcs::inventory::{Origin, Pipe, known};

/// Helm's function names, and how the environment takes each.
#[derive(Debug, Clone)]
pub(crate) struct HelmFunctions {
    /// Names registered as globals (Go's argument order).
    globals: HashSet<String>,
}

impl HelmFunctions {
    /// `globals` are the names the environment has as global functions.
    pub(crate) fn new(globals: impl IntoIterator<Item = String>) -> Self {
        HelmFunctions {
            globals: globals.into_iter().collect(),
        }
    }
}

impl Functions for HelmFunctions {
    /// An inventory name other than Go's builtins (the translator
    /// implements those itself).
    fn has(&self, name: &str) -> bool {
        known(name).is_some_and(|s| s.origin != Origin::GoBuiltin)
    }

    fn call(&self, name: &str) -> Call {
        if self.globals.contains(name) {
            return Call::Global;
        }
        Call::Filter(match known(name).map(|s| s.pipe) {
            Some(Pipe::First) => Subject::First,
            Some(Pipe::Index(1)) => Subject::Second,
            _ => Subject::Last,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names Sprig's or Helm's later versions define, or that were never
    /// Helm's, fail at parse time as in helm 4.1.4.
    #[test]
    fn only_helm_4_1_4s_names_are_defined() {
        let f = HelmFunctions::new([]);
        for name in ["toYaml", "include", "mustRegexFind", "deepEqual", "fail"] {
            assert!(f.has(name), "{name}");
        }
        for name in [
            "env",
            "expandenv",
            "durationSeconds",
            "mustToToml",
            "randSeededNumeric",
            "and",
            "nosuch",
        ] {
            assert!(!f.has(name), "{name}");
        }
    }
}
