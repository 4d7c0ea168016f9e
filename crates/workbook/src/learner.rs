//! The learner's check: what `cargo test` in an exercise runs. Red prints the failing report and
//! keeps the trace and schedule under `target/racebook/<exercise>/`; green prints what was
//! explored. `RACEBOOK_REPLAY=<schedule file>` replays a stored schedule instead of searching.

use crate::exercise::{Exercise, Variant};
use crate::outcome::{Outcome, Status};
use racebook_check::Budgets;
use racebook_check::concurrency::{self, ConcurrencyCheck};
use racebook_check::engines::FoundFailure;
use racebook_check::paths::racebook_dir;
use racebook_check::report::{self, Pointers, Style};
use racebook_check::schedule_file::ScheduleFile;
use racebook_check::search::{self, Search};
use racebook_check::terminal::{display_path, learner_dir, say};
use racebook_check::tracebuild;
use racebook_check::viewlink;
use racebook_trace::{Discovery, Trace};
use std::path::{Path, PathBuf};

/// The learner's file is the variant named `exercise`.
pub const LEARNER: &str = "exercise";

fn discovery(search: &Search) -> Option<Discovery> {
    let shown = search.shown.as_ref()?;
    let e = &search.explorations[shown.discovered_by];
    Some(Discovery {
        engine: e.engine,
        strategy: e.strategy.clone(),
        seed: e.seed,
        first_failure_at: shown.found.first_failure_at,
        schedules: e.schedules,
        failing: e.failing,
        elapsed_micros: shown.found.first_failure_after.as_micros() as u64,
    })
}

/// Where a variant's trace, schedule and result go.
pub fn out_path(ex: &Exercise, variant: &str, ext: &str) -> PathBuf {
    racebook_dir()
        .join(ex.slug)
        .join(format!("{variant}.{ext}"))
}

/// Write the trace and schedule of a failure, and the report's pointers to them.
fn keep_failure(ex: &Exercise, variant: &Variant, trace: &Trace, found: &FoundFailure) -> Pointers {
    let trace_path = out_path(ex, variant.name, "trace.json");
    let schedule_path = out_path(ex, variant.name, "schedule.json");
    let _ = racebook_check::write_atomic(&trace_path, &trace.to_json_pretty());
    let file = ScheduleFile::new(
        ex.slug,
        variant.name,
        &found.schedule,
        trace.schedule.preemptions,
        found.spurious,
        &found.failure,
    );
    let _ = file.write(&schedule_path);
    let view = viewlink::link(ex.slug, variant.name, trace);
    let schedule = display_path(&schedule_path);
    // The learner replays through their own test (from the exercise's folder, plain `cargo
    // test`; from anywhere else, that one test by name); other variants through the tool.
    let replay = if variant.name == LEARNER {
        let exercise_dir = racebook_check::record::workspace_root()
            .join("exercises")
            .join(ex.slug);
        if learner_dir().is_some_and(|here| here == exercise_dir) {
            format!("RACEBOOK_REPLAY={schedule} cargo test")
        } else {
            format!(
                "RACEBOOK_REPLAY={schedule} cargo test -q -p ex{} --test exercise",
                ex.slug
            )
        }
    } else {
        format!(
            "cargo run -q -p ex{} --example {} -- replay {schedule}",
            ex.slug,
            crate::exercise::tool_example(ex.slug)
        )
    };
    Pointers {
        replay,
        trace_path: display_path(&trace_path),
        view: Some(view),
    }
}

/// Search `variant` and build its outcome and report text.
pub fn check_variant(
    ex: &Exercise,
    variant: &Variant,
    budgets: &Budgets,
    style: Style,
) -> (Outcome, String) {
    // Ask for every engine: one that cannot run this exercise (loom, for async code) is then
    // named in the report with its reason instead of being left out silently.
    let every = [
        racebook_trace::EngineKind::Shuttle,
        racebook_trace::EngineKind::Loom,
    ];
    let search = search::search(ex.shape, &variant.scenario(), budgets, &every);
    let file = format!("{}.rs", variant.name);
    if let Some(shown) = &search.shown {
        let found = shown.found.clone();
        return match tracebuild::record_trace(
            ex.slug,
            variant.name,
            &variant.scenario(),
            &found,
            discovery(&search),
            budgets,
        ) {
            Ok(trace) => {
                let pointers = keep_failure(ex, variant, &trace, &found);
                let text = report::failing(&trace, &search, &file, &pointers, style);
                (
                    Outcome::red(
                        ex,
                        variant,
                        &search,
                        &found.failure,
                        Some(pointers.trace_path),
                    ),
                    text,
                )
            }
            Err(problem) => {
                let text = format!(
                    "✗ {} · {file} · {}\n  {}\n  The failing run could not be replayed ({}): the code depends on \
                     something the checker does not control (time, randomness, or a std lock used instead of the \
                     racebook facade).\n",
                    ex.slug,
                    found.failure.kind.label(),
                    found.failure.message,
                    problem.explain()
                );
                (
                    Outcome::red(ex, variant, &search, &found.failure, None),
                    text,
                )
            }
        };
    }
    let conc: Option<ConcurrencyCheck> = ex
        .concurrency
        .map(|c| concurrency::check(&variant.scenario(), c, budgets.max_steps));
    let text = report::passing(ex.slug, ex.invariant, &file, &search, conc.as_ref(), style);
    let status = if conc.as_ref().is_some_and(|c| !c.ok()) {
        Status::Serialized
    } else if !search.exhaustive() {
        Status::NotProved
    } else {
        Status::Green
    };
    (Outcome::finished(ex, variant, &search, status), text)
}

/// Replay a stored schedule on the learner's file and report what happened.
pub fn replay_stored(
    ex: &Exercise,
    variant: &Variant,
    file: &Path,
    budgets: &Budgets,
    style: Style,
) -> (bool, String) {
    let stored = match ScheduleFile::read(file) {
        Ok(s) => s,
        Err(e) => return (false, format!("✗ cannot replay: {e}\n")),
    };
    let payload = match stored.payload() {
        Ok(p) => p,
        Err(e) => return (false, format!("✗ cannot replay {}: {e}\n", file.display())),
    };
    let failure = racebook_check::run::CapturedFailure {
        kind: stored.failure.kind,
        invariant: stored.failure.invariant.clone(),
        expected: stored.failure.expected.clone(),
        observed: stored.failure.observed.clone(),
        message: String::new(),
        location: None,
    };
    let found = FoundFailure {
        schedule: payload,
        preemptions: stored.preemptions,
        first_failure_at: 1,
        first_failure_after: std::time::Duration::ZERO,
        failure,
        spurious: stored.spurious,
    };
    match tracebuild::record_trace(
        ex.slug,
        variant.name,
        &variant.scenario(),
        &found,
        None,
        budgets,
    ) {
        Ok(trace) => {
            let pointers = keep_failure(ex, variant, &trace, &found);
            let search = Search::default();
            (
                false,
                report::failing(
                    &trace,
                    &search,
                    &format!("{}.rs", variant.name),
                    &pointers,
                    style,
                ),
            )
        }
        Err(problem) => (
            false,
            format!(
                "✗ replay of {}: {}\n",
                display_path(file),
                problem.explain()
            ),
        ),
    }
}

/// Why the learner's check is not green. Its `Debug` is the one line the test harness prints
/// after the report, so a failing check shows no panic and no backtrace.
pub struct NotFixed(String);

impl std::fmt::Debug for NotFixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The learner's test: `Ok` only when the learner's file is proved correct.
pub fn check(ex: &Exercise) -> Result<(), NotFixed> {
    let variant = ex
        .variant(LEARNER)
        .ok_or_else(|| NotFixed(format!("{} has no learner's file (`{LEARNER}`)", ex.slug)))?;
    let style = Style::for_stderr();
    if let Some(file) = std::env::var_os("RACEBOOK_REPLAY") {
        // A relative path is relative to where the learner typed it (see `learner_dir`).
        let file = match learner_dir() {
            Some(here) if Path::new(&file).is_relative() => here.join(&file),
            _ => PathBuf::from(&file),
        };
        let (_, text) = replay_stored(ex, variant, &file, &ex.budgets, style);
        say(&text);
        return Err(NotFixed(format!(
            "replayed {}: see the report above",
            display_path(&file)
        )));
    }
    let (outcome, text) = check_variant(ex, variant, &ex.budgets, style);
    say(&text);
    let _ = outcome.write(&out_path(ex, variant.name, "result.json"));
    match outcome.status {
        Status::Green => Ok(()),
        Status::Red => Err(NotFixed(format!(
            "{} is not fixed yet: the report above shows the failing interleaving",
            ex.slug
        ))),
        Status::NotProved => Err(NotFixed(format!(
            "{}: not proved; the report above says why",
            ex.slug
        ))),
        Status::Serialized => Err(NotFixed(format!(
            "{}: the fix removed the concurrency the story needs",
            ex.slug
        ))),
    }
}
