//! The registration agrees with the inventory: every Helm name is
//! registered (a Go-order global, and a filter where the inventory gives a
//! pipe), nothing else is, and `env`/`expandenv` are absent.

use super::{INVENTORY, Origin, Pipe, known};
use crate::funcs::{Clock, Rng, register_all};
use minijinja::Environment;

/// Names rudder's engine (`crates/render/src/engine`) registers itself.
/// Checked against the inventory here and against a real engine in
/// `tests/functions.rs`.
const ENGINE: &[&str] = &["include", "tpl", "required", "fail", "lookup"];

fn registered() -> super::Registered {
    let mut env = Environment::new();
    register_all(&mut env, Rng::new(Some(1)), Clock::new(None))
}

#[test]
fn registration_matches_inventory() {
    let reg = registered();
    let mut problems = Vec::new();
    for spec in INVENTORY {
        let here = reg.globals.contains(spec.name);
        match spec.origin {
            Origin::GoBuiltin => {
                // Go's builtins belong to the Go-template runtime; only
                // printf, which Jinja charts need, is also registered.
                if here != (spec.name == "printf") {
                    problems.push(format!("{}: go builtin registered={here}", spec.name));
                }
            }
            Origin::Engine => {
                if !ENGINE.contains(&spec.name) || here {
                    problems.push(format!("{}: engine name registered by funcs", spec.name));
                }
            }
            Origin::Sprig | Origin::Helm => {
                if !here {
                    problems.push(format!("{}: no global", spec.name));
                }
                let filter = reg.filters.contains(spec.name);
                if filter != (spec.pipe != Pipe::None) {
                    problems.push(format!(
                        "{}: filter registered={filter}, pipe {:?}",
                        spec.name, spec.pipe
                    ));
                }
            }
        }
    }
    for name in reg.globals.iter().chain(reg.filters.iter()) {
        if known(name).is_none() {
            problems.push(format!("{name}: registered but not in Helm's map"));
        }
    }
    for name in ENGINE {
        if known(name).is_none_or(|s| s.origin != Origin::Engine) {
            problems.push(format!("{name}: engine name missing from the inventory"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn env_and_expandenv_are_absent() {
    let reg = registered();
    for name in ["env", "expandenv"] {
        assert!(known(name).is_none(), "{name} in the inventory");
        assert!(!reg.globals.contains(name) && !reg.filters.contains(name));
    }
}

#[test]
fn inventory_size_and_must_twins() {
    // Sprig v3.3.0's 209 names (with `push`/`mustPush`), less env and
    // expandenv, plus Helm's 12, plus Go's 18 builtins that Sprig does not
    // shadow (Sprig's `slice` replaces Go's).
    assert_eq!(INVENTORY.len(), 239);
    for spec in INVENTORY {
        if let Some(m) = spec.must {
            let twin = known(m).unwrap_or_else(|| panic!("{}: twin {m} unknown", spec.name));
            assert_eq!(twin.family, spec.family, "{m}");
        }
    }
}

#[test]
fn docs_list_every_function() {
    let doc = include_str!("../../../../docs/functions.md");
    for spec in INVENTORY {
        assert!(
            doc.contains(&format!("| `{}` | {} |", spec.name, spec.family)),
            "docs/functions.md lacks {}; regenerate it from inventory.tsv",
            spec.name
        );
    }
}
