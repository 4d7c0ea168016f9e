//! What the player hands the page: plain data, serialised for the visualizer's script.

use crate::edges::EdgeKind;
use racebook_trace::StepId;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Summary {
    pub exercise: String,
    pub variant: String,
    pub steps: usize,
    pub threads: Vec<String>,
    /// `threads` or `tasks`: what the run's units are called.
    pub units: &'static str,
    pub objects: Vec<ObjectSummary>,
    pub schedule: String,
    pub engine: &'static str,
    pub preemptions: u32,
    pub found: Option<String>,
    pub failure: Option<FailureView>,
    pub conflict: Option<ConflictView>,
}

#[derive(Debug, Serialize)]
pub struct ObjectSummary {
    pub name: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailureView {
    /// The step at which the failure shows (0-based), if the trace says.
    pub step: Option<StepId>,
    pub title: String,
    pub details: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictView {
    pub kind: &'static str,
    pub label: &'static str,
    pub why: String,
    pub first: StepId,
    pub second: StepId,
    pub completes: Option<StepId>,
    pub ordered: bool,
}

#[derive(Debug, Serialize)]
pub struct Frame {
    pub position: usize,
    pub total: usize,
    pub current: Option<CurrentView>,
    /// The window of rows shown: steps `start..end`.
    pub start: usize,
    pub end: usize,
    pub rows: Vec<RowView>,
    pub bracket: Option<BracketView>,
    pub arrows: Vec<ArrowView>,
    pub objects: Vec<ObjectView>,
    pub temporaries: Vec<TemporaryView>,
    pub threads: Vec<ThreadView>,
    /// `threads` or `tasks`, for the panel's headings.
    pub units: &'static str,
    /// The failure has happened at or before this position.
    pub failure_shown: bool,
    /// Both steps of the conflicting pair (and the completing one) have run.
    pub conflict_shown: bool,
}

#[derive(Debug, Serialize)]
pub struct CurrentView {
    pub index: StepId,
    pub lane: u32,
    pub thread: String,
    pub text: String,
    pub at: String,
    /// One sentence for a screen reader's live region.
    pub sentence: String,
}

#[derive(Debug, Serialize)]
pub struct RowView {
    pub index: StepId,
    /// 1-based, as the terminal report numbers steps.
    pub number: u32,
    pub lane: u32,
    pub text: String,
    pub at: String,
    pub line: Option<String>,
    /// `past`, `current` or `future`.
    pub when: &'static str,
    /// `conflict`, `failure`: drawn with a symbol and a pattern, not colour alone.
    pub marks: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct BracketView {
    /// First and last step the bracket spans, clipped to the window.
    pub top: StepId,
    pub bottom: StepId,
    pub cut_top: bool,
    pub cut_bottom: bool,
    /// The steps it points at (first, second, and the completing step if any) in the window.
    pub points: Vec<StepId>,
    pub kind: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ArrowView {
    pub from: StepId,
    pub to: StepId,
    pub from_lane: u32,
    pub to_lane: u32,
    pub kind: EdgeKind,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ObjectView {
    pub name: String,
    pub kind: &'static str,
    pub value: Option<String>,
    /// Who holds it now, for locks; empty when free.
    pub holders: Vec<String>,
    /// Messages in flight, for channels.
    pub queue: Vec<String>,
    pub is_lock: bool,
    /// The current step touched this object.
    pub changed: bool,
}

#[derive(Debug, Serialize)]
pub struct TemporaryView {
    pub thread: String,
    pub object: String,
    pub value: String,
    /// 1-based step number of the read.
    pub read_at: u32,
    pub changed: bool,
}

#[derive(Debug, Serialize)]
pub struct ThreadView {
    pub name: String,
    /// `not started`, `running`, `finished`, or `blocked` once a deadlock is shown.
    pub status: &'static str,
    /// For a blocked thread: what it waits for, e.g. "waits for left, held by worker".
    pub waits: Option<String>,
    pub current: bool,
}

pub fn object_kind_name(kind: racebook_trace::ObjectKind) -> &'static str {
    use racebook_trace::ObjectKind as K;
    match kind {
        K::Mutex => "mutex",
        K::RwLock => "rwlock",
        K::Condvar => "condvar",
        K::Atomic => "atomic",
        K::Cell => "cell",
        K::Channel => "channel",
        K::AsyncMutex => "async mutex",
        K::Barrier => "barrier",
        K::Notify => "notify",
        K::Semaphore => "semaphore",
    }
}
