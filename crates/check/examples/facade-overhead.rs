//! What the facade costs production code, where it runs on real threads: uncontended
//! operations on the facade's types against std's own, in a release build. `cargo xtask bench`
//! runs it (`--json`) and prints the table with the target (at most 1.1× std) checked.
//!
//! Each operation runs in rounds of `OPS` calls, std and facade alternating so that both see
//! the same machine; the figure is the median round, in nanoseconds per call.

use racebook_check::sync as facade;
use std::hint::black_box;
use std::time::Instant;

const OPS: u32 = 2_000_000;
const ROUNDS: usize = 15;

fn per_op(mut round: impl FnMut()) -> f64 {
    let start = Instant::now();
    round();
    start.elapsed().as_nanos() as f64 / f64::from(OPS)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median ns per call of `std_round` and of `facade_round`, measured alternately.
fn compare(mut std_round: impl FnMut(), mut facade_round: impl FnMut()) -> (f64, f64) {
    let (mut s, mut f) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        s.push(per_op(&mut std_round));
        f.push(per_op(&mut facade_round));
    }
    (median(s), median(f))
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let mut rows: Vec<(&str, f64, f64)> = Vec::new();

    let std_mutex = std::sync::Mutex::new(0u64);
    let our_mutex = facade::Mutex::new(0u64);
    let (s, f) = compare(
        || {
            for _ in 0..OPS {
                *black_box(&std_mutex).lock().unwrap() += 1;
            }
        },
        || {
            for _ in 0..OPS {
                *black_box(&our_mutex).lock() += 1;
            }
        },
    );
    rows.push(("Mutex lock + unlock", s, f));

    use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
    let std_atomic = std::sync::atomic::AtomicU64::new(0);
    let our_atomic = facade::atomic::AtomicU64::new(0);
    let (s, f) = compare(
        || {
            for _ in 0..OPS {
                black_box(&std_atomic).fetch_add(1, Relaxed);
            }
        },
        || {
            for _ in 0..OPS {
                black_box(&our_atomic).fetch_add(1, Relaxed);
            }
        },
    );
    rows.push(("AtomicU64 fetch_add", s, f));
    let (s, f) = compare(
        || {
            for i in 0..OPS {
                black_box(&std_atomic).store(u64::from(i), Release);
            }
        },
        || {
            for i in 0..OPS {
                black_box(&our_atomic).store(u64::from(i), Release);
            }
        },
    );
    rows.push(("AtomicU64 store", s, f));
    let (s, f) = compare(
        || {
            for _ in 0..OPS {
                black_box(black_box(&std_atomic).load(Acquire));
            }
        },
        || {
            for _ in 0..OPS {
                black_box(black_box(&our_atomic).load(Acquire));
            }
        },
    );
    rows.push(("AtomicU64 load", s, f));
    let (s, f) = compare(
        || {
            for i in 0..OPS {
                let v = u64::from(i);
                let _ = black_box(&std_atomic).compare_exchange(v, v + 1, Relaxed, Relaxed);
            }
        },
        || {
            for i in 0..OPS {
                let v = u64::from(i);
                let _ = black_box(&our_atomic).compare_exchange(v, v + 1, Relaxed, Relaxed);
            }
        },
    );
    rows.push(("AtomicU64 compare_exchange", s, f));

    let std_once = std::sync::OnceLock::new();
    std_once.get_or_init(|| 7u64);
    let our_once = facade::OnceLock::new();
    our_once.get_or_init(|| 7u64);
    let (s, f) = compare(
        || {
            for _ in 0..OPS {
                black_box(black_box(&std_once).get());
            }
        },
        || {
            for _ in 0..OPS {
                black_box(black_box(&our_once).get());
            }
        },
    );
    rows.push(("OnceLock get", s, f));

    if json {
        let items: Vec<String> = rows
            .iter()
            .map(|(op, s, f)| format!("{{\"op\":\"{op}\",\"std_ns\":{s:.3},\"facade_ns\":{f:.3}}}"))
            .collect();
        println!("[{}]", items.join(","));
    } else {
        for (op, s, f) in rows {
            println!(
                "{op:<28} std {s:>7.2} ns   facade {f:>7.2} ns   {:.2}×",
                f / s
            );
        }
    }
}
