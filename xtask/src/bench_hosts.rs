//! Chapter 05's network simulation in `cargo xtask bench`: per version of the service, how many
//! seeds a second the simulation runs (debug build), what share of seeds break the invariant,
//! and how many seeds it takes to hit the failure (`ex05-hosts --bench --json`).

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Deserialize)]
struct Row {
    variant: String,
    seeds: u64,
    failed: u64,
    errored: u64,
    first_failure: Option<u64>,
    /// Min / median / max of the gaps between failing seeds.
    seeds_to_failure: Option<[u64; 3]>,
    seeds_per_second: f64,
}

fn measure(root: &Path, seeds: usize) -> Result<Vec<Row>> {
    eprintln!("bench: 05-two-pods on a simulated network ({seeds} seeds per version)");
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "-q",
            "-p",
            "ex05-two-pods",
            "--example",
            "ex05-hosts",
        ])
        .args(["--", "--bench", "--json", "--seeds", &seeds.to_string()])
        .output()
        .context("running the network simulation's bench")?;
    if !out.status.success() {
        bail!(
            "the network simulation's bench failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("reading the network simulation's bench")
}

fn table(rows: &[Row]) -> String {
    let mut t = String::from(
        "\n05-two-pods on a simulated network (hosts and links; debug build; seeds 1..=N)\n",
    );
    let _ = writeln!(
        t,
        "{:<22} {:>11} {:>8} {:>9} {:>14}  {:<28}",
        "variant", "failed", "errored", "seeds/s", "first failure", "seeds to failure min/med/max"
    );
    for r in rows {
        let gaps = r
            .seeds_to_failure
            .map_or("never".into(), |[a, m, b]| format!("{a} / {m} / {b}"));
        let first = r
            .first_failure
            .map_or("none".into(), |s| format!("seed {s}"));
        let _ = writeln!(
            t,
            "{:<22} {:>11} {:>8} {:>9.1} {:>14}  {gaps}",
            r.variant,
            format!("{}/{}", r.failed, r.seeds),
            r.errored,
            r.seeds_per_second,
            first,
        );
    }
    t
}

/// Measure and return the table.
pub fn run(root: &Path, seeds: usize) -> Result<String> {
    Ok(table(&measure(root, seeds)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_that_never_fails_reads_never() {
        let rows: Vec<Row> = serde_json::from_str(
            r#"[{"variant":"broken","seeds":10,"failed":5,"errored":0,"first_failure":2,
                 "seeds_to_failure":[1,2,4],"seeds_per_second":40.0,"seconds":0.25},
                {"variant":"fixed","seeds":10,"failed":0,"errored":0,"first_failure":null,
                 "seeds_to_failure":null,"seeds_per_second":50.0,"seconds":0.2}]"#,
        )
        .unwrap();
        let t = table(&rows);
        assert!(
            t.contains("5/10") && t.contains("seed 2") && t.contains("1 / 2 / 4"),
            "{t}"
        );
        assert!(t.contains("none") && t.contains("never"), "{t}");
    }
}
