//! How a run ended badly, what blocked, and the conflicting pair of steps: the trace's verdict
//! part, written by the harness and read by the report and the visualizer.

use super::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// A scenario's invariant did not hold.
    Invariant,
    /// The code under test panicked.
    Panic,
    /// Every live thread was blocked.
    Deadlock,
    /// Every live thread was blocked, and one of them waits for a wake that came before it
    /// began to wait.
    LostWakeup,
    /// Two threads take the same locks in opposite orders: no explored schedule needs to have
    /// deadlocked for this (lockdep's rule).
    LockOrder,
    /// Two unsynchronized accesses to a checked cell, at least one a write.
    DataRace,
    /// The scenario ran past the engine's step budget.
    NonTermination,
}

impl FailureKind {
    pub fn label(self) -> &'static str {
        match self {
            FailureKind::Invariant => "invariant broken",
            FailureKind::Panic => "panic",
            FailureKind::Deadlock => "deadlock",
            FailureKind::LostWakeup => "lost wakeup",
            FailureKind::LockOrder => "lock-order inversion",
            FailureKind::DataRace => "data race",
            FailureKind::NonTermination => "did not terminate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    /// The invariant in words, or for other kinds a short title.
    pub invariant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    /// The last step recorded before the failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<StepId>,
    /// The panic message or engine diagnosis, already in plain words.
    pub message: String,
    /// For a deadlock or a lost wakeup: who waits for what.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<Blocked>,
}

impl FailureKind {
    /// A run that stopped because threads could never go on: they are listed as blocked.
    pub fn is_stuck(self) -> bool {
        matches!(self, FailureKind::Deadlock | FailureKind::LostWakeup)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocked {
    pub thread: ThreadId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_for: Option<ObjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_by: Option<ThreadId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<SourceLoc>,
    /// The step where the wait began (`Op::Block`), for the waits that record one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<StepId>,
    /// For a join: the thread it waits for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_thread: Option<ThreadId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// No happens-before between the two accesses.
    DataRace,
    /// A thread read a value, another thread wrote it, and the first wrote back from its stale
    /// copy: the read and the write were in different critical sections.
    StaleRead,
    /// A write overwrote another thread's write that nobody had seen yet.
    LostWrite,
    /// A thread checked a value, another changed it, and the first acted on the stale check.
    CheckThenAct,
    /// Two accesses in an order the code did not expect.
    Order,
    /// A wake (`first`, a notify or unpark) came before the wait it was for began (`second`).
    LostWakeup,
    /// A thread began to wait (`first`); another changed what it waits for (`second`) and no
    /// notify followed.
    NoNotify,
    /// Two threads took the same two locks in opposite orders: `first` and `second` are the
    /// inner acquisitions of the two orders.
    LockOrder,
}

/// The pair of steps the failure comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub first: StepId,
    pub second: StepId,
    /// A later step that completes the damage, e.g. the write-back from a stale read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completes: Option<StepId>,
    /// Whether `first` happens-before `second`.
    pub ordered: bool,
    /// Why the failure happened, in words: `claims` rendered, one sentence or a few.
    pub why: String,
    /// The checked statements `why` is made of, the first one about the pair above. Traces
    /// written before claims existed have none; readers then show `why` alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<crate::claims::Claim>,
}
