//! `racebook verify [EX...]`: the maintainers' proof, with the same code the root test suite
//! runs. Per exercise: its manifest is valid, `cargo test -p <package> --test verify` passes
//! (every broken version caught, every stored schedule replays, every fix proved), and the
//! learner's file is still the broken starting point (true on a pristine checkout only).

use crate::cargo::{self, Ended};
use crate::context::Ctx;
use crate::manifest::Exercise;
use anyhow::Result;
use std::time::{Duration, Instant};

/// Each exercise's proofs must finish in seconds once built; a cold build takes minutes.
const LIMIT: Duration = Duration::from_secs(30 * 60);

pub fn run(ctx: &Ctx, names: &[String]) -> Result<bool> {
    let exercises: Vec<&Exercise> = if names.is_empty() {
        ctx.catalog.exercises.iter().collect()
    } else {
        names
            .iter()
            .map(|n| ctx.catalog.resolve(n))
            .collect::<Result<_>>()?
    };
    let book_src = ctx.repo.root.join("src");
    let mut rows = Vec::new();
    for ex in exercises {
        let start = Instant::now();
        let mut problems = ex.problems(&book_src);
        println!(
            "verify {}: cargo test -p {} --test verify",
            ex.slug(),
            ex.package
        );
        let mut cmd = cargo::command(&ctx.repo.root);
        cmd.args(["test", "-q", "-p", &ex.package, "--test", "verify"]);
        match cargo::run(&mut cmd, LIMIT, "still verifying")? {
            Ended::Exited(s) if s.success() => {}
            Ended::Exited(s) => problems.push(format!("its verify tests failed ({s}); see above")),
            Ended::TimedOut => problems.push(format!(
                "its verify tests ran over {}",
                cargo::minutes(LIMIT)
            )),
        }
        if let Err(e) = racebook_workbook::verify::learner_pristine(&ex.dir) {
            problems.push(format!(
                "{e} (fine on a learner's tree; `verify` expects a pristine checkout)"
            ));
        }
        rows.push((ex.slug().to_string(), start.elapsed(), problems));
    }
    println!("\n{:<24} {:>8}  result", "exercise", "time");
    for (slug, took, problems) in &rows {
        let verdict = if problems.is_empty() {
            "ok".to_string()
        } else {
            format!("FAILED: {}", problems.join("; "))
        };
        println!("{slug:<24} {:>6.1} s  {verdict}", took.as_secs_f64());
    }
    let failed = rows.iter().filter(|r| !r.2.is_empty()).count();
    println!(
        "{} of {} exercises verified",
        rows.len() - failed,
        rows.len()
    );
    Ok(failed == 0)
}
