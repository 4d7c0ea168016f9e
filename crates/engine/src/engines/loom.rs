//! Running a scenario under loom: exhaustive exploration (with DPOR, optionally bounded by
//! preemptions) of every interleaving and every value the C11 memory model lets a read see,
//! and replay of a failing execution path through loom's checkpoint feature.

use super::{Exploration, FoundFailure, Replayed, SchedulePayload, main_body};
use crate::paths::scratch_file;
use crate::run::{self, RunShared};
use crate::scenario::Body;
use racebook_trace::EngineKind;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct LoomLimits {
    /// `None`: no bound, every interleaving.
    pub preemption_bound: Option<usize>,
    pub schedules: usize,
    pub time: Duration,
    /// loom's branch limit per execution: a spinning scenario stops here.
    pub max_branches: usize,
}

/// The panic payload that ends an exploration at its budget.
#[derive(Debug)]
struct BudgetStop;

fn builder(limits: &LoomLimits) -> loom::model::Builder {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = limits.preemption_bound;
    b.max_branches = limits.max_branches;
    b.max_permutations = None;
    b.max_duration = None;
    b.checkpoint_file = None;
    b.checkpoint_interval = usize::MAX;
    b.location = true;
    b
}

/// Run `check` on `builder` for `body`, counting executions and stopping at the budget.
fn run_model(
    b: &loom::model::Builder,
    body: &Body,
    ctx: &Arc<RunShared>,
    limits: &LoomLimits,
    count: &Arc<AtomicU64>,
) -> std::thread::Result<()> {
    let start = Instant::now();
    let (count_in, ctx_in, limits) = (count.clone(), ctx.clone(), *limits);
    let body = body.clone();
    let f = move || {
        let n = count_in.fetch_add(1, Ordering::Relaxed) + 1;
        if n as usize > limits.schedules || start.elapsed() > limits.time {
            panic::panic_any(BudgetStop);
        }
        ctx_in.take();
        main_body(&body);
    };
    run::with_context(ctx.clone(), || {
        crate::engine::with_engine(EngineKind::Loom, || {
            panic::catch_unwind(AssertUnwindSafe(|| b.check(f)))
        })
    })
}

/// Explore `body` exhaustively (within the bound and budget).
pub fn explore(body: &Body, limits: LoomLimits) -> Exploration {
    let ctx = Arc::new(RunShared::default());
    let count = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let (result, lock_order) =
        crate::lockorder::collect(|| run_model(&builder(&limits), body, &ctx, &limits, &count));
    let elapsed = start.elapsed();
    let mut exploration = Exploration {
        engine: EngineKind::Loom,
        strategy: "exhaustive".into(),
        seed: None,
        schedules: count.load(Ordering::Relaxed),
        failing: 0,
        elapsed,
        exhaustive: false,
        bound: Some(match limits.preemption_bound {
            Some(b) => format!("at most {b} preemptions"),
            None => "no preemption bound".into(),
        }),
        out_of_budget: false,
        repeats: None,
        found: None,
        usage: Default::default(),
        undecided: None,
        notes: Vec::new(),
        lock_order,
    };
    match result {
        Ok(()) => exploration.exhaustive = true,
        Err(p) if p.downcast_ref::<BudgetStop>().is_some() => {
            exploration.out_of_budget = true;
            exploration.schedules -= 1;
        }
        Err(payload) => {
            let failure = ctx
                .take()
                .unwrap_or_else(|| run::failure_from_panic(payload.as_ref()));
            // loom's own bookkeeping gave out (code that loops without end overflows its
            // preemption count): the search stopped, and the code did not fail.
            if failure.from_engine() {
                exploration.out_of_budget = true;
                return exploration;
            }
            exploration.failing = 1;
            let at = exploration.schedules;
            let path = capture_path(body, &limits, at);
            exploration.found = path.map(|p| FoundFailure {
                schedule: SchedulePayload::Loom(p),
                preemptions: crate::search::UNKNOWN_PREEMPTIONS,
                first_failure_at: at,
                first_failure_after: elapsed,
                failure,
                spurious: None,
            });
        }
    }
    exploration
}

/// Explore again with loom's checkpoint written before every execution, to take the path of
/// execution number `at`, the one that failed. The exploration order is deterministic.
fn capture_path(body: &Body, limits: &LoomLimits, at: u64) -> Option<String> {
    let file = scratch_file("loom-path", "json");
    let mut b = builder(limits);
    b.checkpoint_file = Some(file.clone());
    b.checkpoint_interval = 1;
    let ctx = Arc::new(RunShared::default());
    let count = Arc::new(AtomicU64::new(0));
    let limits = LoomLimits {
        schedules: at as usize,
        time: Duration::from_secs(3600),
        ..*limits
    };
    let result = run_model(&b, body, &ctx, &limits, &count);
    let path = std::fs::read_to_string(&file).ok();
    let _ = std::fs::remove_file(&file);
    match result {
        Err(p) if p.downcast_ref::<BudgetStop>().is_none() => path,
        _ => None,
    }
}

/// Replay one loom execution path.
pub fn replay(body: &Body, path_json: &str, max_branches: usize) -> Replayed {
    let file = scratch_file("loom-replay", "json");
    if std::fs::write(&file, path_json).is_err() {
        return Replayed {
            failure: None,
            stale: true,
            overran: false,
        };
    }
    let limits = LoomLimits {
        preemption_bound: None,
        schedules: 1,
        time: Duration::from_secs(3600),
        max_branches,
    };
    let mut b = builder(&limits);
    b.checkpoint_file = Some(file.clone());
    b.checkpoint_interval = 1;
    let ctx = Arc::new(RunShared::default());
    let count = Arc::new(AtomicU64::new(0));
    let result = run_model(&b, body, &ctx, &limits, &count);
    let _ = std::fs::remove_file(&file);
    let failure = match result {
        Ok(()) => None,
        Err(p) if p.downcast_ref::<BudgetStop>().is_some() => ctx.take(),
        Err(payload) => Some(
            ctx.take()
                .unwrap_or_else(|| run::failure_from_panic(payload.as_ref())),
        ),
    };
    Replayed {
        failure,
        stale: false,
        overran: false,
    }
}
