//! The stack a render runs on.
//!
//! Template values can nest as deep as the fuel allows (a loop wrapping a
//! list in a list), and minijinja frees them recursively: a render needs a
//! stack of [`RENDER_STACK_BYTES`]. The calling thread switches onto a fresh
//! stack that large for the render (stacker; only the pages used are
//! touched, and all are unmapped after). Rendering on another thread with
//! that stack, as rudder did before, cost two thread wake-ups per render on
//! top of starting the thread: ~15% of a Dispatch render on a 2-core VM and
//! three quarters of a small one.
//!
//! Where stacker cannot switch stacks (platforms `psm` does not support),
//! the render runs on a thread with that stack instead.

use super::RENDER_STACK_BYTES;
use crate::{Error, Result};

/// Runs `render` on a [`RENDER_STACK_BYTES`] stack; a panic becomes an
/// error (as Helm recovers from template panics).
pub(crate) fn on_render_stack<T: Send>(render: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let mut render = Some(render);
    let mut out = None;
    let switched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stacker::grow(RENDER_STACK_BYTES, || {
            // Without stack switching, `grow` runs this on the current
            // stack: leave the render to a thread then.
            let room = stacker::remaining_stack().unwrap_or(0);
            if room >= RENDER_STACK_BYTES / 2
                && let Some(render) = render.take()
            {
                out = Some(render());
            }
        });
    }));
    if switched.is_err() {
        return Err(panicked());
    }
    match (out, render) {
        (Some(result), _) => result,
        (None, Some(render)) => on_thread(render),
        (None, None) => Err(panicked()),
    }
}

/// Runs `render` on a new thread with a [`RENDER_STACK_BYTES`] stack.
fn on_thread<T: Send>(render: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("rudder-render".to_owned())
            .stack_size(RENDER_STACK_BYTES)
            .spawn_scoped(scope, render)
            .map_err(|e| Error::Render {
                message: format!("cannot start the render thread: {e}"),
            })?
            .join()
            .unwrap_or_else(|_| Err(panicked()))
    })
}

fn panicked() -> Error {
    Error::Render {
        message: "the render panicked; please report this".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_run_on_a_large_stack_and_panics_become_errors() {
        let room =
            on_render_stack(|| Ok(stacker::remaining_stack().unwrap_or(0))).expect("no error");
        assert!(room >= RENDER_STACK_BYTES / 2, "{room}");
        let thread = on_thread(|| Ok(stacker::remaining_stack().unwrap_or(0))).expect("no error");
        assert!(thread >= RENDER_STACK_BYTES / 2, "{thread}");
        let err = on_render_stack(|| -> Result<()> { panic!("boom") }).expect_err("an error");
        assert_eq!(
            err.to_string(),
            "render: the render panicked; please report this"
        );
    }
}
