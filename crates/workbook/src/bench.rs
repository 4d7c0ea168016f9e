//! Measurements for the benchmark tables: how fast each engine finds a broken variant's failure
//! (over many seeds), what recording costs on a replay, how often real threads show the bug in a
//! fixed time, and how long each fix takes to prove. Printed as tables, never asserted on.

use crate::exercise::{Exercise, Role, Variant};
use racebook_engine::engines::real::{StressLimits, StressResult, stress};
use racebook_engine::engines::shuttle::{self as shuttle_engine, Limits, ShuttleStrategy};
use racebook_engine::engines::{Exploration, SchedulePayload};
use racebook_engine::record;
use racebook_engine::report::{count, duration};
use racebook_engine::scenario::Shape;
use racebook_engine::search;
use racebook_engine::tracebuild;
use racebook_trace::EngineKind;
use serde::Serialize;
use std::time::{Duration, Instant};

/// min / median / max of a sample.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spread<T> {
    pub min: T,
    pub median: T,
    pub max: T,
}

fn spread<T: Copy + Ord>(mut xs: Vec<T>) -> Option<Spread<T>> {
    xs.sort();
    Some(Spread {
        min: *xs.first()?,
        median: xs[xs.len() / 2],
        max: *xs.last()?,
    })
}

/// One engine's time and schedules to the first failure of a broken variant.
#[derive(Debug, Clone, Serialize)]
pub struct FirstFailure {
    pub variant: String,
    pub engine: String,
    pub strategy: String,
    pub runs: usize,
    /// Runs that found the failure within the budget.
    pub found: usize,
    pub micros: Option<Spread<u64>>,
    pub schedules: Option<Spread<u64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplayCost {
    pub variant: String,
    pub raw_micros: f64,
    pub recorded_micros: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StressRow {
    pub variant: String,
    pub seconds: f64,
    pub runs: u64,
    pub failures: u64,
    pub hung: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProofRow {
    pub variant: String,
    pub engine: String,
    pub schedules: u64,
    pub exhaustive: bool,
    pub millis: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bench {
    pub exercise: String,
    pub first_failure: Vec<FirstFailure>,
    pub replay: Vec<ReplayCost>,
    pub stress: Vec<StressRow>,
    pub proofs: Vec<ProofRow>,
}

#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    pub seeds: usize,
    pub stress: Duration,
}

fn first_failures(
    label: (&str, &str),
    runs: usize,
    mut one: impl FnMut(u64) -> Exploration,
) -> FirstFailure {
    let mut micros = Vec::new();
    let mut schedules = Vec::new();
    for seed in 0..runs as u64 {
        let e = one(seed);
        if let Some(f) = e.found {
            micros.push(f.first_failure_after.as_micros() as u64);
            schedules.push(f.first_failure_at);
        }
    }
    FirstFailure {
        variant: String::new(),
        engine: label.0.into(),
        strategy: label.1.into(),
        runs,
        found: micros.len(),
        micros: spread(micros),
        schedules: spread(schedules),
    }
}

fn shuttle_first(
    body: &racebook_engine::scenario::Body,
    strategy: ShuttleStrategy,
    max_steps: usize,
) -> Exploration {
    let limits = Limits {
        schedules: 100_000,
        time: Duration::from_secs(10),
        max_steps,
        stop_at_first_failure: true,
    };
    shuttle_engine::explore(body, strategy, limits)
}

/// Engines' time to the first failure of `v`, each seeded strategy over `seeds` seeds.
pub fn first_failure_rows(ex: &Exercise, v: &Variant, seeds: usize) -> Vec<FirstFailure> {
    let b = ex.budgets;
    let body = v.scenario();
    let mut rows = Vec::new();
    if v.caught_by.contains(&EngineKind::Shuttle) {
        rows.push(first_failures(("shuttle", "random"), seeds, |seed| {
            shuttle_first(&body, ShuttleStrategy::Random { seed }, b.max_steps)
        }));
        rows.push(first_failures(("shuttle", "PCT depth 3"), seeds, |seed| {
            shuttle_first(&body, ShuttleStrategy::Pct { seed, depth: 3 }, b.max_steps)
        }));
        // DFS is deterministic: the same search every time, timed `seeds` times. The harness's
        // DFS, reduced (sleep sets), as a learner's check runs it.
        rows.push(first_failures(("shuttle", "DFS"), seeds, |_| {
            shuttle_first(&body, ShuttleStrategy::ReducedDfs, b.max_steps)
        }));
    }
    if v.caught_by.contains(&EngineKind::Loom) && ex.shape == Shape::Threads {
        rows.push(first_failures(
            ("loom", "exhaustive"),
            seeds.min(20),
            |_| search::loom_shallow_first(&body, &b),
        ));
    }
    for r in &mut rows {
        r.variant = v.name.into();
    }
    rows
}

/// The cost of recording: the same failing schedule replayed raw and recorded.
pub fn replay_cost(ex: &Exercise, v: &Variant, times: usize) -> Option<ReplayCost> {
    let engine = if v.caught_by.contains(&EngineKind::Shuttle) {
        EngineKind::Shuttle
    } else {
        EngineKind::Loom
    };
    let found = search::search(ex.shape, &v.scenario(), &ex.budgets, &[engine])
        .shown?
        .found;
    if matches!(found.schedule, SchedulePayload::Shuttle(ref d) if d.is_empty()) {
        return None;
    }
    let time = |recorded: bool| {
        let start = Instant::now();
        for _ in 0..times {
            if recorded {
                let _ = record::record(|| {
                    tracebuild::replay(&v.scenario(), &found.schedule, found.spurious, &ex.budgets)
                });
            } else {
                let _ =
                    tracebuild::replay(&v.scenario(), &found.schedule, found.spurious, &ex.budgets);
            }
        }
        start.elapsed().as_secs_f64() * 1e6 / times as f64
    };
    // Warm up, then alternate so that neither side gets the warmer caches.
    time(false);
    let (raw, recorded) = (time(false), time(true));
    let (raw2, recorded2) = (time(false), time(true));
    Some(ReplayCost {
        variant: v.name.into(),
        raw_micros: (raw + raw2) / 2.0,
        recorded_micros: (recorded + recorded2) / 2.0,
    })
}

/// Whether `v`'s bug is a data race (loom says so): undefined behaviour, never run on real
/// threads, where it could corrupt memory anywhere in the process.
pub fn is_data_race(ex: &Exercise, v: &Variant) -> bool {
    v.caught_by.contains(&EngineKind::Loom)
        && search::loom(&v.scenario(), &ex.budgets, ex.budgets.loom_preemption_bound)
            .found
            .is_some_and(|f| f.failure.kind == racebook_trace::FailureKind::DataRace)
}

/// The stress figure for `v`.
pub fn stress_row(v: &Variant, budget: Duration) -> StressRow {
    let r: StressResult = stress(
        &v.scenario(),
        StressLimits {
            runs: u64::MAX,
            time: budget,
        },
    );
    StressRow {
        variant: v.name.into(),
        seconds: r.elapsed.as_secs_f64(),
        runs: r.runs,
        failures: r.failures,
        hung: r.hung,
    }
}

/// How long each fix takes to prove, per engine.
pub fn proof_rows(ex: &Exercise) -> Vec<ProofRow> {
    let mut rows = Vec::new();
    for v in ex.with_role(Role::Fix) {
        let s = search::search(ex.shape, &v.scenario(), &ex.budgets, ex.engines());
        for e in s.explorations.iter().filter(|e| !e.sampled()) {
            rows.push(ProofRow {
                variant: v.name.into(),
                engine: format!("{} {}", e.engine.label(), e.strategy),
                schedules: e.schedules,
                exhaustive: e.exhaustive && e.found.is_none(),
                millis: e.elapsed.as_secs_f64() * 1000.0,
            });
        }
    }
    rows
}

pub fn run(ex: &Exercise, opts: BenchOptions) -> Bench {
    let broken: Vec<&Variant> = ex.with_role(Role::Broken).collect();
    Bench {
        exercise: ex.slug.into(),
        first_failure: broken
            .iter()
            .flat_map(|v| first_failure_rows(ex, v, opts.seeds))
            .collect(),
        replay: broken
            .iter()
            .filter_map(|v| replay_cost(ex, v, 200))
            .collect(),
        stress: broken
            .iter()
            .filter(|v| !is_data_race(ex, v))
            .map(|v| stress_row(v, opts.stress))
            .collect(),
        proofs: proof_rows(ex),
    }
}

fn spread_text(s: &Option<Spread<u64>>, unit: fn(u64) -> String) -> String {
    match s {
        Some(s) => format!("{} / {} / {}", unit(s.min), unit(s.median), unit(s.max)),
        None => "never".into(),
    }
}

/// The bench as text tables.
pub fn table(b: &Bench) -> String {
    let us = |x: u64| duration(Duration::from_micros(x));
    let mut out = format!(
        "## {}\n\ntime and schedules to the first failure (min / median / max)\n",
        b.exercise
    );
    out.push_str(&format!(
        "{:<16} {:<20} {:>9}  {:<34} {}\n",
        "variant", "engine", "found", "time", "schedules"
    ));
    for r in &b.first_failure {
        out.push_str(&format!(
            "{:<16} {:<20} {:>9}  {:<34} {}\n",
            r.variant,
            format!("{} {}", r.engine, r.strategy),
            format!("{}/{}", r.found, r.runs),
            spread_text(&r.micros, us),
            spread_text(&r.schedules, count)
        ));
    }
    out.push_str("\nreplay of the failing schedule: raw vs recorded (mean of 400)\n");
    for r in &b.replay {
        out.push_str(&format!(
            "{:<16} raw {:>10}   recorded {:>10}   ratio {:.2}x\n",
            r.variant,
            us(r.raw_micros as u64),
            us(r.recorded_micros as u64),
            r.recorded_micros / r.raw_micros.max(1e-9)
        ));
    }
    out.push_str("\nstress on real threads (2 cores), fixed budget\n");
    for r in &b.stress {
        let rate = if r.runs == 0 {
            0.0
        } else {
            r.failures as f64 / r.runs as f64
        };
        out.push_str(&format!(
            "{:<16} {:>10} runs in {:.1} s   {:>8} failed   rate {:.6}{}\n",
            r.variant,
            count(r.runs),
            r.seconds,
            count(r.failures),
            rate,
            if r.hung { "   (a run hung)" } else { "" }
        ));
    }
    out.push_str("\ntime to prove each fix\n");
    for r in &b.proofs {
        out.push_str(&format!(
            "{:<16} {:<26} {:>9} schedules  {:<16} {}\n",
            r.variant,
            r.engine,
            count(r.schedules),
            if r.exhaustive {
                "exhaustive"
            } else {
                "NOT exhaustive"
            },
            duration(Duration::from_secs_f64(r.millis / 1000.0))
        ));
    }
    out
}
