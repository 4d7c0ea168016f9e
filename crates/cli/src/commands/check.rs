//! `racebook check [EX] [--all]`: build the learner's check, run it through cargo exactly as
//! `cargo test` in the exercise would (its report goes straight to the terminal), then read the
//! harness's machine-readable result, record it as progress and say what to do next.
//!
//! The build runs first on its own (`--no-run`), so a learner's file that does not compile is
//! told apart from a failing check: cargo's errors are shown as they are.

use crate::cargo::{self, Ended};
use crate::clock;
use crate::context::{Ctx, command};
use crate::manifest::Exercise;
use crate::state::{Progress, State};
use crate::summary;
use anyhow::{Result, bail};
use racebook_workbook::outcome::Outcome;
use std::io::Read;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

/// A cold build compiles the checkers; on 2 cores that takes minutes, never this long.
const BUILD_LIMIT: Duration = Duration::from_secs(20 * 60);
/// The harness bounds each engine's search by its own wall clock; this bounds the whole run.
const RUN_LIMIT: Duration = Duration::from_secs(10 * 60);

pub fn run(ctx: &Ctx, exercise: Option<&str>, all: bool) -> Result<bool> {
    if all {
        return run_all(ctx);
    }
    let ex = ctx.pick(exercise)?;
    if exercise.is_some() {
        ctx.set_current(ex.slug())?;
    }
    let progress = check(ctx, ex)?;
    say_next(ctx, ex, progress, false);
    Ok(progress == Progress::Green)
}

fn run_all(ctx: &Ctx) -> Result<bool> {
    let mut rows = Vec::new();
    for ex in &ctx.catalog.exercises {
        rows.push((ex.slug().to_string(), check(ctx, ex)?));
        println!();
    }
    println!("{:<24} status", "exercise");
    for (slug, p) in &rows {
        println!("{slug:<24} {}", p.label());
    }
    let green = rows.iter().filter(|(_, p)| *p == Progress::Green).count();
    println!("{green} of {} green", rows.len());
    Ok(green == rows.len())
}

/// The build of the learner's check alone (`racebook warm` runs the very same).
pub fn build_command(ctx: &Ctx, ex: &Exercise) -> std::process::Command {
    let mut build = cargo::command(&ctx.repo.root);
    build.args([
        "test",
        "-q",
        "-p",
        &ex.package,
        "--test",
        "exercise",
        "--no-run",
    ]);
    build
}

/// Where the harness writes the result of the learner's check.
pub fn result_file(ctx: &Ctx, ex: &Exercise) -> PathBuf {
    ctx.repo.results_dir(ex.slug()).join(format!(
        "{}.result.json",
        racebook_workbook::learner::LEARNER
    ))
}

/// Run the learner's check of `ex` and record the result. `Err` only when the check could not
/// run to its end (cargo missing, a time limit, a harness that wrote no result).
pub fn check(ctx: &Ctx, ex: &Exercise) -> Result<Progress> {
    let file = ctx.repo.shown(&ex.learner_file());
    println!("checking {} ({file})", ex.slug());
    let result = result_file(ctx, ex);
    // A result left from an earlier run must never pass for this one.
    let _ = std::fs::remove_file(&result);

    match cargo::run(&mut build_command(ctx, ex), BUILD_LIMIT, "still building")? {
        Ended::TimedOut => bail!(
            "building the check of {} took over {}; stopped",
            ex.slug(),
            cargo::minutes(BUILD_LIMIT)
        ),
        Ended::Exited(status) if !status.success() => {
            record(ctx, ex, Progress::DoesNotCompile, None)?;
            println!(
                "✗ {} does not compile: cargo's errors are above. Fix them in {file} and check again.",
                ex.slug()
            );
            return Ok(Progress::DoesNotCompile);
        }
        Ended::Exited(_) => {}
    }

    let mut test = cargo::command(&ctx.repo.root);
    test.args(["test", "-q", "-p", &ex.package, "--test", "exercise"])
        .stdout(Stdio::piped());
    let mut child = test.spawn()?;
    // The test runner's own lines ("running 1 test", ...) only matter when no result came.
    let mut stdout = child.stdout.take().expect("piped");
    let chatter = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let ended = cargo::wait(child, RUN_LIMIT, "still exploring schedules")?;
    let chatter = chatter.join().unwrap_or_default();
    if let Ended::TimedOut = ended {
        bail!(
            "the check of {} ran over {}; stopped",
            ex.slug(),
            cargo::minutes(RUN_LIMIT)
        );
    }
    let outcome = match read_outcome(&result) {
        Ok(o) => o,
        Err(why) => {
            print!("{chatter}");
            bail!(
                "the check of {} ended without a result ({why}); its output is above",
                ex.slug()
            );
        }
    };
    let progress = Progress::from_status(outcome.status);
    record(ctx, ex, progress, Some(outcome.clone()))?;
    verdict(ex, progress, &outcome);
    Ok(progress)
}

fn read_outcome(path: &std::path::Path) -> Result<Outcome, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn record(ctx: &Ctx, ex: &Exercise, progress: Progress, outcome: Option<Outcome>) -> Result<()> {
    State::update(&ctx.repo, |s| {
        s.exercise_mut(ex.slug())
            .record_check(progress, outcome, clock::now())
    })
}

fn verdict(ex: &Exercise, progress: Progress, o: &Outcome) {
    let slug = ex.slug();
    match progress {
        Progress::Green => println!("✓ {slug} is green: {}", summary::engines(&o.engines)),
        Progress::Red => println!(
            "✗ {slug} is red: {}",
            summary::failure(o).unwrap_or_else(|| "it failed".into())
        ),
        Progress::NotProved => println!(
            "? {slug} is not proved: nothing failed, but a search stopped at its budget ({})",
            summary::engines(&o.engines)
        ),
        Progress::Serialized => println!(
            "✗ {slug}: nothing failed, but the fix removed the concurrency the story needs (see above)"
        ),
        Progress::NotStarted | Progress::DoesNotCompile => {}
    }
}

/// The next steps after a check, as commands to copy (or, in `watch`, keys to press).
pub fn say_next(ctx: &Ctx, ex: &Exercise, progress: Progress, in_watch: bool) {
    let n = number(ex);
    let hint = if in_watch {
        "press h".to_string()
    } else {
        command(&format!("hint {n}"))
    };
    match progress {
        Progress::Green => {
            println!(
                "  see the reference fixes: {}",
                command(&format!("solution {n}"))
            );
            match ctx.catalog.after(ex.slug()) {
                Some(next) => println!(
                    "  next exercise: {} “{}”: {}",
                    next.slug(),
                    next.title(),
                    command(&format!("watch {}", number(next)))
                ),
                None => println!("  that was the last exercise: well done!"),
            }
        }
        Progress::Red => {
            println!(
                "  edit {} · a hint: {hint} · step through the failure: {}",
                ctx.repo.shown(&ex.learner_file()),
                command(&format!("viz {n}"))
            );
        }
        _ => println!(
            "  edit {} · a hint: {hint}",
            ctx.repo.shown(&ex.learner_file())
        ),
    }
}

/// The short name of an exercise: its number.
pub fn number(ex: &Exercise) -> &str {
    ex.slug().split_once('-').map_or(ex.slug(), |(n, _)| n)
}
