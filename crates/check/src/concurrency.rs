//! Checking that a fix kept the concurrency the story needs. A "fix" that runs all the work on
//! one thread, or holds one lock around all of it, makes any race disappear and teaches
//! nothing; the harness rejects it with its own message.

use crate::engines::shuttle::{self as shuttle_engine, Limits, ShuttleStrategy};
use crate::record;
use crate::scenario::Body;
use racebook_trace::Op;
use std::collections::BTreeSet;
use std::time::Duration;

/// What a fix must keep concurrent: the work marked with `crate::work(marker)` must run on at
/// least `min_threads` threads, and never while a lock is held.
#[derive(Debug, Clone, Copy)]
pub struct Concurrency {
    /// The label passed to `crate::work` where the work happens.
    pub marker: &'static str,
    /// The fewest threads (or tasks) that must do the marked work.
    pub min_threads: usize,
}

/// What a few recorded runs showed about the marked work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcurrencyCheck {
    pub marker: &'static str,
    pub min_threads: usize,
    /// Names of the threads that did the marked work.
    pub threads: BTreeSet<String>,
    /// Where the work ran while a lock was held: (thread, lock).
    pub under_lock: Option<(String, String)>,
    /// The work of two threads overlapped in at least one of the runs.
    pub overlapped: bool,
    /// The work ran on async tasks, not threads: the words say so.
    pub tasks: bool,
}

impl ConcurrencyCheck {
    fn units(&self) -> &'static str {
        if self.tasks { "tasks" } else { "threads" }
    }

    fn unit(&self) -> &'static str {
        if self.tasks { "task" } else { "thread" }
    }

    pub fn ok(&self) -> bool {
        self.threads.len() >= self.min_threads && self.under_lock.is_none() && self.overlapped
    }

    pub fn summary(&self) -> String {
        if self.ok() {
            return format!(
                "the `{}` work ran on {} {}, interleaved, never under a lock",
                self.marker,
                self.threads.len(),
                self.units()
            );
        }
        self.problem()
    }

    /// What is wrong, in words a learner can act on.
    pub fn problem(&self) -> String {
        if let Some((thread, lock)) = &self.under_lock {
            return format!(
                "the fix removes the concurrency: {thread} does the `{}` work while holding {lock}, so \
                 the {} take turns instead of working at the same time. Hold the lock only \
                 around the shared update.",
                self.marker,
                self.units()
            );
        }
        if self.threads.len() < self.min_threads {
            let n = self.threads.len();
            return format!(
                "the fix removes the concurrency: the `{}` work ran on {n} {}, and the story needs \
                 at least {}. Keep them apart; make their shared update safe instead.",
                self.marker,
                if n == 1 { self.unit() } else { self.units() },
                self.min_threads
            );
        }
        let names: Vec<&str> = self.threads.iter().map(String::as_str).collect();
        format!(
            "the fix removes the concurrency: the `{}` work of {} never overlapped in any run \
             (each {} finished before the next one started), so the {} take turns. Start \
             them together, and make only their shared update safe.",
            self.marker,
            names.join(" and "),
            self.unit(),
            self.units()
        )
    }
}

/// Record a few seeded random schedules of `variant` and look at the marked work.
pub fn check(body: &Body, need: Concurrency, max_steps: usize) -> ConcurrencyCheck {
    let mut result = ConcurrencyCheck {
        marker: need.marker,
        min_threads: need.min_threads,
        threads: BTreeSet::new(),
        under_lock: None,
        overlapped: false,
        tasks: false,
    };
    for seed in 0..16 {
        let limits = Limits {
            schedules: 1,
            time: Duration::from_secs(5),
            max_steps,
            stop_at_first_failure: false,
        };
        let (_, rec) = record::record(|| {
            shuttle_engine::explore(body, ShuttleStrategy::Random { seed }, limits)
        });
        let marks: Vec<_> = rec
            .steps
            .iter()
            .filter(|s| s.op == Op::Mark && s.value.as_deref() == Some(need.marker))
            .collect();
        for m in &marks {
            let name = rec
                .threads
                .get(m.thread as usize)
                .map(|t| t.name.clone())
                .unwrap_or_default();
            if let (Some(&lock), None) = (m.locks_held.first(), &result.under_lock) {
                let lock = rec
                    .objects
                    .get(lock as usize)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                result.under_lock = Some((name.clone(), lock));
            }
            result.threads.insert(name);
            result.tasks |= rec
                .threads
                .get(m.thread as usize)
                .is_some_and(|t| t.kind == racebook_trace::UnitKind::Task);
        }
        // Overlap: two threads that did the work were alive at the same time (one was spawned
        // before the other finished), so their work could interleave. A thread is alive from
        // its spawn: threads that share nothing run without a scheduling point and would never
        // seem to overlap if their lives were counted from their own first step.
        let worker_ids: BTreeSet<u32> = marks.iter().map(|m| m.thread).collect();
        let span = |t: u32| {
            let start = rec
                .steps
                .iter()
                .find(|s| s.thread == t || (s.op == Op::Spawn && s.other_thread == Some(t)))
                .map_or(0, |s| s.index);
            let end = rec
                .steps
                .iter()
                .rev()
                .find(|s| s.thread == t)
                .map_or(0, |s| s.index);
            (start, end)
        };
        let spans: Vec<(u32, u32)> = worker_ids.iter().map(|&t| span(t)).collect();
        for (i, a) in spans.iter().enumerate() {
            if spans[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1) {
                result.overlapped = true;
            }
        }
    }
    result
}
