//! Reading a trace from untrusted text: size limits first, then JSON, then the format and
//! version, then every cross-reference. A trace that passes can be rendered without a bounds
//! check failing anywhere downstream.

use crate::model::{TRACE_FORMAT, TRACE_VERSION, Trace};
use crate::tree::{ScheduleTree, TREE_FORMAT, TREE_VERSION};
use std::fmt;

/// Limits a reader enforces before it trusts a document.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_steps: usize,
    pub max_threads: usize,
    pub max_objects: usize,
    pub max_string: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_steps: 200_000,
            max_threads: 256,
            max_objects: 4096,
            max_string: 64 * 1024,
        }
    }
}

/// Why a document was refused, in words a reader can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceError {
    Empty,
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    Json(String),
    NotATrace {
        found: String,
    },
    WrongVersion {
        found: u32,
        supported: u32,
    },
    TooMany {
        what: &'static str,
        count: usize,
        limit: usize,
    },
    BadReference(String),
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceError::Empty => write!(f, "the trace is empty"),
            TraceError::TooLarge { bytes, limit } => write!(
                f,
                "the trace is {bytes} bytes, more than the {limit} bytes this reader accepts"
            ),
            TraceError::Json(e) => write!(f, "the trace is not valid JSON: {e}"),
            TraceError::NotATrace { found } => {
                write!(
                    f,
                    "this is not a racebook trace (its format field says {found:?})"
                )
            }
            TraceError::WrongVersion { found, supported } => write!(
                f,
                "this trace is version {found}, and this reader understands version {supported}; \
                 re-run the check with the same racebook version as the book"
            ),
            TraceError::TooMany { what, count, limit } => {
                write!(
                    f,
                    "the trace has {count} {what}, more than the limit of {limit}"
                )
            }
            TraceError::BadReference(what) => write!(f, "the trace is inconsistent: {what}"),
        }
    }
}

impl std::error::Error for TraceError {}

/// The format and version, read before the rest so that a newer or foreign document gets the
/// right error rather than a field-level JSON complaint.
#[derive(serde::Deserialize)]
struct Header {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    version: Option<u32>,
}

fn check_header(text: &str, limits: &Limits, format: &str, version: u32) -> Result<(), TraceError> {
    if text.trim().is_empty() {
        return Err(TraceError::Empty);
    }
    if text.len() > limits.max_bytes {
        return Err(TraceError::TooLarge {
            bytes: text.len(),
            limit: limits.max_bytes,
        });
    }
    let header: Header = serde_json::from_str(text).map_err(|e| TraceError::Json(e.to_string()))?;
    match header.format.as_deref() {
        Some(f) if f == format => {}
        other => {
            return Err(TraceError::NotATrace {
                found: other.unwrap_or("nothing").to_string(),
            });
        }
    }
    match header.version {
        Some(v) if v == version => Ok(()),
        Some(v) => Err(TraceError::WrongVersion {
            found: v,
            supported: version,
        }),
        None => Err(TraceError::NotATrace {
            found: format!("{format} without a version"),
        }),
    }
}

fn at_most(what: &'static str, count: usize, limit: usize) -> Result<(), TraceError> {
    if count > limit {
        Err(TraceError::TooMany { what, count, limit })
    } else {
        Ok(())
    }
}

fn bad(what: String) -> TraceError {
    TraceError::BadReference(what)
}

impl Trace {
    /// Parse and validate a trace with the default limits.
    pub fn from_json(text: &str) -> Result<Trace, TraceError> {
        Trace::from_json_with(text, &Limits::default())
    }

    pub fn from_json_with(text: &str, limits: &Limits) -> Result<Trace, TraceError> {
        check_header(text, limits, TRACE_FORMAT, TRACE_VERSION)?;
        let trace: Trace =
            serde_json::from_str(text).map_err(|e| TraceError::Json(e.to_string()))?;
        trace.validate(limits)?;
        Ok(trace)
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a trace always serializes")
    }

    /// Check every index the trace holds, so that readers can index without checking.
    pub fn validate(&self, limits: &Limits) -> Result<(), TraceError> {
        at_most("steps", self.steps.len(), limits.max_steps)?;
        at_most("threads", self.threads.len(), limits.max_threads)?;
        at_most("objects", self.objects.len(), limits.max_objects)?;
        let threads = self.threads.len() as u32;
        let objects = self.objects.len() as u32;
        let steps = self.steps.len() as u32;
        for (i, t) in self.threads.iter().enumerate() {
            if t.id != i as u32 {
                return Err(bad(format!("thread {i} says its id is {}", t.id)));
            }
            if t.parent.is_some_and(|p| p >= threads) {
                return Err(bad(format!("thread {i} has an unknown parent")));
            }
            at_most(
                "characters in a thread name",
                t.name.len(),
                limits.max_string,
            )?;
        }
        for (i, o) in self.objects.iter().enumerate() {
            if o.id != i as u32 {
                return Err(bad(format!("object {i} says its id is {}", o.id)));
            }
            at_most(
                "characters in an object name",
                o.name.len(),
                limits.max_string,
            )?;
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.index != i as u32 {
                return Err(bad(format!("step {i} says its index is {}", s.index)));
            }
            if s.thread >= threads {
                return Err(bad(format!(
                    "step {i} names thread {}, which does not exist",
                    s.thread
                )));
            }
            if s.object.is_some_and(|o| o >= objects) || s.locks_held.iter().any(|&o| o >= objects)
            {
                return Err(bad(format!("step {i} names an object that does not exist")));
            }
            if s.other_thread.is_some_and(|t| t >= threads) {
                return Err(bad(format!("step {i} names a thread that does not exist")));
            }
            if s.reads_from.is_some_and(|r| r >= i as u32) {
                return Err(bad(format!(
                    "step {i} reads from a step that comes after it"
                )));
            }
            let value_len = s.value.as_ref().map_or(0, String::len)
                + s.previous.as_ref().map_or(0, String::len);
            at_most(
                "characters in a step's values",
                value_len,
                limits.max_string,
            )?;
        }
        if let Some(f) = &self.failure {
            if f.step.is_some_and(|s| s >= steps) {
                return Err(bad(
                    "the failure points at a step that does not exist".into()
                ));
            }
            for b in &f.blocked {
                if b.thread >= threads || b.held_by.is_some_and(|t| t >= threads) {
                    return Err(bad("a blocked thread does not exist".into()));
                }
                if b.waiting_for.is_some_and(|o| o >= objects) {
                    return Err(bad(
                        "a blocked thread waits for an object that does not exist".into(),
                    ));
                }
            }
        }
        if let Some(c) = &self.conflict {
            let refs = [Some(c.first), Some(c.second), c.completes];
            if refs.into_iter().flatten().any(|s| s >= steps) {
                return Err(bad(
                    "the conflicting pair points at a step that does not exist".into(),
                ));
            }
            at_most("claims", c.claims.len(), 64)?;
            for claim in &c.claims {
                if claim.steps().iter().any(|&s| s >= steps)
                    || claim.objects().iter().any(|&o| o >= objects)
                    || claim.threads().iter().any(|&t| t >= threads)
                {
                    return Err(bad(
                        "a claim names a step, thread or object that does not exist".into(),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl ScheduleTree {
    pub fn from_json(text: &str) -> Result<ScheduleTree, TraceError> {
        let limits = Limits::default();
        check_header(text, &limits, TREE_FORMAT, TREE_VERSION)?;
        let tree: ScheduleTree =
            serde_json::from_str(text).map_err(|e| TraceError::Json(e.to_string()))?;
        tree.validate(&limits)?;
        Ok(tree)
    }

    pub fn validate(&self, limits: &Limits) -> Result<(), TraceError> {
        at_most("tree nodes", self.nodes.len(), limits.max_steps)?;
        at_most("threads", self.threads.len(), limits.max_threads)?;
        let threads = self.threads.len() as u32;
        let nodes = self.nodes.len() as u32;
        if nodes == 0 {
            return Err(bad("the schedule tree has no root".into()));
        }
        let objects = self.objects.len() as u32;
        let step_ok = |s: &crate::model::Step| {
            s.thread < threads
                && s.object.is_none_or(|o| o < objects)
                && s.other_thread.is_none_or(|t| t < threads)
                && s.locks_held.iter().all(|&o| o < objects)
        };
        if !self.prelude.iter().all(step_ok) {
            return Err(bad(
                "the tree's prelude names a thread or object that does not exist".into(),
            ));
        }
        for (i, n) in self.nodes.iter().enumerate() {
            if !n.edges.iter().flat_map(|e| &e.steps).all(step_ok) {
                return Err(bad(format!(
                    "node {i} has a step naming a thread or object that does not exist"
                )));
            }
            for e in &n.edges {
                if e.thread >= threads || e.child >= nodes || e.child <= i as u32 {
                    return Err(bad(format!(
                        "node {i} has an edge to a node or thread that does not exist"
                    )));
                }
            }
            if n.blocked.iter().any(|b| b.thread >= threads) {
                return Err(bad(format!("node {i} blocks a thread that does not exist")));
            }
        }
        Ok(())
    }
}
