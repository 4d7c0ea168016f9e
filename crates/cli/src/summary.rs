//! One-line summaries of a check's result, for the list, the verdict after a check and reports.

use crate::clock;
use crate::state::{ExerciseState, Progress};
use racebook_engine::report::count;
use racebook_workbook::outcome::{EngineSummary, Outcome};

/// `shuttle dfs: 96 schedules, exhaustive`.
pub fn engine(e: &EngineSummary) -> String {
    let how = if e.exhaustive {
        "exhaustive".to_string()
    } else if e.failing > 0 {
        format!("{} failing", count(e.failing))
    } else if sampled(e) {
        "sampled".to_string()
    } else {
        "not exhaustive".to_string()
    };
    let bound = e
        .bound
        .as_deref()
        .map(|b| format!(" ({b})"))
        .unwrap_or_default();
    format!(
        "{} {}: {} schedules, {how}{bound}",
        e.engine.label(),
        e.strategy,
        count(e.schedules)
    )
}

/// A randomized search measures how rare a failure is; it never claims to be exhaustive.
fn sampled(e: &EngineSummary) -> bool {
    let s = e.strategy.to_ascii_lowercase();
    s.contains("pct") || s.contains("random")
}

pub fn engines(list: &[EngineSummary]) -> String {
    list.iter().map(engine).collect::<Vec<_>>().join("; ")
}

pub fn schedules(o: &Outcome) -> u64 {
    o.engines.iter().map(|e| e.schedules).sum()
}

/// What broke, in words: `invariant broken: “every item is counted exactly once”`.
pub fn failure(o: &Outcome) -> Option<String> {
    let kind = o.failure_kind?;
    Some(match &o.invariant {
        Some(inv) => format!("{}: “{inv}”", kind.label()),
        None => kind.label().to_string(),
    })
}

/// The list's "last result" column.
pub fn last_result(s: &ExerciseState, now: u64) -> String {
    let when = s.last_check.map(|t| clock::ago(t, now)).unwrap_or_default();
    let what = match (s.status, &s.last) {
        (Progress::NotStarted, _) => return String::new(),
        (Progress::DoesNotCompile, _) => "src does not compile".to_string(),
        (Progress::Green, Some(o)) => format!("{} schedules explored", count(schedules(o))),
        (Progress::Red, Some(o)) => failure(o).unwrap_or_else(|| "failed".into()),
        (Progress::NotProved, Some(o)) => {
            format!("{} schedules, a search hit its budget", count(schedules(o)))
        }
        (Progress::Serialized, _) => "the fix removed the concurrency".to_string(),
        (_, None) => String::new(),
    };
    format!("{when}: {what}")
}
