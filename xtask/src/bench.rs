//! `cargo xtask bench`: every exercise's benchmark in one set of tables (time and schedules to
//! the first failure per engine over many seeds, the cost of recording a replay, the stress
//! failure rate on real threads, the time to prove each fix), with the targets checked; and
//! with `--write-page`, the numbers page of the book regenerated from the same run.

use anyhow::{Context, Result, bail};
use racebook_booktest::numbers;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

mod targets;
use targets::strict_targets;

#[derive(Debug, Deserialize)]
struct Spread {
    min: u64,
    median: u64,
    max: u64,
}

#[derive(Debug, Deserialize)]
struct FirstFailure {
    variant: String,
    engine: String,
    strategy: String,
    runs: usize,
    found: usize,
    micros: Option<Spread>,
    schedules: Option<Spread>,
}

#[derive(Debug, Deserialize)]
struct ReplayCost {
    variant: String,
    raw_micros: f64,
    recorded_micros: f64,
}

#[derive(Debug, Deserialize)]
struct StressRow {
    variant: String,
    seconds: f64,
    runs: u64,
    failures: u64,
    hung: bool,
}

#[derive(Debug, Deserialize)]
struct ProofRow {
    variant: String,
    engine: String,
    schedules: u64,
    exhaustive: bool,
    millis: f64,
}

#[derive(Debug, Deserialize)]
struct Bench {
    exercise: String,
    first_failure: Vec<FirstFailure>,
    replay: Vec<ReplayCost>,
    stress: Vec<StressRow>,
    proofs: Vec<ProofRow>,
}

fn micros(us: u64) -> String {
    match us {
        0..1_000 => format!("{us} µs"),
        1_000..1_000_000 => format!("{:.1} ms", us as f64 / 1e3),
        _ => format!("{:.2} s", us as f64 / 1e6),
    }
}

fn spread(s: &Option<Spread>, unit: fn(u64) -> String) -> String {
    s.as_ref().map_or("never".into(), |s| {
        format!("{} / {} / {}", unit(s.min), unit(s.median), unit(s.max))
    })
}

/// The example target of an exercise's tool: `ex01-tool` for `01-counter-map` (each has its
/// own name, as all workspace members' examples share one output folder).
pub fn tool_example(slug: &str) -> String {
    format!("ex{}-tool", slug.split('-').next().unwrap_or(slug))
}

/// Run one exercise's bench through its tool, in the debug build the targets are set for.
fn bench_one(root: &Path, slug: &str, seeds: usize, stress: f64) -> Result<Bench> {
    eprintln!("bench: {slug} ({seeds} seeds, {stress} s of stress per broken version)");
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "-q",
            "-p",
            &format!("ex{slug}"),
            "--example",
            &tool_example(slug),
            "--",
            "bench",
            "--json",
        ])
        .args([
            "--seeds",
            &seeds.to_string(),
            "--stress-seconds",
            &stress.to_string(),
        ])
        .output()
        .with_context(|| format!("running the bench of {slug}"))?;
    if !out.status.success() {
        bail!(
            "the bench of {slug} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).with_context(|| format!("reading the bench of {slug}"))
}

fn tables(all: &[Bench]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\ntime and schedules to the first failure (debug build; min / median / max)"
    );
    let _ = writeln!(
        t,
        "{:<18} {:<22} {:<22} {:>8}  {:<32} schedules",
        "exercise", "variant", "engine", "found", "time"
    );
    let mut worst_median = 0;
    for b in all {
        for r in &b.first_failure {
            let _ = writeln!(
                t,
                "{:<18} {:<22} {:<22} {:>8}  {:<32} {}",
                b.exercise,
                r.variant,
                format!("{} {}", r.engine, r.strategy),
                format!("{}/{}", r.found, r.runs),
                spread(&r.micros, micros),
                spread(&r.schedules, |n| n.to_string())
            );
        }
        // The target is per broken version: its fastest engine.
        for v in broken_versions(b) {
            let best = fastest(b, v).map_or(u64::MAX, |(_, m)| m);
            worst_median = worst_median.max(best);
        }
    }
    let _ = writeln!(
        t,
        "\nreplay of a failing schedule: raw vs recorded (mean of 400)"
    );
    let mut worst_ratio: f64 = 0.0;
    for b in all {
        for r in &b.replay {
            let ratio = r.recorded_micros / r.raw_micros.max(1e-9);
            worst_ratio = worst_ratio.max(ratio);
            let _ = writeln!(
                t,
                "{:<18} {:<22} raw {:>10}   recorded {:>10}   {:.2}x",
                b.exercise,
                r.variant,
                micros(r.raw_micros as u64),
                micros(r.recorded_micros as u64),
                ratio
            );
        }
    }
    let _ = writeln!(
        t,
        "\nstress on real threads (debug build, 2 cores), fixed budget"
    );
    for b in all {
        for r in &b.stress {
            let rate = if r.runs == 0 {
                0.0
            } else {
                r.failures as f64 / r.runs as f64
            };
            let _ = writeln!(
                t,
                "{:<18} {:<22} {:>10} runs in {:.1} s {:>8} failed   rate {:.6}{}",
                b.exercise,
                r.variant,
                r.runs,
                r.seconds,
                r.failures,
                rate,
                if r.hung { "  (a run hung)" } else { "" }
            );
        }
    }
    let _ = writeln!(t, "\ntime to prove each fix (debug build)");
    let mut worst_proof: f64 = 0.0;
    for b in all {
        let mut per_fix = std::collections::BTreeMap::<&str, f64>::new();
        for r in &b.proofs {
            *per_fix.entry(&r.variant).or_default() += r.millis;
            let _ = writeln!(
                t,
                "{:<18} {:<22} {:<26} {:>9} schedules  {:<14} {}",
                b.exercise,
                r.variant,
                r.engine,
                r.schedules,
                if r.exhaustive {
                    "exhaustive"
                } else {
                    "NOT exhaustive"
                },
                micros((r.millis * 1000.0) as u64)
            );
        }
        worst_proof = per_fix.values().fold(worst_proof, |a, &b| a.max(b));
    }
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    let _ = writeln!(t, "\ntargets");
    let _ = writeln!(
        t,
        "  median time to first failure <= 5 ms (worst exercise: {}): {}",
        micros(worst_median),
        mark(worst_median <= 5_000)
    );
    let _ = writeln!(
        t,
        "  recorded replay <= 2x raw (worst: {worst_ratio:.2}x): {}",
        mark(worst_ratio <= 2.0)
    );
    let _ = writeln!(
        t,
        "  each fix proved in <= 10 s (slowest: {:.2} s): {}",
        worst_proof / 1000.0,
        mark(worst_proof <= 10_000.0)
    );
    strict_targets(&mut t, all);
    t
}

fn broken_versions(b: &Bench) -> std::collections::BTreeSet<&str> {
    b.first_failure.iter().map(|r| r.variant.as_str()).collect()
}

/// The engine that found `variant`'s failure in every run with the smallest median time.
fn fastest<'a>(b: &'a Bench, variant: &str) -> Option<(&'a FirstFailure, u64)> {
    b.first_failure
        .iter()
        .filter(|r| r.variant == variant && r.found == r.runs)
        .filter_map(|r| r.micros.as_ref().map(|m| (r, m.median)))
        .min_by_key(|&(_, m)| m)
}

/// The generated part of the numbers page.
fn page_table(all: &[Bench], fingerprint: &str, seeds: usize, stress: f64) -> String {
    let mut t = numbers::begin_marker(fingerprint);
    t.push_str("\n\n| exercise | version | real threads, ");
    let _ = write!(
        t,
        "{stress} s of stress | failure rate | the checker's first failure (median of {seeds} seeds) | schedules needed |\n|---|---|---|---|---|---|\n"
    );
    for b in all {
        for s in &b.stress {
            let best = b
                .first_failure
                .iter()
                .filter(|r| r.variant == s.variant && r.found == r.runs)
                .filter_map(|r| Some((r.micros.as_ref()?.median, r.schedules.as_ref()?.median, r)))
                .min_by_key(|x| x.0);
            let rate = if s.runs == 0 {
                0.0
            } else {
                s.failures as f64 / s.runs as f64 * 100.0
            };
            let (when, schedules) = match best {
                Some((us, n, r)) => (
                    format!("{} ({} {})", micros(us), r.engine, r.strategy),
                    n.to_string(),
                ),
                None => ("not found".into(), "-".into()),
            };
            // A deadlock on real threads hangs rather than fails: the stress loop gives up on
            // the run, and the row says after how many.
            let (stressed, rate) = if s.hung {
                (
                    format!(
                        "{} failures, then a run hung after {} runs",
                        s.failures, s.runs
                    ),
                    "a hang".to_string(),
                )
            } else {
                (
                    format!(
                        "{} failure{} in {} runs",
                        s.failures,
                        if s.failures == 1 { "" } else { "s" },
                        s.runs
                    ),
                    format!("{rate:.4}%"),
                )
            };
            let _ = writeln!(
                t,
                "| {} | {} | {stressed} | {rate} | {when} | {schedules} |",
                b.exercise, s.variant,
            );
        }
        // A data race is undefined behaviour: the bench does not run it on real threads.
        for r in b
            .first_failure
            .iter()
            .filter(|r| r.engine == "loom" && !b.stress.iter().any(|s| s.variant == r.variant))
        {
            let us = r
                .micros
                .as_ref()
                .map_or("not found".into(), |m| micros(m.median));
            let n = r
                .schedules
                .as_ref()
                .map_or("-".into(), |m| m.median.to_string());
            let _ = writeln!(
                t,
                "| {} | {} | not run: a data race is undefined behaviour | - | {us} (loom) | {n} |",
                b.exercise, r.variant
            );
        }
    }
    t.push('\n');
    t.push_str(numbers::END);
    t
}

fn write_page(root: &Path, table: &str) -> Result<()> {
    let path = root.join(numbers::PAGE);
    let page =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let new = match (page.find(numbers::BEGIN), page.find(numbers::END)) {
        (Some(a), Some(b)) if b > a => {
            format!("{}{table}{}", &page[..a], &page[b + numbers::END.len()..])
        }
        _ => format!("{}\n{table}\n", page.trim_end()),
    };
    std::fs::write(&path, new).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", numbers::PAGE);
    Ok(())
}

pub fn run(seeds: usize, stress: f64, write: bool) -> Result<()> {
    let root = crate::paths::root();
    let mut all = Vec::new();
    for slug in numbers::exercises(&root) {
        all.push(bench_one(&root, &slug, seeds, stress)?);
    }
    print!("{}", tables(&all));
    print!("{}", crate::bench_reduction::table(&root)?);
    // Three times the checkers' seeds: a seed of the network simulation is one whole run.
    print!("{}", crate::bench_hosts::run(&root, seeds * 3)?);
    crate::bench_facade::run(&root)?;
    if write {
        write_page(
            &root,
            &page_table(&all, &numbers::fingerprint(&root), seeds, stress),
        )?;
    }
    Ok(())
}
