//! Internal to racebook: not a supported API, and it may change at any time. Use
//! `racebook-check`, whose facade and `check` API are built on this crate.
//!
//! The machinery behind the facade: which engine runs the current thread, the engines (shuttle,
//! loom, real threads and tokio), the search, the recording of a run, replay of a stored
//! schedule, the facade's own waits and deadlock detection, and the terminal report.
//! `racebook-check` (the facade) and `racebook-workbook` (the exercises' plumbing) both depend
//! on it; it depends on neither.

pub mod blocking;
pub mod checking;
pub mod concurrency;
pub mod deadlock;
pub mod engine;
pub mod engines;
pub mod invocation;
pub mod lockorder;
pub mod memory_model;
pub mod paths;
pub mod por;
pub mod record;
pub mod replay;
pub mod report;
pub mod run;
pub mod scenario;
pub mod schedule_file;
pub mod search;
pub mod task;
pub mod terminal;
pub mod tracebuild;
pub mod viewlink;

// Re-exported by `racebook-check`, so documented as its surface.
#[deny(missing_docs)]
mod budget;
mod fsutil;
#[deny(missing_docs)]
mod invariant;

pub use budget::Budgets;
pub use fsutil::write_atomic;
pub use invariant::{invariant, invariant_that, work};
pub use racebook_trace::EngineKind;
