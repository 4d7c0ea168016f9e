//! The mutant corpus: every mechanical mutant of every reference fix is checked as a learner's
//! file would be. A mutant that fails must have a "why" whose every claim the independent
//! checker confirms on its trace. A mutant that passes must be listed below as equivalent,
//! with the reason; a listed one that fails is no longer equivalent, and the list must change.
//! The table goes to the terminal even when the test passes.

use racebook_check::report::count;
use racebook_corpus::judge::{Judged, judge_all, kind};
use racebook_workbook::outcome::Status;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::Instant;

/// Why a mutant passes the check.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Passes {
    /// It is correct: the mutation changed nothing that matters in this scenario.
    Equivalent,
    /// It is wrong, and a checker's model cannot see it (a limit the book names).
    CheckerGap,
    /// It is wrong in a way the exercise's invariant does not look at.
    InvariantGap,
    /// Not a pass: the check reports it not decided (loom's model of `SeqCst` cannot decide the
    /// failure it found, and the code is no longer `SeqCst` throughout, so shuttle's sequentially
    /// consistent search does not decide it either).
    Undecided,
}

use Passes::{CheckerGap, Equivalent, InvariantGap, Undecided};

const SEQCST_UNDECIDED: &str = "with one of the handshake's SeqCst accesses made Relaxed, loom's \
                                failing run has a SeqCst load return a value older than a SeqCst \
                                store that ran before it, and no single order of the SeqCst \
                                accesses fits the run (tokio-rs/loom 180); the code is no longer \
                                SeqCst throughout, so shuttle's search cannot stand in: the check \
                                says not decided instead of guessing";
const FENCES_ORDER_ALL: &str = "a SeqCst fence on each side, between its write and its read: \
                                whichever fence comes first in their single order, the thread \
                                after the other fence sees every access before it, Relaxed or not";
const SWAP_CHAIN: &str = "the message's store is sequenced before the sender's AcqRel swap, and \
                          the receiver's load after an AcqRel swap that reads from it (or from \
                          what follows it): the swaps carry the edge, whatever the message's own \
                          orderings";
const SC_FLAG_LATE: &str = "the receiver asks to be woken after it lets go: if the sender then \
                            reads the flag too early, the sender's store of the message comes \
                            before the receiver's second look in the single SeqCst order (or \
                            behind the receiver's fence), so that look sees it";
const JOINED: &str = "handle closes the body after both tasks are joined: nothing else writes it \
                      then, so how it locks there cannot matter";
const ONE_STATEMENT: &str = "the critical section is one statement, the whole read-modify-write: \
                             it still takes counts once";
const LOOM_RMW: &str = "a request that reads the new index without Acquire may increment the \
                        new bucket without having seen its zero. C11 lets the increment come \
                        before the zero in that bucket's modification order (the count is \
                        lost); loom's modification order follows execution order, so its \
                        read-modify-write always sees the zero";
const ONE_REQUEST: &str = "one request is the only thread that adds to a bucket, and it reads \
                           the index with a synchronizing load that comes after the zero: no \
                           other write lands between its load and its store";
const TWO_RECORDS: &str = "both pods find no customer and both insert; the second insert \
                           replaces the first record (acme#2 over acme#1), yet each pod signs a \
                           token for acme from a record the store gave it, and that is all the \
                           invariant checks";

const COUNT_UNDER_TAIL: &str = "the count is still changed and read under `tail` (each access \
                                locks it, however the statements are split): a sender that \
                                checks it there either sees zero or is already waiting when the \
                                notify comes";
const NO_SYNC_WITH_READER: &str = "a sender can see the count at zero with no happens-before \
                                   from the receiver's decrement (one side is Relaxed), so in \
                                   real code its write could race with the receiver's read of \
                                   the slot; the scenario models that read as work, which \
                                   touches no shared data, so the invariant cannot see it";
const STORE_ALONE: &str = "the refresh now takes `cache` only for the one statement that stores \
                           the version, after the backend answered (a lock made per call guards \
                           nothing shared): only the refresh writes `version`, only the \
                           heartbeat writes `heartbeats`, and the refresh holds `cache` across \
                           no wait, which is the second fix's shape";
const ONE_CLONE: &str = "each scenario clones its handle once, on its main thread, before it \
                         spawns the other one: no other write can fall between the load and \
                         the store";
const LEAK: &str = "both drops can read 2 and store 1, and then nobody frees the batch: a \
                    leak. A drop that reads 1 read the other drop's Release store and acquires \
                    it before freeing, so nothing is used after it is freed, and the scenarios \
                    check use after free and the batch's lines, not that it is freed";
const ONE_RECEIVER: &str = "one receiver is the only thread that changes the count: no other \
                            write can fall between its load and its store";

/// Every mutant that passes the check, and why.
const PASSING: &[(&str, Passes, &str)] = &[
    ("ex01_fixed_lock_move_write_1", Equivalent, ONE_STATEMENT),
    ("ex01_fixed_lock_remove_lock_1", Equivalent, ONE_STATEMENT),
    ("ex01_fixed_lock_lock_per_call_1", Equivalent, ONE_STATEMENT),
    ("ex03_fixed_whole_part_move_write_1", Equivalent, JOINED),
    ("ex03_fixed_whole_part_remove_lock_1", Equivalent, JOINED),
    ("ex03_fixed_whole_part_lock_per_call_1", Equivalent, JOINED),
    ("ex04_fixed_acquire_release_relaxed_1", CheckerGap, LOOM_RMW),
    (
        "ex04_fixed_acquire_release_split_rmw_1",
        Equivalent,
        ONE_REQUEST,
    ),
    ("ex04_fixed_seqcst_relaxed_1", CheckerGap, LOOM_RMW),
    (
        "ex04_fixed_seqcst_relaxed_2",
        Equivalent,
        "the increment made Relaxed: the request's SeqCst index load already synchronizes \
         with the rotator's index store, which follows the zero",
    ),
    (
        "ex04_fixed_seqcst_relaxed_3",
        Equivalent,
        "only the rotator writes the index, so its own load sees what it stored last, \
         whatever the ordering",
    ),
    (
        "ex04_fixed_seqcst_relaxed_4",
        Equivalent,
        "the zero made Relaxed: it is still sequenced before the rotator's SeqCst (so \
         releasing) index store, so a thread that acquires the new index sees the zero",
    ),
    (
        "ex04_fixed_seqcst_relaxed_7",
        Equivalent,
        "the dashboard's bucket loads made Relaxed: its SeqCst index load already \
         synchronizes with the index store that follows the zero",
    ),
    ("ex04_fixed_seqcst_split_rmw_1", Equivalent, ONE_REQUEST),
    ("ex08_fixed_acquire_split_rmw_1", Equivalent, ONE_CLONE),
    ("ex12_fixed_seqcst_relaxed_2", Undecided, SEQCST_UNDECIDED),
    ("ex12_fixed_seqcst_relaxed_3", Undecided, SEQCST_UNDECIDED),
    ("ex12_fixed_seqcst_relaxed_4", Undecided, SEQCST_UNDECIDED),
    ("ex12_fixed_seqcst_relaxed_5", Undecided, SEQCST_UNDECIDED),
    ("ex12_fixed_seqcst_relaxed_6", Undecided, SEQCST_UNDECIDED),
    ("ex12_fixed_seqcst_relaxed_7", Undecided, SEQCST_UNDECIDED),
    ("ex12_fixed_seqcst_relaxed_8", Undecided, SEQCST_UNDECIDED),
    ("ex12_fixed_seqcst_swap_1", Equivalent, SC_FLAG_LATE),
    ("ex12_fixed_fences_relaxed_1", Equivalent, FENCES_ORDER_ALL),
    ("ex12_fixed_fences_relaxed_2", Equivalent, FENCES_ORDER_ALL),
    ("ex12_fixed_fences_relaxed_3", Equivalent, FENCES_ORDER_ALL),
    ("ex12_fixed_fences_relaxed_4", Equivalent, FENCES_ORDER_ALL),
    ("ex12_fixed_fences_relaxed_5", Equivalent, FENCES_ORDER_ALL),
    ("ex12_fixed_fences_relaxed_6", Equivalent, FENCES_ORDER_ALL),
    ("ex12_fixed_fences_relaxed_7", Equivalent, FENCES_ORDER_ALL),
    ("ex12_fixed_fences_swap_2", Equivalent, SC_FLAG_LATE),
    ("ex12_fixed_swaps_relaxed_1", Equivalent, SWAP_CHAIN),
    ("ex12_fixed_swaps_relaxed_4", Equivalent, SWAP_CHAIN),
    ("ex12_fixed_swaps_relaxed_7", Equivalent, SWAP_CHAIN),
    ("ex08_fixed_fence_split_rmw_1", Equivalent, ONE_CLONE),
    ("ex08_fixed_acquire_split_rmw_2", InvariantGap, LEAK),
    (
        "ex09_fixed_tag_relaxed_2",
        Equivalent,
        "the successful swap in take made Relaxed: with a tag, it succeeds only on the very \
         change that take's Acquire load (or Acquire failed swap) read, so there is nothing \
         more for it to acquire",
    ),
    ("ex08_fixed_fence_split_rmw_2", InvariantGap, LEAK),
    (
        "ex05_fixed_get_or_create_split_1",
        InvariantGap,
        TWO_RECORDS,
    ),
    (
        "ex05_fixed_get_or_create_remove_lock_1",
        InvariantGap,
        TWO_RECORDS,
    ),
    (
        "ex05_fixed_get_or_create_lock_per_call_1",
        InvariantGap,
        TWO_RECORDS,
    ),
    ("ex05_fixed_fail_fast_split_1", InvariantGap, TWO_RECORDS),
    (
        "ex05_fixed_fail_fast_remove_lock_1",
        InvariantGap,
        TWO_RECORDS,
    ),
    (
        "ex05_fixed_fail_fast_lock_per_call_1",
        InvariantGap,
        TWO_RECORDS,
    ),
    (
        "ex07_fixed_count_under_lock_split_1",
        Equivalent,
        COUNT_UNDER_TAIL,
    ),
    (
        "ex07_fixed_count_under_lock_move_write_1",
        Equivalent,
        COUNT_UNDER_TAIL,
    ),
    (
        "ex07_fixed_count_under_lock_remove_lock_1",
        Equivalent,
        COUNT_UNDER_TAIL,
    ),
    (
        "ex07_fixed_count_under_lock_lock_per_call_1",
        Equivalent,
        COUNT_UNDER_TAIL,
    ),
    (
        "ex07_fixed_lock_then_notify_relaxed_1",
        InvariantGap,
        NO_SYNC_WITH_READER,
    ),
    (
        "ex07_fixed_lock_then_notify_relaxed_2",
        InvariantGap,
        NO_SYNC_WITH_READER,
    ),
    (
        "ex07_fixed_lock_then_notify_relaxed_3",
        Equivalent,
        "the load handed to the slot's check made Relaxed: the loop's SeqCst load already \
         read zero, and a later load of the same atomic by the same thread cannot read an \
         older value",
    ),
    (
        "ex07_fixed_lock_then_notify_split_rmw_1",
        Equivalent,
        ONE_RECEIVER,
    ),
    ("ex10_fixed_spawn_remove_lock_1", Equivalent, STORE_ALONE),
    ("ex10_fixed_spawn_lock_per_call_1", Equivalent, STORE_ALONE),
];

fn passing(id: &str) -> Option<(Passes, &'static str)> {
    PASSING
        .iter()
        .find(|(p, _, _)| *p == id)
        .map(|&(_, kind, why)| (kind, why))
}

fn table(judged: &[Judged], took: std::time::Duration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nmutant corpus: {} mutants of the reference fixes, checked in {:.1} s (PCT 300 \
         schedules, shuttle DFS at most 2 preemptions, loom unbounded)\n",
        judged.len(),
        took.as_secs_f64()
    );
    let head = [
        "mutants",
        "red",
        "claims",
        "confirmed",
        "equivalent",
        "missed",
        "other",
    ];
    let _ = write!(out, "{:<26}", "fix");
    for h in head {
        let _ = write!(out, " {h:>10}");
    }
    out.push('\n');
    let mut rows: BTreeMap<String, [usize; 7]> = BTreeMap::new();
    for j in judged {
        let key = format!("{}/{}", &j.mutant.id[..4], j.mutant.fix);
        let r = rows.entry(key).or_default();
        r[0] += 1;
        match (j.status, passing(j.mutant.id)) {
            (Status::Red, _) => r[1] += 1,
            (Status::Green, Some((Equivalent, _))) => r[4] += 1,
            (Status::Green, Some(_)) => r[5] += 1,
            _ => r[6] += 1,
        }
        r[2] += j.claims.len();
        r[3] += j.confirmed();
    }
    let mut total = [0usize; 7];
    for r in rows.values() {
        for (t, v) in total.iter_mut().zip(r) {
            *t += v;
        }
    }
    for (name, r) in rows.iter().chain([(&"total".to_string(), &total)]) {
        let _ = write!(out, "{name:<26}");
        for v in r {
            let _ = write!(out, " {v:>10}");
        }
        out.push('\n');
    }
    out.push('\n');
    for j in judged {
        let kinds: Vec<String> = j
            .claims
            .iter()
            .map(|(c, r)| {
                format!(
                    "{}{}",
                    kind(c),
                    if r.is_ok() { "" } else { " (NOT CONFIRMED)" }
                )
            })
            .collect();
        let verdict = match (j.status, passing(j.mutant.id)) {
            (Status::Red, _) => format!("red, claims confirmed: {}", kinds.join(" + ")),
            (Status::Green, Some((Equivalent, why))) => format!("equivalent: {why}"),
            (Status::Green, Some((CheckerGap, why))) => format!("missed (checker's model): {why}"),
            (Status::Green, Some((InvariantGap, why))) => format!("missed (invariant): {why}"),
            (Status::NotProved, Some((Undecided, why))) => format!("not decided: {why}"),
            (Status::Green, None) => "green, and NOT LISTED".to_string(),
            (other, _) => format!("{other:?}"),
        };
        let _ = writeln!(
            out,
            "{:<40} {:>8}  {}\n{:<50}{verdict}",
            j.mutant.id,
            format!("{} ms", count(j.took.as_millis() as u64)),
            j.mutant.site,
            "",
        );
    }
    out
}

#[test]
fn every_failing_mutant_is_explained_by_confirmed_claims_and_every_passing_one_is_equivalent() {
    let mutants = racebook_corpus::all();
    let started = Instant::now();
    let judged = judge_all(&mutants, 2);
    let text = table(&judged, started.elapsed());
    let _ = std::io::stderr().write_all(text.as_bytes());

    let mut problems = Vec::new();
    for j in &judged {
        let id = j.mutant.id;
        let listed = passing(id).is_some();
        let undecided = matches!(passing(id), Some((Undecided, _)));
        match j.status {
            Status::Red => {
                if listed {
                    problems.push(format!(
                        "{id} is listed as passing but fails:\n{}",
                        j.report
                    ));
                }
                for bad in j.unconfirmed() {
                    problems.push(format!("{id}: claim not confirmed: {bad}\n{}", j.report));
                }
            }
            Status::Green if !listed => {
                problems.push(format!("{id} passes and is not listed:\n{}", j.report))
            }
            Status::Green if undecided => {
                problems.push(format!("{id} is listed as not decided but passes"))
            }
            Status::Green => {}
            Status::NotProved if undecided => {}
            other => problems.push(format!("{id}: {other:?}:\n{}", j.report)),
        }
    }
    for (id, _, _) in PASSING {
        if !judged.iter().any(|j| j.mutant.id == *id) {
            problems.push(format!("{id} is listed as passing but no longer generated"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
