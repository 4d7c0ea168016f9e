//! The hard way, measured: the profile handler on the real multi-thread tokio runtime (two
//! worker threads, like the machine's two cores), as a test suite and as production would run
//! it.
//!
//! `cargo run --release -p ex03-corrupt-json --example stress -- [--seconds N]`
//!
//! The first rows answer one request at a time, the way a unit test does. The others keep many
//! requests in flight at once, the way production load does. Each row counts the responses that
//! are not the expected JSON. Rates vary from run to run and machine to machine.

use ex03_corrupt_json::{CUSTOMER, broken, fixed_parts, fixed_whole_part, is_valid};
use racebook_check::task;
use racebook_workbook::stress_cli;
use std::future::Future;
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
        "machine: {cores} cores; tokio multi-thread runtime, 2 workers; {seconds} s per row; build: {}",
        build()
    );
    println!();
    println!(
        "{:<18} {:>10} {:>12} {:>10} {:>10} {:>12}",
        "variant", "in flight", "responses", "invalid", "rate", "first invalid"
    );
    for in_flight in [1, 2, 4, 16, 256] {
        row("broken", in_flight, run(broken::handle, in_flight, budget));
    }
    row("fixed_parts", 256, run(fixed_parts::handle, 256, budget));
    row(
        "fixed_whole_part",
        256,
        run(fixed_whole_part::handle, 256, budget),
    );
}

/// What one row saw.
struct Measured {
    responses: u64,
    invalid: u64,
    first_invalid: Option<Duration>,
}

fn row(variant: &str, in_flight: usize, m: Measured) {
    let first = m.first_invalid.map_or("never".to_string(), |d| {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    });
    println!(
        "{:<18} {:>10} {:>12} {:>10} {:>10} {:>12}",
        variant,
        in_flight,
        m.responses,
        m.invalid,
        stress_cli::share(m.invalid, m.responses),
        first
    );
}

/// Keep `in_flight` requests running on the real runtime until `budget` is spent, checking every
/// response.
fn run<F>(handle: fn(u32) -> F, in_flight: usize, budget: Duration) -> Measured
where
    F: Future<Output = String> + Send + 'static,
{
    let start = Instant::now();
    task::block_on(async move {
        let clients: Vec<_> = (0..in_flight)
            .map(|c| {
                task::spawn_named(&format!("client-{c}"), async move {
                    let (mut responses, mut invalid, mut first) = (0u64, 0u64, None);
                    while start.elapsed() < budget {
                        let body = handle(CUSTOMER).await;
                        responses += 1;
                        if !is_valid(&body) {
                            invalid += 1;
                            first = first.or(Some(start.elapsed()));
                        }
                    }
                    (responses, invalid, first)
                })
            })
            .collect();
        let mut m = Measured {
            responses: 0,
            invalid: 0,
            first_invalid: None,
        };
        for client in clients {
            let (responses, invalid, first) = client.await.expect("a client task panicked");
            m.responses += responses;
            m.invalid += invalid;
            m.first_invalid = match (m.first_invalid, first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        m
    })
}

fn build() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}
