//! Every stored schedule of an exercise, replayed on every variant of that exercise (the
//! learner's file included), as `RACEBOOK_REPLAY` or the tool's `replay` would: each replay
//! ends within the wall budget with the same failure, a different failure named in plain
//! words, no failure, or a schedule the code can no longer take (both of those last say the
//! stored failure is gone), and no engine's own wording reaches the report. The figures go to the terminal.

use racebook_check::engines::FoundFailure;
use racebook_check::record::workspace_root;
use racebook_check::report::{Style, count};
use racebook_check::run::CapturedFailure;
use racebook_check::schedule_file::ScheduleFile;
use racebook_check::tracebuild::{ReplayProblem, record_trace};
use racebook_workbook::learner::replay_stored;
use racebook_workbook::{Role, verify};
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

/// Words of the engines' own that must never reach a learner.
const ENGINE_WORDS: &[&str] = &[
    "exploration state",
    "Is the model",
    "SHUTTLE_",
    "LOOM_",
    "loom::",
    "shuttle::",
    "panicked at",
    "RUST_BACKTRACE",
    "max_branches",
    "max_steps",
    "checkpoint",
];

#[derive(Default)]
struct Tally {
    replays: usize,
    same: usize,
    different: usize,
    none: usize,
    stale: usize,
    took: Duration,
}

#[test]
fn every_stored_schedule_replays_on_every_variant_within_the_budget_in_plain_words() {
    let style = Style {
        color: false,
        verbose: false,
    };
    let mut rows = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    let mut problems = Vec::new();
    let started = Instant::now();
    let mut files_total = 0;
    for make in racebook_corpus::exercises() {
        let ex = make();
        let dir = workspace_root().join("exercises").join(ex.slug);
        let files = verify::schedule_files(&dir);
        files_total += files.len();
        let mut tally = Tally::default();
        for file in &files {
            let stored = ScheduleFile::read(file).unwrap();
            let found = FoundFailure {
                schedule: stored.payload().unwrap(),
                preemptions: stored.preemptions,
                first_failure_at: 1,
                first_failure_after: Duration::ZERO,
                failure: CapturedFailure {
                    kind: stored.failure.kind,
                    invariant: stored.failure.invariant.clone(),
                    expected: stored.failure.expected.clone(),
                    observed: stored.failure.observed.clone(),
                    message: String::new(),
                    location: None,
                },
                spurious: stored.spurious,
            };
            for v in &ex.variants {
                // The learner's own result files stay as they are: the same code, another name.
                let mut v = *v;
                if v.role == Role::Learner {
                    v.name = "replay-test-exercise";
                }
                let case = format!(
                    "{} on {}",
                    file.file_name().unwrap().to_string_lossy(),
                    v.name
                );
                let t = Instant::now();
                let verdict =
                    record_trace(ex.slug, v.name, &v.scenario(), &found, None, &ex.budgets);
                let (_, text) = replay_stored(&ex, &v, file, &ex.budgets, style);
                let took = t.elapsed();
                tally.replays += 1;
                tally.took += took;
                if took > slowest.0 {
                    slowest = (took, format!("{}: {case}", ex.slug));
                }
                match &verdict {
                    Ok(_) => tally.same += 1,
                    Err(ReplayProblem::Stale) => tally.stale += 1,
                    Err(ReplayProblem::Different(None)) => tally.none += 1,
                    Err(ReplayProblem::Different(Some(_))) => tally.different += 1,
                }
                if v.name == stored.variant && verdict.is_err() {
                    problems.push(format!("{case}: its own variant did not fail the same way"));
                }
                if took > ex.budgets.wall * 2 {
                    problems.push(format!("{case}: took {took:?}, over two wall budgets"));
                }
                if let Some(w) = ENGINE_WORDS.iter().find(|w| text.contains(**w)) {
                    problems.push(format!("{case}: engine words `{w}` in:\n{text}"));
                }
                // A failure that is gone (the run ends cleanly, or the code can no longer take
                // the schedule) is green and says which; another failure is named.
                if let Err(p) = &verdict {
                    let says = match p {
                        ReplayProblem::Different(None) => "nothing fails".to_string(),
                        ReplayProblem::Stale => "cannot take that schedule any more".to_string(),
                        ReplayProblem::Different(Some(_)) => p.explain(),
                    };
                    if !text.contains(&says) {
                        problems.push(format!("{case}: the report does not say `{says}`:\n{text}"));
                    }
                }
            }
        }
        rows.push((ex.slug, files.len(), ex.variants.len(), tally));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nreplay cross product: {} stored schedules × the variants of their exercise, in {:.1} s; slowest {:.0} ms ({})\n",
        files_total,
        started.elapsed().as_secs_f64(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    let _ = writeln!(
        out,
        "{:<18} {:>9} {:>8} {:>7} {:>5} {:>9} {:>10} {:>5} {:>9}",
        "exercise",
        "schedules",
        "variants",
        "replays",
        "same",
        "different",
        "no failure",
        "stale",
        "time"
    );
    for (slug, files, variants, t) in &rows {
        let _ = writeln!(
            out,
            "{slug:<18} {files:>9} {variants:>8} {:>7} {:>5} {:>9} {:>10} {:>5} {:>6} ms",
            t.replays,
            t.same,
            t.different,
            t.none,
            t.stale,
            count(t.took.as_millis() as u64)
        );
    }
    let _ = std::io::stderr().write_all(out.as_bytes());
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
