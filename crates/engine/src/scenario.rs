//! What the harness checks: a scenario body, run again and again by the engines, and whether it
//! runs threads or async tasks (loom has no task executor, so it cannot run the second kind).

use std::sync::Arc;

/// A scenario: it builds its shared state, starts its threads or tasks, and checks what must
/// hold. The engines call it once per schedule, so it must build everything it shares inside.
pub type Body = Arc<dyn Fn() + Send + Sync + 'static>;

/// Whether a scenario runs threads, or async tasks on an executor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Threads (std's threads, through the facade): every engine can run them.
    Threads,
    /// Async tasks: tokio for real runs, shuttle's executor for the checks; loom cannot run them.
    Async,
}

impl Shape {
    /// The engines that can run a scenario of this shape.
    pub fn engines(self) -> &'static [racebook_trace::EngineKind] {
        use racebook_trace::EngineKind::{Loom, Shuttle};
        match self {
            Shape::Threads => &[Shuttle, Loom],
            Shape::Async => &[Shuttle],
        }
    }

    /// What a scenario of this shape runs on, in the report's words.
    pub fn workers(self) -> &'static str {
        match self {
            Shape::Threads => "threads",
            Shape::Async => "tasks",
        }
    }
}
