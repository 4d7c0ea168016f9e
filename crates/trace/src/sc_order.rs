//! Whether one total order of a run's `SeqCst` accesses fits C11's rules for it.
//!
//! C11 asks for a single order S of all `SeqCst` operations that agrees with happens-before and
//! with each atomic's modification order, in which a `SeqCst` load reads the last `SeqCst` store
//! to its atomic before it in S (or a store that is not `SeqCst` and comes after that one). The
//! order of a run's steps is not S: a load that ran after a store may still come before it in S.
//! So the question is whether some S exists, and it does exactly when this graph over the run's
//! `SeqCst` accesses has no cycle:
//! - `a -> b` when `a` happens-before `b`;
//! - `a -> b` when both write the same atomic and `a` came first in its modification order
//!   (the order the run wrote it: loom and shuttle keep each atomic's writes in run order);
//! - `w -> r` when `r` read from `w`, and `r -> w` when `w` writes the atomic after the store
//!   `r` read from (so `r` must come before it, or it would have read it).
//!
//! Any topological order of the graph is then such an S. Runs with a `SeqCst` fence are not
//! handled here (the caller stays cautious with them), nor are reads whose source was guessed.

use crate::hb::HappensBefore;
use crate::model::{MemOrder, ObjectKind, Op, Step, StepId, Trace};

/// A store or a read-modify-write.
pub(crate) fn is_write(s: &Step) -> bool {
    matches!(s.op, Op::Store | Op::Rmw)
}

fn is_read(s: &Step) -> bool {
    matches!(s.op, Op::Load | Op::Rmw | Op::CasFailed)
}

/// Whether `s` accesses an atomic (not a checked cell or a lock).
pub(crate) fn on_atomic(trace: &Trace, s: &Step) -> bool {
    s.object
        .and_then(|o| trace.object(o))
        .is_some_and(|o| o.kind == ObjectKind::Atomic)
}

/// True when some total order of the run's `SeqCst` accesses fits, as the module says; false
/// when none does, or when a `SeqCst` read's source is not known for sure.
pub fn sc_order_exists(trace: &Trace, hb: &HappensBefore) -> bool {
    let sc: Vec<&Step> = trace
        .steps
        .iter()
        .filter(|s| on_atomic(trace, s) && s.ordering == Some(MemOrder::SeqCst))
        .filter(|s| is_read(s) || is_write(s))
        .collect();
    let n = sc.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, a) in sc.iter().enumerate() {
        for (j, b) in sc.iter().enumerate() {
            let same_atomic_writes = a.object == b.object && is_write(a) && is_write(b);
            if i != j && (hb.ordered(a.index, b.index) || (same_atomic_writes && i < j)) {
                edges[i].push(j);
            }
        }
    }
    for (i, r) in sc.iter().enumerate().filter(|(_, r)| is_read(r)) {
        if r.reads_from_guess {
            return false;
        }
        // The source's place in run order; the initial value comes before every step.
        let source: Option<StepId> = if r.reads_initial {
            None
        } else if r.op == Op::Rmw {
            latest_write_before(trace, r)
        } else {
            match r.reads_from.or_else(|| hb.reads_from(r.index)) {
                Some(w) => Some(w),
                None => return false,
            }
        };
        for (j, w) in sc.iter().enumerate() {
            if j == i || w.object != r.object || !is_write(w) {
                continue;
            }
            match source {
                Some(src) if w.index == src => edges[j].push(i),
                Some(src) if w.index < src => {}
                _ => edges[i].push(j),
            }
        }
    }
    !has_cycle(&edges)
}

/// The write an RMW read from: the last write to its atomic before it in run order.
fn latest_write_before(trace: &Trace, rmw: &Step) -> Option<StepId> {
    trace.steps[..rmw.index as usize]
        .iter()
        .rev()
        .find(|w| w.object == rmw.object && is_write(w))
        .map(|w| w.index)
}

fn has_cycle(edges: &[Vec<usize>]) -> bool {
    // Kahn's algorithm: a cycle leaves nodes that never reach in-degree zero.
    let mut indegree = vec![0usize; edges.len()];
    for out in edges {
        for &b in out {
            indegree[b] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..edges.len()).filter(|&i| indegree[i] == 0).collect();
    let mut seen = 0;
    while let Some(a) = ready.pop() {
        seen += 1;
        for &b in &edges[a] {
            indegree[b] -= 1;
            if indegree[b] == 0 {
                ready.push(b);
            }
        }
    }
    seen < edges.len()
}
