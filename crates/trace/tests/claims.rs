//! The classes of false "why" a new user met, each built as a small trace: the diagnosis must
//! not make the false claim, and the independent checker must refuse it when it is put to it.

use racebook_trace::{
    Claim, MemOrder, ObjectKind, Op, confirm, conflict::diagnose, find_conflict, tell_apart,
};

mod build;
use build::{Build, loc};

fn kinds(claims: &[Claim]) -> Vec<String> {
    claims
        .iter()
        .map(|c| {
            format!("{c:?}")
                .split([' ', '{'])
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// An append that another thread's append came between is not a lost update: the other
/// append is still in the result.
#[test]
fn an_append_is_not_told_as_a_lost_update() {
    let mut b = Build::new(&["main", "a", "b"], &[("buf", ObjectKind::Mutex, "{")]);
    let read = b.lock(1, 0, "{");
    b.unlock(1, 0, "{");
    b.lock(2, 0, "{");
    let foreign = b.unlock_wrote(2, 0, "{b");
    b.lock(1, 0, "{b");
    let back = b.unlock_wrote(1, 0, "{ba");
    let t = b.failed("{ba");
    let claims = diagnose(&t);
    assert_eq!(kinds(&claims), ["CheckThenAct"], "{claims:?}");
    let lost = Claim::TwoUpdatesCountOnce {
        read,
        foreign_write: foreign,
        write_back: back,
    };
    assert!(confirm(&t, &lost).is_err());
    for c in &claims {
        confirm(&t, c).unwrap();
    }
    let why = find_conflict(&t).unwrap().why;
    assert!(!why.contains("lost"), "{why}");
}

/// A debit made from the value it found is not a lost update either: what the other thread
/// wrote is what it started from.
#[test]
fn a_debit_from_the_current_balance_is_a_check_then_act_not_a_lost_update() {
    let mut b = Build::new(
        &["main", "a", "b"],
        &[("balance", ObjectKind::Atomic, "100")],
    );
    let check = b.atomic(1, Op::Load, 0, "100", MemOrder::SeqCst);
    let change = b.atomic(2, Op::Rmw, 0, "70", MemOrder::SeqCst);
    b.trace.steps[change as usize].previous = Some("100".into());
    let act = b.atomic(1, Op::Rmw, 0, "-10", MemOrder::SeqCst);
    b.trace.steps[act as usize].previous = Some("70".into());
    let t = b.failed("-10");
    let claims = diagnose(&t);
    assert_eq!(
        claims.first(),
        Some(&Claim::CheckThenAct { check, change, act })
    );
    let lost = Claim::OverwrittenAndLost {
        read: check,
        foreign_write: change,
        write_back: act,
    };
    assert!(
        confirm(&t, &lost).is_err(),
        "an update that read the new value"
    );
}

/// A thread's own write in its critical section is not a write "in between".
#[test]
fn a_write_in_the_same_critical_section_is_not_in_between() {
    let mut b = Build::new(&["main", "a", "b"], &[("count", ObjectKind::Mutex, "0")]);
    let read = b.lock(1, 0, "0");
    let own = b.unlock_wrote(1, 0, "1");
    b.lock(2, 0, "1");
    b.unlock_wrote(2, 0, "2");
    b.lock(1, 0, "2");
    let back = b.unlock_wrote(1, 0, "3");
    let t = b.failed("3");
    let claims = diagnose(&t);
    assert!(
        !kinds(&claims)
            .iter()
            .any(|k| k.contains("Lost") || k.contains("Once")),
        "{claims:?}"
    );
    let lost = Claim::OverwrittenAndLost {
        read,
        foreign_write: own,
        write_back: back,
    };
    assert!(confirm(&t, &lost).is_err());
}

/// A reader that read a flag whose value the writer's store did not change did not see a
/// publication.
#[test]
fn equal_values_are_not_a_publication() {
    let mut b = Build::new(
        &["main", "writer", "reader"],
        &[
            ("key-1", ObjectKind::Atomic, "1"),
            ("key-2", ObjectKind::Atomic, "0"),
        ],
    );
    let publish = b.atomic(1, Op::Store, 0, "1", MemOrder::SeqCst);
    let flag_read = b.atomic(2, Op::Load, 0, "1", MemOrder::SeqCst);
    let read = b.atomic(2, Op::Load, 1, "0", MemOrder::SeqCst);
    let write = b.atomic(1, Op::Store, 1, "5", MemOrder::SeqCst);
    let t = b.failed("0");
    let claims = diagnose(&t);
    assert!(
        !kinds(&claims).contains(&"PublishedBefore".into()),
        "{claims:?}"
    );
    let claim = Claim::PublishedBefore {
        publish,
        flag_read,
        read,
        write,
    };
    assert_eq!(
        confirm(&t, &claim),
        Err("the published value is not new".into())
    );
}

/// Double-checked initialisation: one thread taking the lock is the design, so no "only ever
/// taken by" claim; the missing Release/Acquire on the flag is the cause.
#[test]
fn double_checked_initialisation_is_told_about_its_flag_not_its_lock() {
    let mut b = Build::new(
        &["main", "a", "b"],
        &[
            ("init-lock", ObjectKind::Mutex, "()"),
            ("ready", ObjectKind::Atomic, "false"),
            ("data", ObjectKind::Atomic, "0"),
        ],
    );
    b.atomic(1, Op::Load, 1, "false", MemOrder::Relaxed);
    b.lock(1, 0, "()");
    b.atomic(1, Op::Load, 1, "false", MemOrder::Relaxed);
    let data_store = b.atomic(1, Op::Store, 2, "42", MemOrder::Relaxed);
    let flag_store = b.atomic(1, Op::Store, 1, "true", MemOrder::Relaxed);
    b.unlock(1, 0, "()");
    let flag_load = b.atomic(2, Op::Load, 1, "true", MemOrder::Relaxed);
    let data_load = b.atomic(2, Op::Load, 2, "0", MemOrder::Relaxed);
    let t = b.failed("0");
    let claims = diagnose(&t);
    assert_eq!(
        claims,
        [
            Claim::StaleLoad {
                store: data_store,
                load: data_load
            },
            Claim::UnsyncedFlag {
                data_store,
                flag_store,
                flag_load,
                data_load
            }
        ]
    );
    for c in &claims {
        confirm(&t, c).unwrap();
    }
}

/// Two locks made by the same line, one per call, share a name: told apart, and the claim is
/// that each call makes its own.
#[test]
fn distinct_locks_with_one_name_are_told_apart_and_each_call_makes_its_own() {
    let mut b = Build::new(
        &["main", "pod-a", "pod-b"],
        &[
            ("customers", ObjectKind::Mutex, "{}"),
            ("pod-lock", ObjectKind::Mutex, "()"),
            ("pod-lock", ObjectKind::Mutex, "()"),
        ],
    );
    for o in [1, 2] {
        b.trace.objects[o].created_at = Some(loc(7));
        b.trace.objects[o].created_by = Some(o as u32);
    }
    tell_apart(&mut b.trace.objects, |o| &mut o.name, |o| &mut o.given_name);
    b.lock(1, 1, "()");
    b.lock(2, 2, "()");
    b.lock(1, 0, "{}");
    b.unlock(1, 0, "{}");
    b.lock(2, 0, "{}");
    b.unlock(2, 0, "{}");
    b.lock(1, 0, "{}");
    b.unlock_wrote(1, 0, "{acme#1}");
    b.lock(2, 0, "{acme#1}");
    b.unlock(2, 0, "{acme#1}");
    let t = b.failed("nothing");
    let names: Vec<&str> = t.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["customers", "pod-lock#1", "pod-lock#2"]);
    let claims = diagnose(&t);
    assert_eq!(kinds(&claims), ["CheckThenAct", "EachCallMakesItsOwn"]);
    let c = find_conflict(&t).unwrap();
    assert!(
        c.why.contains("Each call makes its own pod-lock: pod-lock#1 is taken only by pod-a, pod-lock#2 only by pod-b"),
        "{}",
        c.why
    );
}

/// The checker says no to a true claim with its steps moved.
#[test]
fn the_checker_refuses_a_claim_whose_steps_are_moved() {
    let mut b = Build::new(&["main", "a", "b"], &[("count", ObjectKind::Atomic, "0")]);
    let read = b.atomic(1, Op::Load, 0, "0", MemOrder::SeqCst);
    let foreign = b.atomic(2, Op::Store, 0, "1", MemOrder::SeqCst);
    let back = b.atomic(1, Op::Store, 0, "1", MemOrder::SeqCst);
    let t = b.failed("1");
    let right = Claim::OverwrittenAndLost {
        read,
        foreign_write: foreign,
        write_back: back,
    };
    assert_eq!(diagnose(&t).first(), Some(&right));
    confirm(&t, &right).unwrap();
    for wrong in [
        Claim::OverwrittenAndLost {
            read: foreign,
            foreign_write: read,
            write_back: back,
        },
        Claim::OverwrittenAndLost {
            read,
            foreign_write: back,
            write_back: foreign,
        },
        Claim::TwoUpdatesCountOnce {
            read,
            foreign_write: foreign,
            write_back: back,
        },
        Claim::CheckThenAct {
            check: read,
            change: foreign,
            act: 99,
        },
    ] {
        assert!(confirm(&t, &wrong).is_err(), "{wrong:?}");
    }
}

/// The same initialisation with the flag set before the data, found under sequential
/// consistency: published too early, and still no claim about the lock that only the
/// initialising thread takes.
#[test]
fn double_checked_initialisation_that_publishes_first_is_told_so() {
    let mut b = Build::new(
        &["main", "a", "b"],
        &[
            ("init-lock", ObjectKind::Mutex, "()"),
            ("ready", ObjectKind::Atomic, "false"),
            ("data", ObjectKind::Atomic, "0"),
        ],
    );
    b.atomic(1, Op::Load, 1, "false", MemOrder::SeqCst);
    b.lock(1, 0, "()");
    b.atomic(1, Op::Load, 1, "false", MemOrder::SeqCst);
    b.atomic(1, Op::Store, 1, "true", MemOrder::SeqCst);
    b.atomic(2, Op::Load, 1, "true", MemOrder::SeqCst);
    b.atomic(2, Op::Load, 2, "0", MemOrder::SeqCst);
    b.atomic(1, Op::Store, 2, "42", MemOrder::SeqCst);
    b.unlock(1, 0, "()");
    let t = b.failed("0");
    let claims = diagnose(&t);
    assert_eq!(kinds(&claims), ["General", "PublishedBefore"], "{claims:?}");
    for c in &claims {
        confirm(&t, c).unwrap();
    }
}

/// Data read before the flag that publishes it: the reads are in the wrong order, and the
/// claim says so only when the data read really came before the writer's write.
#[test]
fn data_read_before_its_flag_is_told_so() {
    let build = |late: bool| {
        let mut b = Build::new(
            &["main", "writer", "reader"],
            &[
                ("flag", ObjectKind::Atomic, "0"),
                ("data", ObjectKind::Atomic, "9"),
            ],
        );
        if late {
            b.atomic(1, Op::Store, 1, "0", MemOrder::SeqCst);
            b.atomic(2, Op::Load, 1, "0", MemOrder::SeqCst);
        } else {
            b.atomic(2, Op::Load, 1, "9", MemOrder::SeqCst);
            b.atomic(1, Op::Store, 1, "0", MemOrder::SeqCst);
        }
        b.atomic(1, Op::Store, 0, "1", MemOrder::SeqCst);
        b.atomic(2, Op::Load, 0, "1", MemOrder::SeqCst);
        b.failed("9")
    };
    let t = build(false);
    let claims = diagnose(&t);
    assert_eq!(kinds(&claims), ["General", "ReadBeforeFlag"], "{claims:?}");
    for c in &claims {
        confirm(&t, c).unwrap();
    }
    let why = find_conflict(&t).unwrap().why;
    assert!(why.contains("read flag first"), "{why}");
    let late = build(true);
    assert!(!kinds(&diagnose(&late)).contains(&"ReadBeforeFlag".to_string()));
    let forced = Claim::ReadBeforeFlag {
        read: 1,
        write: 0,
        publish: 2,
        flag_read: 3,
    };
    assert!(confirm(&late, &forced).is_err());
}
