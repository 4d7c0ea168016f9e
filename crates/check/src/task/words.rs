//! A stuck async run in words. Every clause comes from the facade's bookkeeping (`world`) and
//! the primitives' own state, read at the moment the run got stuck, so each one holds by
//! construction: which task waits, on what and where, who holds it, and, when a lock was handed
//! to a future its own task no longer polls, that the task waits for itself.

use super::world::{Branch, Tid, World};
use crate::record::{self, Event};
use crate::run::{self, CapturedFailure};
use racebook_trace::{FailureKind, Op};
use std::panic::Location;

/// One wait in words.
pub(crate) struct Described {
    /// "lock (broken.rs:12), held by bg"
    pub words: String,
    /// The wait can only end through a future of the waiting task that the task no longer
    /// polls: the task waits for itself.
    pub self_wait: bool,
}

/// `file.rs:12`, as the report's table shows places.
pub(crate) fn place(at: &Location<'_>) -> String {
    let file = std::path::Path::new(at.file())
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(at.file());
    format!("{file}:{}", at.line())
}

/// Where a future was polled, for a clause about it: " inside `&mut future1`, a branch of the
/// select! at broken.rs:30 that chose `sleep(…)` instead".
pub(crate) fn branch_clause(world: &World, owner: Tid, branch: Option<Branch>) -> String {
    let Some(b) = branch else {
        return String::new();
    };
    let mut s = format!(
        " inside `{}`, a branch of the select! at {}",
        short(b.text),
        place(b.select_at)
    );
    if let Some((index, text)) = world.chosen(owner, b.select_at)
        && index != b.index
    {
        s.push_str(&format!(" that chose `{}` instead", short(text)));
    }
    s
}

fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    racebook_trace::text::shorten(&one_line, 40)
}

/// Whether some task waits, in its last poll, for task `t` to finish.
pub(crate) fn someone_joins(world: &World, t: Tid) -> bool {
    super::world::unfinished().into_iter().any(|other| {
        world
            .waits(other)
            .iter()
            .any(|w| w.target.joins() == Some(t))
    })
}

/// The stuck run, ready to be recorded and kept as the run's failure.
pub(crate) struct Report {
    words: String,
    at: &'static Location<'static>,
}

impl Report {
    /// Record the stop where the run hangs, freeze the recording there (as the program would
    /// hang), and keep the failure.
    pub fn record(self) {
        record::step(self.at, || {
            Event::new(Op::Panic).value(format!("deadlock: {}", self.words))
        });
        record::freeze();
        if let Some(ctx) = run::context() {
            ctx.fail(CapturedFailure {
                kind: FailureKind::Deadlock,
                invariant: "no deadlock".to_string(),
                expected: None,
                observed: None,
                message: self.words,
                location: None,
            });
        }
    }
}

/// Every unfinished task, what it waits for, and who holds that. A task that waits for itself
/// comes first: it is the cause; the others wait behind it.
pub(crate) fn stuck(world: &World, me: Tid, at: &'static Location<'static>) -> Report {
    let mut first = Vec::new();
    let mut rest = Vec::new();
    for t in super::world::unfinished() {
        if world.is_hidden(t) {
            continue;
        }
        let name = world.name(t);
        let waits = world.waits(t);
        if waits.is_empty() {
            rest.push(format!("{name} waits on nothing the checker tracks"));
            continue;
        }
        let described: Vec<Described> = waits
            .iter()
            .map(|w| w.target.describe(w.waiter, world))
            .collect();
        let self_wait = described.iter().any(|d| d.self_wait);
        let what: Vec<String> = described.into_iter().map(|d| d.words).collect();
        let clause = format!("{name} waits for {}", what.join(", or for "));
        if self_wait {
            first.push(clause);
        } else {
            rest.push(clause);
        }
    }
    first.extend(rest);
    let at = world.waits(me).first().map_or(at, |w| w.at);
    Report {
        words: first.join("; "),
        at,
    }
}
