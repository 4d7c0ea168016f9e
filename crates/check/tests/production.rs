//! The facade in production: a process where no checker ever runs takes the straight path to
//! std (`engine::never_checked`), which has its own guard and its own cells. This file is its
//! own test process and starts no check, so every test here runs that path (each asserts it),
//! and checks that it behaves as std's types do.

use racebook_check::sync::atomic::{AtomicU64, Ordering};
use racebook_check::sync::{Arc, Condvar, LazyLock, Mutex, OnceLock};
use racebook_check::thread;
use racebook_engine::engine::never_checked;

#[test]
fn a_lock_released_by_the_straight_guard_is_free_again() {
    assert!(never_checked(), "this process must never run a checker");
    let m = Mutex::new(0u64);
    {
        let mut g = m.lock();
        *g += 1;
        assert!(m.try_lock().is_none(), "a held lock is not free");
    }
    assert_eq!(*m.try_lock().expect("the guard's drop unlocked it"), 1);
}

#[test]
fn threads_count_under_the_lock_and_with_atomics() {
    assert!(never_checked(), "this process must never run a checker");
    let counts = Arc::new(Mutex::new(0u64));
    let total = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (counts, total) = (Arc::clone(&counts), Arc::clone(&total));
            thread::spawn(move || {
                for _ in 0..1000 {
                    *counts.lock() += 1;
                    total.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(*counts.lock(), 4000);
    assert_eq!(total.load(Ordering::Relaxed), 4000);
    total.store(9, Ordering::Release);
    assert_eq!(
        total.compare_exchange(9, 10, Ordering::AcqRel, Ordering::Acquire),
        Ok(9)
    );
    assert_eq!(total.swap(11, Ordering::AcqRel), 10);
}

#[test]
fn a_condvar_waits_with_the_straight_guard_and_gets_its_lock_back() {
    assert!(never_checked(), "this process must never run a checker");
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let (lock, ready) = &*pair;
    let mut g = lock.lock();
    // Started with the lock held, so the flag is still false at the first check: the loop
    // waits at least once.
    let other = Arc::clone(&pair);
    let setter = thread::spawn(move || {
        *other.0.lock() = true;
        other.1.notify_one();
    });
    assert!(!*g);
    while !*g {
        g = ready.wait(g);
    }
    assert!(lock.try_lock().is_none(), "the wait gave the lock back");
    drop(g);
    assert!(lock.try_lock().is_some());
    setter.join().unwrap();
}

#[test]
fn cells_initialize_once() {
    assert!(never_checked(), "this process must never run a checker");
    let cell = Arc::new(OnceLock::new());
    assert_eq!(cell.get(), None);
    let racers: Vec<_> = (0..4u64)
        .map(|i| {
            let cell = Arc::clone(&cell);
            thread::spawn(move || *cell.get_or_init(|| i))
        })
        .collect();
    let seen: Vec<u64> = racers.into_iter().map(|r| r.join().unwrap()).collect();
    assert!(seen.iter().all(|&v| Some(&v) == cell.get()));
    assert_eq!(cell.set(99), Err(99));
    let lazy = LazyLock::new(|| 6 * 7);
    assert_eq!(*lazy, 42);
}
