//! The trace: one recorded run of a scenario, step by step, as the harness writes it and the
//! visualizer and the terminal report read it. Serialized as versioned JSON (see the book's
//! appendix "The trace format"); field names are part of that contract.

use serde::{Deserialize, Serialize};

pub use crate::names::UnitKind;

mod failure;
pub use failure::*;

/// The value of `Trace::format`, so a stray JSON file is told apart from a trace.
pub const TRACE_FORMAT: &str = "racebook-trace";
/// Bumped on every change a reader of an older version could misread.
pub const TRACE_VERSION: u32 = 1;

/// Indexes into `Trace::threads`, `Trace::objects` and `Trace::steps`.
pub type ThreadId = u32;
pub type ObjectId = u32;
pub type StepId = u32;

/// One recorded run of one variant of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub format: String,
    pub version: u32,
    /// The exercise's directory name, e.g. `01-counter-map`.
    pub exercise: String,
    /// Which file of the exercise ran: `broken`, `exercise`, `fixed_lock`, ...
    pub variant: String,
    /// How the failure was found, when it was found by exploration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<Discovery>,
    /// The schedule this trace is a replay of.
    pub schedule: ScheduleRef,
    pub threads: Vec<ThreadInfo>,
    pub objects: Vec<ObjectInfo>,
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Conflict>,
}

/// The engines a scenario can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// Real OS threads, or a real multi-thread tokio runtime for async scenarios.
    Real,
    Shuttle,
    Loom,
}

impl EngineKind {
    pub fn label(self) -> &'static str {
        match self {
            EngineKind::Real => "real threads",
            EngineKind::Shuttle => "shuttle",
            EngineKind::Loom => "loom",
        }
    }
}

/// A schedule in the harness's own encoding (see `crate::schedule`), with the engine it is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleRef {
    pub engine: EngineKind,
    pub encoded: String,
    /// Context switches away from a thread that could have gone on: the bug's depth.
    pub preemptions: u32,
    /// The checker made the n-th weak compare-exchange of the run (counted from 1, in the
    /// order the run made them) fail spuriously, as the hardware may; replays do the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spurious_failure: Option<u32>,
}

/// How an exploration found the failure the trace replays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    pub engine: EngineKind,
    /// `random`, `pct`, `dfs`, `bounded-dfs`, `exhaustive`, ...
    pub strategy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The schedule number (1-based) at which the first failure appeared.
    pub first_failure_at: u64,
    /// Schedules tried in all, and how many of them failed.
    pub schedules: u64,
    pub failing: u64,
    pub elapsed_micros: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadInfo {
    pub id: ThreadId,
    /// The name the scenario gave it; when two threads share a name, each gets `#1`, `#2`, ...
    /// in the order they were spawned (see `given_name`).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spawned_at: Option<SourceLoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ThreadId>,
    /// An OS thread, or an async task. Traces written before this field are all threads.
    #[serde(default, skip_serializing_if = "UnitKind::is_thread")]
    pub kind: UnitKind,
    /// The scenario's own name, kept only when `name` had to be told apart from another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Mutex,
    RwLock,
    Condvar,
    Atomic,
    /// A checked cell: deliberately unsynchronized shared data.
    Cell,
    Channel,
    AsyncMutex,
    Barrier,
    /// An async notify (`task::Notify`).
    Notify,
    /// A counting semaphore (its permits are not a lock: several holders at once).
    Semaphore,
}

impl ObjectKind {
    /// Objects that a thread holds and releases: they appear in `Step::locks_held`.
    pub fn is_lock(self) -> bool {
        matches!(
            self,
            ObjectKind::Mutex | ObjectKind::RwLock | ObjectKind::AsyncMutex
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectInfo {
    pub id: ObjectId,
    /// The name the scenario gave it, never an address. When distinct objects share a name
    /// (a lock made on every call, say), each gets `#1`, `#2`, ... in the order they were made,
    /// so every reader tells them apart; `given_name` then keeps the scenario's name.
    pub name: String,
    pub kind: ObjectKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<SourceLoc>,
    /// The value it was created with, rendered with `Debug`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// The thread that made it, when the recording saw that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<ThreadId>,
}

/// A `select!` branch: where the select is, the branch's place in it (from 0), and its future
/// as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectBranch {
    pub select: SourceLoc,
    pub index: u32,
    pub future: String,
}

/// A place in the source: the file relative to the workspace root, and the line's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLoc {
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl SourceLoc {
    /// `broken.rs:12`: the file's name without its folders, and the line.
    pub fn short(&self) -> String {
        let name = self.file.rsplit(['/', '\\']).next().unwrap_or(&self.file);
        format!("{name}:{}", self.line)
    }
}

/// What a step does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The thread spawned `other_thread`.
    Spawn,
    /// The thread's first step.
    Start,
    /// The thread waited for `other_thread` to finish.
    Join,
    /// The thread's last step.
    Finish,
    Lock,
    Unlock,
    ReadLock,
    ReadUnlock,
    /// The thread began to wait: on `object` (a condvar, a channel, a barrier, an async notify),
    /// for `other_thread` to finish (a join), or, with neither, parked. `value` says which wait
    /// when the object alone does not (`recv` or `send` on a channel).
    Block,
    /// A wait ended: `value` says how (`notified`, `spurious`, `timed out`, `unparked`, ...),
    /// `woken_by` names the step that woke it when one did.
    Wait,
    /// `notify_one` (or an async notify's `notify_one`); `value` says whom it woke.
    Notify,
    /// `notify_all` (or an async notify's `notify_waiters`); `value` says whom it woke.
    NotifyAll,
    /// `other_thread`'s park token was made available; `value` says whether that woke it.
    Unpark,
    /// A `try_lock` that found the lock taken and returned without it.
    TryLockFailed,
    Load,
    Store,
    /// A read-modify-write (`fetch_add`, `swap`, a successful compare-exchange, ...).
    Rmw,
    /// A compare-exchange that failed: a load.
    CasFailed,
    /// A memory fence (`std::sync::atomic::fence`), with its ordering; no object.
    Fence,
    /// A checked cell read.
    Read,
    /// A checked cell write.
    Write,
    Send,
    Recv,
    Yield,
    /// A `sleep`: the harness treats time as nothing, so it orders nothing.
    Sleep,
    /// A scenario's own marker, e.g. the start of work that must run concurrently.
    Mark,
    Panic,
    /// A timer went off: under the checkers, the model's choice of when that happens.
    Fire,
    /// A `select!` chose a branch (`value` names it); the other branches' futures were dropped,
    /// or, when only borrowed, left unpolled.
    Select,
    /// A future was dropped before it finished, and with it what it held (`value` says what).
    Cancel,
    /// The thread aborted task `other_thread`.
    Abort,
}

impl Op {
    /// Taking a lock, shared or not.
    pub fn is_acquire(self) -> bool {
        matches!(self, Op::Lock | Op::ReadLock)
    }

    /// Operations that release something another thread may acquire.
    pub fn is_release(self) -> bool {
        matches!(
            self,
            Op::Unlock | Op::ReadUnlock | Op::Send | Op::Notify | Op::Spawn | Op::Finish
        )
    }
}

/// What a step did to shared data, for the analysis of conflicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    Write,
    ReadWrite,
}

impl Access {
    pub fn reads(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }
    pub fn writes(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }
}

/// Memory orderings of atomic steps, as in `std::sync::atomic::Ordering`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemOrder {
    Relaxed,
    Acquire,
    Release,
    AcqRel,
    SeqCst,
}

impl MemOrder {
    pub fn acquires(self) -> bool {
        matches!(
            self,
            MemOrder::Acquire | MemOrder::AcqRel | MemOrder::SeqCst
        )
    }
    pub fn releases(self) -> bool {
        matches!(
            self,
            MemOrder::Release | MemOrder::AcqRel | MemOrder::SeqCst
        )
    }
    pub fn label(self) -> &'static str {
        match self {
            MemOrder::Relaxed => "Relaxed",
            MemOrder::Acquire => "Acquire",
            MemOrder::Release => "Release",
            MemOrder::AcqRel => "AcqRel",
            MemOrder::SeqCst => "SeqCst",
        }
    }
}

/// One facade operation, in the order the run performed them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub index: StepId,
    pub thread: ThreadId,
    pub op: Op,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectId>,
    /// The value read, written or sent, or the value a lock guards when taken or released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For writes that replace a value: what was there before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordering: Option<MemOrder>,
    pub at: SourceLoc,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locks_held: Vec<ObjectId>,
    /// For a read of an atomic or cell: the step whose write it saw, where that is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads_from: Option<StepId>,
    /// For a read: it returned the value the object was created with, which no step wrote.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reads_initial: bool,
    /// `reads_from` (or `reads_initial`) is the harness's best guess, matched by value, and
    /// not the engine's own answer. Without it the source is exact: the latest write under
    /// sequential consistency, or the store loom's execution chose.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reads_from_guess: bool,
    /// For spawn and join: the other thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_thread: Option<ThreadId>,
    /// For the end of a wait (`Wait`, `Recv`, ...): the step that woke it (a notify, an unpark,
    /// a send), where one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub woken_by: Option<StepId>,
    /// The `select!` branch whose future was being polled when the step was made; for a
    /// `Select` step, the branch that won.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<SelectBranch>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
