//! `OnceLock` and `LazyLock` on every engine: a correct one-time initialization is proved on
//! shuttle and loom; races around initialization that code can still write are found; and on
//! real threads the cells behave as std's.

use racebook_check::cell::UnsafeCell;
use racebook_check::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use racebook_check::sync::{Arc, LazyLock, OnceLock};
use racebook_check::{Check, Engine, invariant, thread};

#[test]
fn racing_initializers_run_one_function_and_all_see_its_value() {
    let checked = racebook_check::check(|| {
        let runs = Arc::new(AtomicUsize::new(0));
        let config = Arc::new(OnceLock::named("config"));
        let (other, runs2) = (Arc::clone(&config), Arc::clone(&runs));
        let loader = thread::spawn(move || {
            *other.get_or_init(|| {
                runs2.fetch_add(1, Ordering::Relaxed);
                7
            })
        });
        let mine = *config.get_or_init(|| {
            runs.fetch_add(1, Ordering::Relaxed);
            8
        });
        let theirs = loader.join().unwrap();
        invariant("both threads see one value", mine, theirs);
        invariant(
            "the value is computed once",
            1,
            runs.load(Ordering::Relaxed),
        );
    });
    assert!(checked.is_ok(), "{checked:?}");
}

#[test]
fn a_lazy_value_is_computed_once_for_every_thread() {
    let checked = racebook_check::check(|| {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&runs);
        let table = Arc::new(LazyLock::new(move || {
            counted.fetch_add(1, Ordering::Relaxed);
            vec![1, 2, 3]
        }));
        let other = Arc::clone(&table);
        let reader = thread::spawn(move || other.len());
        let here = table.iter().sum::<i32>();
        invariant("the reader sees the whole table", 3, reader.join().unwrap());
        invariant("the sum is whole", 6, here);
        invariant("the table is built once", 1, runs.load(Ordering::Relaxed));
    });
    assert!(checked.is_ok(), "{checked:?}");
}

#[test]
fn a_get_then_set_race_is_found() {
    let checked = Check::new().engines(&[Engine::Shuttle]).run(|| {
        let cell = Arc::new(OnceLock::named("config"));
        let other = Arc::clone(&cell);
        let init = |cell: &OnceLock<u32>, v| {
            if cell.get().is_none() {
                cell.set(v).expect("nobody set it: we just looked");
            }
        };
        let loader = thread::spawn(move || init(&other, 1));
        init(&cell, 2);
        loader.join().unwrap();
    });
    let failed = checked.expect_err("two threads can both see an empty cell");
    assert!(failed.schedule().is_some_and(|s| s.is_file()), "{failed:?}");
}

/// A hand-written double-checked initialization whose flag is Relaxed: the reader can see the
/// flag set and the value not yet written. Only loom's memory model shows it.
#[test]
fn a_relaxed_double_checked_init_is_found_by_loom() {
    struct Lazy {
        ready: AtomicBool,
        value: UnsafeCell<u32>,
    }
    // SAFETY: not actually safe: this is the bug the check must find.
    unsafe impl Sync for Lazy {}
    let checked = Check::new().engines(&[Engine::Loom]).run(|| {
        let lazy = Arc::new(Lazy {
            ready: AtomicBool::new(false),
            value: UnsafeCell::new(0),
        });
        let writer = Arc::clone(&lazy);
        let init = thread::spawn(move || {
            // SAFETY: deliberately unsound (see above).
            unsafe { writer.value.with_mut(|v| *v = 42) };
            writer.ready.store(true, Ordering::Relaxed);
        });
        if lazy.ready.load(Ordering::Relaxed) {
            // SAFETY: deliberately unsound (see above).
            let v = unsafe { lazy.value.with(|v| *v) };
            invariant("a ready value is the initialized one", 42, v);
        }
        init.join().unwrap();
    });
    assert!(checked.is_err(), "loom must find the Relaxed flag");
}

#[test]
fn initializing_a_cell_from_its_own_initializer_is_a_deadlock() {
    let checked = Check::new().engines(&[Engine::Shuttle]).run(|| {
        let cell: OnceLock<u32> = OnceLock::named("config");
        cell.get_or_init(|| *cell.get_or_init(|| 1) + 1);
    });
    assert!(
        checked.is_err(),
        "a reentrant initialization never finishes"
    );
}

#[test]
fn on_real_threads_the_cells_are_std_ones() {
    let cell = OnceLock::named("config");
    assert_eq!(cell.get(), None);
    assert_eq!(cell.set(3), Ok(()));
    assert_eq!(cell.set(4), Err(4));
    assert_eq!(*cell.get_or_init(|| 5), 3);
    assert_eq!(cell.into_inner(), Some(3));
    let lazy = LazyLock::new(|| "built".to_string());
    assert_eq!(lazy.as_str(), "built");
    let poisoned = LazyLock::<u32>::new(|| panic!("no config"));
    assert!(std::panic::catch_unwind(|| *poisoned).is_err());
    assert!(
        std::panic::catch_unwind(|| *poisoned).is_err(),
        "stays poisoned"
    );
}
