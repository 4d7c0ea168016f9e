//! `cargo xtask fuzz`: a bounded libFuzzer run (cargo-fuzz) of the parsers the visualizer feeds
//! untrusted text to, `Trace::from_json` and `ScheduleTree::from_json`, each followed by the
//! player or the game over what it accepted. cargo-fuzz needs nightly features; on a stable
//! toolchain `RUSTC_BOOTSTRAP=1` allows them. cargo-fuzz itself is installed when missing.

use crate::workspace::cargo;
use crate::{paths, process};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The fuzz targets in `fuzz/fuzz_targets/`.
pub const TARGETS: [&str; 2] = ["trace_from_json", "tree_from_json"];
/// Room for building the targets (sanitizer builds from scratch) on top of the fuzzing time.
const BUILD_ALLOWANCE: Duration = Duration::from_secs(20 * 60);

/// Run every target for `seconds`, print one line each, and fail on a crash.
pub fn run(seconds: u64) -> Result<()> {
    let root = paths::root();
    ensure_cargo_fuzz()?;
    println!("{:<18} {:>12} {:>10}", "target", "inputs run", "seconds");
    for target in TARGETS {
        let executed = fuzz(&root, target, seconds)?;
        println!("{target:<18} {executed:>12} {seconds:>10}");
    }
    Ok(())
}

fn ensure_cargo_fuzz() -> Result<()> {
    let installed = Command::new(cargo())
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if installed {
        return Ok(());
    }
    println!("installing cargo-fuzz from crates.io (once)");
    process::quiet(
        Command::new(cargo()).args(["install", "cargo-fuzz", "--locked"]),
        Duration::from_secs(15 * 60),
    )
    .context("could not install cargo-fuzz; run `cargo install cargo-fuzz --locked`")?;
    Ok(())
}

/// One bounded run; the number of inputs libFuzzer executed.
fn fuzz(root: &Path, target: &str, seconds: u64) -> Result<u64> {
    // libFuzzer adds what it finds to the first folder; the demo fixtures seed both targets.
    let corpus = root.join("fuzz").join("corpus").join(target);
    std::fs::create_dir_all(&corpus)
        .with_context(|| format!("cannot create {}", corpus.display()))?;
    let seeds = root
        .join("web")
        .join("fixtures")
        .join("racebook")
        .join("demo");
    let mut command = Command::new(cargo());
    command
        .current_dir(root.join("fuzz"))
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["fuzz", "run", target])
        .arg(&corpus)
        .arg(&seeds)
        .args([
            "--",
            &format!("-max_total_time={seconds}"),
            "-print_final_stats=1",
            // The largest document worth mutating: the seeds are under 64 KiB.
            "-max_len=131072",
        ]);
    let limit = BUILD_ALLOWANCE + Duration::from_secs(seconds * 2);
    let output = process::quiet(&mut command, limit)
        .with_context(|| format!("fuzzing {target} found a problem or could not run"))?;
    executed_units(&output).with_context(|| {
        format!("libFuzzer printed no statistics for {target}; its output ended with:\n{output}")
    })
}

/// `stat::number_of_executed_units: 12345` from libFuzzer's final statistics.
fn executed_units(output: &str) -> Result<u64> {
    for line in output.lines() {
        if let Some(n) = line.trim().strip_prefix("stat::number_of_executed_units:") {
            return n.trim().parse().context("a count of executed inputs");
        }
    }
    bail!("no stat::number_of_executed_units line")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_executed_count_from_final_stats() {
        let out =
            "INFO: done\nstat::number_of_executed_units: 4242\nstat::average_exec_per_sec: 70\n";
        assert_eq!(executed_units(out).unwrap(), 4242);
        assert!(executed_units("crashed").is_err());
    }
}
