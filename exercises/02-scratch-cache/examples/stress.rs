//! The hard way, measured: the scratch cache on real threads, as a stress test would run it.
//!
//! `cargo run --release -p ex02-scratch-cache --example stress -- [--seconds N]`
//!
//! Two tables. The first runs the scenario the checkers use (two requests of one session, on
//! two new threads) over and over. The second hammers the service: client threads that send
//! requests in a tight loop, two clients per session, the way the story finally reproduced the
//! bug. Each row runs for a fixed time, once
//! with the service's debug logging off and once with it on. Rates vary from run to run and
//! machine to machine; that is the point.

use ex02_scratch_cache::{Handler, Request, Response, broken, fixed_local, fixed_lock, logging};
use racebook_engine::engines::real::{StressLimits, stress};
use racebook_workbook::stress_cli;
use std::time::{Duration, Instant};

fn main() {
    let seconds = match stress_cli::seconds(2.0) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}\nusage: stress [--seconds N]   (N seconds per row, default 2)");
            std::process::exit(2);
        }
    };
    let budget = Duration::from_secs_f64(seconds);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "machine: {cores} cores; {seconds} s per row; build: {}",
        build()
    );
    println!();
    println!(
        "the checkers' scenario on real threads: 2 requests of one session, new threads each run"
    );
    println!(
        "{:<12} {:<8} {:>10} {:>10} {:>12}",
        "variant", "logging", "runs", "failed", "rate"
    );
    for logging in [false, true] {
        logging::set_enabled(logging);
        let r = stress(
            &(std::sync::Arc::new(ex02_scratch_cache::scenario::<broken::PriceHandler>)
                as racebook_engine::scenario::Body),
            StressLimits {
                runs: u64::MAX,
                time: budget,
            },
        );
        println!(
            "{:<12} {:<8} {:>10} {:>10} {:>12}{}",
            "broken",
            on_off(logging),
            r.runs,
            r.failures,
            stress_cli::share(r.failures, r.runs),
            if r.hung { "  (a run hung)" } else { "" }
        );
    }
    println!();
    println!("hammering: client threads sending requests in a loop, two clients per session");
    println!(
        "{:<12} {:>8} {:<8} {:>12} {:>10} {:>10} {:>10} {:>12}",
        "variant", "clients", "logging", "requests", "wrong", "rate", "wrong/s", "first wrong"
    );
    for clients in [2, 8, 32] {
        for logging in [false, true] {
            row(
                "broken",
                clients,
                logging,
                hammer::<broken::PriceHandler>(clients, logging, budget),
            );
        }
    }
    row(
        "fixed_lock",
        32,
        false,
        hammer::<fixed_lock::PriceHandler>(32, false, budget),
    );
    row(
        "fixed_local",
        32,
        false,
        hammer::<fixed_local::PriceHandler>(32, false, budget),
    );
    logging::set_enabled(false);
}

fn row(variant: &str, clients: usize, logging: bool, h: Hammered) {
    let first = h.first_wrong.map_or("never".to_string(), |d| {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    });
    println!(
        "{:<12} {:>8} {:<8} {:>12} {:>10} {:>10} {:>10.1} {:>12}",
        variant,
        clients,
        on_off(logging),
        h.requests,
        h.wrong,
        stress_cli::share(h.wrong, h.requests),
        h.wrong as f64 / h.elapsed.as_secs_f64(),
        first
    );
}

/// What one hammering row saw.
struct Hammered {
    requests: u64,
    wrong: u64,
    elapsed: Duration,
    /// When the first wrong response arrived, from the start of the row.
    first_wrong: Option<Duration>,
}

/// `clients` threads share one handler and send requests until `budget` is spent, each
/// checking that every response is its own.
fn hammer<H: Handler>(clients: usize, logging: bool, budget: Duration) -> Hammered {
    const SESSIONS: [&str; 16] = [
        "s00", "s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09", "s10", "s11", "s12",
        "s13", "s14", "s15",
    ];
    logging::set_enabled(logging);
    let handler = H::start();
    let start = Instant::now();
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..clients)
            .map(|c| {
                let handler = &handler;
                scope.spawn(move || {
                    let (mut sent, mut wrong, mut first) = (0u64, 0u64, None);
                    while start.elapsed() < budget {
                        let req = Request {
                            id: (c as u32) << 24 | (sent as u32 & 0xff_ffff),
                            session: SESSIONS[(c / 2) % SESSIONS.len()],
                            item: c as u32 + 1,
                        };
                        let got: Response = handler.handle(req);
                        sent += 1;
                        if got != ex02_scratch_cache::expected(&[req])[0] {
                            wrong += 1;
                            first = first.or(Some(start.elapsed()));
                        }
                    }
                    (sent, wrong, first)
                })
            })
            .collect();
        let mut h = Hammered {
            requests: 0,
            wrong: 0,
            elapsed: Duration::ZERO,
            first_wrong: None,
        };
        for t in threads {
            let (sent, wrong, first) = t.join().expect("a client thread panicked");
            h.requests += sent;
            h.wrong += wrong;
            h.first_wrong = match (h.first_wrong, first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        h.elapsed = start.elapsed();
        h
    })
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn build() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}
