//! Checking one mutant as the learner's check would, and confirming every claim the diagnosis
//! makes about a failing one. The claims are taken from the diagnosis before the report's own
//! gate (which drops an unconfirmed claim), so a diagnosis that claims something false fails
//! here instead of being quietly left out of a report.

use crate::Mutant;
use racebook_check::report::Style;
use racebook_trace::conflict::diagnose;
use racebook_trace::{Claim, Trace, confirm};
use racebook_workbook::learner::check_variant_traced;
use racebook_workbook::outcome::Status;
use std::time::{Duration, Instant};

/// What the check and the claim checker said about one mutant.
pub struct Judged {
    pub mutant: Mutant,
    pub status: Status,
    /// Each claim of the diagnosis, with the independent checker's answer.
    pub claims: Vec<(Claim, Result<(), String>)>,
    /// The report's "why" line, as the learner would read it.
    pub why: Option<String>,
    pub report: String,
    pub took: Duration,
}

impl Judged {
    pub fn confirmed(&self) -> usize {
        self.claims.iter().filter(|(_, r)| r.is_ok()).count()
    }

    /// A red mutant whose claims are not all confirmed, or that has none.
    pub fn unconfirmed(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .claims
            .iter()
            .filter_map(|(c, r)| r.as_ref().err().map(|e| format!("{c:?}: {e}")))
            .collect();
        if self.status == Status::Red && self.claims.is_empty() && self.why.is_none() {
            out.push("no claim and no why".into());
        }
        out
    }
}

/// The claims of a trace's diagnosis, each confirmed or not.
pub fn confirm_all(trace: &Trace) -> Vec<(Claim, Result<(), String>)> {
    let mut bare = trace.clone();
    bare.conflict = None;
    diagnose(&bare)
        .into_iter()
        .map(|c| {
            let r = confirm(&bare, &c);
            (c, r)
        })
        .collect()
}

/// The corpus checks many mutants, so each search is smaller than a learner's: fewer PCT
/// samples, and shuttle's exhaustive search bounded to two preemptions (loom's, where it
/// applies, stays unbounded). Its budget is in schedules, not seconds: a loaded machine makes
/// the test slower, never its result different. The table states these bounds.
pub fn budgets(ex: &racebook_workbook::Exercise) -> racebook_check::Budgets {
    racebook_check::Budgets {
        pct_schedules: 300,
        dfs_preemption_bound: Some(ex.budgets.dfs_preemption_bound.unwrap_or(2).min(2)),
        dfs_time: Duration::from_secs(600),
        loom_time: Duration::from_secs(600),
        ..ex.budgets
    }
}

pub fn judge(mutant: &Mutant) -> Judged {
    let mut ex = (mutant.exercise)();
    ex.budgets = budgets(&ex);
    let style = Style {
        color: false,
        verbose: false,
    };
    let started = Instant::now();
    let (outcome, report, trace) = check_variant_traced(&ex, &mutant.variant, &ex.budgets, style);
    let claims = trace.as_ref().map(confirm_all).unwrap_or_default();
    let why = trace
        .as_ref()
        .and_then(|t| t.conflict.as_ref())
        .map(|c| c.why.clone());
    Judged {
        mutant: *mutant,
        status: outcome.status,
        claims,
        why,
        report,
        took: started.elapsed(),
    }
}

/// Judge every mutant on `workers` threads; the results in the mutants' order.
pub fn judge_all(mutants: &[Mutant], workers: usize) -> Vec<Judged> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(m) = mutants.get(i) else { break };
                    let j = judge(m);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, j));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, j)| j).collect()
}

/// A claim's kind, as the table names it.
pub fn kind(c: &Claim) -> String {
    let debug = format!("{c:?}");
    debug
        .split([' ', '{'])
        .next()
        .unwrap_or_default()
        .to_string()
}
