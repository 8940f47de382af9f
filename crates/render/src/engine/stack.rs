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
//! Under an address-space limit (`ulimit -v`, common on shared CI runners)
//! a 1 GiB mapping may not fit, and stacker panics when its `mmap` fails.
//! There the render runs on a thread instead, whose stack is a share of the
//! limit; spawning reports a failed mapping as an error, so rudder tries
//! smaller stacks down to [`MIN_STACK_BYTES`] and then says why it cannot
//! start. A smaller stack holds less nesting: a value built that deep ends
//! in the binary's stack-overflow message rather than a crash.
//!
//! Where stacker cannot switch stacks (platforms `psm` does not support),
//! the render runs on a thread too.

use super::RENDER_STACK_BYTES;
use crate::{Error, Result};

/// The smallest render stack rudder tries: the bundled charts need well
/// under a tenth of it.
const MIN_STACK_BYTES: usize = 8 << 20;

/// The share of an address-space limit a render stack may take: the
/// binary, the heap and the allocator's arenas need the rest.
const LIMIT_SHARE: usize = 8;

/// Runs `render` on a large stack; a panic becomes an error (as Helm
/// recovers from template panics).
pub(crate) fn on_render_stack<T: Send>(
    max: Option<usize>,
    render: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    let bytes = max.map_or(RENDER_STACK_BYTES, |m| {
        m.clamp(MIN_STACK_BYTES, RENDER_STACK_BYTES)
    });
    if let Some(limit) = address_space_limit() {
        return on_thread(render, stack_under(limit).min(bytes));
    }
    let mut render = Some(render);
    let mut out = None;
    // A panic inside the render is caught here; `out` stays empty.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stacker::grow(bytes, || {
            // Without stack switching, `grow` runs this on the current
            // stack: leave the render to a thread then.
            let room = stacker::remaining_stack().unwrap_or(0);
            if room >= bytes / 2
                && let Some(render) = render.take()
            {
                out = Some(render());
            }
        });
    }));
    match (out, render) {
        (Some(result), _) => result,
        // Not switched, or the mapping failed before the render started
        // (stacker panics then): a thread with a stack it can get.
        (None, Some(render)) => on_thread(render, bytes),
        (None, None) => Err(panicked()),
    }
}

/// The render stack under an address-space limit of `limit` bytes.
fn stack_under(limit: u64) -> usize {
    let share = usize::try_from(limit / LIMIT_SHARE as u64).unwrap_or(usize::MAX);
    share.clamp(MIN_STACK_BYTES, RENDER_STACK_BYTES)
}

/// `RLIMIT_AS` when the process has one.
#[cfg(unix)]
fn address_space_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::As).current
}

#[cfg(not(unix))]
fn address_space_limit() -> Option<u64> {
    None
}

/// Runs `render` on a new thread with a stack of `bytes`, or of half as
/// much while the system refuses the mapping, down to [`MIN_STACK_BYTES`].
fn on_thread<T: Send>(render: impl FnOnce() -> Result<T> + Send, bytes: usize) -> Result<T> {
    // A refused spawn drops its closure: the closure takes `render` from
    // this slot when it runs, so a retry still has it.
    let slot = std::sync::Mutex::new(Some(render));
    let slot = &slot;
    let mut bytes = bytes.max(MIN_STACK_BYTES);
    std::thread::scope(|scope| {
        loop {
            let spawned = std::thread::Builder::new()
                .name("rudder-render".to_owned())
                .stack_size(bytes)
                .spawn_scoped(scope, move || {
                    let render = slot.lock().ok().and_then(|mut r| r.take());
                    render.map(|render| render())
                });
            match spawned {
                Ok(handle) => {
                    return match handle.join() {
                        Ok(Some(result)) => result,
                        Ok(None) | Err(_) => Err(panicked()),
                    };
                }
                Err(e) if bytes <= MIN_STACK_BYTES => {
                    return Err(Error::Render {
                        message: format!(
                            "cannot start the render: the system refused a stack of {} MiB \
                             ({e}); raise the address-space limit (`ulimit -v`) to at least \
                             256 MiB",
                            bytes >> 20
                        ),
                    });
                }
                Err(_) => bytes = (bytes / 2).max(MIN_STACK_BYTES),
            }
        }
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
        let room = on_render_stack(None, || Ok(stacker::remaining_stack().unwrap_or(0)))
            .expect("no error");
        assert!(room >= RENDER_STACK_BYTES / 2, "{room}");
        let thread =
            on_thread(|| Ok(stacker::remaining_stack().unwrap_or(0)), 64 << 20).expect("no error");
        assert!(thread >= 32 << 20, "{thread}");
        let err = on_render_stack(None, || -> Result<()> { panic!("boom") }).expect_err("an error");
        assert_eq!(
            err.to_string(),
            "render: the render panicked; please report this"
        );
    }

    #[test]
    fn a_limited_address_space_gets_a_share_of_it() {
        assert_eq!(stack_under(256 << 20), 32 << 20);
        assert_eq!(stack_under(1 << 40), RENDER_STACK_BYTES);
        assert_eq!(stack_under(16 << 20), MIN_STACK_BYTES);
    }

    #[test]
    fn a_refused_stack_is_retried_smaller_then_an_error() {
        // No system maps a stack of 1 PiB (more than a 47-bit address
        // space): the spawn fails, the halving retries run, and the render
        // happens on a stack that fits.
        let out = on_thread(|| Ok(7), 1 << 50);
        assert_eq!(out.expect("a smaller stack was found"), 7);
    }
}
