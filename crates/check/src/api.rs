//! The harness's entry points for any crate's tests: [`check`], [`check_async`] and the
//! [`Check`] builder, which configure one check and run it.

use crate::Budgets;
use crate::checking::{self, Checked, Subject, Verdict};
use crate::concurrency::Concurrency;
use crate::report::Style;
use crate::scenario::{Body, Shape};
use crate::test_place::TestPlace;
use racebook_trace::EngineKind;
use std::future::Future;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Check a scenario that runs threads, with every default of [`Check::new`].
///
/// `scenario` builds its shared state, starts its threads through [`crate::thread`], and checks
/// what must hold with [`crate::invariant`]. The harness calls it once per schedule it
/// explores, so everything it shares must be built inside it.
///
/// Returns `Ok` when no explored schedule fails and every exhaustive search finished; the
/// report (red with the failing interleaving, or green with what was explored) goes to the
/// terminal even while the test harness captures output. Use it as a test's result (with
/// `#[test]` on the function):
///
/// ```no_run
/// use racebook_check::sync::{Arc, Mutex};
/// use racebook_check::{Failed, invariant, thread};
///
/// fn two_deposits_both_count() -> Result<(), Failed> {
///     racebook_check::check(|| {
///         let balance = Arc::new(Mutex::new(0));
///         let other = Arc::clone(&balance);
///         let depositor = thread::spawn(move || *other.lock() += 10);
///         *balance.lock() += 10;
///         depositor.join().unwrap();
///         invariant("both deposits count", 20, *balance.lock());
///     })
/// }
/// # let _ = two_deposits_both_count;
/// ```
#[track_caller]
pub fn check<F>(scenario: F) -> Result<(), Failed>
where
    F: Fn() + Send + Sync + 'static,
{
    Check::new().run(scenario)
}

/// Check an async scenario (tasks started with [`crate::task::spawn`]), with every default of
/// [`Check::new`]. It runs on shuttle's executor; loom has no task executor, and the report
/// says so.
#[track_caller]
pub fn check_async<F, Fut>(scenario: F) -> Result<(), Failed>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + 'static,
{
    Check::new().run_async(scenario)
}

/// An engine a check explores on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// shuttle: a randomized search (PCT) that measures how often the failure shows, then an
    /// exhaustive depth-first search. Its model is sequentially consistent: every atomic
    /// ordering behaves as `SeqCst`. Runs threads and async tasks.
    Shuttle,
    /// loom: an exhaustive search that also explores what the C11 memory model lets each load
    /// see, so it finds ordering bugs shuttle cannot. Runs threads only.
    Loom,
}

impl Engine {
    fn kind(self) -> EngineKind {
        match self {
            Engine::Shuttle => EngineKind::Shuttle,
            Engine::Loom => EngineKind::Loom,
        }
    }
}

/// One check, configured step by step, then run with [`Check::run`] or [`Check::run_async`].
///
/// ```no_run
/// # use racebook_check::{Check, Engine, Failed};
/// # fn scenario() {}
/// # fn t() -> Result<(), Failed> {
/// Check::new()
///     .engines(&[Engine::Shuttle, Engine::Loom])
///     .preemption_bound(2)
///     .seed(7)
///     .run(scenario)
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a check does nothing until it is run"]
pub struct Check {
    name: Option<String>,
    engines: Vec<Engine>,
    budgets: Budgets,
    seed: Option<u64>,
    concurrency: Option<Concurrency>,
    replaying: Vec<PathBuf>,
}

impl Default for Check {
    fn default() -> Self {
        Check::new()
    }
}

impl Check {
    /// A check with the defaults:
    /// - **name**: the running test's name (as `cargo test` prints it); outside a test, the
    ///   call's file and line. A test that runs several checks should [name](Check::name) them.
    /// - **engines**: shuttle and loom (loom is skipped, with its reason, for async scenarios).
    /// - **budgets**: [`Budgets::default`], each default documented there: PCT 1,000 schedules
    ///   of depth 3; DFS and loom 200,000 schedules or 20 s each, with no preemption bound;
    ///   20,000 steps per schedule; 60 s of wall clock per engine.
    /// - **seed**: 1, or the number in the `RACEBOOK_SEED` environment variable, so that CI can
    ///   sample fresh PCT schedules on every run. The report prints the seed it used.
    /// - **concurrency**: not checked (see [`Check::keeps_concurrent`]).
    pub fn new() -> Check {
        Check {
            name: None,
            engines: vec![Engine::Shuttle, Engine::Loom],
            budgets: Budgets::default(),
            seed: None,
            concurrency: None,
            replaying: Vec::new(),
        }
    }

    /// The name reports, trace files and stored schedules use for this check.
    pub fn name(mut self, name: impl Into<String>) -> Check {
        self.name = Some(name.into());
        self
    }

    /// The engines to explore on, in this order: each one runs until it finds a failure.
    /// Default: shuttle, then loom.
    pub fn engines(mut self, engines: &[Engine]) -> Check {
        self.engines = engines.to_vec();
        self
    }

    /// Every budget at once (see [`Budgets`] for each one and its default).
    pub fn budgets(mut self, budgets: Budgets) -> Check {
        self.budgets = budgets;
        self
    }

    /// Explore exhaustively only the schedules with at most `bound` preemptions (a switch away
    /// from a thread that could have gone on), on shuttle's DFS and on loom. For scenarios of
    /// three or more threads whose full space is out of reach; most bugs need one or two. The
    /// report states the bound next to every proof. Default: no bound.
    pub fn preemption_bound(mut self, bound: usize) -> Check {
        self.budgets.dfs_preemption_bound = Some(bound);
        self.budgets.loom_preemption_bound = Some(bound);
        self
    }

    /// The seed of the randomized search (PCT); the same seed explores the same schedules.
    /// Overrides `RACEBOOK_SEED`. Default: 1.
    pub fn seed(mut self, seed: u64) -> Check {
        self.seed = Some(seed);
        self
    }

    /// Require that the work marked with [`crate::work`]`(marker)` still runs on at least
    /// `min_threads` threads whose lifetimes overlap, never under a lock. A change that makes
    /// the race go away by running everything on one thread, or under one big lock, then fails
    /// the check with its own message. Checked on 16 random schedules after a green search.
    pub fn keeps_concurrent(mut self, marker: &'static str, min_threads: usize) -> Check {
        self.concurrency = Some(Concurrency {
            marker,
            min_threads,
        });
        self
    }

    /// Before exploring, replay every schedule stored for this check under `path`: a schedule
    /// file, or a folder of them, relative to the package's folder (where `cargo test` runs).
    /// The check fails at once if a stored failure comes back; schedules of other checks are
    /// skipped. This keeps a fixed bug fixed in CI: copy the schedule file a red report names
    /// into the repository and point the check at it. Default: none.
    pub fn replaying(mut self, path: impl Into<PathBuf>) -> Check {
        self.replaying.push(path.into());
        self
    }

    /// Check a scenario that runs threads (see [`check`]).
    #[track_caller]
    pub fn run<F>(self, scenario: F) -> Result<(), Failed>
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.go(Shape::Threads, Arc::new(scenario), Location::caller())
    }

    /// Check an async scenario (see [`check_async`]): each schedule runs `scenario()` to
    /// completion on the checker's executor.
    #[track_caller]
    pub fn run_async<F, Fut>(self, scenario: F) -> Result<(), Failed>
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        let body = move || crate::task::block_on(scenario());
        self.go(Shape::Async, Arc::new(body), Location::caller())
    }

    fn go(self, shape: Shape, body: Body, at: &'static Location<'static>) -> Result<(), Failed> {
        let place = TestPlace::new(at);
        let name = self.name.clone().unwrap_or_else(|| place.default_name());
        let mut budgets = self.budgets;
        budgets.seed = self.seed.or_else(seed_from_env).unwrap_or(budgets.seed);
        let engines: Vec<EngineKind> = self.engines.iter().map(|e| e.kind()).collect();
        let file = place.header(&name);
        let subject = Subject {
            suite: place.suite(),
            name: &name,
            file: &file,
            invariant: None,
            shape,
            body,
            budgets,
            engines: &engines,
            concurrency: self.concurrency,
            out_dir: place.out_dir(),
            place: &place,
        };
        if engines.is_empty() {
            return Err(Failed::new(
                "no engine to explore with: `Check::engines` was given an empty list".into(),
                None,
            ));
        }
        let style = Style::for_stderr();
        let checked = match checking::replay_request() {
            Some(file) => match checking::read_schedule(&subject, &file) {
                Err(unreadable) => *unreadable,
                Ok(stored) if stored.exercise == subject.suite && stored.variant == name => {
                    checking::replay(&subject, &stored, &file, style)
                }
                Ok(stored) => {
                    let note = format!(
                        "note: RACEBOOK_REPLAY holds a schedule of `{}` in {}; this check is `{name}`, so it explores as usual\n",
                        stored.variant, stored.exercise
                    );
                    let mut checked = checking::explore(&subject, style);
                    checked.report.insert_str(0, &note);
                    checked
                }
            },
            None => match crate::stored::replay_all(&subject, &self.replaying, style) {
                Ok(notes) => {
                    let mut checked = checking::explore(&subject, style);
                    checked.report.insert_str(0, &notes);
                    checked
                }
                Err(failed) => *failed,
            },
        };
        crate::terminal::say(&checked.report);
        result(checked, &name)
    }
}

fn seed_from_env() -> Option<u64> {
    std::env::var("RACEBOOK_SEED").ok()?.trim().parse().ok()
}

fn result(checked: Checked, name: &str) -> Result<(), Failed> {
    let summary = match checked.verdict {
        Verdict::Green | Verdict::Gone => return Ok(()),
        Verdict::Red if checked.search.explorations.is_empty() => {
            format!("{name}: the stored failure came back; the report above shows it")
        }
        Verdict::Red => format!("{name}: a schedule fails; the report above shows it"),
        Verdict::NotProved => format!(
            "{name}: not proved; a search stopped at its budget before it explored every schedule"
        ),
        Verdict::Serialized => {
            format!("{name}: nothing failed only because the concurrency is gone (see above)")
        }
        Verdict::ReplayError => format!("{name}: the schedule could not be replayed (see above)"),
    };
    Err(Failed::new(
        summary,
        Some((checked.trace, checked.schedule)),
    ))
}

/// Why a check is not green. Its `Debug` is one line (the test harness prints it after the
/// report), so a failing test shows the report and that line, with no panic and no backtrace.
pub struct Failed {
    summary: String,
    trace: Option<PathBuf>,
    schedule: Option<PathBuf>,
}

impl Failed {
    fn new(summary: String, files: Option<(Option<PathBuf>, Option<PathBuf>)>) -> Failed {
        let (trace, schedule) = files.unwrap_or_default();
        Failed {
            summary,
            trace,
            schedule,
        }
    }

    /// The failing run's trace (JSON, for the visualizer), when one was recorded.
    pub fn trace(&self) -> Option<&Path> {
        self.trace.as_deref()
    }

    /// The failing schedule, which `RACEBOOK_REPLAY` replays, when one was found.
    pub fn schedule(&self) -> Option<&Path> {
        self.schedule.as_deref()
    }
}

impl std::fmt::Debug for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary)
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary)
    }
}

impl std::error::Error for Failed {}
