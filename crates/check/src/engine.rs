//! Which engine runs the current code. The harness sets it around each run; every facade object
//! looks at it once, when it is built, to pick its implementation.
//!
//! Shuttle and loom run every model thread as a coroutine on the OS thread that started the
//! run, so a thread-local set by the harness is visible inside all model threads. Real threads
//! spawned through the facade inherit it explicitly.

use racebook_trace::EngineKind;
use std::cell::Cell;

thread_local! {
    static CURRENT: Cell<EngineKind> = const { Cell::new(EngineKind::Real) };
}

/// The engine the calling code runs under. Outside any harness run this is `Real`.
pub fn current() -> EngineKind {
    CURRENT.with(Cell::get)
}

/// Run `f` with `engine` as the current engine on this OS thread, restoring the previous one
/// afterwards even if `f` panics.
pub fn with_engine<R>(engine: EngineKind, f: impl FnOnce() -> R) -> R {
    struct Restore(EngineKind);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(engine)));
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
