//! A `SeqCst` load that ran after a `SeqCst` store yet read the older value: a run loom may
//! report. It is one C11 allows when a single order of the `SeqCst` accesses fits it, and one
//! the harness must not decide when none does.

mod build;
use build::Build;
use racebook_trace::hb::HappensBefore;
use racebook_trace::sc_order::sc_order_exists;
use racebook_trace::seqcst::read_past_seqcst;
use racebook_trace::{MemOrder, ObjectKind, Op, Trace};

const SC: MemOrder = MemOrder::SeqCst;

fn reads_initial(b: &mut Build, step: u32) {
    b.trace.steps[step as usize].reads_initial = true;
}

/// Store buffering with every access `SeqCst`: each thread stores its flag, then reads the
/// other's initial value although the other's store ran first. No single order fits.
fn store_buffering() -> Trace {
    let mut b = Build::new(
        &["main", "b"],
        &[
            ("a_raised", ObjectKind::Atomic, "false"),
            ("b_raised", ObjectKind::Atomic, "false"),
        ],
    );
    b.atomic(0, Op::Store, 0, "true", SC);
    b.atomic(1, Op::Store, 1, "true", SC);
    let main_reads = b.atomic(0, Op::Load, 1, "false", SC);
    let b_reads = b.atomic(1, Op::Load, 0, "false", SC);
    reads_initial(&mut b, main_reads);
    reads_initial(&mut b, b_reads);
    b.failed("neither saw the other")
}

/// One thread takes a count to zero with a `SeqCst` RMW; the other, with nothing ordering it
/// after that, reads the count's first value after the RMW ran. The load may come first in
/// the single order, so C11 allows the run.
fn load_after_unordered_rmw() -> Trace {
    let mut b = Build::new(
        &["sender", "receiver"],
        &[("readers", ObjectKind::Atomic, "1")],
    );
    b.atomic(1, Op::Rmw, 0, "0", SC);
    let load = b.atomic(0, Op::Load, 0, "1", SC);
    reads_initial(&mut b, load);
    b.failed("the sender waits for ever")
}

#[test]
fn no_single_order_fits_store_buffering_so_it_stays_undecided() {
    let trace = store_buffering();
    assert!(!sc_order_exists(&trace, &HappensBefore::of(&trace)));
    assert!(read_past_seqcst(&trace).is_some());
}

#[test]
fn a_load_that_may_come_first_in_the_single_order_is_a_run_c11_allows() {
    let trace = load_after_unordered_rmw();
    assert!(sc_order_exists(&trace, &HappensBefore::of(&trace)));
    assert_eq!(read_past_seqcst(&trace), None);
}

#[test]
fn a_seqcst_fence_keeps_the_wide_rule() {
    let mut trace = load_after_unordered_rmw();
    let mut fence = trace.steps[0].clone();
    fence.op = Op::Fence;
    fence.object = None;
    fence.index = trace.steps.len() as u32;
    trace.steps.push(fence);
    assert!(read_past_seqcst(&trace).is_some());
}

#[test]
fn a_load_ordered_after_the_store_by_a_lock_cannot_read_past_it() {
    let mut b = Build::new(
        &["sender", "receiver"],
        &[
            ("readers", ObjectKind::Atomic, "1"),
            ("tail", ObjectKind::Mutex, "()"),
        ],
    );
    b.lock(1, 1, "()");
    b.atomic(1, Op::Rmw, 0, "0", SC);
    b.unlock(1, 1, "()");
    b.lock(0, 1, "()");
    let load = b.atomic(0, Op::Load, 0, "1", SC);
    reads_initial(&mut b, load);
    let trace = b.failed("the sender waits for ever");
    assert!(!sc_order_exists(&trace, &HappensBefore::of(&trace)));
    assert!(read_past_seqcst(&trace).is_some());
}
