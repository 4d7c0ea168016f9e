//! A run that never finished, in words: the loop it was caught in, found as the steps that
//! repeat at the end of the trace, and (when the trace shows it) why that loop could go on.
//! Every fact is read off the trace: the repeated steps, how often, which threads ran in the
//! loop, when the others last ran, who held the lock a `try_lock` kept failing on.

use crate::describe::describe;
use crate::model::{Op, Step, Trace};

/// Steps that do the same thing at the same place.
fn same(a: &Step, b: &Step) -> bool {
    a.thread == b.thread
        && a.op == b.op
        && a.object == b.object
        && a.value == b.value
        && a.at.file == b.at.file
        && a.at.line == b.at.line
}

/// The loop at the end of `steps`: its length and how many times it repeats back from the
/// end (at least 8 times), the shortest such loop first.
pub fn tail_loop(steps: &[&Step]) -> Option<(usize, usize)> {
    let n = steps.len();
    for period in 1..=40.min(n / 8) {
        let mut k = n - 1;
        while k >= period && same(steps[k], steps[k - period]) {
            k -= 1;
        }
        // Steps k+1..n all equal the step `period` before them.
        let repeating = n - 1 - k + period;
        let reps = repeating / period;
        if reps >= 8 {
            return Some((period, reps));
        }
    }
    None
}

/// The endless loop of a run that did not terminate, in words, if the trace ends in one.
pub fn endless_loop(trace: &Trace) -> Option<String> {
    let steps: Vec<&Step> = trace.steps.iter().collect();
    let (period, reps) = tail_loop(&steps)?;
    let body = &steps[steps.len() - period..];
    let mut threads: Vec<u32> = body.iter().map(|s| s.thread).collect();
    threads.sort_unstable();
    threads.dedup();
    let names: Vec<&str> = threads.iter().map(|&t| trace.thread_name(t)).collect();
    let what: Vec<String> = body
        .iter()
        .map(|s| format!("{} ({})", describe(trace, s), s.at.short()))
        .collect();
    let mut text = if period == 1 {
        format!(
            "{} did the same step {reps} times in a row, up to where the trace ends: {}",
            names.join(" and "),
            what[0]
        )
    } else {
        format!(
            "{} repeated the same {period} steps {reps} times, up to where the trace ends: {}",
            names.join(" and "),
            what.join(", ")
        )
    };
    let first = steps.len() - period * reps;
    let others: Vec<String> = trace
        .threads
        .iter()
        .filter(|t| !threads.contains(&t.id))
        .filter(|t| {
            !trace
                .steps
                .iter()
                .any(|s| s.thread == t.id && s.op == Op::Finish)
        })
        .filter_map(
            |t| match trace.steps.iter().rev().find(|s| s.thread == t.id) {
                Some(last) => ((last.index as usize) < first)
                    .then(|| format!("{} last ran at step {}", t.name, last.index + 1)),
                None => Some(format!("{} never ran", t.name)),
            },
        )
        .collect();
    if !others.is_empty() {
        text.push_str(&format!("; meanwhile {}", others.join(", ")));
    }
    text.push('.');
    if let Some(s) = body.iter().find(|s| s.op == Op::TryLockFailed) {
        let lock = s.object?;
        let holder = holder_of(trace, lock);
        text.push_str(&match holder {
            Some(h) => format!(
                " Every try_lock of {} failed because {} held it and did not run again. A retry \
                 that gives back what it took and tries again is never sure to succeed: the \
                 checkers explore schedules that keep the holder from running, and on real \
                 threads two threads that back off and retry in step can keep each other out \
                 (a livelock). Take the locks in one order instead of retrying.",
                trace.object_name(lock),
                trace.thread_name(h)
            ),
            None => " A retry loop is never sure to succeed: take the locks in one order instead."
                .to_string(),
        });
    } else if body.iter().all(|s| {
        matches!(
            s.op,
            Op::Load | Op::Read | Op::Lock | Op::Unlock | Op::ReadLock | Op::ReadUnlock
        )
    }) {
        text.push_str(
            " The loop only reads, waiting for another thread to change what it reads, and never \
             blocks or yields: nothing makes the scheduler run that thread, and the checkers \
             explore the schedules where it never does. Block instead of spinning: wait on a \
             condvar (or park) until the change is notified.",
        );
    }
    Some(text)
}

/// The thread that holds `lock` at the end of the run: its last take with no release after.
fn holder_of(trace: &Trace, lock: u32) -> Option<u32> {
    let take = trace
        .steps
        .iter()
        .rev()
        .find(|s| s.object == Some(lock) && matches!(s.op, Op::Lock | Op::ReadLock))?;
    let released = trace.steps[take.index as usize + 1..].iter().any(|s| {
        s.object == Some(lock)
            && s.thread == take.thread
            && matches!(s.op, Op::Unlock | Op::ReadUnlock)
    });
    (!released).then_some(take.thread)
}
