//! Deadlocks: lock cycles, a lock asked for again by its holder, reader-writer cycles, and
//! readers that share a lock without any deadlock.

use super::*;

/// Two threads take two locks in opposite orders.
fn deadlock() {
    let a = Arc::new(Mutex::named("left", 0));
    let b = Arc::new(Mutex::named("right", 0));
    let (a2, b2) = (a.clone(), b.clone());
    let t = thread::spawn_named("worker", move || {
        let _x = b2.lock();
        let _y = a2.lock();
    });
    {
        let _x = a.lock();
        let _y = b.lock();
    }
    let _ = t.join();
}

#[test]
fn a_deadlock_is_reported_as_a_deadlock_naming_who_waits_for_what() {
    let engines: Vec<EngineKind> = match std::env::var("ONLY").as_deref() {
        Ok("shuttle") => vec![EngineKind::Shuttle],
        Ok("loom") => vec![EngineKind::Loom],
        _ => vec![EngineKind::Shuttle, EngineKind::Loom],
    };
    for engine in engines {
        let s = search_one(deadlock, engine);
        let shown = s
            .shown
            .unwrap_or_else(|| panic!("{engine:?} missed the deadlock"));
        assert_eq!(
            shown.found.failure.kind,
            FailureKind::Deadlock,
            "{engine:?}"
        );
        let ex = exercise(deadlock);
        let trace = tracebuild::record_trace(
            ex.slug,
            ex.variants[0].name,
            &ex.variants[0].scenario(),
            &shown.found,
            None,
            &ex.budgets,
        )
        .unwrap();
        // The pair the report marks passes the independent check of a lock cycle; the same
        // steps claimed for a run that did not deadlock do not.
        let c = trace
            .conflict
            .clone()
            .expect("the two acquisitions are marked");
        assert_eq!(
            racebook_trace::confirm_lock_cycle(&trace, &c),
            Ok(()),
            "{engine:?}"
        );
        let mut no_deadlock = trace.clone();
        no_deadlock.failure.as_mut().unwrap().blocked.clear();
        assert!(racebook_trace::confirm_lock_cycle(&no_deadlock, &c).is_err());
        let f = trace.failure.unwrap();
        let waits: Vec<(String, String)> = f
            .blocked
            .iter()
            .map(|b| {
                (
                    trace.threads[b.thread as usize].name.clone(),
                    trace.objects[b.waiting_for.unwrap() as usize].name.clone(),
                )
            })
            .collect();
        if engine == EngineKind::Shuttle {
            // The facade finds the cycle at the lock that closes it and names all of it.
            let cycles = [
                "worker waits for left, held by main, which waits for right, held by worker",
                "main waits for right, held by worker, which waits for left, held by main",
            ];
            assert!(
                cycles.iter().any(|c| f.message == *c),
                "{engine:?}: {}",
                f.message
            );
            let stopped = &trace.steps[f.step.unwrap() as usize];
            assert_eq!(stopped.op, racebook_trace::Op::Panic);
            // The trace ends where the program would hang: both threads wait, locks held.
            assert_eq!(f.step.unwrap() as usize, trace.steps.len() - 1);
            assert!(
                waits.contains(&("main".into(), "right".into())),
                "{waits:?}"
            );
            assert!(
                waits.contains(&("worker".into(), "left".into())),
                "{waits:?}"
            );
            assert!(
                f.blocked
                    .iter()
                    .all(|b| b.held_by.is_some() && b.at.is_some())
            );
        } else {
            assert!(
                waits.contains(&("main".into(), "right".into())),
                "{engine:?}: {waits:?}"
            );
            assert!(
                waits.contains(&("worker".into(), "left".into())),
                "{engine:?}: {waits:?}"
            );
            assert!(
                f.blocked
                    .iter()
                    .all(|b| b.held_by.is_some() && b.at.is_some()),
                "{engine:?}"
            );
        }
    }
}

/// A thread asks again for a mutex it holds, while another thread needs it too.
fn relock() {
    let m = Arc::new(Mutex::named("cache", 0));
    let m2 = m.clone();
    let t = thread::spawn_named("worker", move || {
        *m2.lock() += 1;
    });
    {
        let _held = m.lock();
        let _again = m.lock();
    }
    let _ = t.join();
}

/// A writer waits for a reader, which waits for a mutex the writer holds.
fn reader_writer_cycle() {
    let table = Arc::new(RwLock::new(0));
    let log = Arc::new(Mutex::new(0));
    let (table2, log2) = (table.clone(), log.clone());
    let t = thread::spawn_named("reader", move || {
        let _r = table2.read();
        *log2.lock() += 1;
    });
    {
        let _l = log.lock();
        *table.write() += 1;
    }
    let _ = t.join();
}

/// Two readers overlap, each reading once.
fn readers_only() {
    let table = Arc::new(RwLock::new(0));
    let table2 = table.clone();
    let t = thread::spawn_named("reader", move || {
        let _a = table2.read();
        thread::yield_now();
    });
    let _b = table.read();
    thread::yield_now();
    drop(_b);
    let _ = t.join();
}

/// A thread reads a lock it is already reading: std allows this to deadlock.
fn reads_twice() {
    let table = RwLock::new(0);
    let _a = table.read();
    let _b = table.read();
}

/// The deadlock shuttle found through the facade's finder, with its trace.
fn shuttle_deadlock(body: fn()) -> racebook_trace::Trace {
    let s = search_one(body, EngineKind::Shuttle);
    let shown = s.shown.expect("shuttle finds the deadlock");
    assert_eq!(shown.found.failure.kind, FailureKind::Deadlock);
    let ex = exercise(body);
    tracebuild::record_trace(
        ex.slug,
        ex.variants[0].name,
        &ex.variants[0].scenario(),
        &shown.found,
        None,
        &ex.budgets,
    )
    .unwrap()
}

#[test]
fn a_thread_relocking_its_own_mutex_is_named_as_waiting_for_itself() {
    let trace = shuttle_deadlock(relock);
    let f = trace.failure.as_ref().unwrap();
    assert_eq!(f.message, "main waits for cache, held by main itself");
    // The trace ends where the program would hang, with the lock still held.
    assert_eq!(f.step.unwrap() as usize, trace.steps.len() - 1);
    assert_eq!(trace.steps.last().unwrap().op, racebook_trace::Op::Panic);
    let main_blocked = f
        .blocked
        .iter()
        .find(|b| b.thread == 0)
        .expect("main blocked");
    assert_eq!(main_blocked.held_by, Some(0));
    let conflict = trace.conflict.as_ref().expect("a diagnosis");
    assert!(conflict.why.contains("not reentrant"), "{}", conflict.why);
}

#[test]
fn a_cycle_through_a_reader_writer_lock_names_both_locks() {
    let trace = shuttle_deadlock(reader_writer_cycle);
    let f = trace.failure.as_ref().unwrap();
    let cycles = [
        "main waits for table, held by reader, which waits for log, held by main",
        "reader waits for log, held by main, which waits for table, held by reader",
    ];
    assert!(cycles.contains(&f.message.as_str()), "{}", f.message);
}

#[test]
fn a_thread_reading_a_lock_it_already_reads_waits_for_itself() {
    let trace = shuttle_deadlock(reads_twice);
    let f = trace.failure.as_ref().unwrap();
    assert_eq!(f.message, "main waits for table, held by main itself");
}

#[test]
fn readers_that_share_a_lock_are_never_called_a_deadlock() {
    for engine in [EngineKind::Shuttle, EngineKind::Loom] {
        let s = search_one(readers_only, engine);
        let shown = s.shown.map(|s| s.found.failure);
        assert!(shown.is_none(), "{engine:?} reported {shown:?}");
    }
}
