//! `racebook stress [EX] [--seconds N]`: the heisenbug demo. The exercise's tool runs the broken
//! version on real threads (or a real tokio runtime) within the budget, with a progress bar, and
//! prints the failure rate next to the harness's deterministic time to first failure.

use crate::cargo::{self, Ended};
use crate::context::Ctx;
use anyhow::{Result, bail};
use std::time::Duration;

pub fn run(ctx: &Ctx, exercise: Option<&str>, seconds: Option<u64>) -> Result<bool> {
    let ex = ctx.pick(exercise)?;
    if seconds == Some(0) {
        bail!("--seconds must be at least 1");
    }
    let mut cmd = cargo::command(&ctx.repo.root);
    cmd.args([
        "run",
        "-q",
        "-p",
        &ex.package,
        "--example",
        &ex.tool_example(),
        "--",
        "stress",
    ]);
    if let Some(s) = seconds {
        cmd.args(["--seconds", &s.to_string()]);
    }
    println!("stress: {} on real threads, then the harness", ex.slug());
    // The build, the budget, and the harness's own search, with room to spare.
    let limit = Duration::from_secs(20 * 60 + seconds.unwrap_or(5) * 2);
    // The tool draws its own progress bar.
    match cargo::run(&mut cmd, limit, "")? {
        Ended::Exited(status) => Ok(status.success()),
        Ended::TimedOut => bail!(
            "the stress run took over {}; stopped",
            cargo::minutes(limit)
        ),
    }
}
