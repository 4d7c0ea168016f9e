//! Running a scenario under shuttle: random, PCT, DFS and preemption-bounded DFS exploration,
//! and exact replay of a recorded schedule.
//!
//! Every scheduler is wrapped so that the harness takes the failing schedule from the run
//! itself: the wrapper records each decision (the task chosen, and whether the choice preempted
//! a task that could have gone on), and at each execution boundary checks whether the
//! execution failed. Shuttle's own printed schedule is never used.

use super::{Exploration, FoundFailure, Replayed, SchedulePayload, main_body};
use crate::run::{self, CapturedFailure, RunShared};
use crate::scenario::Body;
use racebook_trace::EngineKind;
use shuttle::scheduler::{
    DfsScheduler, PctScheduler, RandomScheduler, Schedule, Scheduler, Task, TaskId,
};
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod bounded_dfs;
mod reduced;
mod scripted;
pub use bounded_dfs::BoundedDfs;
pub use reduced::ReducedDfs;
use scripted::{Scripted, StaleSchedule};

/// Which shuttle scheduler explores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShuttleStrategy {
    Random {
        seed: u64,
    },
    Pct {
        seed: u64,
        depth: usize,
    },
    /// Shuttle's exhaustive depth-first search.
    Dfs,
    /// The harness's depth-first search with sleep sets: one execution per class of
    /// reorderings of independent steps (see `reduced`).
    ReducedDfs,
    /// Depth-first search over schedules with at most `preemptions` preemptions, those with
    /// fewer first.
    BoundedDfs {
        preemptions: usize,
    },
}

impl ShuttleStrategy {
    pub fn label(&self) -> String {
        match self {
            ShuttleStrategy::Random { .. } => "random".into(),
            ShuttleStrategy::Pct { depth, .. } => format!("PCT depth {depth}"),
            ShuttleStrategy::Dfs | ShuttleStrategy::ReducedDfs => "DFS".into(),
            ShuttleStrategy::BoundedDfs { preemptions } => {
                format!("DFS, at most {preemptions} preemptions")
            }
        }
    }

    fn seed(&self) -> Option<u64> {
        match self {
            ShuttleStrategy::Random { seed } | ShuttleStrategy::Pct { seed, .. } => Some(*seed),
            _ => None,
        }
    }
}

/// Limits of one exploration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub schedules: usize,
    pub time: Duration,
    /// Scheduling steps per execution before it counts as not terminating.
    pub max_steps: usize,
    pub stop_at_first_failure: bool,
}

/// One execution's decisions, as the wrapper saw them.
#[derive(Debug, Default, Clone)]
struct Path {
    decisions: Vec<u32>,
    preemptions: u32,
}

/// Which failures a search is looking for: the others count as failing schedules, but do not
/// stop the search or become the one it reports.
pub type Wanted = Box<dyn Fn(&CapturedFailure) -> bool>;

struct State {
    want: Wanted,
    ctx: Arc<RunShared>,
    current: Path,
    executions: u64,
    failing: u64,
    first: Option<(u64, Path, CapturedFailure, Duration)>,
    started: Instant,
    limits: Limits,
    deadline: Instant,
    out_of_budget: bool,
    exhausted: bool,
    /// The reduced search's repeats so far (zero for every other search).
    repeats: reduced::Repeats,
}

impl State {
    /// The number of the execution running, as the report counts schedules: repeats apart.
    fn schedule_number(&self) -> u64 {
        self.executions - self.repeats.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Close the execution that just ended: did it fail?
    fn finish_execution(&mut self) {
        if self.executions == 0 {
            return;
        }
        if let Some(f) = self.ctx.take() {
            self.failing += 1;
            if self.first.is_none() && (self.want)(&f) {
                self.first = Some((
                    self.schedule_number(),
                    self.current.clone(),
                    f,
                    self.started.elapsed(),
                ));
            }
        }
    }
}

/// Wraps a scheduler to record its decisions and stop at the budget.
struct Recording<S> {
    inner: S,
    state: Rc<RefCell<State>>,
    /// Shuttle's random scheduler prints its seed when dropped before it ran out of
    /// iterations; it is asked for its remaining (empty) executions instead.
    drain_on_stop: bool,
}

impl<S: Scheduler> Recording<S> {
    fn stop(&mut self) -> Option<Schedule> {
        if self.drain_on_stop {
            while self.inner.new_execution().is_some() {}
        }
        None
    }
}

impl<S: Scheduler> Scheduler for Recording<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        crate::blocking::clear_stop();
        let mut st = self.state.borrow_mut();
        st.finish_execution();
        if st.limits.stop_at_first_failure && st.first.is_some() {
            drop(st);
            return self.stop();
        }
        if st.executions as usize >= st.limits.schedules || Instant::now() >= st.deadline {
            st.out_of_budget = true;
            drop(st);
            return self.stop();
        }
        let Some(schedule) = self.inner.new_execution() else {
            st.exhausted = true;
            return None;
        };
        st.executions += 1;
        st.current = Path::default();
        Some(schedule)
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        // The facade found the run stuck and reported it: stop the execution here.
        if crate::blocking::stop_requested() {
            return None;
        }
        let chosen = self.inner.next_task(runnable, current, is_yielding)?;
        let mut st = self.state.borrow_mut();
        let could_go_on =
            current.is_some_and(|c| runnable.iter().any(|t| t.id() == c && t.runnable()));
        // A blocked task chosen anyway wakes spuriously: it counts as a preemption does.
        let spurious = runnable.iter().any(|t| t.id() == chosen && !t.runnable());
        if spurious || (could_go_on && !is_yielding && Some(chosen) != current) {
            st.current.preemptions += 1;
        }
        st.current.decisions.push(usize::from(chosen) as u32);
        Some(chosen)
    }

    fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }
}

fn config(max_steps: usize) -> Config {
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::None;
    config.max_steps = MaxSteps::FailAfter(max_steps);
    // Shuttle warns on stderr the first time code uses a non-SeqCst ordering. The harness says
    // this itself (loom checks the orderings; see `sync::atomic`), and the warning would land in
    // the middle of a learner's report.
    config.silence_warnings = true;
    config
}

/// Explore `body` under shuttle.
pub fn explore(body: &Body, strategy: ShuttleStrategy, limits: Limits) -> Exploration {
    explore_for(body, strategy, limits, Box::new(|_| true))
}

/// Explore `body` under shuttle for a failure that `want` accepts.
pub fn explore_for(
    body: &Body,
    strategy: ShuttleStrategy,
    limits: Limits,
    want: Wanted,
) -> Exploration {
    let ctx = Arc::new(RunShared::default());
    let repeats = reduced::Repeats::default();
    let state = Rc::new(RefCell::new(State {
        want,
        ctx: ctx.clone(),
        current: Path::default(),
        executions: 0,
        failing: 0,
        first: None,
        started: Instant::now(),
        limits,
        deadline: Instant::now() + limits.time,
        out_of_budget: false,
        exhausted: false,
        repeats: repeats.clone(),
    }));
    let n = limits.schedules;
    let start = Instant::now();
    let drain_on_stop = matches!(strategy, ShuttleStrategy::Random { .. });
    let run = |scheduler: Box<dyn Scheduler + Send>| {
        let body = body.clone();
        let recording = Recording {
            inner: scheduler,
            state: state.clone(),
            drain_on_stop,
        };
        let runner = Runner::new(recording, config(limits.max_steps));
        run::with_context(ctx.clone(), || {
            crate::engine::with_engine(EngineKind::Shuttle, || {
                panic::catch_unwind(AssertUnwindSafe(|| runner.run(move || main_body(&body))))
            })
        })
    };
    let (outcome, lock_order) = crate::lockorder::collect(|| match strategy {
        ShuttleStrategy::Random { seed } => run(Box::new(RandomScheduler::new_from_seed(seed, n))),
        ShuttleStrategy::Pct { seed, depth } => {
            run(Box::new(PctScheduler::new_from_seed(seed, depth, n)))
        }
        ShuttleStrategy::Dfs => run(Box::new(DfsScheduler::new(Some(n), false))),
        ShuttleStrategy::ReducedDfs => {
            crate::por::start();
            let out = run(Box::new(ReducedDfs::new(repeats.clone())));
            crate::por::stop();
            out
        }
        ShuttleStrategy::BoundedDfs { preemptions } => run(Box::new(BoundedDfs::new(preemptions))),
    });
    let elapsed = start.elapsed();
    let mut st = state.borrow_mut();
    match outcome {
        Ok(_) => st.finish_execution(),
        // PCT refuses code with no scheduling choice at all (threads run one after another):
        // there is nothing for it to explore, which is not a failure of the code.
        Err(payload)
            if run::panic_message(payload.as_ref())
                .contains("did not exercise any concurrency") =>
        {
            st.finish_execution();
        }
        // The engine stopped the execution itself: a deadlock or the step bound.
        Err(payload) => {
            let failure = ctx
                .take()
                .unwrap_or_else(|| run::failure_from_panic(payload.as_ref()));
            if failure.from_engine() {
                // shuttle's own bookkeeping gave out: the search stopped; the code did not fail.
                st.out_of_budget = true;
            } else {
                st.failing += 1;
                if st.first.is_none() && (st.want)(&failure) {
                    let at = st.schedule_number();
                    let path = st.current.clone();
                    let after = st.started.elapsed();
                    st.first = Some((at, path, failure, after));
                }
            }
        }
    }
    let found = st
        .first
        .take()
        .map(|(at, path, failure, after)| FoundFailure {
            schedule: SchedulePayload::Shuttle(path.decisions),
            preemptions: path.preemptions,
            first_failure_at: at,
            first_failure_after: after,
            failure,
            spurious: None,
        });
    Exploration {
        engine: EngineKind::Shuttle,
        strategy: strategy.label(),
        seed: strategy.seed(),
        schedules: st.executions - repeats.load(std::sync::atomic::Ordering::Relaxed),
        failing: st.failing,
        elapsed,
        exhaustive: st.exhausted
            && matches!(
                strategy,
                ShuttleStrategy::Dfs
                    | ShuttleStrategy::ReducedDfs
                    | ShuttleStrategy::BoundedDfs { .. }
            ),
        bound: match strategy {
            ShuttleStrategy::BoundedDfs { preemptions } => {
                Some(format!("at most {preemptions} preemptions"))
            }
            _ => None,
        },
        out_of_budget: st.out_of_budget,
        repeats: (strategy == ShuttleStrategy::ReducedDfs)
            .then(|| repeats.load(std::sync::atomic::Ordering::Relaxed)),
        found,
        usage: Default::default(),
        undecided: None,
        notes: Vec::new(),
        lock_order,
    }
}

/// Replay `decisions` once. Reports a schedule that no longer fits the code as stale.
pub fn replay(body: &Body, decisions: &[u32], max_steps: usize) -> Replayed {
    replay_with(body, Scripted::new(decisions.to_vec()), max_steps)
}

/// Run `decisions` as far as they fit `body`, then go on without preempting: a broken
/// version's schedule applied to a fix, to compare the two runs.
pub fn replay_lenient(body: &Body, decisions: &[u32], max_steps: usize) -> Replayed {
    replay_with(body, Scripted::lenient(decisions.to_vec()), max_steps)
}

fn replay_with(body: &Body, scripted: Scripted, max_steps: usize) -> Replayed {
    let ctx = Arc::new(RunShared::default());
    let stale = scripted.stale_flag();
    let overran = scripted.overrun_flag();
    let runner = Runner::new(scripted, config(max_steps));
    let body = body.clone();
    let result = run::with_context(ctx.clone(), || {
        crate::engine::with_engine(EngineKind::Shuttle, || {
            panic::catch_unwind(AssertUnwindSafe(|| runner.run(move || main_body(&body))))
        })
    });
    let failure = match result {
        Ok(_) => ctx.take(),
        Err(payload) if payload.downcast_ref::<StaleSchedule>().is_some() => None,
        Err(payload) => Some(
            ctx.take()
                .unwrap_or_else(|| run::failure_from_panic(payload.as_ref())),
        ),
    };
    Replayed {
        failure,
        stale: stale.get(),
        overran: overran.get(),
    }
}
