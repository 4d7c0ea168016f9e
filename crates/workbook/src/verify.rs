//! The maintainers' proofs, shared by the root test suite and `racebook verify`: every broken
//! version is caught by each engine that should catch it, every stored schedule replays its
//! failure every time, every fix passes, and every learner's file is still the broken version.

use crate::exercise::{Exercise, Role, Variant};
use crate::learner::LEARNER;
use racebook_check::Budgets;
use racebook_check::concurrency;
use racebook_check::engines::{Exploration, FoundFailure};
use racebook_check::schedule_file::ScheduleFile;
use racebook_check::search::{self, Search};
use racebook_check::tracebuild::{self, ReplayProblem};
use racebook_trace::{EngineKind, Trace};
use std::path::{Path, PathBuf};

fn variant<'a>(ex: &'a Exercise, name: &str) -> Result<&'a Variant, String> {
    ex.variant(name)
        .ok_or_else(|| format!("{} has no variant `{name}`", ex.slug))
}

/// Run one engine's search for a failure of `name`.
pub fn explore_with(ex: &Exercise, name: &str, engine: EngineKind) -> Result<Exploration, String> {
    let v = variant(ex, name)?;
    let b = &ex.budgets;
    Ok(match engine {
        EngineKind::Shuttle => search::pct(&v.scenario(), b),
        EngineKind::Loom => search::loom(&v.scenario(), b, b.loom_preemption_bound),
        EngineKind::Real => {
            return Err("real threads are measured by the stress benchmark, not proved".into());
        }
    })
}

/// `name` must fail under `engine`, and the failure must replay into a trace.
pub fn caught_by(
    ex: &Exercise,
    name: &str,
    engine: EngineKind,
) -> Result<(FoundFailure, Trace), String> {
    let v = variant(ex, name)?;
    let e = explore_with(ex, name, engine)?;
    let found = e.found.ok_or_else(|| {
        format!(
            "{}/{name} was NOT caught by {} {} in {} schedules",
            ex.slug,
            engine.label(),
            e.strategy,
            e.schedules
        )
    })?;
    let trace = tracebuild::record_trace(ex.slug, v.name, &v.scenario(), &found, None, &ex.budgets)
        .map_err(|p| {
            format!(
                "{}/{name}: the failing schedule did not replay: {}",
                ex.slug,
                p.explain()
            )
        })?;
    Ok((found, trace))
}

/// Every engine in `caught_by` catches every broken variant.
pub fn all_broken_caught(ex: &Exercise) -> Result<usize, String> {
    let mut n = 0;
    for v in ex.variants.iter().filter(|v| v.role == Role::Broken) {
        if v.caught_by.is_empty() {
            return Err(format!(
                "{}/{}: no engine is expected to catch it",
                ex.slug, v.name
            ));
        }
        for &engine in v.caught_by {
            caught_by(ex, v.name, engine)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Replay a stored schedule `times` times; each replay must give the stored failure.
pub fn replays(ex: &Exercise, file: &Path, times: usize) -> Result<usize, String> {
    let stored = ScheduleFile::read(file)?;
    if stored.exercise != ex.slug {
        return Err(format!(
            "{} is for {}, not {}",
            file.display(),
            stored.exercise,
            ex.slug
        ));
    }
    let v = variant(ex, &stored.variant)?;
    let payload = stored.payload()?;
    for i in 1..=times {
        let r = tracebuild::replay_for(
            &v.scenario(),
            &payload,
            stored.spurious,
            &ex.budgets,
            stored.failure.kind,
        );
        let ok = !r.stale && r.failure.as_ref().is_some_and(|f| stored.matches(f));
        if !ok {
            let problem = if r.stale {
                ReplayProblem::Stale
            } else {
                ReplayProblem::Different(r.failure.map(Box::new))
            };
            return Err(format!(
                "{}: replay {i} of {times}: {}",
                file.display(),
                problem.explain()
            ));
        }
    }
    Ok(times)
}

/// The stored schedules of an exercise: `exercises/<slug>/schedules/*.json`.
pub fn schedule_files(ex_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(ex_dir.join("schedules"))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A fix (or the learner's file) passes every applicable engine, exhaustively, and keeps the
/// concurrency the scenario needs.
pub fn proved(ex: &Exercise, name: &str) -> Result<Search, String> {
    let v = variant(ex, name)?;
    let s = search::search(ex.shape, &v.scenario(), &ex.budgets, ex.engines());
    if let Some(shown) = &s.shown {
        return Err(format!(
            "{}/{name} FAILED: {}",
            ex.slug, shown.found.failure.message
        ));
    }
    if !s.exhaustive() {
        let left: Vec<String> = s
            .explorations
            .iter()
            .filter(|e| !e.sampled() && !e.exhaustive)
            .map(|e| {
                format!(
                    "{} {}: not exhaustive, {} schedules",
                    e.engine.label(),
                    e.strategy,
                    e.schedules
                )
            })
            .collect();
        return Err(format!(
            "{}/{name} not proved: {}",
            ex.slug,
            left.join("; ")
        ));
    }
    if let Some(need) = ex.concurrency {
        let c = concurrency::check(&v.scenario(), need, ex.budgets.max_steps);
        if !c.ok() {
            return Err(format!("{}/{name}: {}", ex.slug, c.problem()));
        }
    }
    Ok(s)
}

/// Every fix is proved.
pub fn all_fixes_proved(ex: &Exercise) -> Result<Vec<(String, Search)>, String> {
    ex.with_role(Role::Fix)
        .map(|v| proved(ex, v.name).map(|s| (v.name.to_string(), s)))
        .collect()
}

/// The learner's file is still byte-for-byte the broken version (a pristine checkout).
pub fn learner_pristine(ex_dir: &Path) -> Result<(), String> {
    let read = |name: &str| {
        let p = ex_dir.join("src").join(format!("{name}.rs"));
        std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    if read(LEARNER)? == read("broken")? {
        Ok(())
    } else {
        Err(format!(
            "{}: src/{LEARNER}.rs differs from src/broken.rs",
            ex_dir.display()
        ))
    }
}

/// Budgets for the fast unit tests of the harness itself.
pub fn small_budgets() -> Budgets {
    Budgets {
        pct_schedules: 200,
        ..Budgets::default()
    }
}

/// How the learner's check answers a wrong fix: its status and the report it prints.
pub struct Rejection {
    pub status: crate::outcome::Status,
    pub report: String,
}

/// Run the learner's check on wrong fix `name`; it must not come out green.
pub fn wrong_fix_rejected(ex: &Exercise, name: &str) -> Result<Rejection, String> {
    let v = variant(ex, name)?;
    let style = racebook_check::report::Style {
        color: false,
        verbose: false,
    };
    let (outcome, report) = crate::learner::check_variant(ex, v, &ex.budgets, style);
    if outcome.status == crate::outcome::Status::Green {
        return Err(format!(
            "{}/{name} is a wrong fix, but the check passed it:\n{report}",
            ex.slug
        ));
    }
    Ok(Rejection {
        status: outcome.status,
        report,
    })
}

/// One wrong fix's expected rejection: its name, the status the learner's check must give it,
/// and phrases its report must contain (which invariant broke, the targeted explanation).
pub type ExpectedRejection<'a> = (&'a str, crate::outcome::Status, &'a [&'a str]);

/// Every wrong fix of `ex` is listed in `expected`, and each is rejected with its status and a
/// report that contains its phrases; a red report also shows the interleaving. Returns how many
/// wrong fixes were checked.
pub fn wrong_fixes_rejected(
    ex: &Exercise,
    expected: &[ExpectedRejection],
) -> Result<usize, String> {
    let unlisted: Vec<&str> = ex
        .with_role(Role::Wrong)
        .map(|v| v.name)
        .filter(|name| !expected.iter().any(|e| e.0 == *name))
        .collect();
    if !unlisted.is_empty() {
        return Err(format!(
            "{}: wrong fixes with no expected diagnosis: {}",
            ex.slug,
            unlisted.join(", ")
        ));
    }
    for &(name, status, phrases) in expected {
        let r = wrong_fix_rejected(ex, name)?;
        if r.status != status {
            return Err(format!(
                "{}/{name}: expected {status:?}, got {:?}:\n{}",
                ex.slug, r.status, r.report
            ));
        }
        let interleaving: &[&str] = if status == crate::outcome::Status::Red {
            &["── switch:"]
        } else {
            &[]
        };
        if let Some(missing) = phrases
            .iter()
            .chain(interleaving)
            .find(|p| !r.report.contains(**p))
        {
            return Err(format!(
                "{}/{name}: the report lacks `{missing}`:\n{}",
                ex.slug, r.report
            ));
        }
    }
    Ok(expected.len())
}
