//! The reduced exhaustive search (depth-first with sleep sets) against plain depth-first search,
//! on every variant of every exercise (broken versions, reference fixes, the catalogue's wrong
//! fixes, the learner's file): the same verdict, and for a red one a failing schedule of the
//! same invariant that replays with that failure.
//!
//! Bound, for CI time: plain DFS runs at most `PLAIN_CAP` schedules. Where it stops there
//! without a failure, the verdicts cannot be compared; the test then asks only that the reduced
//! search, exhaustive within its own budget, finds nothing either (a failure it found would
//! still have to replay). Those variants are listed on the terminal.

use racebook_check::Budgets;
use racebook_engine::engines::SchedulePayload;
use racebook_engine::engines::shuttle as shuttle_engine;
use racebook_engine::search::{self, same_invariant};
use racebook_trace::EngineKind;
use racebook_workbook::{Exercise, Variant};
use std::fmt::Write as _;

const PLAIN_CAP: usize = 25_000;

fn budgets(ex: &Exercise, schedules: usize) -> Budgets {
    Budgets {
        dfs_schedules: schedules,
        dfs_preemption_bound: None,
        dfs_time: std::time::Duration::from_secs(120),
        ..ex.budgets
    }
}

/// Compare the two searches on one variant; a problem in words, or the row for the table.
fn compare(ex: &Exercise, v: &Variant) -> Result<String, String> {
    let body = v.scenario();
    let plain = search::plain_dfs(&body, &budgets(ex, PLAIN_CAP));
    let reduced = search::dfs(&body, &budgets(ex, ex.budgets.dfs_schedules));
    let name = format!("{}/{}", ex.slug, v.name);
    let row = |note: &str| {
        format!(
            "{name:<42} plain {:>7}{} reduced {:>6} (+{} repeats){note}",
            plain.schedules,
            if plain.exhaustive { " " } else { "+" },
            reduced.schedules,
            reduced.repeats.unwrap_or(0),
        )
    };
    match (&plain.found, &reduced.found) {
        (Some(p), Some(r)) => {
            if !same_invariant(&p.failure)(&r.failure) {
                return Err(format!(
                    "{name}: plain DFS broke “{}”, the reduced search “{}”",
                    p.failure.invariant, r.failure.invariant
                ));
            }
            replays(&name, &body, r, ex)?;
            Ok(row(" red, same invariant, replayed"))
        }
        (Some(p), None) => Err(format!(
            "{name}: plain DFS broke “{}” at schedule {}; the reduced search ({} schedules, \
             exhaustive: {}) found nothing",
            p.failure.invariant, p.first_failure_at, reduced.schedules, reduced.exhaustive
        )),
        (None, Some(r)) if plain.exhaustive => Err(format!(
            "{name}: plain DFS proved it in {} schedules; the reduced search broke “{}”",
            plain.schedules, r.failure.invariant
        )),
        (None, Some(r)) => {
            // Plain DFS stopped at its cap: a failure found beyond it must be real.
            replays(&name, &body, r, ex)?;
            Ok(row(" red beyond plain DFS's cap, replayed"))
        }
        (None, None) if !reduced.exhaustive => Err(format!(
            "{name}: the reduced search stopped at its budget after {} schedules",
            reduced.schedules
        )),
        (None, None) if plain.exhaustive => Ok(row(" green on both")),
        (None, None) => Ok(row(" green (plain DFS cut at its cap)")),
    }
}

/// The reduced search's failing schedule replays with a failure of the same invariant.
fn replays(
    name: &str,
    body: &racebook_engine::scenario::Body,
    found: &racebook_engine::engines::FoundFailure,
    ex: &Exercise,
) -> Result<(), String> {
    let SchedulePayload::Shuttle(decisions) = &found.schedule else {
        return Err(format!(
            "{name}: the reduced search gave a schedule of another engine"
        ));
    };
    let again = shuttle_engine::replay(body, decisions, ex.budgets.max_steps);
    match again.failure {
        Some(f) if same_invariant(&found.failure)(&f) && !again.stale => Ok(()),
        other => Err(format!(
            "{name}: the reduced search's failure ({:?}) replayed as {other:?} (stale: {})",
            found.failure, again.stale
        )),
    }
}

fn shuttle_runs(ex: &Exercise) -> bool {
    ex.engines().contains(&EngineKind::Shuttle)
}

#[test]
fn the_reduced_search_agrees_with_plain_dfs_on_every_variant() {
    let mut table = String::new();
    let mut problems = Vec::new();
    let mut compared = 0;
    for make in racebook_corpus::exercises() {
        let ex = make();
        if !shuttle_runs(&ex) {
            continue;
        }
        if let Some(bound) = ex.budgets.dfs_preemption_bound {
            // The harness searches this exercise with preemption-bounded DFS, not reduced.
            let _ = writeln!(
                table,
                "{:<42} preemption-bounded DFS ({bound}), not reduced",
                ex.slug
            );
            continue;
        }
        for v in &ex.variants {
            let only = std::env::var("RACEBOOK_ONLY").unwrap_or_default();
            if !format!("{}/{}", ex.slug, v.name).contains(&only) {
                continue;
            }
            compared += 1;
            match compare(&ex, v) {
                Ok(row) => {
                    let _ = writeln!(table, "{row}");
                }
                Err(p) => problems.push(p),
            }
        }
    }
    // The correct fixes a new user wrote (`learner_fixes`): their plain DFS is long, so only
    // the cap's share of it is compared.
    for (make, v) in racebook_corpus::learner_fixes::all() {
        let ex = make();
        let only = std::env::var("RACEBOOK_ONLY").unwrap_or_default();
        if !format!("{}/{}", ex.slug, v.name).contains(&only) {
            continue;
        }
        compared += 1;
        match compare(&ex, &v) {
            Ok(row) => {
                let _ = writeln!(table, "{row}");
            }
            Err(p) => problems.push(p),
        }
    }
    eprintln!("{table}");
    if std::env::var_os("RACEBOOK_ONLY").is_none() {
        assert!(compared > 30, "only {compared} variants compared");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
