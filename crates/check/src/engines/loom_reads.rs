//! Which store each atomic read took its value from, as loom chose it.
//!
//! loom keeps the last seven stores of every atomic in a ring (slot = store number mod 7, the
//! value the atomic was created with being store 0), and every atomic load, read-modify-write
//! and compare-exchange asks the execution path which slot to read: a `Load` branch whose
//! `values[pos]` is the slot. The facade's atomics are loom's only atomics in a run, and the
//! recording lists their reads in the order the run made them, so the n-th `Load` branch is the
//! n-th recorded atomic read.
//!
//! The stored schedule is loom's path as it stood when the failing execution *started*: it
//! holds the branches the search had already taken, and the execution adds the rest, each with
//! its first option. For a read with a branch in the stored path the slot is exact. For a later
//! read, loom's choice is not written anywhere the harness can read. A read-modify-write on an
//! atomic only ever written by read-modify-writes read the last of them (loom reads the newest
//! store, and such writes form one chain). Otherwise the store is the one
//! of loom's seven that holds the value the read returned, which is exact when only one does.
//! When two or more do, the read is marked as a best guess (the latest of them). If anything
//! does not line up, every atomic read falls back to that guess.

use crate::record::Recording;
use racebook_trace::{ObjectKind, Op, Step, StepId};
use serde_json::Value;
use std::collections::HashMap;

/// loom's `MAX_ATOMIC_HISTORY`.
const RING: usize = 7;

/// The slot each `Load` branch of a loom execution path read, in order.
fn slots(path_json: &str) -> Option<Vec<usize>> {
    let path: Value = serde_json::from_str(path_json).ok()?;
    let entries = path.get("branches")?.get("entries")?.as_array()?;
    entries
        .iter()
        .filter_map(|e| e.get("Load"))
        .map(|load| {
            let pos = load.get("pos")?.as_u64()? as usize;
            let values = load.get("values")?.as_array()?;
            Some(values.get(pos)?.as_u64()? as usize)
        })
        .collect()
}

fn reads_atomic(step: &Step, atomic: &dyn Fn(u32) -> bool) -> bool {
    matches!(step.op, Op::Load | Op::Rmw | Op::CasFailed) && step.object.is_some_and(atomic)
}

fn seen(step: &Step) -> Option<&String> {
    if step.op == Op::Rmw {
        step.previous.as_ref()
    } else {
        step.value.as_ref()
    }
}

/// Whether every write in `history` (after the initial value) was a read-modify-write.
fn rmw_chain(rec_steps: &[Step], history: &[Option<StepId>]) -> bool {
    history
        .iter()
        .flatten()
        .all(|&w| rec_steps[w as usize].op == Op::Rmw)
}

/// Put loom's own reads-from into `rec`. Returns whether it could; if not, the reads carry
/// the best guess, marked as such.
pub fn apply(rec: &mut Recording, path_json: &str) -> bool {
    if exact(rec, path_json).is_none() {
        guess(rec);
        return false;
    }
    true
}

fn exact(rec: &mut Recording, path_json: &str) -> Option<()> {
    let mut slots = slots(path_json)?.into_iter();
    let kinds: Vec<ObjectKind> = rec.objects.iter().map(|o| o.kind).collect();
    let atomic = |o: u32| kinds.get(o as usize) == Some(&ObjectKind::Atomic);
    // Every atomic's stores so far, store 0 being its initial value (no step).
    let mut stores: HashMap<u32, Vec<Option<StepId>>> = HashMap::new();
    let mut found: Vec<(usize, Option<StepId>, bool)> = Vec::new();
    for (i, step) in rec.steps.iter().enumerate() {
        let Some(o) = step.object.filter(|&o| atomic(o)) else {
            continue;
        };
        let history = stores.entry(o).or_insert_with(|| vec![None]);
        if reads_atomic(step, &atomic) {
            let count = history.len();
            let ring = count.saturating_sub(RING)..count;
            let written = |k: usize| match history[k] {
                Some(w) => rec.steps[w as usize].value.as_ref(),
                None => rec.objects[o as usize].initial.as_ref(),
            };
            let (k, guessed) = match slots.next() {
                Some(slot) => (ring.clone().find(|k| k % RING == slot)?, false),
                // A read-modify-write reads the newest store in modification order; when
                // every write so far was one, they form a chain and the newest is the last.
                None if step.op == Op::Rmw && rmw_chain(&rec.steps, history) => (count - 1, false),
                None => {
                    let holding: Vec<usize> = ring.filter(|&k| written(k) == seen(step)).collect();
                    (*holding.last()?, holding.len() > 1)
                }
            };
            if written(k) != seen(step) {
                return None;
            }
            found.push((i, history[k], guessed));
        }
        if matches!(step.op, Op::Store | Op::Rmw) {
            history.push(Some(step.index));
        }
    }
    for (i, source, guessed) in found {
        let step = &mut rec.steps[i];
        step.reads_from = source;
        step.reads_initial = source.is_none();
        step.reads_from_guess = guessed;
    }
    Some(())
}

/// The latest write of the value each atomic read returned, or the initial value: the best
/// guess when loom's own answer is not available.
fn guess(rec: &mut Recording) {
    let kinds: Vec<ObjectKind> = rec.objects.iter().map(|o| o.kind).collect();
    let atomic = |o: u32| kinds.get(o as usize) == Some(&ObjectKind::Atomic);
    for i in 0..rec.steps.len() {
        let step = &rec.steps[i];
        if !reads_atomic(step, &atomic) {
            continue;
        }
        let o = step.object;
        let value = seen(step).cloned();
        let source = rec.steps[..i]
            .iter()
            .rev()
            .find(|w| w.object == o && matches!(w.op, Op::Store | Op::Rmw) && w.value == value)
            .map(|w| w.index);
        let step = &mut rec.steps[i];
        step.reads_from = source;
        step.reads_initial = source.is_none();
        step.reads_from_guess = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_come_from_each_load_branch_in_order() {
        let path = r#"{"branches":{"entries":[
            {"Schedule":{"preemptions":0}},
            {"Load":{"values":[0,3,0,0,0,0,0],"pos":1,"len":2,"exploring":true}},
            {"Spurious":{"spur":false,"exploring":true}},
            {"Load":{"values":[2,0,0,0,0,0,0],"pos":0,"len":1,"exploring":true}}]}}"#;
        assert_eq!(slots(path), Some(vec![3, 2]));
        assert_eq!(slots("not json"), None);
    }
}
