//! The schedule tree: every schedule of a small scenario, merged by common prefix. A node is a
//! point where the scheduler chose a thread; an edge is one choice, carrying the steps that thread
//! performed until the next choice. It drives the visualizer's "play the scheduler" mode.

use crate::model::{Failure, ObjectInfo, Step, ThreadId, ThreadInfo};
use serde::{Deserialize, Serialize};

pub const TREE_FORMAT: &str = "racebook-schedule-tree";
pub const TREE_VERSION: u32 = 1;

pub type NodeId = u32;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleTree {
    pub format: String,
    pub version: u32,
    pub exercise: String,
    pub variant: String,
    /// The invariant the scenario checks, in words.
    pub invariant: String,
    pub threads: Vec<ThreadInfo>,
    pub objects: Vec<ObjectInfo>,
    /// Steps every schedule begins with, before the first real choice (the main thread setting
    /// up and spawning, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prelude: Vec<Step>,
    /// `nodes[0]` is the root; a child always has a larger id than its parent.
    pub nodes: Vec<TreeNode>,
    /// Complete schedules (leaves), and how many of them fail.
    pub schedules: u64,
    pub failing: u64,
    /// False when the exporter stopped at its budget: then the counts are lower bounds.
    pub complete: bool,
    /// The tree holds every schedule with at most this many preemptions (none: every schedule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemption_bound: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeNode {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<Edge>,
    /// Live threads that cannot run here, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<BlockedThread>,
    /// Set on leaves: how the schedule ending here turned out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Leaves below this node, and failing leaves below it.
    pub schedules: u64,
    pub failing: u64,
    /// The fewest further choices to a failing leaf, if there is one below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortest_failure: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub thread: ThreadId,
    pub child: NodeId,
    /// The steps the chosen thread performed before the next choice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockedThread {
    pub thread: ThreadId,
    /// E.g. "waits for counts, held by worker-1".
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub passed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

impl ScheduleTree {
    pub fn root(&self) -> &TreeNode {
        &self.nodes[0]
    }

    pub fn node(&self, id: NodeId) -> Option<&TreeNode> {
        self.nodes.get(id as usize)
    }

    /// The choices of a shortest path from `from` to a failing leaf, if any.
    pub fn shortest_failing_path(&self, from: NodeId) -> Option<Vec<ThreadId>> {
        let mut path = Vec::new();
        let mut at = self.node(from)?;
        at.shortest_failure?;
        while at.outcome.is_none() {
            let want = at.shortest_failure?.checked_sub(1)?;
            let edge = at
                .edges
                .iter()
                .find(|e| self.node(e.child).and_then(|c| c.shortest_failure) == Some(want))?;
            path.push(edge.thread);
            at = self.node(edge.child)?;
        }
        Some(path)
    }
}
