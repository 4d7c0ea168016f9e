//! racebook's harness: find race conditions, deadlocks and weak-memory bugs in your own code,
//! replay the failing interleaving exactly, and prove a fix.
//!
//! Code under test is written against this crate's facade — [`sync`], [`thread`], [`task`],
//! [`cell`] — whose types mirror the standard library's and tokio's. The same code runs on real
//! threads or a real tokio runtime, under shuttle (randomized and exhaustive schedule search,
//! exact replay) and under loom (exhaustive search with the C11 memory model). The engine is
//! chosen at run time, so one `cargo test` build runs them all.
//!
//! A test checks a scenario with [`check`] (or [`check_async`], or the [`Check`] builder for
//! engines, budgets, bounds and seeds), which returns [`Failed`] with the report already
//! printed. Inside the scenario, [`invariant`] and [`invariant_that`] say what must hold.
//!
//! Shared state must be built inside the scenario function the harness runs: an object built
//! outside is a plain object no checker can see, and using it under a checker panics with a
//! message that says so.

#![deny(missing_docs)]

pub mod cell;
pub mod sync;
pub mod task;
pub mod thread;

mod api;
mod naming;
mod stored;
mod test_place;

// The machinery lives in `racebook-engine`, which the workbook shares; these names keep the
// facade's `crate::record`, `crate::engine`, ... paths.
use racebook_engine::{
    blocking, checking, concurrency, deadlock, engine, invocation, memory_model, paths, record,
    report, run, scenario, terminal, viewlink,
};

pub use api::{Check, Engine, Failed, check, check_async};
pub use racebook_engine::{Budgets, invariant, invariant_that, work};
