//! The green report's lines on what proved a scenario: a reduced search's coverage, and a
//! proof that stands although another search stopped at its budget.

use super::count;
use crate::engines::Exploration;
use crate::search::Search;

/// What a finished reduced search covered, in words.
pub(super) fn reduced_line(e: &Exploration) -> Option<String> {
    e.repeats?;
    if !e.exhaustive || e.found.is_some() {
        return None;
    }
    Some(format!(
        "  {}'s {} covered every distinct ordering of the shared steps ({} schedule{}; \
         orderings of independent steps counted once)",
        e.engine.label(),
        e.strategy,
        count(e.schedules),
        if e.schedules == 1 { "" } else { "s" }
    ))
}

/// When one search proved the scenario and another stopped at its budget: which proved it, and
/// that the other's stop takes nothing away from the proof.
pub(super) fn proved_despite(search: &Search) -> Option<String> {
    let stopped = search.stopped_beside_proof();
    let proof = search.proof()?;
    if stopped.is_empty() {
        return None;
    }
    let bound = proof
        .bound
        .as_ref()
        .map(|b| format!(" ({b})"))
        .unwrap_or_else(|| " (no preemption bound)".into());
    let others: Vec<String> = stopped
        .iter()
        .map(|e| {
            format!(
                "{}'s {} search stopped at its budget after {} schedules",
                e.engine.label(),
                e.strategy,
                count(e.schedules)
            )
        })
        .collect();
    Some(format!(
        "  proved by {}: it explored every schedule{bound}; {}, which leaves the proof whole \
         ({}'s model covers every shared operation of this scenario)",
        proof.engine.label(),
        others.join("; "),
        proof.engine.label()
    ))
}
