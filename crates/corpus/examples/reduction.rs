//! The reduced search beside plain DFS, for `cargo xtask bench`: for every correct variant of
//! every exercise (reference fixes, catalogue variants that hold, and the learner fixes of
//! `learner_fixes`), plain DFS's schedules (within the exercise's budget), the reduced search's,
//! and the reduced proof's median time over five runs. One JSON array on stdout.
//!
//! `cargo run -p racebook-corpus --example reduction -- --json`

use racebook_corpus::learner_fixes;
use racebook_engine::search;
use racebook_trace::EngineKind;
use racebook_workbook::{Exercise, Role, Variant};
use serde::Serialize;
use std::time::Duration;

#[derive(Serialize)]
struct Row {
    variant: String,
    role: &'static str,
    /// The search the harness runs: `reduced`, or `bounded (N)` where the exercise sets a
    /// preemption bound.
    search: String,
    plain: u64,
    plain_exhaustive: bool,
    reduced: u64,
    repeats: u64,
    reduced_exhaustive: bool,
    median_millis: f64,
}

fn row(ex: &Exercise, v: &Variant, role: &'static str) -> Option<Row> {
    let body = v.scenario();
    let plain = search::plain_dfs(&body, &ex.budgets);
    if plain.found.is_some() {
        return None;
    }
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let e = search::dfs(&body, &ex.budgets);
        times.push(e.elapsed);
        last = Some(e);
    }
    let reduced = last?;
    if reduced.found.is_some() {
        return None;
    }
    times.sort();
    Some(Row {
        variant: format!("{}/{}", ex.slug, v.name),
        role,
        search: match ex.budgets.dfs_preemption_bound {
            Some(b) => format!("bounded ({b})"),
            None => "reduced".into(),
        },
        plain: plain.schedules,
        plain_exhaustive: plain.exhaustive,
        reduced: reduced.schedules,
        repeats: reduced.repeats.unwrap_or(0),
        reduced_exhaustive: reduced.exhaustive,
        median_millis: times
            .get(2)
            .copied()
            .unwrap_or(Duration::ZERO)
            .as_secs_f64()
            * 1e3,
    })
}

/// Exercise 01's scenario with `n` workers counting the same item, on the lock fix.
fn workers(n: usize) {
    let items = vec!["apple"; n];
    let counts = ex01_counter_map::fixed_lock::count(&items);
    racebook_check::invariant(
        ex01_counter_map::INVARIANT,
        ex01_counter_map::expected(&items),
        counts,
    );
}

fn main() {
    let mut rows = Vec::new();
    for make in racebook_corpus::exercises() {
        let ex = make();
        if !ex.engines().contains(&EngineKind::Shuttle) {
            continue;
        }
        for v in &ex.variants {
            let role = match v.role {
                Role::Fix => "fix",
                Role::Wrong => "catalogue",
                _ => continue,
            };
            rows.extend(row(&ex, v, role));
        }
    }
    for (make, v) in learner_fixes::all() {
        rows.extend(row(&make(), &v, "learner"));
    }
    // How the proof grows with the scenario: the lock fix of 01 with 2 to 5 workers (and the
    // main thread that joins them).
    let scaled: [(&'static str, fn()); 4] = [
        ("fixed_lock, 2 workers", || workers(2)),
        ("fixed_lock, 3 workers", || workers(3)),
        ("fixed_lock, 4 workers", || workers(4)),
        ("fixed_lock, 5 workers", || workers(5)),
    ];
    for (name, body) in scaled {
        rows.extend(row(
            &ex01_counter_map::exercise(),
            &Variant::fix(name, body),
            "size",
        ));
    }
    println!("{}", serde_json::to_string(&rows).expect("rows serialize"));
}
