//! `cargo xtask test`: the project's test command. Runs the steps in order with a header and
//! wall time each, stops at the first failure, and ends with a summary table. A step is skipped
//! only when what it tests does not exist in the repository yet, and it says so.

use crate::workspace::{self, Package, cargo};
use crate::{book, paths, prereqs, process};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The longest a single cargo or node run may take before it is stopped as hung.
const STEP_LIMIT: Duration = Duration::from_secs(45 * 60);

enum Outcome {
    Passed,
    Skipped(String),
}

/// What the steps share.
struct Shared {
    root: PathBuf,
    /// Where the book step builds the book; the browser tests get this folder.
    book_dir: PathBuf,
}

type StepFn = fn(&Shared) -> Result<Outcome>;

const STEPS: &[(&str, StepFn)] = &[
    ("prerequisites", prerequisites),
    ("workspace tests", workspace_tests),
    ("exercise checks", exercise_checks),
    ("own code: example crate, crate elsewhere", own_code),
    ("stored schedules, release build", release_replays),
    ("book and its code blocks", book_and_code_blocks),
    ("captured outputs, page checks", book_checks),
    ("browser tests", browser_tests),
    ("fuzz the trace parsers", fuzz_parsers),
];

pub fn run(only: Option<&str>) -> Result<()> {
    let root = paths::root();
    let context = Shared {
        book_dir: paths::xtask_dir(&root).join("test-book"),
        root,
    };
    let mut rows: Vec<(&str, String, Option<Duration>)> = Vec::new();
    let mut failure = None;
    for (index, (name, step)) in STEPS.iter().enumerate() {
        if only.is_some_and(|only| !name.contains(only)) {
            continue;
        }
        if failure.is_some() {
            rows.push((name, "not run".into(), None));
            continue;
        }
        println!("\n==> [{}/{}] {name}", index + 1, STEPS.len());
        let started = Instant::now();
        let result = step(&context);
        let took = started.elapsed();
        let status = match result {
            Ok(Outcome::Passed) => "ok".to_string(),
            Ok(Outcome::Skipped(why)) => {
                println!("skipped: {why}");
                "skipped".to_string()
            }
            Err(e) => {
                println!("\nstep \"{name}\" FAILED: {e:#}");
                failure = Some(*name);
                "FAILED".to_string()
            }
        };
        println!("<== {name}: {status} ({:.1} s)", took.as_secs_f64());
        rows.push((name, status, Some(took)));
    }
    print_summary(&rows);
    match failure {
        Some(name) => {
            bail!("cargo xtask test failed at \"{name}\"; the steps after it did not run")
        }
        None => Ok(()),
    }
}

fn print_summary(rows: &[(&str, String, Option<Duration>)]) {
    println!("\n{:<30} {:<8} {:>9}", "step", "result", "time");
    println!("{}", "-".repeat(49));
    let mut total = Duration::ZERO;
    for (name, status, took) in rows {
        let time = took.map_or("-".to_string(), |t| format!("{:.1} s", t.as_secs_f64()));
        total += took.unwrap_or_default();
        println!("{name:<30} {status:<8} {time:>9}");
    }
    println!("{}", "-".repeat(49));
    println!(
        "{:<30} {:<8} {:>9}",
        "total",
        "",
        format!("{:.1} s", total.as_secs_f64())
    );
    let count = |s: &str| rows.iter().filter(|(_, status, _)| status == s).count();
    println!(
        "steps: {} passed, {} failed, {} skipped",
        count("ok"),
        count("FAILED"),
        count("skipped") + count("not run")
    );
}

fn cargo_in(root: &Path) -> Command {
    let mut command = Command::new(cargo());
    command.current_dir(root);
    command
}

fn prerequisites(context: &Shared) -> Result<Outcome> {
    prereqs::ensure(&context.root)?;
    Ok(Outcome::Passed)
}

/// Every package's tests except the exercises' (next step) and the book's (its own steps).
fn workspace_tests(context: &Shared) -> Result<Outcome> {
    let mut command = cargo_in(&context.root);
    command.args(["test", "--workspace"]);
    for package in workspace::packages(&context.root)? {
        if package.exercise || package.name == BOOKTEST {
            command.args(["--exclude", &package.name]);
        }
    }
    process::stream(&mut command, STEP_LIMIT)?;
    Ok(Outcome::Passed)
}

/// Each exercise's own tests and doctests, without the learner's red `exercise` test.
fn exercise_checks(context: &Shared) -> Result<Outcome> {
    let exercises: Vec<Package> = workspace::packages(&context.root)?
        .into_iter()
        .filter(|p| p.exercise)
        .collect();
    if exercises.is_empty() {
        return Ok(Outcome::Skipped("no exercise packages yet".into()));
    }
    for package in &exercises {
        let targets = package.checked_targets();
        if !targets.is_empty() {
            let mut command = cargo_in(&context.root);
            command.args(["test", "-p", &package.name]).args(&targets);
            process::stream(&mut command, STEP_LIMIT)?;
        }
        if package.has_lib {
            let mut command = cargo_in(&context.root);
            command.args(["test", "-p", &package.name, "--doc"]);
            process::stream(&mut command, STEP_LIMIT)?;
        }
    }
    Ok(Outcome::Passed)
}

/// The harness on code that is not an exercise (see `own_code`).
fn own_code(context: &Shared) -> Result<Outcome> {
    crate::own_code::example_and_elsewhere(&context.root)?;
    Ok(Outcome::Passed)
}

/// The test every exercise's `verify` has: each stored schedule replays its failure 1000 times
/// out of 1000. Run again in the release build, whose optimizations must not change a schedule.
const REPLAY_TEST: &str = "every_stored_schedule_replays_its_failure_1000_times_out_of_1000";

fn release_replays(context: &Shared) -> Result<Outcome> {
    let exercises: Vec<Package> = workspace::packages(&context.root)?
        .into_iter()
        .filter(|p| p.exercise)
        .collect();
    if exercises.is_empty() {
        return Ok(Outcome::Skipped("no exercise packages yet".into()));
    }
    let mut command = cargo_in(&context.root);
    command.args(["test", "--release"]);
    for package in &exercises {
        command.args(["-p", &package.name]);
    }
    command.args(["--test", "verify", "--", "--exact", REPLAY_TEST]);
    process::stream(&mut command, STEP_LIMIT)?;
    Ok(Outcome::Passed)
}

const BOOKTEST: &str = "racebook-booktest";

fn book_and_code_blocks(context: &Shared) -> Result<Outcome> {
    let built = book::build(&context.root, &context.book_dir)?;
    println!(
        "built the book into {} ({} pages, {} files): includes, links and origins checked",
        paths::shown(&context.root, &context.book_dir),
        built.pages,
        built.files
    );
    // The pages' Rust code blocks, as doctests.
    let mut command = cargo_in(&context.root);
    command.args(["test", "-p", BOOKTEST, "--doc"]);
    process::stream(&mut command, STEP_LIMIT)?;
    Ok(Outcome::Passed)
}

/// Every other test of the book's crate: captured outputs against their commands (drift), the
/// error codes of `compile_fail` blocks, and whatever checks of the pages are added there.
fn book_checks(context: &Shared) -> Result<Outcome> {
    let mut command = cargo_in(&context.root);
    command.args(["test", "-p", BOOKTEST, "--lib", "--tests"]);
    process::stream(&mut command, STEP_LIMIT)?;
    Ok(Outcome::Passed)
}

fn browser_tests(context: &Shared) -> Result<Outcome> {
    let entry = context.root.join("web/tests/run.mjs");
    if !entry.exists() {
        return Ok(Outcome::Skipped(
            "web/tests/run.mjs does not exist yet".into(),
        ));
    }
    let mut command = Command::new("node");
    command
        .arg(&entry)
        .arg(&context.book_dir)
        .current_dir(&context.root);
    process::stream(&mut command, STEP_LIMIT).context("the browser tests failed")?;
    Ok(Outcome::Passed)
}

/// Seconds each parser is fuzzed for in the test command (`cargo xtask fuzz` runs longer).
const FUZZ_SECONDS: u64 = 30;

fn fuzz_parsers(_context: &Shared) -> Result<Outcome> {
    crate::visualizer_fuzz::run(FUZZ_SECONDS)?;
    Ok(Outcome::Passed)
}
