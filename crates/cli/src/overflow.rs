//! Stack exhaustion reported as an error instead of a bare crash.
//!
//! rudder bounds template recursion itself (include/tpl nesting, fuel,
//! printing depth), but one case is out of its reach: minijinja lets a
//! template store a namespace inside itself (`{% set ns.me = ns %}`), and
//! minijinja's own printing of such a value (`ns ~ ""`, `format`, `escape`,
//! comparisons) recurses until the stack runs out. The render runs on a
//! stack segment of its own, whose guard page Rust's runtime does not know,
//! so the process would die of a plain SIGSEGV (status 139) without a word.
//!
//! The binary therefore handles SIGSEGV and SIGBUS itself, on an alternate
//! signal stack: it writes a message to stderr and exits with status 1, as
//! for any other render error. Only async-signal-safe calls (`write`,
//! `_exit`) run in the handler. Libraries cannot do this (a handler is
//! process-wide); an embedding program that renders untrusted charts needs
//! the same guard, as `fuzz/README.md` says.

/// What the handler prints. A fault in safe Rust is a stack overflow; the
/// message names the likely causes and the fix.
#[cfg(unix)]
const MESSAGE: &[u8] = b"Error: rudder ran out of stack and stopped: a template recursed \
without bound, or a template value contains itself (e.g. `{% set ns.me = ns %}` and then \
printing `ns`); fix the template\n";

/// Bytes of the alternate stack the handler runs on (the faulting stack
/// has no room left).
#[cfg(unix)]
const ALT_STACK_BYTES: usize = 64 * 1024;

/// Installs the handler for the life of the process (call once, early in
/// `main`). Where it cannot be installed, faults stay fatal as before.
#[cfg(unix)]
pub(crate) fn install() {
    use std::ptr;

    // SAFETY: `sigaltstack` reads the current alternate stack into a
    // zeroed struct, and installs a leaked (never freed) buffer as the new
    // one only when none is set (Rust's runtime usually sets one for the
    // main thread). `sigaction` installs `on_fault`, an `extern "C"` fn
    // that only calls async-signal-safe functions, with an empty mask.
    #[allow(unsafe_code)]
    unsafe {
        let mut current: libc::stack_t = std::mem::zeroed();
        if libc::sigaltstack(ptr::null(), &mut current) == 0
            && current.ss_flags & libc::SS_DISABLE != 0
        {
            let stack = Box::leak(vec![0u8; ALT_STACK_BYTES].into_boxed_slice());
            let alt = libc::stack_t {
                ss_sp: stack.as_mut_ptr().cast(),
                ss_flags: 0,
                ss_size: stack.len(),
            };
            libc::sigaltstack(&alt, ptr::null_mut());
        }
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_fault as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_ONSTACK;
        libc::sigemptyset(&mut action.sa_mask);
        for signal in [libc::SIGSEGV, libc::SIGBUS] {
            libc::sigaction(signal, &action, ptr::null_mut());
        }
    }
}

#[cfg(not(unix))]
pub(crate) fn install() {}

#[cfg(unix)]
extern "C" fn on_fault(_signal: libc::c_int) {
    // SAFETY: `write` and `_exit` are async-signal-safe; `MESSAGE` is a
    // static byte string.
    #[allow(unsafe_code)]
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::_exit(1);
    }
}
