//! The chapters' stricter targets, printed under the bench's tables.

use super::{Bench, broken_versions, fastest, micros};
use std::fmt::Write as _;

/// The stricter targets of the blocking chapters (issue 10), the atomics chapters (issue 11)
/// and the async chapters (issue 12): each broken version's median time to the first failure
/// <= 1 ms on its fastest engine, each fix proved in <= 5 s.
const STRICT: &[&str] = &[
    "06-flush-janitor",
    "07-lost-wakeup",
    "08-refcount",
    "09-aba-stack",
    "10-futurelock",
    "11-cancel-batch",
    "12-store-buffering",
];

pub(super) fn strict_targets(t: &mut String, all: &[Bench]) {
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    for b in all.iter().filter(|b| STRICT.contains(&b.exercise.as_str())) {
        for v in broken_versions(b) {
            let (how, median) = match fastest(b, v) {
                Some((r, m)) => (format!("{} {}, {}", r.engine, r.strategy, micros(m)), m),
                None => ("no engine found it every time".to_string(), u64::MAX),
            };
            let _ = writeln!(
                t,
                "  {} {v}: median time to first failure <= 1 ms ({how}): {}",
                b.exercise,
                mark(median <= 1_000)
            );
        }
        let mut per_fix = std::collections::BTreeMap::<&str, f64>::new();
        for r in &b.proofs {
            *per_fix.entry(&r.variant).or_default() += r.millis;
        }
        for (fix, ms) in per_fix {
            let _ = writeln!(
                t,
                "  {} {fix}: proved in <= 5 s ({:.2} s): {}",
                b.exercise,
                ms / 1000.0,
                mark(ms <= 5_000.0)
            );
        }
    }
}
