//! One check of a scenario, the single path that both the public [`crate::check`] API and the
//! workbook's learner check take: search the scenario on every engine asked for (or replay a
//! stored schedule), print the red report or the green summary, keep the trace and schedule
//! files, and say what happened.
//!
//! What differs between the two callers is only where things go and how the reader runs them
//! again ([`Place`]): a learner's exercise, or any crate's test.

use crate::Budgets;
use crate::concurrency::{self, Concurrency, ConcurrencyCheck};
use crate::engines::FoundFailure;
use crate::report::{self, Pointers, Style};
use crate::run::CapturedFailure;
use crate::scenario::{Body, Shape};
use crate::schedule_file::ScheduleFile;
use crate::search::{self, Search};
use crate::terminal::{display_path, learner_dir};
use crate::tracebuild::{self, ReplayProblem};
use racebook_trace::{Discovery, EngineKind, Trace};
use std::path::{Path, PathBuf};

/// Where a check's files go and how the reader gets back to them.
pub trait Place {
    /// The command that replays the stored `schedule` on this check.
    fn replay_command(&self, schedule: &Path) -> String;
    /// How to open the trace in the visualizer, when that can work from here.
    fn view(&self, trace: &Trace, trace_file: &Path) -> Option<String>;
    /// A path as the reader can type it.
    fn show(&self, path: &Path) -> String {
        display_path(path)
    }
}

/// What one check looks at.
pub struct Subject<'a> {
    /// The package or exercise: the first name in the report's header, and the schedule file's.
    pub suite: &'a str,
    /// The check within it (a test's name, or an exercise's variant).
    pub name: &'a str,
    /// The source the header names.
    pub file: &'a str,
    /// The invariant in words, when the caller knows it before running.
    pub invariant: Option<&'a str>,
    pub shape: Shape,
    pub body: Body,
    pub budgets: Budgets,
    pub engines: &'a [EngineKind],
    pub concurrency: Option<Concurrency>,
    /// `<name>.trace.json` and `<name>.schedule.json` are written here.
    pub out_dir: PathBuf,
    pub place: &'a dyn Place,
}

impl Subject<'_> {
    /// Where the file of `ext` (`trace.json`, `schedule.json`, ...) of this check goes.
    pub fn out_path(&self, ext: &str) -> PathBuf {
        self.out_dir.join(format!("{}.{ext}", file_safe(self.name)))
    }
}

/// A check's name as a file name: `tests::keeps_money` → `tests--keeps_money`.
pub fn file_safe(name: &str) -> String {
    name.replace("::", "--")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Proved within the stated bounds.
    Green,
    /// A failing schedule was found, or a replayed one failed again.
    Red,
    /// Nothing failed, but a search stopped at its budget.
    NotProved,
    /// Nothing failed because the work that must stay concurrent no longer is.
    Serialized,
    /// A replayed schedule no longer fails on this code.
    Gone,
    /// A stored schedule could not be read or replayed, or fails differently now.
    ReplayError,
}

/// What a check did, with the text it printed.
#[derive(Debug, Clone)]
pub struct Checked {
    pub verdict: Verdict,
    pub search: Search,
    pub failure: Option<CapturedFailure>,
    pub trace: Option<PathBuf>,
    /// The recorded trace of the failure shown, for tests that check its claims.
    pub recorded: Option<Box<racebook_trace::Trace>>,
    pub schedule: Option<PathBuf>,
    pub report: String,
}

impl Checked {
    /// A check that ran nothing and only has something to say.
    pub fn message(verdict: Verdict, report: String) -> Checked {
        Checked::unrecorded(verdict, Search::default(), None, report)
    }

    /// A check whose report has no recorded trace or stored schedule to point at.
    fn unrecorded(
        verdict: Verdict,
        search: Search,
        failure: Option<CapturedFailure>,
        report: String,
    ) -> Checked {
        Checked {
            verdict,
            search,
            failure,
            trace: None,
            recorded: None,
            schedule: None,
            report,
        }
    }
}

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

/// Record `found` on the subject, keep its trace and schedule, and print the failing report.
fn red(s: &Subject, search: Search, found: &FoundFailure, style: Style) -> Checked {
    let trace = tracebuild::record_trace(
        s.suite,
        s.name,
        &s.body,
        found,
        discovery(&search),
        &s.budgets,
    );
    let trace = match trace {
        Ok(trace) => trace,
        Err(problem) => {
            let report = format!(
                "✗ {} · {} · {}\n  {}\n  The search found this failure, but {} when it was run \
                 again on the same schedule. The code may depend on something the checker does not \
                 control: time, randomness, or a std lock used instead of the racebook facade.\n",
                s.suite,
                s.file,
                found.failure.kind.label(),
                found.failure.message,
                problem.what_happened()
            );
            return Checked::unrecorded(Verdict::Red, search, Some(found.failure.clone()), report);
        }
    };
    let trace_path = s.out_path("trace.json");
    let schedule_path = s.out_path("schedule.json");
    let _ = crate::write_atomic(&trace_path, &trace.to_json_pretty());
    let file = ScheduleFile::new(
        s.suite,
        s.name,
        &found.schedule,
        trace.schedule.preemptions,
        found.spurious,
        &found.failure,
    );
    let _ = file.write(&schedule_path);
    let pointers = Pointers {
        replay: s.place.replay_command(&schedule_path),
        trace_path: s.place.show(&trace_path),
        view: s.place.view(&trace, &trace_path),
    };
    let report = report::failing(&trace, &search, s.file, &pointers, style);
    Checked {
        verdict: Verdict::Red,
        search,
        failure: Some(found.failure.clone()),
        trace: Some(trace_path),
        recorded: Some(Box::new(trace)),
        schedule: Some(schedule_path),
        report,
    }
}

/// Search the subject on its engines and report.
pub fn explore(s: &Subject, style: Style) -> Checked {
    let search = search::search(s.shape, &s.body, &s.budgets, s.engines);
    if let Some(shown) = &search.shown {
        let found = shown.found.clone();
        return red(s, search, &found, style);
    }
    if let Some(inversion) = &search.inversion {
        // A lock-order cycle no single run showed both halves of: the words alone, with both
        // places. Code with an inversion is never green.
        let failure = CapturedFailure {
            kind: racebook_trace::FailureKind::LockOrder,
            invariant: crate::lockorder::INVARIANT.to_string(),
            expected: None,
            observed: None,
            message: inversion.words(),
            location: None,
        };
        let report = format!(
            "✗ {} · {} · {}\n  {}: {}\n",
            s.suite,
            s.file,
            failure.kind.label(),
            failure.invariant,
            failure.message
        );
        return Checked::unrecorded(Verdict::Red, search, Some(failure), report);
    }
    let conc: Option<ConcurrencyCheck> = s
        .concurrency
        .map(|c| concurrency::check(&s.body, c, s.budgets.max_steps));
    let invariants = match s.invariant {
        Some(i) => vec![i.to_string()],
        None => crate::invariant::named_in(&s.body, &s.budgets),
    };
    let report = report::passing(
        s.suite,
        &held(&invariants),
        s.file,
        &search,
        conc.as_ref(),
        style,
    );
    let verdict = if conc.as_ref().is_some_and(|c| !c.ok()) {
        Verdict::Serialized
    } else if !search.exhaustive() {
        Verdict::NotProved
    } else {
        Verdict::Green
    };
    Checked::unrecorded(verdict, search, None, report)
}

/// What a passing report says held: the invariants the scenario checks, or, when it checks
/// none, what the checkers look for by themselves.
fn held(invariants: &[String]) -> String {
    let quoted: Vec<String> = invariants.iter().map(|i| format!("“{i}”")).collect();
    match quoted.len() {
        0 => "no panic and no deadlock".to_string(),
        1 => format!("{} holds", quoted[0]),
        _ => format!("{} hold", quoted.join(" and ")),
    }
}

/// The schedule file `RACEBOOK_REPLAY` names, resolved from the reader's folder.
pub fn replay_request() -> Option<PathBuf> {
    let file = std::env::var_os("RACEBOOK_REPLAY").filter(|f| !f.is_empty())?;
    Some(match learner_dir() {
        Some(here) if Path::new(&file).is_relative() => here.join(&file),
        _ => PathBuf::from(&file),
    })
}

/// Read a stored schedule.
pub fn read_schedule(s: &Subject, file: &Path) -> Result<ScheduleFile, Box<Checked>> {
    ScheduleFile::read(file).map_err(|e| {
        Box::new(Checked::message(
            Verdict::ReplayError,
            format!("✗ {} · cannot replay: {e}\n", s.suite),
        ))
    })
}

/// Replay the stored schedule `stored` (read from `file`) on the subject: red when its failure
/// comes back, green words when it is gone.
pub fn replay(s: &Subject, stored: &ScheduleFile, file: &Path, style: Style) -> Checked {
    let shown = s.place.show(file);
    let payload = match stored.payload() {
        Ok(p) => p,
        Err(e) => {
            return Checked::message(
                Verdict::ReplayError,
                format!("✗ {} · cannot replay {shown}: {e}\n", s.suite),
            );
        }
    };
    let failure = CapturedFailure {
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
    let problem = match tracebuild::record_trace(s.suite, s.name, &s.body, &found, None, &s.budgets)
    {
        Ok(_) => return red(s, Search::default(), &found, style),
        Err(problem) => problem,
    };
    let was = match (&stored.failure.expected, &stored.failure.observed) {
        (Some(e), Some(o)) => format!("“{}”: expected {e}, observed {o}", stored.failure.invariant),
        _ => format!("“{}”", stored.failure.invariant),
    };
    let (verdict, head, why) = match &problem {
        ReplayProblem::Different(None) => (
            Verdict::Gone,
            "the stored failure is gone",
            format!("this code runs that schedule to the end and nothing fails (it failed {was})"),
        ),
        ReplayProblem::Stale => (
            Verdict::Gone,
            "the stored failure is gone",
            format!(
                "this code cannot take that schedule any more: a thread it picks cannot run at \
                 that point, so the interleaving that failed {was} no longer exists"
            ),
        ),
        other => (
            Verdict::ReplayError,
            "the stored schedule now fails differently",
            other.explain(),
        ),
    };
    let report = if verdict == Verdict::Gone {
        format!(
            "{}\n  replayed {shown}: {why}.\n  One schedule proves little: run the check without \
             RACEBOOK_REPLAY to explore every schedule.\n",
            style.paint("1;32", &format!("✓ {} · {} · {head}", s.suite, s.file)),
        )
    } else {
        format!(
            "{}\n  replayed {shown}: {why}\n",
            style.paint("1;31", &format!("✗ {} · {} · {head}", s.suite, s.file)),
        )
    };
    Checked::message(verdict, report)
}
