//! Which engine runs the current code. The harness sets it around each run; every facade object
//! looks at it once, when it is built, to pick its implementation.
//!
//! Shuttle and loom run every model thread as a coroutine on the OS thread that started the
//! run, so a thread-local set by the harness is visible inside all model threads. Real threads
//! spawned through the facade inherit it explicitly.

use racebook_trace::EngineKind;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    static CURRENT: Cell<EngineKind> = const { Cell::new(EngineKind::Real) };
}

/// Checker runs under way in this process, on any thread.
static CHECKER_RUNS: AtomicUsize = AtomicUsize::new(0);

/// No checker runs anywhere in this process: every facade object in use is a real one on a
/// real thread, nothing records and no deadlock graph is kept, so the facade can go straight
/// to std. This is production code's path; it costs one load of a value nobody writes.
/// (Relaxed is enough: a thread that starts a run counts it itself, so it always sees its own
/// count; other threads only ever see objects built for the engine they run.)
#[inline]
pub(crate) fn outside_checkers() -> bool {
    CHECKER_RUNS.load(Ordering::Relaxed) == 0
}

/// The engine the calling code runs under. Outside any harness run this is `Real`.
pub fn current() -> EngineKind {
    CURRENT.with(Cell::get)
}

/// Run `f` with `engine` as the current engine on this OS thread, restoring the previous one
/// afterwards even if `f` panics.
pub fn with_engine<R>(engine: EngineKind, f: impl FnOnce() -> R) -> R {
    struct Restore(EngineKind, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
            if self.1 {
                CHECKER_RUNS.fetch_sub(1, Ordering::Relaxed);
            }
        }
    }
    let checker = engine != EngineKind::Real;
    if checker {
        CHECKER_RUNS.fetch_add(1, Ordering::Relaxed);
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(engine)), checker);
    f()
}

/// Fail loudly when an object built for one engine is used under another: that happens when
/// shared state is created outside the scenario closure, where no checker can see it.
#[track_caller]
pub(crate) fn assert_same(built: EngineKind, what: impl FnOnce() -> String) {
    let now = current();
    if built != now {
        let what = what();
        panic!(
            "{what} was created on {} but is used on {}: build shared state inside the scenario \
             (the function the harness runs), not outside it, so the checker can see it",
            built.label(),
            now.label()
        );
    }
}
