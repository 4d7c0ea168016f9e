//! The hard way next to the deterministic way, for the chapter: each broken variant on real
//! threads for a fixed time (how often each symptom shows), then shuttle's randomized and
//! exhaustive searches and loom's, side by side. Shuttle and real x86 hardware run every atomic
//! as sequentially consistent, so only loom sees the `Relaxed` publish.
//!
//! `cargo run --release -p ex04-metrics-ring --example stress -- [--seconds N]`
//! (default 10). Numbers, never assertions: the chapter quotes them with the machine they came
//! from.

use ex04_metrics_ring::{broken_relaxed, exercise, scenario_dashboard_first};
use racebook_engine::engines::Exploration;
use racebook_engine::engines::real::{StressLimits, stress};
use racebook_engine::engines::shuttle::{Limits, ShuttleStrategy, explore};
use racebook_engine::report::{count, duration};
use racebook_engine::scenario::Body;
use racebook_engine::search;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Runs of `body` on real threads for `budget`, counted by the invariant that failed.
fn on_real_threads(body: &Body, budget: Duration) -> (u64, BTreeMap<String, u64>) {
    let start = Instant::now();
    let (mut runs, mut failures) = (0, BTreeMap::new());
    while start.elapsed() < budget {
        // One run per call: `stress` keeps only a batch's first failure, and the symptoms are
        // counted apart.
        let r = stress(
            body,
            StressLimits {
                runs: 1,
                time: budget,
            },
        );
        runs += r.runs;
        if let Some(f) = r.first_failure {
            *failures.entry(f.invariant).or_insert(0) += 1;
        }
        if r.hung {
            eprintln!("a run hung; stopping");
            break;
        }
    }
    (runs, failures)
}

/// 1,000 single random schedules under shuttle, counted by the invariant that failed.
fn shuttle_symptoms(body: &Body) -> BTreeMap<String, u64> {
    let mut failures = BTreeMap::new();
    for seed in 0..1_000 {
        let limits = Limits {
            schedules: 1,
            time: Duration::from_secs(5),
            max_steps: 20_000,
            stop_at_first_failure: true,
        };
        if let Some(f) = explore(body, ShuttleStrategy::Random { seed }, limits).found {
            *failures.entry(f.failure.invariant).or_insert(0) += 1;
        }
    }
    failures
}

fn outcome(e: &Exploration) -> String {
    match &e.found {
        Some(f) => format!(
            "FAILS at schedule {} after {} ({})",
            count(f.first_failure_at),
            duration(f.first_failure_after),
            f.failure.invariant.split(':').next().unwrap_or_default()
        ),
        None => format!(
            "passes: {} schedules, {}{} in {}",
            count(e.schedules),
            if e.sampled() {
                "sampled"
            } else if e.exhaustive {
                "exhaustive"
            } else {
                "NOT exhaustive"
            },
            e.bound
                .as_ref()
                .map(|b| format!(" ({b})"))
                .unwrap_or_default(),
            duration(e.elapsed)
        ),
    }
}

fn symptoms(failures: &BTreeMap<String, u64>, of: u64) -> String {
    if failures.is_empty() {
        return format!("0 of {}", count(of));
    }
    let parts: Vec<String> = failures
        .iter()
        .map(|(what, n)| {
            format!(
                "{} ({})",
                count(*n),
                what.split(':').next().unwrap_or_default()
            )
        })
        .collect();
    format!("{} of {}", parts.join(" + "), count(of))
}

fn main() {
    let seconds = match racebook_workbook::stress_cli::seconds(10.0) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}\nusage: stress [--seconds N]   (N seconds per variant, default 10)");
            std::process::exit(2);
        }
    };
    let budget = Duration::from_secs_f64(seconds);
    let ex = exercise();
    println!(
        "machine: {} cores; {seconds} s of real threads per variant\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    for name in [
        "broken",
        "broken_relaxed",
        "broken_unsafe",
        "broken_durations",
    ] {
        let v = ex.variant(name).expect("a variant of this exercise");
        let (runs, real) = on_real_threads(&v.scenario(), budget);
        println!("{name}");
        println!(
            "  real threads        {} runs failed",
            symptoms(&real, runs)
        );
        println!(
            "  shuttle random      {} schedules failed",
            symptoms(&shuttle_symptoms(&v.scenario()), 1_000)
        );
        println!(
            "  shuttle PCT         {}",
            outcome(&search::pct(&v.scenario(), &ex.budgets))
        );
        println!(
            "  shuttle DFS         {}",
            outcome(&search::dfs(&v.scenario(), &ex.budgets))
        );
        println!(
            "  loom                {}",
            outcome(&search::loom(&v.scenario(), &ex.budgets, None))
        );
        println!();
    }
    // loom's search is exhaustive by its own account, yet which executions it reaches depends
    // on the order the threads were started in (tokio-rs/loom issues 166 and 392).
    let e = search::loom(
        &(std::sync::Arc::new(scenario_dashboard_first::<broken_relaxed::Ring>) as Body),
        &ex.budgets,
        None,
    );
    println!("broken_relaxed, dashboard thread started first");
    println!("  loom                {}", outcome(&e));
}
