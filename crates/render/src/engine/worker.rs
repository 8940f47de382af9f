//! The thread an [`Engine`](super::Engine) renders on.
//!
//! Renders need a large stack (see [`super::RENDER_STACK_BYTES`]). Starting
//! a thread with one for every render (mapping and unmapping the stack,
//! faulting its pages in again, a fresh allocator heap) cost ~160 µs of a
//! 1.4 ms Dispatch render, so an engine keeps one thread and hands it each
//! render. The thread ends when the engine is dropped, after a panic (its
//! thread-local state may be stale), and after any render slower than
//! [`KEEP_BELOW`]: such a render may have built deep values whose teardown
//! touched much of the stack, and a new thread gives those pages back.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rudder_values::Map;

use super::{Inner, RENDER_STACK_BYTES, RenderOptions, Rendered};
use crate::{Error, Result};

/// Renders faster than this keep the thread for the next render. Real
/// charts render in 0.05–5 ms; building a value deep enough to need much
/// stack takes longer.
const KEEP_BELOW: Duration = Duration::from_millis(10);

/// One render for the thread, and where to send its result (and whether
/// the thread stays).
struct Job {
    user: Map,
    opts: RenderOptions,
    reply: SyncSender<(Result<Rendered>, bool)>,
}

struct Running {
    jobs: Sender<Job>,
    thread: JoinHandle<()>,
}

/// The engine's render thread, started on first use.
#[derive(Default)]
pub(super) struct Worker(Mutex<Option<Running>>);

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Worker")
    }
}

impl Worker {
    /// Renders on the thread (starting one if needed); renders through one
    /// engine run one at a time.
    pub(super) fn render(
        &self,
        inner: &Arc<Inner>,
        user: Map,
        opts: &RenderOptions,
    ) -> Result<Rendered> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let running = match slot.take() {
            Some(running) => running,
            None => start(inner.clone())?,
        };
        let (reply, result) = mpsc::sync_channel(1);
        let job = Job {
            user,
            opts: opts.clone(),
            reply,
        };
        let answer = running
            .jobs
            .send(job)
            .ok()
            .and_then(|()| result.recv().ok());
        match answer {
            Some((rendered, true)) => {
                *slot = Some(running);
                rendered
            }
            // The thread ends on its own; nobody needs to wait for it.
            Some((rendered, false)) => rendered,
            None => Err(panicked()),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let slot = self.0.get_mut().unwrap_or_else(PoisonError::into_inner);
        if let Some(Running { jobs, thread }) = slot.take() {
            // No more jobs: the thread's loop ends.
            drop(jobs);
            let _ = thread.join();
        }
    }
}

fn start(inner: Arc<Inner>) -> Result<Running> {
    let (jobs, queue) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("rudder-render".to_owned())
        .stack_size(RENDER_STACK_BYTES)
        .spawn(move || serve(&inner, &queue))
        .map_err(|e| Error::chart("render", format!("cannot start the render thread: {e}")))?;
    Ok(Running { jobs, thread })
}

fn serve(inner: &Inner, queue: &Receiver<Job>) {
    while let Ok(Job { user, opts, reply }) = queue.recv() {
        let started = Instant::now();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            inner.render_here(user, &opts)
        }));
        let (rendered, keep) = match run {
            Ok(rendered) => (rendered, started.elapsed() < KEEP_BELOW),
            Err(_) => (Err(panicked()), false),
        };
        if reply.send((rendered, keep)).is_err() || !keep {
            break;
        }
    }
}

fn panicked() -> Error {
    Error::chart("render", "the render thread panicked; please report this")
}
