//! What a scenario asserts, in words the report repeats: the invariant, what was expected and
//! what was observed. A failed check stops the run's thread like a panic; the harness turns it
//! into the report's verdict.

use crate::record::{self, Event};
use crate::run::InvariantViolation;
use racebook_trace::Op;
use std::fmt::Debug;
use std::panic::Location;

/// Check that `observed` equals `expected`; `invariant` says in words what must hold.
#[track_caller]
pub fn invariant<T: Debug + PartialEq>(invariant: &str, expected: T, observed: T) {
    if expected != observed {
        fail(invariant, format!("{expected:?}"), format!("{observed:?}"));
    }
}

/// Check a condition, with the expected and observed values described by the caller.
#[track_caller]
pub fn invariant_that(
    invariant: &str,
    holds: bool,
    expected: impl FnOnce() -> String,
    observed: impl FnOnce() -> String,
) {
    if !holds {
        fail(invariant, expected(), observed());
    }
}

#[track_caller]
fn fail(invariant: &str, expected: String, observed: String) -> ! {
    std::panic::panic_any(InvariantViolation {
        invariant: invariant.to_string(),
        expected,
        observed,
    })
}

/// Mark where the work that must stay concurrent happens. The harness checks that a fix still
/// runs this work on several threads and never while holding a lock (see
/// `Exercise::concurrency`). On its own it does nothing but record the mark.
#[track_caller]
pub fn work(label: &str) {
    record::step(Location::caller(), || {
        Event::new(Op::Mark).value(label.to_string())
    });
}
