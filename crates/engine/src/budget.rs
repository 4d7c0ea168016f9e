//! How much each engine may explore before the harness stops and says so. The defaults keep a
//! learner's `cargo test` to seconds; an exercise may raise them for a larger state space.

use std::time::Duration;

/// Limits on each engine's search. `Budgets::default()` gives the values below; change a field
/// with struct-update syntax, e.g. `Budgets { dfs_preemption_bound: Some(2), ..Budgets::default() }`.
#[derive(Debug, Clone, Copy)]
pub struct Budgets {
    /// Schedules of the randomized search (PCT) that measures how rare the failure is.
    /// Default 1,000.
    pub pct_schedules: usize,
    /// PCT's own parameter d: it places d − 1 priority change points in each schedule, so it is
    /// likely to find a bug that needs d − 1 ordering constraints. Default 3.
    pub pct_depth: usize,
    /// The seed of the randomized search; the same seed gives the same schedules. Default 1.
    pub seed: u64,
    /// Schedules shuttle's exhaustive depth-first search may run before it stops, unproved.
    /// Default 200,000.
    pub dfs_schedules: usize,
    /// Time the depth-first search may take before it stops, unproved. Default 20 s.
    pub dfs_time: Duration,
    /// Bound shuttle's exhaustive search to schedules with at most this many preemptions, for
    /// scenarios whose full interleaving space is out of reach (three or more threads). The
    /// report states the bound; loom's search, unbounded by default, still covers the rest.
    /// Default: no bound.
    pub dfs_preemption_bound: Option<usize>,
    /// Executions loom's exhaustive search may run before it stops, unproved. Default 200,000.
    pub loom_schedules: usize,
    /// Time loom's search may take before it stops, unproved. Default 20 s.
    pub loom_time: Duration,
    /// Bound loom's search to executions with at most this many preemptions; the report
    /// states it. Default: no bound.
    pub loom_preemption_bound: Option<usize>,
    /// Per execution: scheduling steps (shuttle) and branches (loom) before the scenario counts
    /// as not terminating. Default 20,000.
    pub max_steps: usize,
    /// loom's branches per execution before the scenario counts as not terminating.
    /// Default 20,000.
    pub max_branches: usize,
    /// Wall-clock time for the whole search of one engine, beyond which it counts as hung (code
    /// that spins without touching the facade cannot be stopped any other way). Default 60 s.
    pub wall: Duration,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            pct_schedules: 1000,
            pct_depth: 3,
            seed: 1,
            dfs_schedules: 200_000,
            dfs_time: Duration::from_secs(20),
            dfs_preemption_bound: None,
            loom_schedules: 200_000,
            loom_time: Duration::from_secs(20),
            loom_preemption_bound: None,
            max_steps: 20_000,
            max_branches: 20_000,
            wall: Duration::from_secs(60),
        }
    }
}
