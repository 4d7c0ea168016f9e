//! Exercise 03's race condition, as a dynamic race detector sees it.
//!
//! Two threads write one field each of a JSON object into a shared buffer. Every write takes
//! the buffer's lock, but a field is written in two writes, so the fields can interleave and the
//! object is then not JSON. With `data-race` on the command line, each thread also counts the
//! fields it wrote in a plain, unsynchronized counter: a real data race, for comparison.
//!
//! Normal build:  cargo run --release -- [data-race]
//! ThreadSanitizer (nightly): RUSTFLAGS="-Zsanitizer=thread -Cunsafe-allow-abi-mismatch=sanitizer" \
//!     cargo +nightly run --release --target x86_64-unknown-linux-gnu -- [data-race]
//!
//! The lock is a small spin lock on an atomic rather than `std::sync::Mutex`: without
//! `-Zbuild-std` (which needs the rust-src component) the standard library is not instrumented,
//! so ThreadSanitizer cannot see `std`'s mutex synchronize and reports false data races on the
//! data it protects. Atomics compiled in this crate are instrumented, so this lock is visible.

use std::cell::UnsafeCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Instant;

/// A lock ThreadSanitizer can see: acquire on taking it, release on giving it back.
struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only through `with`, which holds the lock.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::hint::spin_loop();
        }
        // SAFETY: this thread holds the lock until the store below.
        let result = f(unsafe { &mut *self.value.get() });
        self.locked.store(false, Ordering::Release);
        result
    }
}

/// A statistics counter someone declared `Sync` by hand: the deliberate data race.
struct FieldCount(UnsafeCell<u64>);

// SAFETY: not upheld, on purpose; see `FieldCount`.
unsafe impl Sync for FieldCount {}

static FIELDS_WRITTEN: FieldCount = FieldCount(UnsafeCell::new(0));

// ANCHOR: write_field
/// Append `"name":value,`: two writes, each under the lock.
fn write_field(body: &SpinLock<String>, name: &str, value: &str, count: bool) {
    body.with(|b| b.push_str(&format!("\"{name}\":")));
    // The await of the async version: a moment in which the other side may run.
    thread::yield_now();
    body.with(|b| b.push_str(&format!("{value},")));
    if count {
        // SAFETY: not upheld; this unsynchronized increment is the data race the detector
        // should report.
        unsafe { *FIELDS_WRITTEN.0.get() += 1 };
    }
}
// ANCHOR_END: write_field

const USER: &str = r#"{"id":7,"name":"ana"}"#;
const ORDERS: &str = "[12,13]";

/// The two bodies that are valid: the fields in either order.
fn is_valid(body: &str) -> bool {
    body == format!(r#"{{"user":{USER},"orders":{ORDERS}}}"#)
        || body == format!(r#"{{"orders":{ORDERS},"user":{USER}}}"#)
}

fn main() {
    let data_race = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("data-race") => true,
        Some(other) => {
            eprintln!("unknown argument {other:?}; usage: sanitizer-demo [data-race]");
            std::process::exit(2);
        }
    };
    let runs = 20_000;
    let start = Instant::now();
    let mut invalid = 0;
    for _ in 0..runs {
        let body = Arc::new(SpinLock::new(String::from("{")));
        let writers: Vec<_> = [("user", USER), ("orders", ORDERS)]
            .into_iter()
            .map(|(name, value)| {
                let body = Arc::clone(&body);
                thread::spawn(move || write_field(&body, name, value, data_race))
            })
            .collect();
        for w in writers {
            w.join().expect("a writer panicked");
        }
        let text = body.with(|b| {
            b.pop();
            b.push('}');
            b.clone()
        });
        invalid += u32::from(!is_valid(&text));
    }
    println!(
        "{invalid} of {runs} responses were not valid JSON ({:.1}%), in {:.2} s",
        f64::from(invalid) * 100.0 / f64::from(runs),
        start.elapsed().as_secs_f64()
    );
}
