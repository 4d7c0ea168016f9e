//! racebook's harness: find race conditions, deadlocks and weak-memory bugs in your own code,
//! replay the failing interleaving exactly, and prove a fix.
//!
//! Code under test is written against this crate's facade — [`sync`], [`thread`], [`task`],
//! [`cell`] — whose types mirror the standard library's and tokio's. The same code runs on real
//! threads or a real tokio runtime, under shuttle (randomized and exhaustive schedule search,
//! exact replay) and under loom (exhaustive search with the C11 memory model). The engine is
//! chosen at run time, so one `cargo test` build runs them all.
//!
//! Shared state must be built inside the scenario function the harness runs: an object built
//! outside is a plain object no checker can see, and using it under a checker panics with a
//! message that says so.
//!
//! Modules hidden from these docs are the workbook's plumbing (the `racebook-workbook` crate
//! and the book's tools use them); they are not part of the supported surface.

#![deny(missing_docs)]

pub mod cell;
pub mod sync;
pub mod task;
pub mod thread;

mod api;
mod budget;
mod deadlock;
mod fsutil;
mod invariant;
mod invocation;
mod naming;
mod stored;
mod test_place;

#[doc(hidden)]
pub mod blocking;
#[doc(hidden)]
pub mod checking;
#[doc(hidden)]
pub mod concurrency;
#[doc(hidden)]
pub mod engine;
#[doc(hidden)]
pub mod engines;
#[doc(hidden)]
pub mod lockorder;
#[doc(hidden)]
pub mod memory_model;
#[doc(hidden)]
pub mod paths;
#[doc(hidden)]
pub mod por;
#[doc(hidden)]
pub mod record;
#[doc(hidden)]
pub mod replay;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod run;
#[doc(hidden)]
pub mod scenario;
#[doc(hidden)]
pub mod schedule_file;
#[doc(hidden)]
pub mod search;
#[doc(hidden)]
pub mod terminal;
#[doc(hidden)]
pub mod tracebuild;
#[doc(hidden)]
pub mod viewlink;

pub use api::{Check, Engine, Failed, check, check_async};
pub use budget::Budgets;
#[doc(hidden)]
pub use fsutil::write_atomic;
pub use invariant::{invariant, invariant_that, work};
#[doc(hidden)]
pub use racebook_trace::EngineKind;
