//! What a scenario asserts, in words the report repeats: the invariant, what was expected and
//! what was observed. A failed check stops the run's thread like a panic; the harness turns it
//! into the report's verdict.

use crate::record::{self, Event};
use crate::run::InvariantViolation;
use racebook_trace::Op;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::panic::Location;

thread_local! {
    /// The invariants checked on this OS thread while [`named_in`] listens.
    static NAMED: RefCell<Option<BTreeSet<String>>> = const { RefCell::new(None) };
}

fn note(invariant: &str) {
    NAMED.with(|n| {
        if let Some(set) = n.borrow_mut().as_mut() {
            set.insert(invariant.to_string());
        }
    });
}

/// The invariants a scenario checks, in words, from one run of it under shuttle (every model
/// thread runs on this OS thread): what a passing report can say held.
pub(crate) fn named_in(body: &crate::scenario::Body, budgets: &crate::Budgets) -> Vec<String> {
    use crate::engines::shuttle::{Limits, ShuttleStrategy, explore};
    NAMED.with(|n| *n.borrow_mut() = Some(BTreeSet::new()));
    let limits = Limits {
        schedules: 1,
        time: budgets.dfs_time,
        max_steps: budgets.max_steps,
        stop_at_first_failure: true,
    };
    explore(body, ShuttleStrategy::Random { seed: budgets.seed }, limits);
    let named = NAMED.with(|n| n.borrow_mut().take()).unwrap_or_default();
    named.into_iter().collect()
}

/// Check that `observed` equals `expected`; `invariant` says in words what must hold.
#[track_caller]
pub fn invariant<T: Debug + PartialEq>(invariant: &str, expected: T, observed: T) {
    note(invariant);
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
    note(invariant);
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
