//! The state of one run of a scenario: where its first failure is kept, and the panic hook that
//! keeps engine and test noise out of the learner's terminal while a run is under way.
//!
//! Model engines run every model thread on one OS thread, so the context lives in a
//! thread-local there. Real threads and tokio tasks spawned through the facade carry the same
//! context with them (see `sync::thread` and `task`).

use racebook_trace::FailureKind;
use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, Location};
use std::sync::{Arc, Mutex, Once};

/// A failure as the run saw it, before it is tied to recorded steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedFailure {
    pub kind: FailureKind,
    pub invariant: String,
    pub expected: Option<String>,
    pub observed: Option<String>,
    pub message: String,
    pub location: Option<String>,
}

impl CapturedFailure {
    /// A panic raised inside an engine rather than by the code under test: loom's path
    /// bookkeeping overflowing on code that loops without end, or loom stopping with
    /// "Reached unexpected exploration state" when a schedule does not fit the code.
    pub fn from_engine(&self) -> bool {
        let inside = self
            .location
            .as_deref()
            .is_some_and(|at| at.contains("/loom-") || at.contains("/shuttle-"));
        self.kind == FailureKind::Panic
            && (inside
                || self
                    .message
                    .starts_with("Reached unexpected exploration state"))
    }

    /// The part that must come back when a schedule is replayed.
    pub fn same_failure_as(&self, other: &CapturedFailure) -> bool {
        self.kind == other.kind
            && self.invariant == other.invariant
            && self.expected == other.expected
            && self.observed == other.observed
    }
}

/// The payload of `crate::invariant`'s panic.
#[derive(Debug, Clone)]
pub struct InvariantViolation {
    pub invariant: String,
    pub expected: String,
    pub observed: String,
}

/// Shared by every thread of one run.
#[derive(Debug, Default)]
pub struct RunShared {
    failure: Mutex<Option<CapturedFailure>>,
}

impl RunShared {
    /// Keep `failure` unless an earlier one is already kept: the first failure is the cause.
    pub fn fail(&self, failure: CapturedFailure) {
        let mut slot = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(failure);
        }
    }

    pub fn take(&self) -> Option<CapturedFailure> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    pub fn failed(&self) -> bool {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }
}

thread_local! {
    static CONTEXT: RefCell<Option<Arc<RunShared>>> = const { RefCell::new(None) };
    static LAST_PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The run the calling thread belongs to, if any.
pub fn context() -> Option<Arc<RunShared>> {
    CONTEXT.with(|c| c.borrow().clone())
}

/// Run `f` as part of the run `shared` on this OS thread.
pub fn with_context<R>(shared: Arc<RunShared>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<RunShared>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CONTEXT.with(|c| *c.borrow_mut() = previous);
        }
    }
    install_panic_hook();
    let _restore = Restore(CONTEXT.with(|c| c.borrow_mut().replace(shared)));
    f()
}

/// Turn a caught panic into a failure of the current run.
pub fn fail_with_panic(payload: &(dyn Any + Send)) {
    let failure = failure_from_panic(payload);
    if let Some(ctx) = context() {
        ctx.fail(failure);
    }
}

/// Read a panic payload: the harness's own invariant violation, a deadlock or step-bound report
/// from an engine, a loom causality violation, or a plain panic of the code under test.
pub fn failure_from_panic(payload: &(dyn Any + Send)) -> CapturedFailure {
    let location = LAST_PANIC_AT.with(|l| l.borrow_mut().take());
    if let Some(v) = payload.downcast_ref::<InvariantViolation>() {
        return CapturedFailure {
            kind: FailureKind::Invariant,
            invariant: v.invariant.clone(),
            expected: Some(v.expected.clone()),
            observed: Some(v.observed.clone()),
            message: format!("expected {}, observed {}", v.expected, v.observed),
            location,
        };
    }
    if let Some(crate::lockorder::InversionFound(f)) = payload.downcast_ref() {
        return f.clone();
    }
    if let Some(stuck) = crate::blocking::payload_failure(payload) {
        return CapturedFailure { location, ..stuck };
    }
    let raw = panic_message(payload);
    let (kind, invariant) = classify(&raw);
    let message = plain_words(kind, &raw);
    CapturedFailure {
        kind,
        invariant: invariant.to_string(),
        expected: None,
        observed: None,
        message,
        location,
    }
}

/// An engine's diagnosis in the learner's words; a plain panic keeps its own first line.
pub fn plain_words(kind: FailureKind, raw: &str) -> String {
    let first = raw
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string();
    match kind {
        // loom says "read and write accesses" for a read racing a write: not two writes.
        FailureKind::DataRace
            if first.contains("write accesses") && !first.contains("read and") =>
        {
            "two threads wrote the same data with nothing ordering the writes (loom found two \
             concurrent writes to an UnsafeCell)"
                .into()
        }
        FailureKind::DataRace => {
            "one thread read data while another wrote it, with nothing ordering the two \
                                  (loom found concurrent accesses to an UnsafeCell)"
                .into()
        }
        // The facade's own cycle finder names the threads and locks; keep its words.
        FailureKind::Deadlock => {
            "every thread or task that has not finished is blocked, waiting for another".into()
        }
        FailureKind::NonTermination => {
            "the run went on for longer than the step budget allows: a loop waiting \
                                        for something that never happens?"
                .into()
        }
        _ => first,
    }
}

/// A panic in one line of plain words, for a trace step.
pub fn short_panic(payload: &(dyn Any + Send)) -> String {
    let raw = panic_message(payload);
    plain_words(classify(&raw).0, &raw)
}

/// The text of a panic payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(v) = payload.downcast_ref::<InvariantViolation>() {
        format!(
            "{}: expected {}, observed {}",
            v.invariant, v.expected, v.observed
        )
    } else {
        "a panic with a payload that is not text".to_string()
    }
}

/// Engines report some failures as panics with known messages; name them.
fn classify(message: &str) -> (FailureKind, &'static str) {
    let m = message.trim_start();
    if m.starts_with("deadlock") {
        (FailureKind::Deadlock, "no deadlock")
    } else if m.starts_with("Causality violation") {
        (FailureKind::DataRace, "no data race")
    } else if m.starts_with("exceeded max_steps bound")
        || m.starts_with("Model exceeded maximum number of branches")
    {
        (FailureKind::NonTermination, "the scenario terminates")
    } else {
        (FailureKind::Panic, "no panic")
    }
}

/// Whether the calling thread is inside a harness run.
fn in_run() -> bool {
    CONTEXT.with(|c| c.borrow().is_some())
}

/// Install, once per process, a panic hook that stays silent inside harness runs (the harness
/// reports every failure itself) and otherwise behaves like the hook it replaced. Shuttle
/// installs its own chatty hook the first time it runs; it is made to do so first, and then
/// replaced, so that its messages never reach the learner.
pub fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let original = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        shuttle::check_random(|| {}, 1);
        drop(panic::take_hook());
        // For debugging the harness itself: every panic printed, as without it.
        let loud = std::env::var_os("RACEBOOK_LOUD_PANICS").is_some();
        panic::set_hook(Box::new(move |info| {
            if in_run() && !loud {
                let at = info.location().map(Location::to_string);
                LAST_PANIC_AT.with(|l| *l.borrow_mut() = at);
            } else {
                original(info);
            }
        }));
    });
}
