//! `racebook`: the learner's and the instructor's command. It finds the exercises of the
//! checkout it runs in (each folder under `exercises/` with a `racebook.toml`), runs their
//! checks through cargo, keeps progress in `.racebook/state.json`, and writes class reports.
//! With no arguments it shows the exercises and the progress.

use clap::{Parser, Subcommand};
use racebook::commands;
use racebook::context::Ctx;
use racebook::report::Format;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "racebook",
    version,
    about = "Work through racebook's race-condition exercises: check, watch, hints, solutions, class reports.",
    after_help = "An exercise is named by its folder (01-counter-map), its number (01 or 1) or its name (counter-map)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// How `viz` and `view` reach the served book.
#[derive(clap::Args)]
struct Serving {
    /// The port the book is served on (default 3000, or RACEBOOK_BOOK_URL).
    #[arg(long)]
    port: Option<u16>,
    /// Print the URL instead of opening a browser.
    #[arg(long)]
    no_browser: bool,
    /// Do not start `cargo xtask serve` when the book is not being served.
    #[arg(long)]
    no_serve: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Show every exercise with its status (not started / red / green), chapter and last result.
    List,
    /// Run an exercise's checks through the harness and print its report.
    Check {
        /// The exercise (default: the current one).
        exercise: Option<String>,
        /// Check every exercise, one after the other.
        #[arg(long, conflicts_with = "exercise")]
        all: bool,
    },
    /// Re-check the current exercise on every save. Keys: n next, h hint, l list, r reset
    /// (asks first), s solution, c check now, q quit.
    Watch {
        /// Start with this exercise (default: the current one).
        exercise: Option<String>,
        /// Stop after this many checks (for tests and demos).
        #[arg(long, hide = true)]
        max_checks: Option<u32>,
    },
    /// Reveal the next hint of an exercise; remembers how many you have seen.
    Hint {
        /// The exercise (default: the current one).
        exercise: Option<String>,
        /// Show again the hints already revealed, without revealing a new one.
        #[arg(long)]
        again: bool,
    },
    /// Restore an exercise's broken starting point, after backing up your file under .racebook/.
    Reset {
        /// The exercise to reset.
        #[arg(required_unless_present = "all")]
        exercise: Option<String>,
        /// Reset every exercise.
        #[arg(long, conflicts_with = "exercise")]
        all: bool,
    },
    /// Show the reference fix(es) of an exercise once it is green.
    Solution {
        /// The exercise (default: the current one).
        exercise: Option<String>,
        /// Show them even though the exercise is not green yet.
        #[arg(long)]
        force: bool,
    },
    /// Open your latest failing trace in the book's visualizer (or print its URL).
    Viz {
        /// The exercise (default: the current one).
        exercise: Option<String>,
        #[command(flatten)]
        serving: Serving,
    },
    /// Open any trace file in the visualizer, e.g. one a check in your own crate wrote (the
    /// report's `trace` line names it). Works from any folder.
    View {
        /// The trace file (`….trace.json`).
        file: PathBuf,
        #[command(flatten)]
        serving: Serving,
    },
    /// Run the broken version on real threads for a while: how often does the bug show?
    Stress {
        /// The exercise (default: the current one).
        exercise: Option<String>,
        /// The time budget in seconds.
        #[arg(long)]
        seconds: Option<u64>,
    },
    /// For maintainers: every broken version is caught, every stored schedule replays, every
    /// fix passes, every learner's file is still its broken starting point.
    Verify {
        /// Only these exercises (default: all).
        exercises: Vec<String>,
    },
    /// Build everything a class will run (each exercise's check and tool, and the book), once,
    /// before the event: afterwards nothing needs the network and first checks take seconds.
    Warm {
        /// Skip the book and its visualizer (which need the wasm32 target).
        #[arg(long)]
        no_book: bool,
    },
    /// Write your results for grading (JSON or JUnit), or merge a class's reports and answers.
    Report {
        /// Output format: json or junit for one learner; text or json for --merge.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The learner's name in the report (default: $USER).
        #[arg(long)]
        learner: Option<String>,
        /// Summarize a class: folders of learners' JSON reports, and readers' exported answers
        /// to the book's questions (files or folders), most-missed questions per chapter.
        #[arg(long, value_name = "PATH", num_args = 1..)]
        merge: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Run a command; `Ok(false)` is an expected "no" (a red check, a failed verification).
fn run(command: Option<Command>) -> anyhow::Result<bool> {
    // A class summary needs only the reports, not a checkout.
    if let Some(Command::Report {
        format, out, merge, ..
    }) = &command
        && !merge.is_empty()
    {
        return commands::report::merge(merge, *format, out.as_deref()).map(|()| true);
    }
    // Any trace, from any folder: it needs the checkout, not its exercises.
    if let Some(Command::View { file, serving }) = &command {
        return commands::view::run(file, serving.port, !serving.no_browser, !serving.no_serve);
    }
    let ctx = Ctx::new()?;
    match command {
        None => commands::list::run(&ctx, true).map(|()| true),
        Some(Command::List) => commands::list::run(&ctx, false).map(|()| true),
        Some(Command::Check { exercise, all }) => {
            commands::check::run(&ctx, exercise.as_deref(), all)
        }
        Some(Command::Watch {
            exercise,
            max_checks,
        }) => commands::watch::run(&ctx, exercise.as_deref(), max_checks).map(|()| true),
        Some(Command::Hint { exercise, again }) => {
            commands::hint::run(&ctx, exercise.as_deref(), again).map(|()| true)
        }
        Some(Command::Reset { exercise, all }) => {
            commands::reset::run(&ctx, exercise.as_deref(), all).map(|()| true)
        }
        Some(Command::Solution { exercise, force }) => {
            commands::solution::run(&ctx, exercise.as_deref(), force).map(|()| true)
        }
        Some(Command::Viz { exercise, serving }) => commands::viz::run(
            &ctx,
            exercise.as_deref(),
            serving.port,
            !serving.no_browser,
            !serving.no_serve,
        ),
        Some(Command::View { .. }) => unreachable!("handled before the checkout's exercises"),
        Some(Command::Stress { exercise, seconds }) => {
            commands::stress::run(&ctx, exercise.as_deref(), seconds)
        }
        Some(Command::Verify { exercises }) => commands::verify::run(&ctx, &exercises),
        Some(Command::Warm { no_book }) => commands::warm::run(&ctx, !no_book),
        Some(Command::Report {
            format,
            out,
            learner,
            merge: _,
        }) => commands::report::run(&ctx, format, out.as_deref(), learner).map(|()| true),
    }
}
