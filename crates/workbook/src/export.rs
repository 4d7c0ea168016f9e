//! The visualizer's assets for one exercise: the broken version's failing trace, the same
//! schedule run on each fix (for Compare), and the schedule tree of every version (for the
//! game), with an index the book's pages load.

use crate::exercise::{Exercise, Role, Variant};
use crate::tree_export;
use racebook_check::engines::{SchedulePayload, shuttle as shuttle_engine};
use racebook_check::record;
use racebook_check::search;
use racebook_check::tracebuild;
use racebook_trace::{ScheduleRef, TRACE_FORMAT, TRACE_VERSION, Trace, find_conflict, schedule};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Schedules a tree holds at most; beyond this it is marked incomplete.
pub const TREE_LIMIT: usize = 5_000;
/// The game offers every schedule with at most two preemptions (every bug in the book needs at
/// most one), or with at most one where two gives more schedules than a page should carry.
pub const TREE_PREEMPTIONS: [usize; 2] = [2, 1];
const TREE_SCHEDULES_PER_PAGE: usize = 1_500;

/// A page loads every tree of its exercise: one tree's JSON should stay under this.
const TREE_BYTES_PER_PAGE: usize = 1 << 20;

fn game_tree(ex: &Exercise, v: &Variant) -> racebook_trace::ScheduleTree {
    for bound in TREE_PREEMPTIONS {
        let tree = tree_export::tree(ex, v, TREE_SCHEDULES_PER_PAGE, bound);
        let small = serde_json::to_string(&tree).is_ok_and(|j| j.len() <= TREE_BYTES_PER_PAGE);
        if tree.complete && small {
            return tree;
        }
    }
    tree_export::tree(ex, v, TREE_LIMIT, 1)
}

#[derive(Debug, Serialize)]
pub struct Index {
    pub exercise: String,
    pub title: String,
    pub broken: String,
    pub fixes: Vec<String>,
    pub traces: BTreeMap<String, String>,
    pub trees: BTreeMap<String, String>,
}

/// `decisions` run leniently on `fix`, recorded.
fn compare_trace(ex: &Exercise, fix: &Variant, decisions: &[u32]) -> Trace {
    let (replayed, rec) = record::record(|| {
        shuttle_engine::replay_lenient(&fix.scenario(), decisions, ex.budgets.max_steps)
    });
    let mut trace = Trace {
        format: TRACE_FORMAT.into(),
        version: TRACE_VERSION,
        exercise: ex.slug.into(),
        variant: fix.name.into(),
        found: None,
        schedule: ScheduleRef {
            engine: racebook_trace::EngineKind::Shuttle,
            encoded: schedule::encode(decisions).unwrap_or_default(),
            preemptions: 0,
            spurious_failure: None,
        },
        threads: rec.threads,
        objects: rec.objects,
        steps: rec.steps,
        failure: None,
        conflict: None,
    };
    if let Some(f) = replayed.failure {
        let step = trace.steps.len().checked_sub(1).map(|s| s as u32);
        trace.failure = Some(racebook_trace::Failure {
            kind: f.kind,
            invariant: f.invariant,
            expected: f.expected,
            observed: f.observed,
            step,
            message: f.message,
            blocked: Vec::new(),
        });
        trace.conflict = find_conflict(&trace);
    }
    trace
}

fn write(dir: &Path, name: &str, json: String) -> Result<String, String> {
    racebook_check::write_atomic(&dir.join(name), &(json + "\n"))
        .map_err(|e| format!("cannot write {name}: {e}"))?;
    Ok(name.to_string())
}

/// Write the assets of `ex` into `out/<slug>/`.
pub fn export(ex: &Exercise, out: &Path) -> Result<(), String> {
    let dir = out.join(ex.slug);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let broken = ex
        .with_role(Role::Broken)
        .next()
        .ok_or("no broken variant")?;
    let fixes: Vec<&Variant> = ex.with_role(Role::Fix).collect();
    let mut index = Index {
        exercise: ex.slug.into(),
        title: ex.title.into(),
        broken: broken.name.into(),
        fixes: fixes.iter().map(|f| f.name.to_string()).collect(),
        traces: BTreeMap::new(),
        trees: BTreeMap::new(),
    };
    let s = search::search(ex.shape, &broken.scenario(), &ex.budgets, ex.engines());
    let shown = s
        .shown
        .ok_or_else(|| format!("{}/{} does not fail", ex.slug, broken.name))?;
    let trace = tracebuild::record_trace(
        ex.slug,
        broken.name,
        &broken.scenario(),
        &shown.found,
        None,
        &ex.budgets,
    )
    .map_err(|p| p.explain())?;
    let name = write(
        &dir,
        &format!("{}.trace.json", broken.name),
        trace.to_json_pretty(),
    )?;
    index.traces.insert(broken.name.into(), name);
    if let SchedulePayload::Shuttle(decisions) = &shown.found.schedule {
        for fix in &fixes {
            let t = compare_trace(ex, fix, decisions);
            // Only a fix of the same scenario (the same threads) compares with the broken run.
            let threads = |t: &Trace| {
                t.threads
                    .iter()
                    .map(|th| th.name.clone())
                    .collect::<Vec<_>>()
            };
            if threads(&t) != threads(&trace) {
                continue;
            }
            let name = write(
                &dir,
                &format!("{}.trace.json", fix.name),
                t.to_json_pretty(),
            )?;
            index.traces.insert(fix.name.into(), name);
        }
    }
    for v in std::iter::once(broken).chain(fixes.iter().copied()) {
        let tree = game_tree(ex, v);
        let json = serde_json::to_string(&tree).map_err(|e| e.to_string())?;
        let name = write(&dir, &format!("{}.tree.json", v.name), json)?;
        index.trees.insert(v.name.into(), name);
    }
    write(
        &dir,
        "index.json",
        serde_json::to_string_pretty(&index).map_err(|e| e.to_string())?,
    )?;
    Ok(())
}
