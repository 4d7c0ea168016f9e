//! The facade's cost in production code, in `cargo xtask bench`: uncontended operations on the
//! facade's types against std's, in a release build (`racebook-check`'s `facade-overhead`
//! example), printed as a table with the target (at most 1.1× std) checked per row.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// The facade may cost at most this multiple of std's own operation.
const TARGET: f64 = 1.1;

#[derive(Debug, Deserialize)]
struct Row {
    op: String,
    std_ns: f64,
    facade_ns: f64,
}

fn measure(root: &Path) -> Result<Vec<Row>> {
    eprintln!("bench: the facade against std (release build)");
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["run", "--release", "-q", "-p", "racebook-check"])
        .args(["--example", "facade-overhead", "--", "--json"])
        .output()
        .context("running the facade's benchmark")?;
    if !out.status.success() {
        bail!(
            "the facade's benchmark failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("reading the facade's benchmark")
}

/// The table, and how many rows miss the target.
fn table(rows: &[Row]) -> (String, usize) {
    let mut out = String::from(
        "\n## The facade in production code (release, one thread, uncontended; ns per call, median of 15 rounds)\n\n",
    );
    let _ = writeln!(
        out,
        "{:<28} {:>9} {:>9} {:>7}  target ≤{TARGET}×",
        "operation", "std", "facade", "ratio"
    );
    let mut missed = 0;
    for r in rows {
        let ratio = r.facade_ns / r.std_ns;
        let met = ratio <= TARGET;
        missed += usize::from(!met);
        let _ = writeln!(
            out,
            "{:<28} {:>9.2} {:>9.2} {:>6.2}×  {}",
            r.op,
            r.std_ns,
            r.facade_ns,
            ratio,
            if met { "met" } else { "MISSED" }
        );
    }
    (out, missed)
}

/// Measure and print. A missed target is printed, not hidden; the reasons are in DESIGN.md.
pub fn run(root: &Path) -> Result<()> {
    let (text, missed) = table(&measure(root)?);
    print!("{text}");
    if missed > 0 {
        println!(
            "{missed} operation(s) above {TARGET}× std: the facade checks per call which engine \
             its object belongs to (DESIGN.md, \"The facade in production\")."
        );
    }
    Ok(())
}
