//! `racebook warm`: build, once and before the class, everything the class will run: each
//! exercise's check and tool exactly as `check` and `stress` build them (same packages, same
//! features, so cargo reuses the builds), and the book with its visualizer. Run it online after
//! `cargo fetch`; afterwards the first check of every exercise takes seconds and nothing needs
//! the network.

use crate::cargo::{self, Ended};
use crate::commands::check;
use crate::commands::viz::check_wasm_target;
use crate::context::Ctx;
use anyhow::Result;
use std::process::Command;
use std::time::{Duration, Instant};

/// A cold build of the checkers, or of the book and its wasm, on 2 cores.
const LIMIT: Duration = Duration::from_secs(30 * 60);

pub fn run(ctx: &Ctx, book: bool) -> Result<bool> {
    let mut steps: Vec<(String, Command)> = Vec::new();
    for ex in &ctx.catalog.exercises {
        steps.push((
            format!("{} check", ex.slug()),
            check::build_command(ctx, ex),
        ));
        let mut tool = cargo::command(&ctx.repo.root);
        tool.args([
            "build",
            "-q",
            "-p",
            &ex.package,
            "--example",
            &ex.tool_example(),
        ]);
        steps.push((format!("{} tool (stress)", ex.slug()), tool));
    }
    if book {
        check_wasm_target()?;
        let mut build = cargo::command(&ctx.repo.root);
        build.args(["xtask", "build"]);
        steps.push(("the book and its visualizer".to_string(), build));
    }
    let mut rows = Vec::new();
    for (what, mut cmd) in steps {
        println!("warming: {what}");
        let start = Instant::now();
        let ok = match cargo::run(&mut cmd, LIMIT, "still building")? {
            Ended::Exited(status) => status.success(),
            Ended::TimedOut => false,
        };
        rows.push((what, start.elapsed(), ok));
    }
    println!("\n{:<40} {:>8}  result", "build", "time");
    for (what, took, ok) in &rows {
        let result = if *ok { "ok" } else { "FAILED (see above)" };
        println!("{what:<40} {:>6.1} s  {result}", took.as_secs_f64());
    }
    let total: Duration = rows.iter().map(|r| r.1).sum();
    println!("{:<40} {:>6.1} s", "total", total.as_secs_f64());
    Ok(rows.iter().all(|r| r.2))
}
