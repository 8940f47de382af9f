//! The process's memory budget (`--max-memory`).
//!
//! Template fuel bounds the steps a render takes, not the memory one step
//! may allocate: `{% set ns.s = ns.s ~ ns.s %}` in a loop doubles a string
//! per step and would take the machine down long before the fuel runs out.
//! minijinja offers no hook inside its operators, so the binary counts what
//! it allocates. Past the budget, rudder prints a clear error and exits
//! with status 1, instead of being killed by the kernel (or aborting on a
//! failed allocation) after exhausting the machine.
//!
//! With the fault handler in `overflow.rs`, this is the only `unsafe` in
//! rudder: `GlobalAlloc` is an unsafe trait.
//! Each method forwards to mimalloc with the caller's arguments unchanged;
//! the wrapper only counts bytes.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::fs::File;
use std::io::Write;
use std::mem::ManuallyDrop;
use std::os::fd::FromRawFd;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering};

/// Each thread settles its allocations with the shared count once they
/// add up to this many bytes either way: an atomic operation per
/// allocation would cost a tenth of a large values load. The count may lag
/// by this much per thread; one allocation this large settles at once.
const SETTLE: isize = 1 << 20;

thread_local! {
    // Const-initialised and without a destructor: safe to touch from the
    // allocator, which must not allocate or unwind.
    static UNSETTLED: Cell<isize> = const { Cell::new(0) };
}

/// Counts live heap bytes and stops the process past the limit.
pub(crate) struct Budget {
    live: AtomicIsize,
    /// The heap's share of the budget.
    limit: AtomicUsize,
    /// The whole budget, as `--max-memory` gave it.
    shown: AtomicUsize,
    tripped: AtomicBool,
}

/// The part of a `--max-memory` budget a render's stack may use: the
/// stack is not heap, so it is set aside rather than counted (a template
/// that recurses without bound fills the stack, not the heap).
pub(crate) fn stack_share(budget: usize) -> usize {
    budget / 8
}

impl Budget {
    pub(crate) const fn new() -> Budget {
        Budget {
            live: AtomicIsize::new(0),
            limit: AtomicUsize::new(usize::MAX),
            shown: AtomicUsize::new(usize::MAX),
            tripped: AtomicBool::new(false),
        }
    }

    /// Sets the budget in bytes (from `--max-memory`): the heap gets what
    /// the render stack ([`stack_share`]) leaves.
    pub(crate) fn set_limit(&self, bytes: usize) {
        self.shown.store(bytes, Ordering::Relaxed);
        self.limit
            .store(bytes.saturating_sub(stack_share(bytes)), Ordering::Relaxed);
    }

    /// Counts `delta` bytes (negative when freed); past the limit, reports
    /// and exits.
    fn count(&self, delta: isize) {
        let settle = UNSETTLED
            .try_with(|unsettled| {
                let total = unsettled.get().saturating_add(delta);
                if total.abs() < SETTLE {
                    unsettled.set(total);
                    0
                } else {
                    unsettled.set(0);
                    total
                }
            })
            .unwrap_or(delta);
        if settle <= 0 {
            if settle < 0 {
                self.live.fetch_add(settle, Ordering::Relaxed);
            }
            return;
        }
        let live = self
            .live
            .fetch_add(settle, Ordering::Relaxed)
            .saturating_add(settle);
        let limit = self.limit.load(Ordering::Relaxed);
        if usize::try_from(live).is_ok_and(|live| live > limit)
            && !self.tripped.swap(true, Ordering::SeqCst)
        {
            // From here on allocations pass (the message below may
            // allocate); the process ends right after it.
            out_of_memory(self.shown.load(Ordering::Relaxed));
        }
    }
}

fn size(bytes: usize) -> isize {
    isize::try_from(bytes).unwrap_or(isize::MAX)
}

/// What the process is doing, for the message when the budget runs out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Doing {
    /// Reading and parsing a values file (`-f`, `--set-file`, stdin).
    ReadingValues(String),
    /// Rendering a chart's templates.
    Rendering(String),
}

static DOING: Mutex<Option<Doing>> = Mutex::new(None);

/// Records what the process does from now on.
pub(crate) fn doing(what: Doing) {
    if let Ok(mut d) = DOING.lock() {
        *d = Some(what);
    }
}

#[cold]
fn out_of_memory(limit: usize) -> ! {
    let limit = limit >> 20;
    // `try_lock`: the allocation that tripped may come from a thread that
    // holds the lock (setting it); the message then stays generic.
    let doing = DOING.try_lock().ok().and_then(|d| d.clone());
    let message = match doing {
        Some(Doing::ReadingValues(path)) => format!(
            "Error: rudder needed more than {limit} MiB of memory (--max-memory) while reading \
             values file {path} and stopped: the file is too large, or has no end (a device \
             such as /dev/zero); check the path, or raise --max-memory for a file that really \
             is this large\n"
        ),
        Some(Doing::Rendering(chart)) => format!(
            "Error: rudder needed more than {limit} MiB of memory (--max-memory) while rendering \
             chart {chart} and stopped: a template or a value is growing without bound (e.g. a \
             string doubled in a loop, or a huge repeat); fix the template, or raise \
             --max-memory if the chart really needs more\n"
        ),
        None => format!(
            "Error: rudder needed more than {limit} MiB of memory (--max-memory) and stopped; \
             raise --max-memory if the input really needs more\n"
        ),
    };
    stop(message.as_bytes())
}

/// The system refused an allocation (an address-space limit, `ulimit -v`,
/// or no memory left). Rust's default would abort with "memory allocation
/// of N bytes failed" and status 134; rudder says what to do and exits 1.
/// No formatting: the message must not need the memory that just failed.
#[cold]
fn refused() -> ! {
    stop(
        b"Error: the system refused rudder more memory (an address-space limit such as `ulimit -v`, or the machine is out of memory); raise the limit, or render a smaller chart or values file\n",
    )
}

/// Writes `message` to stderr and exits with status 1.
fn stop(message: &[u8]) -> ! {
    // Not through `std::io::stderr()`: `main` holds its lock while it runs
    // the command, and this may be any thread.
    // SAFETY: descriptor 2 stays open for the life of the process, and
    // `ManuallyDrop` keeps this `File` from closing it.
    #[allow(unsafe_code)]
    let mut stderr = ManuallyDrop::new(unsafe { File::from_raw_fd(2) });
    let _ = stderr.write_all(message);
    std::process::exit(1)
}

/// `ptr`, or the refusal message when the allocator returned null.
fn granted(ptr: *mut u8) -> *mut u8 {
    if ptr.is_null() {
        refused()
    }
    ptr
}

// SAFETY: every method forwards its arguments unchanged to mimalloc's
// implementation of the same method, which upholds `GlobalAlloc`'s
// contract; the counting around it touches no memory of the allocation.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Budget {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.count(size(layout.size()));
        // SAFETY: forwarded unchanged (see above).
        granted(unsafe { mimalloc::MiMalloc.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.count(size(layout.size()));
        // SAFETY: forwarded unchanged (see above).
        granted(unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.count(-size(layout.size()));
        // SAFETY: forwarded unchanged (see above).
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.count(size(new_size) - size(layout.size()));
        // SAFETY: forwarded unchanged (see above).
        granted(unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) })
    }
}

/// Parses a size for `--max-memory`: bytes, or a number with `K`, `M`, `G`
/// (powers of 1024; `KiB`, `MiB`, `GiB` and `KB`, `MB`, `GB` read the same).
pub(crate) fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{text:?}: write a size like 512M or 8G")),
    };
    let n: usize = number
        .parse()
        .map_err(|_| format!("{text:?}: write a size like 512M or 8G"))?;
    let bytes = n
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))?;
    if bytes < 64 << 20 {
        return Err(format!("{text:?} is below the 64M rudder needs to start"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("8G"), Ok(8 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size(" 100mb "), Ok(100 << 20));
        assert_eq!(parse_size("134217728"), Ok(128 << 20));
        assert!(parse_size("1M").unwrap_err().contains("below the 64M"));
        assert!(parse_size("8T").unwrap_err().contains("like 512M"));
        assert!(parse_size("G").unwrap_err().contains("like 512M"));
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
