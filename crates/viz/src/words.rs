//! Plain-words texts the visualizer shows: the conflict's bracket label, the failure sentence
//! and how the failure was found. Kept here so the page and the tests read the same words.

use racebook_trace::{Blocked, ConflictKind, Discovery, Failure, FailureKind, Trace};

/// The short label on the bracket that joins the conflicting pair.
pub fn conflict_label(kind: ConflictKind, on_lock: bool) -> &'static str {
    match kind {
        ConflictKind::DataRace => "no happens-before",
        ConflictKind::StaleRead if on_lock => "read under one lock, written under another",
        ConflictKind::StaleRead => "stale read written back",
        ConflictKind::LostWrite => "overwritten before anyone read it",
        ConflictKind::CheckThenAct => "checked, changed, then acted on",
        ConflictKind::Order => "an order the code does not expect",
        ConflictKind::LostWakeup => "notified before the wait began",
        ConflictKind::NoNotify => "changed, and never notified",
        ConflictKind::LockOrder => "the same locks in opposite orders",
    }
}

/// The label of a deadlock's conflict when a thread asked again for a lock it held.
pub const SELF_DEADLOCK_LABEL: &str = "a lock asked for again by the thread that holds it";

/// The conflict kind as the trace spells it, for CSS classes and tests.
pub fn conflict_kind_name(kind: ConflictKind) -> &'static str {
    match kind {
        ConflictKind::DataRace => "data_race",
        ConflictKind::StaleRead => "stale_read",
        ConflictKind::LostWrite => "lost_write",
        ConflictKind::CheckThenAct => "check_then_act",
        ConflictKind::Order => "order",
        ConflictKind::LostWakeup => "lost_wakeup",
        ConflictKind::NoNotify => "no_notify",
        ConflictKind::LockOrder => "lock_order",
    }
}

/// A one-line title for a failure: what broke. `units` is `threads` or `tasks`.
pub fn failure_title(failure: &Failure, units: &str) -> String {
    let unit = units.strip_suffix('s').unwrap_or(units);
    match failure.kind {
        FailureKind::Invariant => format!("The invariant broke: {}", failure.invariant),
        FailureKind::Panic => format!("A {unit} panicked: {}", failure.invariant),
        FailureKind::Deadlock => format!("Deadlock: every live {unit} was blocked"),
        FailureKind::LostWakeup => {
            format!("Lost wakeup: a {unit} waits for a wake that came before its wait")
        }
        FailureKind::LockOrder => {
            format!("Lock-order inversion: two {units} take the same locks in opposite orders")
        }
        FailureKind::DataRace => format!("Data race: {}", failure.invariant),
        FailureKind::NonTermination => format!("The run did not finish: {}", failure.invariant),
    }
}

/// What a blocked thread waits for, after `verb`: "<verb> for left, held by worker", each part
/// only when the trace knows it.
pub fn waiting_words(names: &Names<'_>, b: &Blocked, verb: &str) -> String {
    let mut s = String::new();
    if let Some(o) = b.waiting_for {
        s.push_str(&format!("{verb} for {}", names.object(o)));
    }
    if let Some(t) = b.held_by {
        s.push_str(&format!(", held by {}", names.thread(t)));
    }
    s
}

/// The failure in sentences: expected and observed values, the engine's message, who waits
/// for whom in a stuck run (`waits` puts one blocked thread's wait in words).
pub fn failure_details(
    trace_names: &Names<'_>,
    failure: &Failure,
    waits: &dyn Fn(&Blocked) -> String,
) -> Vec<String> {
    let mut lines = Vec::new();
    match (&failure.expected, &failure.observed) {
        (Some(e), Some(o)) => lines.push(format!("Expected {e}, but the run ended with {o}.")),
        (Some(e), None) => lines.push(format!("Expected {e}.")),
        (None, Some(o)) => lines.push(format!("Observed {o}.")),
        (None, None) => {}
    }
    // A message that only repeats the expected and observed values adds nothing.
    let repeats = |v: &Option<String>| {
        v.as_ref()
            .is_none_or(|v| failure.message.contains(v.as_str()))
    };
    let redundant = failure.expected.is_some()
        && repeats(&failure.expected)
        && repeats(&failure.observed)
        && failure.message.len()
            < 40 + failure.expected.as_ref().map_or(0, String::len)
                + failure.observed.as_ref().map_or(0, String::len);
    if !failure.message.trim().is_empty() && !redundant {
        lines.push(failure.message.clone());
    }
    for b in &failure.blocked {
        let mut s = format!(
            "{} is blocked: it {}",
            trace_names.thread(b.thread),
            waits(b)
        );
        if let Some(at) = &b.at {
            s.push_str(&format!(" ({})", at.short()));
        }
        s.push('.');
        lines.push(s);
    }
    lines
}

/// How an exploration found the failure, in one sentence.
pub fn discovery_sentence(found: &Discovery) -> String {
    let seed = found
        .seed
        .map(|s| format!(", seed {s}"))
        .unwrap_or_default();
    format!(
        "Found by {} ({}{seed}) at schedule {} of {}; {} of {} schedules failed.",
        found.engine.label(),
        found.strategy,
        found.first_failure_at,
        found.schedules,
        found.failing,
        found.schedules,
    )
}

/// Thread and object names by id, for a trace or a schedule tree alike.
pub struct Names<'a> {
    pub threads: Vec<&'a str>,
    pub objects: Vec<&'a str>,
}

impl<'a> Names<'a> {
    pub fn of_trace(trace: &'a Trace) -> Names<'a> {
        Names {
            threads: trace.threads.iter().map(|t| t.name.as_str()).collect(),
            objects: trace.objects.iter().map(|o| o.name.as_str()).collect(),
        }
    }

    pub fn thread(&self, id: u32) -> &'a str {
        self.threads.get(id as usize).copied().unwrap_or("?")
    }

    pub fn object(&self, id: u32) -> &'a str {
        self.objects.get(id as usize).copied().unwrap_or("?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use racebook_trace::{Blocked, EngineKind};

    #[test]
    fn labels_name_the_missing_order() {
        assert_eq!(
            conflict_label(ConflictKind::DataRace, false),
            "no happens-before"
        );
        assert_eq!(
            conflict_label(ConflictKind::StaleRead, true),
            "read under one lock, written under another"
        );
        assert_ne!(
            conflict_label(ConflictKind::StaleRead, false),
            conflict_label(ConflictKind::StaleRead, true)
        );
    }

    #[test]
    fn a_deadlock_says_who_waits_for_whom() {
        let names = Names {
            threads: vec!["main", "worker-0", "worker-1"],
            objects: vec!["left", "right"],
        };
        let failure = Failure {
            kind: FailureKind::Deadlock,
            invariant: "deadlock".into(),
            expected: None,
            observed: None,
            step: None,
            message: String::new(),
            blocked: vec![Blocked {
                thread: 1,
                waiting_for: Some(1),
                held_by: Some(2),
                at: None,
                since: None,
                for_thread: None,
            }],
        };
        assert_eq!(
            failure_details(&names, &failure, &|b| format!(
                "waits{}",
                waiting_words(&names, b, "")
            )),
            vec!["worker-0 is blocked: it waits for right, held by worker-1.".to_string()]
        );
        assert!(failure_title(&failure, "threads").starts_with("Deadlock"));
        assert_eq!(
            failure_title(&failure, "tasks"),
            "Deadlock: every live task was blocked"
        );
    }

    #[test]
    fn a_message_that_repeats_the_values_is_left_out() {
        let names = Names {
            threads: vec![],
            objects: vec![],
        };
        let mut failure = Failure {
            kind: FailureKind::Invariant,
            invariant: "counted once".into(),
            expected: Some("2".into()),
            observed: Some("1".into()),
            step: None,
            message: "expected 2, observed 1".into(),
            blocked: Vec::new(),
        };
        assert_eq!(
            failure_details(&names, &failure, &|_| String::new()),
            vec!["Expected 2, but the run ended with 1.".to_string()]
        );
        failure.message = "worker-1 lost worker-0's update".into();
        assert_eq!(
            failure_details(&names, &failure, &|_| String::new()).len(),
            2
        );
    }

    #[test]
    fn discovery_names_engine_and_counts() {
        let d = Discovery {
            engine: EngineKind::Shuttle,
            strategy: "pct".into(),
            seed: Some(7),
            first_failure_at: 3,
            schedules: 100,
            failing: 12,
            elapsed_micros: 5,
        };
        assert_eq!(
            discovery_sentence(&d),
            "Found by shuttle (pct, seed 7) at schedule 3 of 100; 12 of 100 schedules failed."
        );
    }
}
