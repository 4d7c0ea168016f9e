//! Depth-first search with sleep sets: every schedule of a scenario up to reorderings of
//! independent steps, each class of such reorderings run to the end once.
//!
//! A step of a task is what it does from one scheduling point to its next. Its footprint (see
//! `crate::por`) is taken from the facade operations the task recorded during the step, joined
//! with those of the task's step before that may take effect late: shuttle's scheduling point
//! comes before an operation, and the facade records atomics, lock acquisitions and cell
//! accesses just after it, but others (an unlock) just before that point, so the union covers
//! both sides. When a node's option `u` has been explored and the
//! search goes on with `t`, `u` sleeps below `t` as long as the steps taken are independent of
//! `u`'s: running `u` there would only reorder steps that commute, which the search already
//! ran. A node whose every option sleeps adds nothing: the execution stops there (a repeat,
//! counted apart). The soundness argument is in DESIGN.md ("Partial-order reduction").

use crate::por::{self, Footprint};
use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug)]
struct Level {
    /// The options not asleep here, the running task first.
    options: Vec<TaskId>,
    chosen: usize,
    /// Tasks asleep here, with the footprint of the step they would take.
    sleep: Vec<(TaskId, Footprint)>,
    /// Options explored here, with the footprint of the step each took.
    done: Vec<(TaskId, Footprint)>,
    /// The footprint of the chosen option's step, once it ended.
    taken: Option<Footprint>,
}

/// How many executions stopped early because every option slept (repeats of a class already
/// run), shared with the caller.
pub type Repeats = Arc<AtomicU64>;

#[derive(Debug)]
pub struct ReducedDfs {
    levels: Vec<Level>,
    pos: usize,
    started: bool,
    /// The task chosen last: its step is the one running.
    running: Option<TaskId>,
    /// What each task recorded during its step before the running one, of the operations
    /// whose effect may fall after the scheduling point (see `por::touch`).
    before: HashMap<TaskId, Footprint>,
    repeats: Repeats,
}

impl ReducedDfs {
    pub fn new(repeats: Repeats) -> ReducedDfs {
        ReducedDfs {
            levels: Vec::new(),
            pos: 0,
            started: false,
            running: None,
            before: HashMap::new(),
            repeats,
        }
    }

    /// End the running step: its footprint goes to the level that chose it.
    fn close_step(&mut self) {
        let (seen, carry) = por::take();
        let Some(task) = self.running.take() else {
            return;
        };
        let before = self.before.insert(task, carry).unwrap_or_default();
        let fp = before.union(&seen);
        if self.pos > 0 {
            let level = &mut self.levels[self.pos - 1];
            if level.options[level.chosen] == task {
                level.taken = Some(fp);
            }
        }
    }

    /// Move to the next unexplored option; false when there is none.
    fn advance(&mut self) -> bool {
        while let Some(level) = self.levels.last_mut() {
            let task = level.options[level.chosen];
            let fp = level.taken.take().unwrap_or_else(Footprint::unknown);
            level.done.push((task, fp));
            if level.chosen + 1 < level.options.len() {
                level.chosen += 1;
                return true;
            }
            self.levels.pop();
        }
        false
    }
}

impl Scheduler for ReducedDfs {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.started {
            self.close_step();
            if !self.advance() {
                return None;
            }
        }
        self.started = true;
        self.pos = 0;
        self.running = None;
        self.before.clear();
        por::new_execution();
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        self.close_step();
        if self.pos < self.levels.len() {
            let level = &self.levels[self.pos];
            self.pos += 1;
            let chosen = level.options[level.chosen];
            self.running = Some(chosen);
            return Some(chosen);
        }
        // Runnable tasks, and blocked ones the scheduler may wake spuriously.
        let mut ids: Vec<TaskId> = runnable.iter().map(|t| t.id()).collect();
        ids.sort();
        if let Some(c) = current.filter(|c| ids.contains(c) && !is_yielding) {
            ids.retain(|&t| t != c);
            ids.insert(0, c);
        }
        let sleep: Vec<(TaskId, Footprint)> = match self.levels.last() {
            Some(parent) => {
                let taken = parent.taken.clone().unwrap_or_else(Footprint::unknown);
                parent
                    .sleep
                    .iter()
                    .chain(parent.done.iter())
                    .filter(|(t, fp)| ids.contains(t) && fp.independent(&taken))
                    .cloned()
                    .collect()
            }
            None => Vec::new(),
        };
        let options: Vec<TaskId> = ids
            .into_iter()
            .filter(|t| !sleep.iter().any(|(s, _)| s == t))
            .collect();
        let Some(&first) = options.first() else {
            // Every option sleeps: whatever runs next only reorders independent steps of an
            // execution already run. Stop here.
            self.repeats.fetch_add(1, Ordering::Relaxed);
            return None;
        };
        self.levels.push(Level {
            options,
            chosen: 0,
            sleep,
            done: Vec::new(),
            taken: None,
        });
        self.pos += 1;
        self.running = Some(first);
        Some(first)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}
