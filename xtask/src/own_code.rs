//! The test step for the harness on code that is not an exercise: the chapter's worked example
//! (`examples/own-code/`, a crate outside the workspace) must be red on its broken half with a
//! report whose every path and command is true for that crate, replay from the printed line,
//! and be green on its fixed half; then a crate copied elsewhere on disk must do the same
//! (`racebook-check`'s `elsewhere` test).

use crate::process;
use anyhow::{Context, Result, bail, ensure};
use racebook_booktest::captured::run::run_combined;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const EXAMPLE: &str = "examples/own-code";
const TARGET: &str = "stale_price";
const BROKEN: &str = "broken_cache_serves_new_prices";
const FIXED: &str = "fixed_cache_serves_new_prices";
const VERDICT: &str =
    "after an update, the cache serves the new price: expected Some(120), observed Some(100)";
const LIMIT: Duration = Duration::from_secs(30 * 60);

/// A command run in `dir` the way a shell started there runs it: `PWD` says where the reader
/// is, and the example's own build settings apply (no `CARGO_TARGET_DIR` from outside).
fn in_dir(dir: &Path, program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .env("PWD", dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RACEBOOK_REPLAY")
        .env_remove("RACEBOOK_SEED")
        .env("NO_COLOR", "1");
    command
}

/// Run and keep the output, whatever the exit status; `true` when it succeeded.
fn run(command: &mut Command) -> Result<(bool, String)> {
    let shown = process::shown(command);
    println!("$ {shown}");
    let finished = run_combined(command, LIMIT).with_context(|| format!("cannot run `{shown}`"))?;
    let output = String::from_utf8_lossy(&finished.output).into_owned();
    match finished.status {
        Some(status) => Ok((status.success(), output)),
        None => bail!(
            "`{shown}` did not finish within {} minutes",
            LIMIT.as_secs() / 60
        ),
    }
}

/// The text after `label` on the report line that starts with it.
fn report_line<'a>(output: &'a str, label: &str) -> Result<&'a str> {
    output
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .map(str::trim)
        .with_context(|| format!("the report has no `{}` line:\n{output}", label.trim()))
}

/// The red report of the broken half: names the example's own package, target, test and
/// files, and nothing of the workbook's.
fn check_red_report(dir: &Path, output: &str) -> Result<String> {
    ensure!(
        output.contains("✗ price-cache · tests/stale_price.rs:") && output.contains(VERDICT),
        "the broken half's report lacks its header or verdict:\n{output}"
    );
    for workbook in [
        "racebook-workbook",
        "exercise.rs",
        "--example",
        "-p ex0",
        "xtask",
    ] {
        ensure!(
            !output.contains(workbook),
            "the report names the workbook (`{workbook}`):\n{output}"
        );
    }
    let replay = report_line(output, "replay  ")?.to_string();
    let expected = format!("cargo test -p price-cache --test {TARGET} -- {BROKEN} --exact");
    ensure!(
        replay.starts_with("RACEBOOK_REPLAY=") && replay.ends_with(&expected),
        "the replay line is not `RACEBOOK_REPLAY=… {expected}`: {replay}"
    );
    let schedule = replay
        .strip_prefix("RACEBOOK_REPLAY=")
        .and_then(|r| r.split(' ').next())
        .unwrap_or_default();
    let trace = report_line(output, "trace   ")?;
    for file in [schedule, trace, "tests/stale_price.rs"] {
        ensure!(
            dir.join(file).is_file(),
            "the report names {file}, which does not exist from {}",
            dir.display()
        );
    }
    Ok(replay)
}

pub fn example_and_elsewhere(root: &Path) -> Result<()> {
    let dir: PathBuf = root.join(EXAMPLE);
    let cargo = crate::workspace::cargo();
    let cargo = cargo.to_string_lossy();

    let (ok, output) =
        run(in_dir(&dir, &cargo).args(["test", "--test", TARGET, "--", BROKEN, "--exact"]))?;
    ensure!(!ok, "the broken half passed; it must be red:\n{output}");
    let replay = check_red_report(&dir, &output)?;
    println!("red on the broken half; replay line: {replay}");

    let (ok, again) = run(in_dir(&dir, "sh").args(["-c", &replay]))?;
    ensure!(
        !ok && again.contains(VERDICT),
        "the printed replay line did not bring the same failure back:\n{again}"
    );
    println!("the printed replay line brings the same failure back");

    let (ok, output) =
        run(in_dir(&dir, &cargo).args(["test", "--test", TARGET, "--", FIXED, "--exact"]))?;
    ensure!(
        ok && output.contains("✓ price-cache · tests/stale_price.rs:")
            && output.contains("stored  1 schedule replayed, every failure gone"),
        "the fixed half is not green with its stored schedule replayed:\n{output}"
    );
    println!("green on the fixed half, its stored schedule replayed");

    // The broken half's schedule, replayed on the fixed half (the same scenario's name).
    let on_fix = replay.replace(BROKEN, FIXED);
    let (ok, output) = run(in_dir(&dir, "sh").args(["-c", &on_fix]))?;
    ensure!(
        ok && output.contains("the stored failure is gone"),
        "replaying the failing schedule on the fix did not say the failure is gone:\n{output}"
    );
    println!("the failing schedule replayed on the fix: the failure is gone, and the test passes");

    process::stream(in_dir(&dir, &cargo).args(["fmt", "--check"]), LIMIT)?;
    process::stream(
        in_dir(&dir, &cargo).args(["clippy", "--all-targets", "--", "-D", "warnings"]),
        LIMIT,
    )?;

    // A crate elsewhere on disk: its own test copies one and runs cargo there.
    let mut elsewhere = Command::new(crate::workspace::cargo());
    elsewhere
        .current_dir(root)
        .args(["test", "-p", "racebook-check", "--test", "elsewhere"]);
    process::stream(&mut elsewhere, LIMIT)
}
