//! Happens-before for the claim checker, built apart from `hb` on purpose: an explicit graph
//! of the synchronization edges the Rust memory model gives, and reachability over it. Where
//! the two disagree, a claim fails its check and the report falls back to fewer words.

use crate::model::{Op, StepId, Trace};
use std::collections::HashMap;

pub struct Order {
    next: Vec<Vec<usize>>,
}

fn is_write(op: Op) -> bool {
    matches!(op, Op::Store | Op::Rmw | Op::Write)
}

impl Order {
    pub fn of(trace: &Trace) -> Order {
        let steps = &trace.steps;
        let mut next = vec![Vec::new(); steps.len()];
        let mut last_of_thread: HashMap<u32, usize> = HashMap::new();
        let mut first_of_thread: HashMap<u32, usize> = HashMap::new();
        for (i, s) in steps.iter().enumerate() {
            // Program order.
            if let Some(&p) = last_of_thread.get(&s.thread) {
                next[p].push(i);
            }
            last_of_thread.insert(s.thread, i);
            first_of_thread.entry(s.thread).or_insert(i);
        }
        for (i, s) in steps.iter().enumerate() {
            match s.op {
                // A spawn comes before everything the child does.
                Op::Spawn => {
                    if let Some(&c) = s.other_thread.and_then(|c| first_of_thread.get(&c)) {
                        next[i].push(c);
                    }
                }
                // Everything a joined thread did comes before the join.
                Op::Join => {
                    let child = s.other_thread;
                    if let Some(last) = steps[..i].iter().rposition(|x| Some(x.thread) == child) {
                        next[last].push(i);
                    }
                }
                // Releasing a lock comes before every later acquisition that must wait for it:
                // a writer's release before any later taker, a reader's before a later writer.
                Op::Unlock | Op::ReadUnlock => {
                    for (j, t) in steps.iter().enumerate().skip(i + 1) {
                        let waits = match s.op {
                            Op::Unlock => matches!(t.op, Op::Lock | Op::ReadLock),
                            _ => t.op == Op::Lock,
                        };
                        if t.object == s.object && waits {
                            next[i].push(j);
                        }
                    }
                }
                Op::Notify => {
                    for (j, t) in steps.iter().enumerate().skip(i + 1) {
                        if t.object == s.object && t.op == Op::Wait {
                            next[i].push(j);
                        }
                    }
                }
                _ => {}
            }
        }
        // A message is received after it was sent, first in first out on each channel.
        let mut sent: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, s) in steps.iter().enumerate() {
            match (s.op, s.object) {
                (Op::Send, Some(o)) => sent.entry(o).or_default().push(i),
                (Op::Recv, Some(o)) => {
                    if let Some(q) = sent.get_mut(&o).filter(|q| !q.is_empty()) {
                        let from = q.remove(0);
                        next[from].push(i);
                    }
                }
                _ => {}
            }
        }
        // An acquiring read of a value a releasing write stored, directly or through a chain of
        // read-modify-writes (a release sequence), comes after that write.
        // The write a read took its value from: the recorded one, or else the latest write of
        // the value it returned (none when it returned the initial value).
        let source = |r: usize| -> Option<usize> {
            let s = &steps[r];
            let got = if s.op == Op::Rmw {
                &s.previous
            } else {
                &s.value
            };
            s.reads_from.map(|w| w as usize).or_else(|| {
                steps[..r].iter().rposition(|w| {
                    w.object == s.object && is_write(w.op) && (got.is_none() || &w.value == got)
                })
            })
        };
        for (r, s) in steps.iter().enumerate() {
            let reads = matches!(s.op, Op::Load | Op::Rmw | Op::CasFailed);
            if !reads || !s.ordering.is_some_and(|m| m.acquires()) {
                continue;
            }
            let mut w = source(r);
            while let Some(wi) = w {
                let ws = &steps[wi];
                if ws.object != s.object {
                    break;
                }
                if ws.ordering.is_some_and(|m| m.releases()) {
                    next[wi].push(r);
                }
                w = if ws.op == Op::Rmw {
                    source(wi).filter(|&x| x < wi)
                } else {
                    None
                };
            }
        }
        Order { next }
    }

    /// Whether step `a` happens before step `b`.
    pub fn before(&self, a: StepId, b: StepId) -> bool {
        let (a, b) = (a as usize, b as usize);
        if a >= self.next.len() || b >= self.next.len() || a == b {
            return false;
        }
        let mut seen = vec![false; self.next.len()];
        let mut todo = vec![a];
        while let Some(x) = todo.pop() {
            for &y in &self.next[x] {
                if y == b {
                    return true;
                }
                if !seen[y] {
                    seen[y] = true;
                    todo.push(y);
                }
            }
        }
        false
    }
}
