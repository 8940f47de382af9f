//! The whole template function map of Helm 4.1.4, as data.
//!
//! `inventory.tsv` beside this file lists every name a Helm chart can call:
//! Sprig v3.3.0's generic map without `env` and `expandenv` (Helm deletes
//! them in `pkg/engine/funcs.go`, so charts cannot read the environment),
//! Helm's own functions (`toYaml`, `fromYaml`, `toToml`, `include`, `tpl`,
//! `required`, `lookup`, …) and Go's `text/template` builtins (`and`,
//! `index`, `len`, …, provided by the Go-template runtime, not here).
//! `build.rs` turns the file into [`INVENTORY`]; [`Reg`] registers every
//! function from it, and the Go-template translator reads the same table
//! for argument order, so the two cannot disagree.
//!
//! Each function is registered twice under its Helm name:
//! - a **global** taking Go's argument order (`trunc(63, x)`,
//!   `regexReplaceAll(re, s, repl)`, `default("a", x)`), which is what the
//!   translator emits for `{{ x | trunc 63 }}`;
//! - a **filter** (unless [`Pipe::None`]) whose input is the Go argument
//!   [`Spec::pipe`] names, the other arguments following in Go's order
//!   (`x | trunc(63)`), the Jinja dialect's convention.
//!
//! One typed Rust function implements each name; the other form wraps it
//! by moving the piped argument (see [`Reg::finish`]).

use minijinja::value::{FunctionArgs, FunctionResult, Rest, Value};
use minijinja::{Environment, Error, ErrorKind, State, functions::Function};
use std::collections::{BTreeMap, BTreeSet};

/// Which Go argument a Jinja filter takes as its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pipe {
    /// No filter form: a global only (`dict`, `until`, `uuidv4`).
    None,
    /// The first Go argument (`hasKey m "k"` is `m | hasKey("k")`).
    First,
    /// The last Go argument, where Go's pipe puts it (`trunc 63 x` is
    /// `x | trunc(63)`).
    Last,
    /// The Go argument at this index (`regexReplaceAll re s repl` is
    /// `s | regexReplaceAll(re, repl)`, index 1).
    Index(u8),
}

/// Where a name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Sprig v3.3.0's `genericMap` (`functions.go`).
    Sprig,
    /// Helm's `pkg/engine/funcs.go` (or its override of a Sprig name).
    Helm,
    /// Bound by Helm's engine per render (`include`, `tpl`, `required`,
    /// `fail`, `lookup`); rudder's engine registers them.
    Engine,
    /// Go's `text/template` builtins, provided by the Go-template runtime
    /// (the translator), not by this library.
    GoBuiltin,
}

/// One function of Helm's map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The Helm name.
    pub name: &'static str,
    /// The family (module) it belongs to.
    pub family: &'static str,
    /// Fewest Go arguments.
    pub min_args: u8,
    /// Most Go arguments; `None` for variadic.
    pub max_args: Option<u8>,
    /// Which Go argument a Jinja filter takes as input.
    pub pipe: Pipe,
    /// The `must*` twin that returns an error where this one returns empty.
    pub must: Option<&'static str>,
    /// Where the name comes from.
    pub origin: Origin,
}

include!(concat!(env!("OUT_DIR"), "/inventory.rs"));

/// The inventory entry for `name`, if Helm 4.1.4 has a function of that name.
pub fn known(name: &str) -> Option<&'static Spec> {
    INVENTORY.iter().find(|s| s.name == name)
}

impl Spec {
    /// Moves the Go arguments into filter order: the piped one first.
    fn filter_order(&self, mut args: Vec<Value>) -> Vec<Value> {
        let i = self.pipe_index(args.len());
        if let Some(i) = i
            && i > 0
            && i < args.len()
        {
            let v = args.remove(i);
            args.insert(0, v);
        }
        args
    }

    /// Moves filter arguments (input first) into Go order.
    fn go_order(&self, mut args: Vec<Value>) -> Vec<Value> {
        // The Go position of the input, counted in the full argument list.
        if let Some(i) = self.pipe_index(args.len())
            && i > 0
            && i < args.len()
        {
            let v = args.remove(0);
            args.insert(i, v);
        }
        args
    }

    fn pipe_index(&self, n: usize) -> Option<usize> {
        match self.pipe {
            Pipe::None => None,
            Pipe::First => Some(0),
            Pipe::Last => Some(n.saturating_sub(1)),
            Pipe::Index(i) => Some(usize::from(i)),
        }
    }

    /// Go's "wrong number of args for trunc: want 2 got 1".
    fn check_arity(&self, n: usize) -> Result<(), Error> {
        let min = usize::from(self.min_args);
        let ok = n >= min && self.max_args.is_none_or(|m| n <= usize::from(m));
        if ok {
            return Ok(());
        }
        let want = match self.max_args {
            Some(m) if m == self.min_args => format!("{m}"),
            Some(m) => format!("{min} to {m}"),
            None => format!("at least {min}"),
        };
        Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "wrong number of args for {}: want {want} got {n}",
                self.name
            ),
        ))
    }
}

/// Registers the library into an environment, recording every name so
/// [`Reg::finish`] can add the other calling form from the inventory.
pub struct Reg<'a, 'e> {
    env: &'a mut Environment<'e>,
    filters: BTreeMap<&'static str, Value>,
    globals: BTreeMap<&'static str, Value>,
}

impl<'a, 'e> Reg<'a, 'e> {
    pub(crate) fn new(env: &'a mut Environment<'e>) -> Self {
        Reg {
            env,
            filters: BTreeMap::new(),
            globals: BTreeMap::new(),
        }
    }

    /// A filter in the Jinja convention (the piped value first).
    pub fn add_filter<F, Rv, Args>(&mut self, name: &'static str, f: F)
    where
        F: Function<Rv, Args> + Clone,
        Rv: FunctionResult,
        Args: for<'x> FunctionArgs<'x>,
    {
        self.filters.insert(name, Value::from_function(f.clone()));
        self.env.add_filter(name, f);
    }

    /// A global taking Go's argument order.
    pub fn add_function<F, Rv, Args>(&mut self, name: &'static str, f: F)
    where
        F: Function<Rv, Args>,
        Rv: FunctionResult,
        Args: for<'x> FunctionArgs<'x>,
    {
        let v = Value::from_function(f);
        self.globals.insert(name, v.clone());
        self.env.add_global(name, v);
    }

    /// Adds, for every inventory name registered in one form only, the
    /// other form: a Go-order global around a filter, or a filter around a
    /// Go-order global. Returns the names registered, filters and globals.
    pub(crate) fn finish(self) -> Registered {
        let mut done = Registered {
            filters: self.filters.keys().copied().collect(),
            globals: self.globals.keys().copied().collect(),
        };
        for spec in INVENTORY {
            let (has_f, has_g) = (
                self.filters.contains_key(spec.name),
                self.globals.contains_key(spec.name),
            );
            if has_f && !has_g {
                let filter = self.filters[spec.name].clone();
                let spec = *spec;
                self.env.add_function(
                    spec.name,
                    move |state: &mut State, args: Rest<Value>| -> Result<Value, Error> {
                        spec.check_arity(args.len())?;
                        filter.call(state, &spec.filter_order(args.0))
                    },
                );
                done.globals.insert(spec.name);
            } else if has_g && !has_f && spec.pipe != Pipe::None {
                let global = self.globals[spec.name].clone();
                let spec = *spec;
                self.env.add_filter(
                    spec.name,
                    move |state: &mut State, args: Rest<Value>| -> Result<Value, Error> {
                        spec.check_arity(args.len())?;
                        global.call(state, &spec.go_order(args.0))
                    },
                );
                done.filters.insert(spec.name);
            }
        }
        done
    }
}

/// The names [`Reg`] registered.
#[derive(Debug, Default, Clone)]
pub struct Registered {
    /// Filter names.
    pub filters: BTreeSet<&'static str>,
    /// Global function names.
    pub globals: BTreeSet<&'static str>,
}

#[cfg(test)]
#[path = "inventory_tests.rs"]
mod tests;
