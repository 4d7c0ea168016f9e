//! `cargo xtask`: racebook's build plumbing. One module per command: `serve` (build the book and
//! serve it on 127.0.0.1 with rebuild on change), `build` (the book as a static folder), `test`
//! (the project's test command) and `capture` (regenerate the captured outputs the book shows).

mod bench;
mod bench_facade;
mod bench_hosts;
mod bench_reduction;
mod book;
mod book_code_blocks;
mod book_diagnostics;
mod book_includes;
mod book_output;
mod build;
mod capture;
mod digest;
mod exercise_assets;
mod http;
mod own_code;
mod paths;
mod prereqs;
mod process;
mod quiz;
mod serve;
mod test;
mod theme_template;
mod visualizer;
mod visualizer_fuzz;
mod visualizer_preview;
mod wasm;
mod watch;
mod workspace;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "racebook's build plumbing",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book and serve it on 127.0.0.1, rebuilding when src/, book.toml, exercises/ or
    /// web/ change. Ctrl-C stops it.
    Serve {
        /// Port to listen on; if it is taken, the next free one is used and printed.
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Build the book as a self-contained static folder that any static host can serve.
    Build {
        /// Where to write the book (default: book/ at the repository root).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run every test of the project: installs what the tests need, the workspace tests, the
    /// exercises' own checks (not the learner's red test), the book and its code blocks, the
    /// captured outputs, and the browser tests.
    Test {
        /// Run only the steps whose name contains this text (e.g. `own code`).
        #[arg(long)]
        step: Option<String>,
    },
    /// Regenerate every captured output listed in src/captured/captures.toml.
    Capture {
        /// Only these captures (by name); default: all of them.
        names: Vec<String>,
    },
    /// Every exercise's benchmark as tables: time and schedules to the first failure per engine
    /// over many seeds, the cost of recording a replay, the stress failure rate on real
    /// threads, the time to prove each fix, and the reduced search beside plain DFS, with the
    /// targets checked.
    Bench {
        /// Seeds per randomized engine.
        #[arg(long, default_value_t = 100)]
        seeds: usize,
        /// Seconds of stress on real threads per broken version.
        #[arg(long, default_value_t = 5.0)]
        stress_seconds: f64,
        /// Also regenerate the book's numbers page (src/appendix/why-stress-tests-miss.md).
        #[arg(long)]
        write_page: bool,
        /// Only the table of the reduced search beside plain DFS.
        #[arg(long, conflicts_with = "write_page")]
        reduction_only: bool,
        /// Only the table of chapter 05's network simulation (seeds per second, seeds to the
        /// failure), over `--seeds` seeds per version.
        #[arg(long, conflicts_with_all = ["write_page", "reduction_only"])]
        hosts_only: bool,
    },
    /// Fuzz the trace and schedule-tree parsers (cargo-fuzz, installed when missing) for a
    /// bounded time per target, and print how many inputs each ran.
    Fuzz {
        /// Seconds per target.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { port } => serve::run(port),
        Command::Build { out } => build::run(out),
        Command::Test { step } => test::run(step.as_deref()),
        Command::Capture { names } => capture::run(&names),
        Command::Bench {
            reduction_only: true,
            ..
        } => bench_reduction::table(&paths::root()).map(|t| print!("{t}")),
        Command::Bench {
            hosts_only: true,
            seeds,
            ..
        } => bench_hosts::run(&paths::root(), seeds).map(|t| print!("{t}")),
        Command::Bench {
            seeds,
            stress_seconds,
            write_page,
            ..
        } => bench::run(seeds, stress_seconds, write_page),
        Command::Fuzz { seconds } => visualizer_fuzz::run(seconds),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
