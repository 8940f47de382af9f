//! Per-render state: what one release's render owns while it runs.
//!
//! An [`Engine`](super::Engine) is shared, like minijinja's `Environment`:
//! any number of threads render from one at once. What a render changes —
//! its random stream, its clock, its `include`/`tpl` nesting counts — must
//! therefore not live in the engine. It cannot live in minijinja's `State`
//! either: the functions are registered once for the environment, and every
//! `include` and `tpl` renders a new template with a fresh `State`. So a
//! render installs its state on the thread it runs on for as long as it
//! runs ([`RenderState::enter`]), and the functions find it there. The
//! guard restores whatever was in force before, so a render started from
//! inside another (a library user's own function) nests, and a render that
//! panicked leaves nothing behind.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::funcs::{RenderClock, RenderStream};

/// Nesting of `include`/`tpl` calls in the render on this thread.
#[derive(Debug, Default)]
pub(super) struct Nesting {
    /// Per template name (Helm's limit is per name).
    pub(super) by_name: HashMap<String, usize>,
    /// All calls together.
    pub(super) total: usize,
    /// Calls made so far in this render, finished or not.
    pub(super) calls: usize,
    /// Bytes those calls returned so far.
    pub(super) output: usize,
}

thread_local! {
    pub(super) static NESTING: RefCell<Nesting> = RefCell::new(Nesting::default());
}

/// The state of one render, in force on this thread while it lives.
#[derive(Debug)]
#[must_use = "the render's state is in force only while the guard lives"]
pub(crate) struct RenderState {
    _stream: RenderStream,
    _clock: RenderClock,
    outer: Nesting,
}

impl RenderState {
    /// Starts a render: its own random stream (`--seed`), its own time
    /// (`SOURCE_DATE_EPOCH`), fresh nesting counts.
    pub(crate) fn enter(seed: Option<u64>, now: Option<std::time::SystemTime>) -> RenderState {
        RenderState {
            _stream: RenderStream::enter(seed),
            _clock: RenderClock::enter(now),
            outer: NESTING.with(|n| n.replace(Nesting::default())),
        }
    }
}

impl Drop for RenderState {
    fn drop(&mut self) {
        let outer = std::mem::take(&mut self.outer);
        NESTING.with(|n| *n.borrow_mut() = outer);
    }
}
