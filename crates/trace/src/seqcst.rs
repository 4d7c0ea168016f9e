//! Where loom's model of `SeqCst` may have let a run do something C11 forbids.
//!
//! C11 puts every `SeqCst` operation in one total order that all threads agree on; loom does
//! not model that order for loads and stores (tokio-rs/loom issue 180), so a run loom reports
//! can be one no real program may show (store buffering with `SeqCst` everywhere, for one). The
//! harness does not decide such runs; this finds them. A candidate is a read that skipped a
//! `SeqCst` store (returned an older value of the same atomic although that store ran before
//! it) where the total order could matter, namely the read is `SeqCst` itself, or the store
//! happens-before it (C11 then ties the store's place in the atomic's modification order to the
//! total order). A run with no candidate keeps every read at, or after, every `SeqCst` store
//! that could constrain it, so loom's missing order did not make the run.
//!
//! Running first is not coming first in C11's order, so a `SeqCst` read past a `SeqCst` store is
//! only forbidden when no single order fits the run (`sc_order`): when the run has no `SeqCst`
//! fence and such an order exists, the run is one C11 allows and is not reported.

use crate::hb::HappensBefore;
use crate::model::{MemOrder, Op, StepId, Trace};
use crate::sc_order::{is_write, on_atomic, sc_order_exists};

/// A read that returned an older value than `store`, a `SeqCst` store that ran before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadPastSeqCst {
    pub read: StepId,
    pub store: StepId,
}

/// The first read of the trace that skipped a `SeqCst` store as the module says, if any.
pub fn read_past_seqcst(trace: &Trace) -> Option<ReadPastSeqCst> {
    let hb = HappensBefore::of(trace);
    let sc_fence = trace
        .steps
        .iter()
        .any(|s| s.op == Op::Fence && s.ordering == Some(MemOrder::SeqCst));
    // Computed once, and only when a SeqCst read skipped a store.
    let mut order_fits: Option<bool> = None;
    for read in &trace.steps {
        if !matches!(read.op, Op::Load | Op::CasFailed) || !on_atomic(trace, read) {
            continue;
        }
        // The read's source: a store, or the initial value (before every step).
        let from = if read.reads_initial {
            0
        } else {
            match hb.reads_from(read.index) {
                Some(w) => w as usize + 1,
                None => continue,
            }
        };
        let skipped = trace.steps[from..read.index as usize].iter().find(|w| {
            w.object == read.object
                && is_write(w)
                && w.ordering == Some(MemOrder::SeqCst)
                && w.value != read.value
                && (read.ordering == Some(MemOrder::SeqCst) || hb.ordered(w.index, read.index))
        });
        let Some(w) = skipped else { continue };
        let needs_order = !hb.ordered(w.index, read.index);
        if needs_order
            && !sc_fence
            && *order_fits.get_or_insert_with(|| sc_order_exists(trace, &hb))
        {
            continue;
        }
        {
            return Some(ReadPastSeqCst {
                read: read.index,
                store: w.index,
            });
        }
    }
    None
}
