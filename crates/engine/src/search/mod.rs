//! The searches the harness runs on a variant: find a failure (and the interleaving with the
//! fewest preemptions that shows it), or prove that none exists within the engines' bounds.

use crate::budget::Budgets;
use crate::engines::loom::{self as loom_engine, LoomLimits};
use crate::engines::shuttle::{self as shuttle_engine, Limits, ShuttleStrategy};
use crate::engines::{Exploration, FoundFailure, SchedulePayload};
use crate::memory_model;
use crate::run::CapturedFailure;
use crate::scenario::{Body, Shape};
use racebook_trace::{EngineKind, FailureKind};
use std::sync::mpsc;
use std::time::Duration;

mod inversion;
mod minimize;
mod seqcst;
mod shallow_first;
mod spurious;

pub use seqcst::decided_by_shuttle;
pub use shallow_first::loom_shallow_first;

/// An engine that cannot run this exercise, and why: reported, never skipped silently.
#[derive(Debug, Clone)]
pub struct NotApplicable {
    pub engine: EngineKind,
    pub reason: &'static str,
}

/// Everything one search did.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub explorations: Vec<Exploration>,
    pub not_applicable: Vec<NotApplicable>,
    /// The failure to show, with the fewest preemptions found.
    pub shown: Option<Shown>,
    /// A lock-order cycle across the explored schedules (set only when none of them failed).
    pub inversion: Option<crate::lockorder::Inversion>,
}

#[derive(Debug, Clone)]
pub struct Shown {
    pub found: FoundFailure,
    /// Index into `explorations` of the search that found the failure first.
    pub discovered_by: usize,
    /// What is known about the shown interleaving's preemptions.
    pub depth: Depth,
}

/// How far the shown interleaving's preemption count is known to be the bug's depth: the
/// fewest preemptions of any schedule that breaks the same invariant (whatever value the
/// invariant then observed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Every schedule with fewer preemptions was searched, and none broke the invariant.
    Fewest { searched: u64 },
    /// Schedules with fewer preemptions were searched only in part (a budget, or another
    /// failure that stopped the search first).
    FewestFound { searched: u64 },
    /// Not minimised (no search for fewer, or one that another failure stopped): the count is
    /// the shown run's own.
    AsRun,
}

/// A failure of the same kind and invariant as `f`, whatever value it observed.
pub fn same_invariant(f: &CapturedFailure) -> impl Fn(&CapturedFailure) -> bool + 'static {
    let (kind, invariant) = (f.kind, f.invariant.clone());
    move |g| g.kind == kind && g.invariant == invariant
}

impl Search {
    pub fn failed(&self) -> bool {
        self.shown.is_some() || self.inversion.is_some()
    }

    /// The search proved the scenario within its stated bounds (see [`Search::proof`]). Says
    /// nothing about failures: callers check [`Search::failed`] first.
    pub fn exhaustive(&self) -> bool {
        self.proof().is_some()
    }

    /// The exhaustive search that proves the scenario, when one does (DESIGN.md, "A verdict
    /// rule that respects a proof"). Either every exhaustive search explored all of its
    /// schedules (within its stated bound) and decided (or another decided in its place), or
    /// one search whose model covers every operation of the scenario did: loom (threads only;
    /// weak orderings, cells, the facade's blocking), or shuttle where sequential consistency
    /// is exact (only `SeqCst` atomics, no checked cell). The randomized measurement never
    /// proves anything and does not count.
    pub fn proof(&self) -> Option<&Exploration> {
        let proofs: Vec<&Exploration> = self.explorations.iter().filter(|e| !e.sampled()).collect();
        if proofs.is_empty() {
            return None;
        }
        let holds = |e: &Exploration| match &e.undecided {
            Some(u) => u.decided_by.is_some(),
            None => e.exhaustive,
        };
        if proofs.iter().all(|e| holds(e)) {
            // The widest model that decided (loom after shuttle).
            return proofs
                .iter()
                .rev()
                .find(|e| e.undecided.is_none())
                .or(proofs.last())
                .copied();
        }
        let covers = |e: &Exploration| {
            e.engine == EngineKind::Loom || seqcst::decided_by_shuttle(e).is_some()
        };
        proofs
            .iter()
            .find(|e| e.exhaustive && e.undecided.is_none() && e.found.is_none() && covers(e))
            .copied()
    }

    /// The searches that stopped at their budget although the scenario is proved by another.
    pub fn stopped_beside_proof(&self) -> Vec<&Exploration> {
        if self.proof().is_none() {
            return Vec::new();
        }
        self.explorations
            .iter()
            .filter(|e| !e.sampled() && !e.exhaustive && e.undecided.is_none())
            .collect()
    }

    /// The search whose model could not decide, when no other search decides in its place.
    pub fn undecided(&self) -> Option<&Exploration> {
        self.explorations
            .iter()
            .find(|e| e.undecided.as_ref().is_some_and(|u| u.decided_by.is_none()))
    }
}

fn loom_reason() -> NotApplicable {
    NotApplicable {
        engine: EngineKind::Loom,
        reason: "loom has no async executor; this exercise runs on tokio tasks, so shuttle's \
                 futures support checks it instead",
    }
}

/// Run `f` on its own thread and give up after `wall`: code that spins without ever touching
/// the facade cannot be stopped by any engine, only abandoned.
pub fn with_wall_clock<T: Send + 'static>(
    wall: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("racebook-explore".into())
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        });
    spawned.ok()?;
    rx.recv_timeout(wall).ok()
}

/// An exploration that ran out of wall-clock time: the scenario spun without a scheduling point.
fn hung(engine: EngineKind, strategy: &str, wall: Duration) -> Exploration {
    Exploration {
        engine,
        strategy: strategy.to_string(),
        seed: None,
        schedules: 1,
        failing: 1,
        elapsed: wall,
        exhaustive: false,
        bound: None,
        out_of_budget: false,
        repeats: None,
        lock_order: Default::default(),
        found: Some(FoundFailure {
            schedule: SchedulePayload::Shuttle(Vec::new()),
            preemptions: 0,
            first_failure_at: 1,
            first_failure_after: wall,
            failure: CapturedFailure {
                kind: FailureKind::NonTermination,
                invariant: "the scenario terminates".into(),
                expected: None,
                observed: None,
                message: format!(
                    "the code ran for {} s without finishing or touching any shared object the \
                     checker can see (an endless loop?)",
                    wall.as_secs()
                ),
                location: None,
            },
            spurious: None,
        }),
        usage: Default::default(),
        undecided: None,
        notes: Vec::new(),
    }
}

/// One shuttle exploration on its own thread, within the wall-clock budget, with the
/// `spurious`-th weak compare-exchange of every execution failing spuriously.
fn shuttle_run(
    body: &Body,
    strategy: ShuttleStrategy,
    limits: Limits,
    wall: Duration,
    spurious: Option<u32>,
) -> Option<Exploration> {
    let body = body.clone();
    with_wall_clock(wall, move || {
        let (mut e, usage) = memory_model::measured(|| {
            memory_model::with_spurious_failure(spurious, || {
                shuttle_engine::explore(&body, strategy, limits)
            })
        });
        e.usage = usage;
        if let Some(f) = &mut e.found {
            f.spurious = spurious;
        }
        e
    })
}

/// One loom exploration, likewise; `weakened` checks `SeqCst` as `memory_model` says.
fn loom_run(
    body: &Body,
    limits: LoomLimits,
    wall: Duration,
    spurious: Option<u32>,
    weakened: bool,
) -> Exploration {
    let body = body.clone();
    with_wall_clock(wall, move || {
        let run = || {
            memory_model::with_spurious_failure(spurious, || loom_engine::explore(&body, limits))
        };
        let (mut e, usage) = memory_model::measured(|| {
            if weakened {
                memory_model::with_seqcst_weakened(run)
            } else {
                run()
            }
        });
        e.usage = usage;
        if let Some(f) = &mut e.found {
            f.spurious = spurious;
        }
        e
    })
    .unwrap_or_else(|| hung(EngineKind::Loom, "exhaustive", wall))
}

pub fn pct(body: &Body, b: &Budgets) -> Exploration {
    let limits = Limits {
        schedules: b.pct_schedules,
        time: b.dfs_time,
        max_steps: b.max_steps,
        stop_at_first_failure: false,
    };
    let strategy = ShuttleStrategy::Pct {
        seed: b.seed,
        depth: b.pct_depth,
    };
    shuttle_run(body, strategy, limits, b.wall, None)
        .unwrap_or_else(|| hung(EngineKind::Shuttle, &strategy.label(), b.wall))
}

/// The exhaustive search of the shuttle-run engine: depth-first with sleep sets (one schedule
/// per class of reorderings of independent steps), or preemption-bounded when the budgets say.
pub fn dfs(body: &Body, b: &Budgets) -> Exploration {
    dfs_as(body, b, true)
}

/// Plain depth-first search, every interleaving: the reduced search's yardstick.
pub fn plain_dfs(body: &Body, b: &Budgets) -> Exploration {
    dfs_as(body, b, false)
}

fn dfs_as(body: &Body, b: &Budgets, reduced: bool) -> Exploration {
    let limits = Limits {
        schedules: b.dfs_schedules,
        time: b.dfs_time,
        max_steps: b.max_steps,
        stop_at_first_failure: true,
    };
    let strategy = match b.dfs_preemption_bound {
        Some(preemptions) => ShuttleStrategy::BoundedDfs { preemptions },
        None if reduced => ShuttleStrategy::ReducedDfs,
        None => ShuttleStrategy::Dfs,
    };
    let mut e = spurious::covering(|n| {
        shuttle_run(body, strategy, limits, b.wall, n)
            .unwrap_or_else(|| hung(EngineKind::Shuttle, "DFS", b.wall))
    });
    // The bound is stated once, in `bound`; the search is DFS either way.
    e.strategy = "DFS".into();
    e
}

/// loom's exhaustive search (within `bound`), with spurious failures covered, and with its
/// result checked where its model of `SeqCst` is not C11's (`seqcst`).
pub fn loom(body: &Body, b: &Budgets, bound: Option<usize>) -> Exploration {
    let limits = LoomLimits {
        preemption_bound: bound,
        schedules: b.loom_schedules,
        time: b.loom_time,
        max_branches: b.max_branches,
    };
    let search =
        |weakened: bool| spurious::covering(|n| loom_run(body, limits, b.wall, n, weakened));
    let mut e = search(false);
    seqcst::check_pass(&mut e, || search(true));
    seqcst::check_failure(&mut e, body, b);
    e
}

/// The preemption count of a loom execution before it is minimized: not known yet. The
/// trace then counts the switches of the recorded run.
pub const UNKNOWN_PREEMPTIONS: u32 = u32::MAX;

/// One engine's search of a scenario body.
type Explorer = fn(&Body, &Budgets) -> Exploration;

/// The learner's search and the broken version's: measure with PCT, then exhaust with DFS and
/// loom, stopping at the first failure, then find its shallowest interleaving.
pub fn search(shape: Shape, body: &Body, b: &Budgets, engines: &[EngineKind]) -> Search {
    let mut s = Search::default();
    if shape == Shape::Async && engines.contains(&EngineKind::Loom) {
        s.not_applicable.push(loom_reason());
    }
    let steps: Vec<(EngineKind, Explorer)> = vec![
        (EngineKind::Shuttle, pct),
        (EngineKind::Shuttle, dfs),
        (EngineKind::Loom, shallow_first::loom_shallow_first),
    ];
    for (engine, run) in steps {
        if !engines.contains(&engine) || (engine == EngineKind::Loom && shape == Shape::Async) {
            continue;
        }
        let e = run(body, b);
        let found = e.found.clone();
        s.explorations.push(e);
        if let Some(found) = found {
            let discovered_by = s.explorations.len() - 1;
            let (found, depth) = match (engine, &found.schedule) {
                (EngineKind::Shuttle, SchedulePayload::Shuttle(d)) if !d.is_empty() => {
                    minimize::minimize_shuttle(body, found, b)
                }
                (EngineKind::Loom, _) => minimize::minimize_loom(body, found, b),
                _ => (found, Depth::AsRun),
            };
            s.shown = Some(Shown {
                found,
                discovered_by,
                depth,
            });
            break;
        }
    }
    // What loom's model cannot decide, shuttle's may (see `seqcst`).
    let decided = s
        .explorations
        .iter()
        .find(|e| e.engine == EngineKind::Shuttle && !e.sampled())
        .and_then(decided_by_shuttle);
    for e in &mut s.explorations {
        if let Some(u) = &mut e.undecided {
            u.decided_by = decided.clone();
        }
    }
    if s.shown.is_none() {
        inversion::lock_order(&mut s, body, b);
    }
    s
}
