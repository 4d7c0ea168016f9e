//! The workbook's plumbing over the racebook harness (`racebook-check`, and the machinery
//! behind it in `racebook-engine`): how an exercise describes itself (its scenario's
//! invariant, what must stay concurrent, its variants), the learner's check that `cargo test`
//! runs in an exercise, the maintainers' proofs, the per-exercise tool behind the book's
//! captures, the benchmarks, and the visualizer's exports.
//!
//! Exercise code itself is written against the harness's facade (`racebook_check::sync`, ...);
//! only the exercise's description and tests use this crate.

pub mod bench;
pub mod exercise;
pub mod export;
pub mod learner;
pub mod outcome;
pub mod stress_cli;
pub mod tool;
pub mod tree_export;
pub mod verify;

pub use exercise::{Exercise, Role, Variant};
pub use racebook_check::{Budgets, invariant, invariant_that, work};
pub use racebook_engine::EngineKind;
pub use racebook_engine::concurrency::Concurrency;
pub use racebook_engine::scenario::Shape;
