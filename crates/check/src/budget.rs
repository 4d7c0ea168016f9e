//! How much each engine may explore before the harness stops and says so. The defaults keep a
//! learner's `cargo test` to seconds; an exercise may raise them for a larger state space.

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Budgets {
    /// Schedules of the randomized search that measures how rare the failure is.
    pub pct_schedules: usize,
    pub pct_depth: usize,
    pub seed: u64,
    /// Shuttle's exhaustive depth-first search.
    pub dfs_schedules: usize,
    pub dfs_time: Duration,
    /// Bound shuttle's exhaustive search to schedules with at most this many preemptions, for
    /// scenarios whose full interleaving space is out of reach (three or more threads). The
    /// report states the bound; loom's search, unbounded by default, still covers the rest.
    pub dfs_preemption_bound: Option<usize>,
    /// loom's exhaustive search.
    pub loom_schedules: usize,
    pub loom_time: Duration,
    pub loom_preemption_bound: Option<usize>,
    /// Per execution: scheduling steps (shuttle) and branches (loom) before the scenario counts
    /// as not terminating.
    pub max_steps: usize,
    pub max_branches: usize,
    /// Time for the whole search of one engine, beyond which it counts as hung.
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
