//! `cargo xtask bench`'s table of the reduced search (issue 15): plain DFS's schedules beside
//! the reduced search's for every correct variant (reference fixes, catalogue variants that
//! hold, learner fixes), the reduced proof's median time in the debug build, and the targets:
//! where plain DFS needs more than 1,000 schedules the reduced search needs at least 10x fewer;
//! every proof within 2 s median; the re-fetch fix of 05 within 2 s. Rows of role `size` show
//! how the proof of 01's lock fix grows with 2 to 5 workers (no target).

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Deserialize)]
struct Row {
    variant: String,
    role: String,
    search: String,
    plain: u64,
    plain_exhaustive: bool,
    reduced: u64,
    repeats: u64,
    reduced_exhaustive: bool,
    median_millis: f64,
}

fn rows(root: &Path) -> Result<Vec<Row>> {
    eprintln!("bench: the reduced search beside plain DFS");
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "-q",
            "-p",
            "racebook-corpus",
            "--example",
            "reduction",
        ])
        .args(["--", "--json"])
        .output()
        .context("running the reduction bench")?;
    if !out.status.success() {
        bail!(
            "the reduction bench failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("reading the reduction bench")
}

fn schedules(n: u64, whole: bool) -> String {
    if whole {
        n.to_string()
    } else {
        format!(">{n}")
    }
}

/// The table and its targets, as text.
pub fn table(root: &Path) -> Result<String> {
    let rows = rows(root)?;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\nReduced search (sleep sets) beside plain DFS, correct variants, debug build; each \
         search within the exercise's budget (default 200,000 schedules or 20 s; `>N`: stopped \
         there after N)\n\
         {:<44} {:<10} {:>9} {:>9} {:>8} {:>7} {:>10}",
        "variant", "role", "plain DFS", "reduced", "repeats", "factor", "median"
    );
    let (mut slow, mut few, mut learner_ok) = (Vec::new(), Vec::new(), true);
    for r in &rows {
        let bounded = r.search != "reduced";
        let factor = r.plain as f64 / r.reduced.max(1) as f64;
        let _ = writeln!(
            t,
            "{:<44} {:<10} {:>9} {:>9} {:>8} {:>7} {:>8.0} ms{}",
            r.variant,
            r.role,
            schedules(r.plain, r.plain_exhaustive),
            schedules(r.reduced, r.reduced_exhaustive),
            r.repeats,
            if bounded {
                "-".to_string()
            } else {
                format!("{factor:.0}x")
            },
            r.median_millis,
            if bounded {
                format!("  ({} DFS, not reduced)", r.search)
            } else {
                String::new()
            }
        );
        // The scaling rows (01's lock fix with more workers) measure growth; no target.
        if r.role == "size" {
            continue;
        }
        if !bounded && r.plain > 1_000 && factor < 10.0 {
            few.push(r.variant.as_str());
        }
        if !r.reduced_exhaustive || r.median_millis > 2_000.0 {
            slow.push(r.variant.as_str());
            if r.role == "learner" {
                learner_ok = false;
            }
        }
    }
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    // The rows that miss, named.
    let which = |rows: &[&str]| match rows {
        [] => "met".to_string(),
        rows => format!("MISSED by {}", rows.join(", ")),
    };
    let _ = writeln!(
        t,
        "target: where plain DFS needs > 1,000 schedules, the reduced search needs >= 10x fewer \
         (preemption-bounded exercises excepted): {}\n\
         target: every correct variant proved exhaustively in <= 2 s median: {}\n\
         target: the learner fixes (05 re-fetch, 01 condvar wait loop) proved in <= 2 s: {}",
        which(&few),
        which(&slow),
        mark(learner_ok)
    );
    Ok(t)
}
