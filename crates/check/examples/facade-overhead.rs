//! What the facade costs production code, where it runs on real threads: uncontended
//! operations on the facade's types against std's own, in a release build. `cargo xtask bench`
//! runs it (`--json`) and prints the table with the target (at most 1.1× std) checked.
//!
//! Each operation is one `#[inline(never)]` loop per side, so that both compile alike and the
//! machine code can be read (`objdump -d --no-show-raw-insn`, the `std_*`/`facade_*`
//! symbols). Rounds are short (`OPS` calls, well under a scheduler's time slice on a loaded
//! machine), std and facade alternate within a round and swap which goes first every round, and
//! the figures are medians over `ROUNDS` rounds after a warm-up: ns per call for each side, and
//! the median of the rounds' own facade/std ratios, which compares two loops measured a few
//! microseconds apart and so survives a machine whose speed changes under load.

use racebook_check::sync as facade;
use std::hint::black_box;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::time::Instant;

const OPS: u32 = 100_000;
const WARMUP: usize = 20;
const ROUNDS: usize = 301;

type StdAtomic = std::sync::atomic::AtomicU64;
type OurAtomic = facade::atomic::AtomicU64;

#[inline(never)]
fn std_mutex(m: &std::sync::Mutex<u64>) {
    for _ in 0..OPS {
        *black_box(m).lock().unwrap() += 1;
    }
}
#[inline(never)]
fn facade_mutex(m: &facade::Mutex<u64>) {
    for _ in 0..OPS {
        *black_box(m).lock() += 1;
    }
}

#[inline(never)]
fn std_fetch_add(a: &StdAtomic) {
    for _ in 0..OPS {
        black_box(black_box(a).fetch_add(1, Relaxed));
    }
}
#[inline(never)]
fn facade_fetch_add(a: &OurAtomic) {
    for _ in 0..OPS {
        black_box(black_box(a).fetch_add(1, Relaxed));
    }
}

#[inline(never)]
fn std_store(a: &StdAtomic) {
    for i in 0..OPS {
        black_box(a).store(u64::from(i), Release);
    }
}
#[inline(never)]
fn facade_store(a: &OurAtomic) {
    for i in 0..OPS {
        black_box(a).store(u64::from(i), Release);
    }
}

#[inline(never)]
fn std_load(a: &StdAtomic) {
    for _ in 0..OPS {
        black_box(black_box(a).load(Acquire));
    }
}
#[inline(never)]
fn facade_load(a: &OurAtomic) {
    for _ in 0..OPS {
        black_box(black_box(a).load(Acquire));
    }
}

#[inline(never)]
fn std_cas(a: &StdAtomic) {
    for i in 0..OPS {
        let v = u64::from(i);
        let _ = black_box(black_box(a).compare_exchange(v, v + 1, Relaxed, Relaxed));
    }
}
#[inline(never)]
fn facade_cas(a: &OurAtomic) {
    for i in 0..OPS {
        let v = u64::from(i);
        let _ = black_box(black_box(a).compare_exchange(v, v + 1, Relaxed, Relaxed));
    }
}

#[inline(never)]
fn std_once_get(c: &std::sync::OnceLock<u64>) {
    for _ in 0..OPS {
        black_box(black_box(c).get());
    }
}
#[inline(never)]
fn facade_once_get(c: &facade::OnceLock<u64>) {
    for _ in 0..OPS {
        black_box(black_box(c).get());
    }
}

/// Nanoseconds per call of one round of `f`.
fn per_op(f: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_nanos() as f64 / f64::from(OPS)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One row: the median ns per call of std and of the facade, and the median of the rounds'
/// facade/std ratios.
struct Row {
    op: &'static str,
    std_ns: f64,
    facade_ns: f64,
    ratio: f64,
}

fn compare(op: &'static str, mut std_round: impl FnMut(), mut facade_round: impl FnMut()) -> Row {
    let (mut s, mut f, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..WARMUP + ROUNDS {
        let (a, b) = if round % 2 == 0 {
            let a = per_op(&mut std_round);
            (a, per_op(&mut facade_round))
        } else {
            let b = per_op(&mut facade_round);
            (per_op(&mut std_round), b)
        };
        if round >= WARMUP {
            s.push(a);
            f.push(b);
            r.push(b / a);
        }
    }
    Row {
        op,
        std_ns: median(s),
        facade_ns: median(f),
        ratio: median(r),
    }
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let mut rows = Vec::new();

    let (std_m, our_m) = (std::sync::Mutex::new(0u64), facade::Mutex::new(0u64));
    rows.push(compare(
        "Mutex lock + unlock",
        || std_mutex(&std_m),
        || facade_mutex(&our_m),
    ));

    let (std_a, our_a) = (StdAtomic::new(0), OurAtomic::new(0));
    rows.push(compare(
        "AtomicU64 fetch_add",
        || std_fetch_add(&std_a),
        || facade_fetch_add(&our_a),
    ));
    rows.push(compare(
        "AtomicU64 store",
        || std_store(&std_a),
        || facade_store(&our_a),
    ));
    rows.push(compare(
        "AtomicU64 load",
        || std_load(&std_a),
        || facade_load(&our_a),
    ));
    rows.push(compare(
        "AtomicU64 compare_exchange",
        || std_cas(&std_a),
        || facade_cas(&our_a),
    ));

    let std_once = std::sync::OnceLock::new();
    std_once.get_or_init(|| 7u64);
    let our_once = facade::OnceLock::new();
    our_once.get_or_init(|| 7u64);
    rows.push(compare(
        "OnceLock get",
        || std_once_get(&std_once),
        || facade_once_get(&our_once),
    ));

    if json {
        let items: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{{\"op\":\"{}\",\"std_ns\":{:.3},\"facade_ns\":{:.3},\"ratio\":{:.3}}}",
                    r.op, r.std_ns, r.facade_ns, r.ratio
                )
            })
            .collect();
        println!("[{}]", items.join(","));
    } else {
        println!(
            "{:<28} {:>8} {:>8} {:>7}   (median of {ROUNDS} rounds of {OPS} calls)",
            "operation", "std ns", "ours ns", "ratio"
        );
        for r in rows {
            println!(
                "{:<28} {:>8.2} {:>8.2} {:>6.2}×",
                r.op, r.std_ns, r.facade_ns, r.ratio
            );
        }
    }
}
