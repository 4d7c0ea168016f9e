//! The learner's check: what `cargo test` in an exercise runs. Red prints the failing report and
//! keeps the trace and schedule under `target/racebook/<exercise>/`; green prints what was
//! explored. `RACEBOOK_REPLAY=<schedule file>` replays a stored schedule instead of searching.

use crate::exercise::{Exercise, Variant};
use crate::outcome::{Outcome, Status};
use racebook_check::Budgets;
use racebook_check::checking::{self, Checked, Place, Subject, Verdict};
use racebook_check::paths::racebook_dir;
use racebook_check::report::Style;
use racebook_check::terminal::{display_path, learner_dir, say};
use racebook_check::viewlink;
use racebook_trace::Trace;
use std::path::{Path, PathBuf};

/// The learner's file is the variant named `exercise`.
pub const LEARNER: &str = "exercise";

/// Where a variant's trace, schedule and result go.
pub fn out_path(ex: &Exercise, variant: &str, ext: &str) -> PathBuf {
    racebook_dir()
        .join(ex.slug)
        .join(format!("{variant}.{ext}"))
}

/// An exercise's variant as the harness's reports point at it.
struct Workbook<'a> {
    ex: &'a Exercise,
    variant: &'a Variant,
}

impl Place for Workbook<'_> {
    /// The learner replays through their own test (from the exercise's folder, plain `cargo
    /// test`; from anywhere else, that one test by name); other variants through the tool.
    fn replay_command(&self, schedule: &Path) -> String {
        let (ex, schedule) = (self.ex, display_path(schedule));
        if self.variant.name != LEARNER {
            return format!(
                "cargo run -q -p ex{} --example {} -- replay {schedule}",
                ex.slug,
                crate::exercise::tool_example(ex.slug)
            );
        }
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
    }

    fn view(&self, trace: &Trace, _trace_file: &Path) -> Option<String> {
        Some(viewlink::link(self.ex.slug, self.variant.name, trace))
    }
}

/// Check `variant` (or replay `stored` on it) through the harness's one path.
fn run(
    ex: &Exercise,
    variant: &Variant,
    budgets: &Budgets,
    style: Style,
    stored: Option<&Path>,
) -> Checked {
    let place = Workbook { ex, variant };
    let file = format!("{}.rs", variant.name);
    // Ask for every engine: one that cannot run this exercise (loom, for async code) is then
    // named in the report with its reason instead of being left out silently.
    let every = [
        racebook_trace::EngineKind::Shuttle,
        racebook_trace::EngineKind::Loom,
    ];
    let subject = Subject {
        suite: ex.slug,
        name: variant.name,
        file: &file,
        invariant: Some(ex.invariant),
        shape: ex.shape,
        body: variant.scenario(),
        budgets: *budgets,
        engines: &every,
        concurrency: ex.concurrency,
        out_dir: racebook_dir().join(ex.slug),
        place: &place,
    };
    let Some(stored) = stored else {
        return checking::explore(&subject, style);
    };
    match checking::read_schedule(&subject, stored) {
        Err(unreadable) => *unreadable,
        // Any variant's schedule replays on any variant of its own exercise: the learner
        // replays the broken version's stored schedules on their file.
        Ok(file) if file.exercise == ex.slug => checking::replay(&subject, &file, stored, style),
        Ok(file) => Checked::message(
            Verdict::ReplayError,
            format!(
                "✗ cannot replay {}: it is a schedule of {}, not of {}\n",
                display_path(stored),
                file.exercise,
                ex.slug
            ),
        ),
    }
}

/// Search `variant` and build its outcome and report text.
pub fn check_variant(
    ex: &Exercise,
    variant: &Variant,
    budgets: &Budgets,
    style: Style,
) -> (Outcome, String) {
    let (outcome, text, _) = check_variant_traced(ex, variant, budgets, style);
    (outcome, text)
}

/// `check_variant`, with the trace of the failure when there is one.
pub fn check_variant_traced(
    ex: &Exercise,
    variant: &Variant,
    budgets: &Budgets,
    style: Style,
) -> (Outcome, String, Option<Trace>) {
    let checked = run(ex, variant, budgets, style, None);
    let outcome = match (checked.verdict, &checked.failure) {
        (Verdict::Red, Some(f)) => Outcome::red(
            ex,
            variant,
            &checked.search,
            f,
            checked.trace.as_deref().map(display_path),
        ),
        (verdict, _) => {
            let status = match verdict {
                Verdict::Serialized => Status::Serialized,
                Verdict::NotProved => Status::NotProved,
                _ => Status::Green,
            };
            Outcome::finished(ex, variant, &checked.search, status)
        }
    };
    (outcome, checked.report, checked.recorded.map(|t| *t))
}

/// Replay a stored schedule on `variant` and report what happened: `true` when its failure is
/// gone.
pub fn replay_stored(
    ex: &Exercise,
    variant: &Variant,
    file: &Path,
    budgets: &Budgets,
    style: Style,
) -> (bool, String) {
    let checked = run(ex, variant, budgets, style, Some(file));
    (checked.verdict == Verdict::Gone, checked.report)
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
    if let Some(file) = checking::replay_request() {
        let checked = run(ex, variant, &ex.budgets, style, Some(&file));
        say(&checked.report);
        return match checked.verdict {
            Verdict::Gone => Ok(()),
            _ => Err(NotFixed(format!(
                "replayed {}: see the report above",
                display_path(&file)
            ))),
        };
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
