//! racebook's harness. Exercise code is written once against this crate's facade (`sync`,
//! `thread`, `task`, `cell`) and runs unchanged on real threads or a real tokio runtime, under
//! shuttle (random, PCT, DFS; replay) and under loom (exhaustive, with the C11 memory model).
//! The engine is chosen at run time, so one `cargo test` build runs them all.
//!
//! Shared state must be built inside the scenario function the harness runs: an object built
//! outside is a plain object no checker can see, and using it under a checker panics with a
//! message that says so.

pub mod bench;
pub mod budget;
pub mod cell;
pub mod concurrency;
pub mod deadlock;
pub mod engine;
pub mod engines;
pub mod exercise;
pub mod export;
mod fsutil;
mod invariant;
pub mod learner;
pub mod outcome;
pub mod paths;
pub mod record;
pub mod replay;
pub mod report;
pub mod run;
pub mod schedule_file;
pub mod search;
pub mod stress_cli;
pub mod sync;
pub mod task;
pub mod thread;
pub mod tool;
pub mod tracebuild;
pub mod tree_export;
pub mod verify;
pub mod viewlink;

pub use budget::Budgets;
pub use exercise::{Concurrency, Exercise, Role, Shape, Variant};
pub use fsutil::write_atomic;
pub use invariant::{invariant, invariant_that, work};
pub use racebook_trace::EngineKind;
