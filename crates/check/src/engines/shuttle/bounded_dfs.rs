//! Depth-first search over schedules with a preemption bound. At each decision the task that
//! was running is tried first (no preemption), so schedules are met in order of how few
//! preemptions they need, and the first failure found has the bug's depth or close to it.
//! Iterative deepening over the bound (0, 1, 2, ...) gives the minimum exactly.

use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};

#[derive(Debug)]
struct Level {
    /// The tasks that may be chosen here, the running one first.
    options: Vec<TaskId>,
    chosen: usize,
    /// Whether choosing `options[i]` for i > 0 is a preemption.
    preempts: bool,
    /// Preemptions spent before this level.
    spent: usize,
}

#[derive(Debug)]
pub struct BoundedDfs {
    bound: usize,
    levels: Vec<Level>,
    pos: usize,
    started: bool,
}

impl BoundedDfs {
    pub fn new(bound: usize) -> BoundedDfs {
        BoundedDfs {
            bound,
            levels: Vec::new(),
            pos: 0,
            started: false,
        }
    }

    /// Move to the next unexplored schedule; false when there is none.
    fn advance(&mut self) -> bool {
        while let Some(level) = self.levels.last_mut() {
            if level.chosen + 1 < level.options.len() {
                level.chosen += 1;
                return true;
            }
            self.levels.pop();
        }
        false
    }
}

impl Scheduler for BoundedDfs {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.started && !self.advance() {
            return None;
        }
        self.started = true;
        self.pos = 0;
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        if self.pos < self.levels.len() {
            let level = &self.levels[self.pos];
            self.pos += 1;
            return Some(level.options[level.chosen]);
        }
        let spent = self
            .levels
            .last()
            .map_or(0, |l| l.spent + usize::from(l.preempts && l.chosen > 0));
        let mut ids: Vec<TaskId> = runnable.iter().map(|t| t.id()).collect();
        ids.sort();
        let running = current.filter(|c| ids.contains(c) && !is_yielding);
        let (options, preempts) = match running {
            Some(c) => {
                let mut options = vec![c];
                if spent < self.bound {
                    options.extend(ids.into_iter().filter(|&t| t != c));
                }
                (options, true)
            }
            None => (ids, false),
        };
        let first = *options.first()?;
        self.levels.push(Level {
            options,
            chosen: 0,
            preempts,
            spent,
        });
        self.pos += 1;
        Some(first)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}
