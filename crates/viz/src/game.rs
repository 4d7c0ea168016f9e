//! "Play the scheduler": the reader walks a schedule tree by choosing which thread runs next.
//! Blocked threads cannot be chosen and say why; a failing leaf is a win; undo and reset move
//! back; the shortest failing schedule from here can be played for the reader. What has run so
//! far is shown with the player, on a trace made of the chosen edges' steps.

use crate::player::{Frame, Player};
use crate::words::{Names, failure_details, failure_title};
use racebook_trace::schedule::encode;
use racebook_trace::{
    EngineKind, Limits, NodeId, ScheduleRef, ScheduleTree, Step, TRACE_FORMAT, TRACE_VERSION,
    ThreadId, Trace, TreeNode, describe, find_conflict,
};
use serde::Serialize;

/// What a choice says when the thread would record no step before the next choice.
const QUIET_EDGE: &str = "nothing shared (it runs until it waits)";

pub struct Game {
    tree: ScheduleTree,
    /// The choices made from the root: the node and the index of the edge taken there.
    path: Vec<(NodeId, usize)>,
    /// A trace with the tree's threads and objects and no steps, to name things.
    names: Trace,
}

#[derive(Debug, Serialize)]
pub struct GameView {
    pub exercise: String,
    pub variant: String,
    pub invariant: String,
    pub schedules: u64,
    pub failing: u64,
    pub complete: bool,
    /// Every schedule passes: the page says so and every leaf is green.
    pub all_pass: bool,
    /// One sentence about the whole tree.
    pub verdict: String,
    /// Counts below the current node.
    pub here_schedules: u64,
    pub here_failing: u64,
    pub here_shortest: Option<u32>,
    pub choices: Vec<Choice>,
    pub moves: Vec<MoveView>,
    pub can_undo: bool,
    pub outcome: Option<OutcomeView>,
    /// The tree stops here without an outcome: the exporter ran out of budget.
    pub unexplored: bool,
    /// The run so far, as the player shows it.
    pub frame: Frame,
}

#[derive(Debug, Serialize)]
pub struct Choice {
    pub thread: ThreadId,
    pub name: String,
    pub enabled: bool,
    /// Why a blocked thread cannot run.
    pub reason: Option<String>,
    /// What the thread would do first.
    pub next: Option<String>,
    /// The button's accessible name.
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct MoveView {
    pub thread: String,
    pub steps: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OutcomeView {
    pub passed: bool,
    pub title: String,
    pub details: Vec<String>,
}

fn names_trace(tree: &ScheduleTree, steps: Vec<Step>) -> Trace {
    Trace {
        format: TRACE_FORMAT.to_string(),
        version: TRACE_VERSION,
        exercise: tree.exercise.clone(),
        variant: tree.variant.clone(),
        found: None,
        schedule: ScheduleRef {
            engine: EngineKind::Shuttle,
            encoded: String::new(),
            preemptions: 0,
            spurious_failure: None,
        },
        threads: tree.threads.clone(),
        objects: tree.objects.clone(),
        steps,
        failure: None,
        conflict: None,
    }
}

/// Steps renumbered from `first`, with a `reads_from` that would point forward dropped.
fn renumber(steps: impl IntoIterator<Item = Step>, first: usize) -> Vec<Step> {
    steps
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            let index = (first + i) as u32;
            s.index = index;
            s.reads_from = s.reads_from.filter(|&r| r < index);
            s
        })
        .collect()
}

impl Game {
    /// A game over a parsed tree. The parser checks the tree's own references; this also checks
    /// the steps on its edges and the failures at its leaves, which the player will index.
    pub fn new(tree: ScheduleTree) -> Result<Game, String> {
        let limits = Limits::default();
        let mut prelude = names_trace(&tree, renumber(tree.prelude.iter().cloned(), 0));
        prelude.steps.iter_mut().for_each(|s| s.reads_from = None);
        prelude
            .validate(&limits)
            .map_err(|e| format!("its prelude: {e}"))?;
        for (i, node) in tree.nodes.iter().enumerate() {
            for edge in &node.edges {
                let mut t = names_trace(&tree, renumber(edge.steps.iter().cloned(), 0));
                t.steps.iter_mut().for_each(|s| s.reads_from = None);
                t.validate(&limits).map_err(|e| format!("node {i}: {e}"))?;
            }
            if let Some(mut failure) = node.outcome.as_ref().and_then(|o| o.failure.clone()) {
                failure.step = None;
                let mut t = names_trace(&tree, Vec::new());
                t.failure = Some(failure);
                t.validate(&limits).map_err(|e| format!("node {i}: {e}"))?;
            }
        }
        let names = names_trace(&tree, Vec::new());
        Ok(Game {
            tree,
            path: Vec::new(),
            names,
        })
    }

    pub fn tree(&self) -> &ScheduleTree {
        &self.tree
    }

    pub fn current(&self) -> NodeId {
        self.path
            .last()
            .map_or(0, |&(n, e)| self.tree.nodes[n as usize].edges[e].child)
    }

    fn node(&self) -> &TreeNode {
        &self.tree.nodes[self.current() as usize]
    }

    /// Run `thread` next. Refused when it is blocked, finished, or not part of the scenario.
    pub fn choose(&mut self, thread: ThreadId) -> Result<(), String> {
        let node = self.node();
        if let Some(e) = node.edges.iter().position(|e| e.thread == thread) {
            self.path.push((self.current(), e));
            return Ok(());
        }
        let name = self.names.thread_name(thread).to_string();
        match node.blocked.iter().find(|b| b.thread == thread) {
            Some(b) => Err(format!("{name} cannot run: {}", b.reason)),
            None if node.outcome.is_some() => {
                Err("this schedule is over: undo or reset to try another".into())
            }
            None => Err(format!("{name} has nothing to run here")),
        }
    }

    pub fn undo(&mut self) -> bool {
        self.path.pop().is_some()
    }

    pub fn reset(&mut self) {
        self.path.clear();
    }

    /// The choices of a shortest path from the current node to a failing leaf.
    pub fn shortest_failure(&self) -> Option<Vec<ThreadId>> {
        let mut at = self.current();
        let mut choices = Vec::new();
        // Children have larger ids than parents, so this walk ends; the bound guards bad counts.
        for _ in 0..=self.tree.nodes.len() {
            let node = &self.tree.nodes[at as usize];
            if node.outcome.as_ref().is_some_and(|o| !o.passed) {
                return Some(choices);
            }
            let want = node.shortest_failure?.checked_sub(1)?;
            let edge = node
                .edges
                .iter()
                .find(|e| self.tree.nodes[e.child as usize].shortest_failure == Some(want))?;
            choices.push(edge.thread);
            at = edge.child;
        }
        None
    }

    /// Play the shortest failing schedule from here. Returns the choices made, or `None` (and
    /// changes nothing) when no failure is reachable from here.
    pub fn play_shortest_failure(&mut self) -> Option<Vec<ThreadId>> {
        let choices = self.shortest_failure()?;
        for &t in &choices {
            self.choose(t).ok()?;
        }
        Some(choices)
    }

    /// The run so far as a trace: the prelude every schedule shares, the chosen edges' steps,
    /// the failure at a failing leaf and the conflicting pair the trace model finds for it.
    pub fn trace_so_far(&self) -> Trace {
        let chosen = self
            .path
            .iter()
            .flat_map(|&(n, e)| self.tree.nodes[n as usize].edges[e].steps.iter().cloned());
        let steps: Vec<Step> = self.tree.prelude.iter().cloned().chain(chosen).collect();
        let mut trace = names_trace(&self.tree, renumber(steps, 0));
        let decisions: Vec<u32> = self
            .path
            .iter()
            .map(|&(n, e)| self.tree.nodes[n as usize].edges[e].thread)
            .collect();
        trace.schedule.encoded = encode(&decisions).unwrap_or_default();
        if let Some(mut failure) = self.node().outcome.as_ref().and_then(|o| o.failure.clone()) {
            let last = trace.steps.len().checked_sub(1).map(|s| s as u32);
            failure.step = failure.step.filter(|&s| Some(s) <= last).or(last);
            trace.failure = Some(failure);
            trace.conflict = find_conflict(&trace);
        }
        trace
    }

    fn verdict(&self) -> String {
        let t = &self.tree;
        let all = if t.complete { "" } else { "at least " };
        // Which schedules the tree holds: all of them, or those within a preemption bound.
        let scope = match t.preemption_bound {
            Some(1) => " with at most 1 preemption".to_string(),
            Some(b) => format!(" with at most {b} preemptions"),
            None => String::new(),
        };
        if t.failing == 0 && t.complete {
            format!(
                "Every one of the {} schedules{scope} passes: whichever thread you pick, the invariant holds.",
                t.schedules
            )
        } else if t.failing == 0 {
            format!(
                "None of the {} schedules{scope} explored fails; the exploration stopped at its budget, so \
                 this is not every schedule.",
                t.schedules
            )
        } else {
            format!(
                "{all}{} of {all}{} schedules{scope} break the invariant. Find one.",
                t.failing, t.schedules
            )
        }
    }

    pub fn view(&self, rows: usize) -> GameView {
        let node = self.node();
        let mut choices: Vec<Choice> = Vec::new();
        for th in &self.tree.threads {
            let edge = node.edges.iter().find(|e| e.thread == th.id);
            let blocked = node.blocked.iter().find(|b| b.thread == th.id);
            if edge.is_none() && blocked.is_none() {
                continue;
            }
            // An edge with no steps: the thread runs on without touching shared state, up to a
            // point where it waits (a join, say) and the scheduler chooses again.
            let next = edge.map(|e| {
                e.steps
                    .iter()
                    .find(|s| s.op != racebook_trace::Op::Start)
                    .or(e.steps.first())
                    .map_or(QUIET_EDGE.to_string(), |s| describe(&self.names, s))
            });
            let reason = blocked.filter(|_| edge.is_none()).map(|b| b.reason.clone());
            let label = match (&next, &reason) {
                (_, Some(r)) => format!("{} is blocked: {r}", th.name),
                (Some(n), None) => format!("Run {} next: {n}", th.name),
                (None, None) => format!("Run {} next", th.name),
            };
            choices.push(Choice {
                thread: th.id,
                name: th.name.clone(),
                enabled: edge.is_some(),
                reason,
                next,
                label,
            });
        }
        let moves = self
            .path
            .iter()
            .map(|&(n, e)| {
                let edge = &self.tree.nodes[n as usize].edges[e];
                MoveView {
                    thread: self.names.thread_name(edge.thread).to_string(),
                    steps: edge
                        .steps
                        .iter()
                        .map(|s| describe(&self.names, s))
                        .collect(),
                }
            })
            .collect();
        let trace = self.trace_so_far();
        let names = Names::of_trace(&trace);
        let outcome = node.outcome.as_ref().map(|o| match (&o.failure, o.passed) {
            (Some(f), false) => OutcomeView {
                passed: false,
                title: format!("You win: {}", failure_title(f, trace.units_word())),
                details: failure_details(&names, f, &|b| {
                    racebook_trace::wakeup::blocked_words(&trace, b)
                }),
            },
            (None, false) => OutcomeView {
                passed: false,
                title: "You win: this schedule fails".to_string(),
                details: Vec::new(),
            },
            (_, true) => OutcomeView {
                passed: true,
                title: "This schedule passes: the invariant held".to_string(),
                details: if self.tree.failing == 0 && self.tree.complete {
                    vec!["Every path through this fix ends like this one.".to_string()]
                } else {
                    vec!["Undo a few choices and try another order.".to_string()]
                },
            },
        });
        let steps = trace.steps.len();
        let frame = Player::new(trace).frame(steps, rows);
        GameView {
            exercise: self.tree.exercise.clone(),
            variant: self.tree.variant.clone(),
            invariant: self.tree.invariant.clone(),
            schedules: self.tree.schedules,
            failing: self.tree.failing,
            complete: self.tree.complete,
            all_pass: self.tree.failing == 0,
            verdict: self.verdict(),
            here_schedules: node.schedules,
            here_failing: node.failing,
            here_shortest: node.shortest_failure,
            choices,
            moves,
            can_undo: !self.path.is_empty(),
            unexplored: node.outcome.is_none() && node.edges.is_empty(),
            outcome,
            frame,
        }
    }
}

#[cfg(test)]
mod tests;
