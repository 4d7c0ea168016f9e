//! Chapter 05 on a simulated network: the two pods and the store are separate hosts, and the
//! network between them delays every message by a seeded random amount.
//!
//! ```text
//! cargo run -p ex05-two-pods --example ex05-hosts                      # try seeds 1..=100
//! cargo run -p ex05-two-pods --example ex05-hosts -- --seed 7          # replay one seed
//! cargo run -p ex05-two-pods --example ex05-hosts -- --variant fixed_fail_fast --seeds 500
//! cargo run -p ex05-two-pods --example ex05-hosts -- --bench --json    # for `cargo xtask bench`
//! ```

mod pod;
mod sim;
mod store;

use ex05_two_pods::{INVARIANT, holds};
use pod::Handler;
use std::process::ExitCode;

struct Args {
    handler: Handler,
    seed: Option<u64>,
    seeds: u64,
    bench: bool,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        handler: Handler::Broken,
        seed: None,
        seeds: 100,
        bench: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--variant" => {
                let name = value()?;
                args.handler = Handler::from_name(&name).ok_or(format!("no variant {name:?}"))?;
            }
            "--seed" => args.seed = Some(value()?.parse().map_err(|e| format!("--seed: {e}"))?),
            "--seeds" => args.seeds = value()?.parse().map_err(|e| format!("--seeds: {e}"))?,
            "--bench" => args.bench = true,
            "--json" => {}
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

/// Replay one seed: its trace, each pod's answer judged by the exercise's invariant.
fn replay(handler: Handler, seed: u64) -> ExitCode {
    println!("{} on a simulated network, seed {seed}", handler.name());
    let run = sim::run(handler, seed);
    for line in &run.trace {
        println!("{line}");
    }
    for (pod, response) in &run.answers {
        let verdict = if holds(response) { "holds" } else { "BROKEN" };
        println!("{pod} answered {response:?}: {verdict}");
    }
    if let Some(error) = &run.error {
        println!("the simulation stopped: {error}");
    }
    if run.failed() {
        println!("invariant broken: {INVARIANT}");
        ExitCode::FAILURE
    } else if run.error.is_some() {
        ExitCode::FAILURE
    } else {
        println!("invariant held: {INVARIANT}");
        ExitCode::SUCCESS
    }
}

/// Try seeds 1..=n and report how many failed, with the command that replays the first.
fn try_seeds(handler: Handler, seeds: u64) -> ExitCode {
    let found = sim::search(handler, seeds);
    println!(
        "{}: tried seeds 1..={seeds} on a simulated network, {} failed",
        handler.name(),
        found.failed.len()
    );
    if let Some(seed) = found.errored.first() {
        println!(
            "{} seed(s) stopped with an error instead; the first: {seed}",
            found.errored.len()
        );
        return ExitCode::FAILURE;
    }
    match found.failed.first() {
        Some(&first) => {
            println!("first failing seed: {first}; replay it with");
            println!("  {}", sim::replay_command(handler, first));
            ExitCode::FAILURE
        }
        None => {
            println!("every seed kept the invariant: {INVARIANT}");
            println!("(a sample of network timings, not every one: this is no proof)");
            ExitCode::SUCCESS
        }
    }
}

/// Seeds needed to hit the failure from any starting point: the gaps between failing seeds
/// (the first counted from seed 1), as min / median / max.
fn seeds_to_failure(failed: &[u64]) -> Option<[u64; 3]> {
    let mut gaps: Vec<u64> = failed
        .iter()
        .scan(0, |last, &seed| Some(seed - std::mem::replace(last, seed)))
        .collect();
    gaps.sort_unstable();
    Some([*gaps.first()?, gaps[gaps.len() / 2], *gaps.last()?])
}

/// Seeds per second and seeds to the first failure, per version, for `cargo xtask bench`.
fn bench(seeds: u64) -> ExitCode {
    let rows: Vec<_> = Handler::ALL
        .into_iter()
        .map(|handler| {
            let found = sim::search(handler, seeds);
            let secs = found.elapsed.as_secs_f64();
            serde_json::json!({
                "variant": handler.name(),
                "seeds": found.seeds,
                "failed": found.failed.len(),
                "errored": found.errored.len(),
                "first_failure": found.failed.first(),
                "seeds_to_failure": seeds_to_failure(&found.failed),
                "seconds": secs,
                "seeds_per_second": found.seeds as f64 / secs.max(1e-9),
            })
        })
        .collect();
    println!("{}", serde_json::Value::Array(rows));
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("ex05-hosts: {e}");
            return ExitCode::from(2);
        }
    };
    match (args.bench, args.seed) {
        (true, _) => bench(args.seeds),
        (false, Some(seed)) => replay(args.handler, seed),
        (false, None) => try_seeds(args.handler, args.seeds),
    }
}
