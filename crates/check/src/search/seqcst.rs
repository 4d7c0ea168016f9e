//! loom's results where its model of `SeqCst` is not C11's, decided or named.
//!
//! loom checks `SeqCst` loads and stores without the single total order C11 gives them
//! (tokio-rs/loom issue 180), with a rule of its own for `SeqCst` loads instead, and it models
//! `fence(SeqCst)` as one chain of happens-before in the order it ran the fences. So:
//! - a failure loom finds is not decided when its run has a read that skipped a `SeqCst` store
//!   and no single order of the run's `SeqCst` accesses fits it (`racebook_trace::seqcst`,
//!   `racebook_trace::sc_order`): C11 may forbid that run;
//! - a pass of code with `SeqCst` accesses is not decided unless it also passes with them
//!   checked as `Acquire`/`Release`/`AcqRel` (weaker, so a pass there holds under C11 too);
//! - a pass that needs `fence(SeqCst)` is decided for atomics, whose loads C11's fence rule
//!   constrains as loom's chain does, but not when the code also has plain (checked-cell) data,
//!   which loom's chain orders and C11's fences do not.
//!
//! Where every atomic access is `SeqCst` and no checked cell is used, sequential consistency
//! is C11's own answer, and shuttle's exhaustive search (which runs every access that way)
//! decides what loom cannot.

use crate::Budgets;
use crate::engines::{Exploration, Undecided};
use crate::scenario::Body;
use crate::tracebuild;
use racebook_trace::seqcst::read_past_seqcst;
use racebook_trace::{MemOrder, Trace};

const ISSUE_180: &str = "loom does not model the single order C11 gives SeqCst operations \
                         (tokio-rs/loom issue 180)";

/// A loom pass of code that used `SeqCst`: run `weakened` (the same search with `SeqCst`
/// weakened) and say what the pass depends on.
pub fn check_pass(e: &mut Exploration, weakened: impl FnOnce() -> Exploration) {
    if e.found.is_some() || !e.exhaustive || !e.usage.seqcst() {
        return;
    }
    let w = weakened();
    if w.found.is_none() && w.exhaustive {
        return;
    }
    let why = if e.usage.seqcst_access {
        format!(
            "loom passes it only with its own treatment of SeqCst loads and stores: checked as \
             Acquire and Release it {}, and {ISSUE_180}, so this pass proves nothing",
            if w.found.is_some() {
                "fails"
            } else {
                "could not be searched to the end"
            }
        )
    } else if e.usage.cell {
        "loom passes it through its SeqCst fences, which it models as one chain of \
         happens-before; that chain also orders the plain data in checked cells, which C11's \
         fences do not, and with AcqRel fences loom finds a failure"
            .to_string()
    } else {
        e.notes.push(
            "the fence(SeqCst) is what makes it pass: with AcqRel fences loom finds a failing \
             execution"
                .into(),
        );
        return;
    };
    e.undecided = Some(Undecided {
        why,
        decided_by: None,
    });
}

/// A loom failure of code that used `SeqCst` accesses: replay it, and when its run skipped a
/// `SeqCst` store, mark the search undecided instead of failed.
pub fn check_failure(e: &mut Exploration, body: &Body, budgets: &Budgets) {
    let Some(found) = e.found.as_ref().filter(|_| e.usage.seqcst_access) else {
        return;
    };
    let Ok(trace) = tracebuild::record_trace("", "", body, found, None, budgets) else {
        return;
    };
    if let Some(why) = failure_words(&trace) {
        e.found = None;
        e.undecided = Some(Undecided {
            why,
            decided_by: None,
        });
    }
}

fn failure_words(trace: &Trace) -> Option<String> {
    let case = read_past_seqcst(trace)?;
    let read = &trace.steps[case.read as usize];
    let store = &trace.steps[case.store as usize];
    let order = read.ordering.map_or("?", MemOrder::label);
    let object = read.object.map_or("?", |o| trace.object_name(o));
    Some(format!(
        "the failing execution loom reports needs {}'s {order} load of {object} ({}) to return \
         {} although {}'s SeqCst store of {} ({}) ran before it; C11's single order of SeqCst \
         operations can forbid that, and {ISSUE_180}",
        trace.thread_name(read.thread),
        read.at.short(),
        read.value.as_deref().unwrap_or("?"),
        trace.thread_name(store.thread),
        store.value.as_deref().unwrap_or("?"),
        store.at.short(),
    ))
}

/// When loom could not decide, whether shuttle's search `dfs` does: it passed exhaustively,
/// and the code it ran used only `SeqCst` atomic accesses and no checked cell.
pub fn decided_by_shuttle(dfs: &Exploration) -> Option<String> {
    let u = &dfs.usage;
    let exact = u.seqcst_access && !u.weaker_access && !u.cell;
    (dfs.exhaustive && dfs.found.is_none() && dfs.undecided.is_none() && exact).then(|| {
        "every atomic access in this code is SeqCst and it uses no checked cell, so \
         sequential consistency, which shuttle runs, is C11's own answer: shuttle's exhaustive \
         search decides it"
            .to_string()
    })
}
