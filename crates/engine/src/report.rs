//! The terminal reports: the failing one (verdict, how it was found, the interleaving, why, one
//! replay command, the trace) and the passing one (what was explored, and how thoroughly).

use crate::concurrency::ConcurrencyCheck;
use crate::engines::Exploration;
use crate::search::{Depth, Search, Shown};
use racebook_trace::text::pad;
use racebook_trace::{EngineKind, FailureKind, Op, TimelineOptions, Trace, render_timeline};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::time::Duration;

mod proof;
use proof::{proved_despite, reduced_line};

/// How the report is printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
    pub verbose: bool,
}

impl Style {
    /// Colour only on a terminal, and never with `NO_COLOR`; every step with `RACEBOOK_VERBOSE`.
    pub fn for_stderr() -> Style {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let verbose = std::env::var_os("RACEBOOK_VERBOSE").is_some_and(|v| v != "0");
        Style { color, verbose }
    }

    /// `s` in the terminal colour `code` (an SGR code such as `1;32`), when colour is on.
    pub fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

pub fn duration(d: Duration) -> String {
    let us = d.as_micros();
    if us < 1_000 {
        format!("{us} µs")
    } else if us < 1_000_000 {
        format!("{:.1} ms", us as f64 / 1_000.0)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// `12,345`.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0%".into();
    }
    let p = part as f64 * 100.0 / whole as f64;
    if p >= 10.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// Where to find things the report points at.
#[derive(Debug, Clone)]
pub struct Pointers {
    pub replay: String,
    pub trace_path: String,
    pub view: Option<String>,
}

/// The failing report.
pub fn failing(
    trace: &Trace,
    search: &Search,
    file: &str,
    pointers: &Pointers,
    style: Style,
) -> String {
    let mut out = String::new();
    let f = trace
        .failure
        .as_ref()
        .expect("a failing trace has a failure");
    let head = format!("✗ {} · {file} · {}", trace.exercise, f.kind.label());
    let _ = writeln!(out, "{}", style.paint("1;31", &head));
    // A long diagnosis (a loop's words) heads the report with its first sentence only, and
    // comes whole under "why".
    let (headline, rest) = match f.message.split_once(". ") {
        Some((head, rest)) if f.kind == FailureKind::NonTermination => (head, Some(rest)),
        _ => (f.message.as_str(), None),
    };
    // A deadlock or a lost wakeup is named by the head line already; "no deadlock: …" under it
    // would read as if there were none.
    let verdict = match (&f.expected, &f.observed) {
        (Some(e), Some(o)) => format!("{}: expected {e}, observed {o}", f.invariant),
        _ if matches!(f.kind, FailureKind::Deadlock | FailureKind::LostWakeup) => {
            headline.to_string()
        }
        _ => format!("{}: {headline}", f.invariant),
    };
    let _ = writeln!(out, "  {}", style.paint("1", &verdict));
    out.push('\n');

    if let Some(shown) = &search.shown {
        let _ = writeln!(out, "found   {}", found_line(search, shown, Some(trace)));
        let p = trace.schedule.preemptions;
        let plural = if p == 1 { "" } else { "s" };
        let how = match shown.depth {
            _ if p == 0 => "the fewest possible".to_string(),
            Depth::Fewest { searched } => format!(
                "the fewest: none of the {} schedule{} with fewer breaks this invariant",
                count(searched),
                if searched == 1 { "" } else { "s" }
            ),
            Depth::FewestFound { searched } => format!(
                "the fewest found: the search for fewer stopped after {} schedule{}",
                count(searched),
                if searched == 1 { "" } else { "s" }
            ),
            Depth::AsRun => "as counted on the run shown; not minimised".into(),
        };
        let _ = writeln!(out, "depth   {p} preemption{plural} ({how})");
        out.push('\n');
    }

    let timeline = render_timeline(
        trace,
        TimelineOptions {
            verbose: style.verbose,
            color: style.color,
        },
    );
    out.push_str(&timeline);
    out.push('\n');

    if f.kind.is_stuck() {
        for b in &f.blocked {
            let at =
                b.at.as_ref()
                    .map(|a| format!(" at {}", a.short()))
                    .unwrap_or_default();
            let _ = writeln!(
                out,
                "blocked {} {}{at}",
                trace.thread_name(b.thread),
                racebook_trace::wakeup::blocked_words(trace, b)
            );
        }
    }
    if let Some(c) = &trace.conflict {
        let _ = writeln!(out, "why     {}", c.why);
        let mut marked: Vec<u32> = [Some(c.first), Some(c.second), c.completes]
            .into_iter()
            .flatten()
            .collect();
        // A pattern about one step (a lock taken twice) names it once.
        marked.dedup();
        for i in marked {
            let s = &trace.steps[i as usize];
            let text = s.at.text.clone().unwrap_or_default();
            let _ = writeln!(
                out,
                "        ◆ {:>3}  {}  {}  {}",
                i + 1,
                pad(trace.thread_name(s.thread), 10),
                pad(&s.at.short(), 14),
                racebook_trace::text::shorten(&text, 60)
            );
        }
    } else if !f.kind.is_stuck() {
        let _ = writeln!(out, "why     {}", rest.unwrap_or(&f.message));
    }
    if let Some(s) = trace.steps.iter().find(|s| s.op == Op::Sleep) {
        let _ = writeln!(
            out,
            "note    {} sleeps at {}: a sleep orders nothing. The checkers give time no meaning, \
             and on real threads it only makes this interleaving rarer, not impossible.",
            trace.thread_name(s.thread),
            s.at.short()
        );
    }
    out.push('\n');
    let _ = writeln!(out, "replay  {}", pointers.replay);
    let _ = writeln!(out, "trace   {}", pointers.trace_path);
    if let Some(v) = &pointers.view {
        let _ = writeln!(out, "view    {v}");
    }
    out
}

/// How the failure was found, in one line. When loom found what shuttle's sequentially
/// consistent model passed, the line says both.
pub fn found_line(search: &Search, shown: &Shown, trace: Option<&Trace>) -> String {
    let e = &search.explorations[shown.discovered_by];
    let at = format!(
        "at schedule {}, after {}",
        count(shown.found.first_failure_at),
        duration(shown.found.first_failure_after),
    );
    let passed: u64 = search.explorations[..shown.discovered_by]
        .iter()
        .filter(|x| x.engine == EngineKind::Shuttle && x.found.is_none())
        .map(|x| x.schedules)
        .sum();
    if e.engine == EngineKind::Loom && passed > 0 {
        // Why shuttle could not see it, when the trace shows why: a data race is a question
        // it does not ask, and a load that missed a store needs a weaker memory model.
        let stale_load = trace
            .and_then(|t| t.conflict.as_ref())
            .and_then(|c| c.claims.first())
            .is_some_and(|c| matches!(c, racebook_trace::Claim::StaleLoad { .. }));
        let why = if shown.found.failure.kind == FailureKind::DataRace {
            " (it does not check unsynchronized accesses to a cell)"
        } else if stale_load {
            " (its model is sequentially consistent)"
        } else {
            ""
        };
        return format!(
            "shuttle passed {} schedules{why}; loom found it {at}",
            count(passed)
        );
    }
    let seed = e.seed.map(|s| format!(" (seed {s})")).unwrap_or_default();
    let how = if e.sampled() {
        format!(
            "; {} of {} schedules failed ({})",
            count(e.failing),
            count(e.schedules),
            percent(e.failing, e.schedules)
        )
    } else {
        e.bound
            .as_ref()
            .map(|b| format!(" ({b})"))
            .unwrap_or_default()
    };
    // The lock-order check names itself; it is not one of the searches.
    let strategy = if e.sampled() || e.strategy.starts_with("lock-order") {
        e.strategy.clone()
    } else {
        format!("{} search", e.strategy)
    };
    format!("{} {strategy}{seed}: {at}{how}", e.engine.label())
}

fn exploration_row(e: &Exploration) -> String {
    let how = if e.sampled() {
        "sampled, not a proof".to_string()
    } else if e.undecided.is_some() {
        "not decided by its model".to_string()
    } else if e.exhaustive {
        match &e.bound {
            Some(b) => format!("exhaustive ({b})"),
            None => "exhaustive".to_string(),
        }
    } else {
        format!(
            "NOT exhaustive: stopped after {} schedules",
            count(e.schedules)
        )
    };
    let seed = e.seed.map(|s| format!(" seed {s}")).unwrap_or_default();
    format!(
        "  {} {} {} {} {}",
        pad(e.engine.label(), 8),
        pad(&format!("{}{seed}", e.strategy), 22),
        pad(&format!("{:>9} schedules", count(e.schedules)), 20),
        pad(&how, 38),
        duration(e.elapsed)
    )
}

/// The passing report (or the not-proved one, when a search stopped at its budget). `held` is
/// what held, e.g. `“every item is counted exactly once” holds`.
pub fn passing(
    exercise: &str,
    held: &str,
    file: &str,
    search: &Search,
    conc: Option<&ConcurrencyCheck>,
    style: Style,
) -> String {
    let mut out = String::new();
    let proved = search.exhaustive();
    let serialized = conc.is_some_and(|c| !c.ok());
    let head = if let Some(e) = search.undecided().filter(|_| !serialized) {
        style.paint(
            "1;33",
            &format!(
                "? {exercise} · {file} · not decided: {}'s model cannot decide this code",
                e.engine.label()
            ),
        )
    } else if serialized {
        style.paint(
            "1;31",
            &format!("✗ {exercise} · {file} · {held} only because the concurrency is gone"),
        )
    } else if proved {
        style.paint(
            "1;32",
            &format!("✓ {exercise} · {file} · {held} on every schedule explored"),
        )
    } else {
        style.paint(
            "1;33",
            &format!("? {exercise} · {file} · not proved: a search stopped at its budget"),
        )
    };
    let _ = writeln!(out, "{head}");
    for e in &search.explorations {
        let _ = writeln!(out, "{}", exploration_row(e));
    }
    for e in &search.explorations {
        let label = e.engine.label();
        if let Some(u) = &e.undecided {
            let _ = writeln!(out, "  {label}: not decided: {}.", u.why);
            if let Some(by) = &u.decided_by {
                let _ = writeln!(out, "  but {by}.");
            }
        }
        for note in &e.notes {
            let _ = writeln!(out, "  {label}: {note}.");
        }
    }
    for na in &search.not_applicable {
        let _ = writeln!(
            out,
            "  {} not applicable: {}",
            pad(na.engine.label(), 8),
            na.reason
        );
    }
    for e in &search.explorations {
        if let Some(line) = reduced_line(e) {
            let _ = writeln!(out, "{line}");
        }
    }
    if proved && let Some(line) = proved_despite(search) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(c) = conc {
        let _ = writeln!(out, "  concurrency: {}", c.summary());
    }
    out
}
