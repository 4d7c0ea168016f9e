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
    /// What choosing each option costs against the bound: a preemption, or a spurious wakeup.
    costs: Vec<usize>,
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
            .map_or(0, |l| l.spent + l.costs[l.chosen]);
        // Tasks that can run, and blocked tasks the scheduler may wake spuriously: waking one
        // costs as much as a preemption, so that the shallowest schedule needs the fewest.
        let mut ids: Vec<TaskId> = runnable
            .iter()
            .filter(|t| t.runnable())
            .map(|t| t.id())
            .collect();
        ids.sort();
        let mut spurious: Vec<TaskId> = runnable
            .iter()
            .filter(|t| !t.runnable())
            .map(|t| t.id())
            .collect();
        spurious.sort();
        let running = current.filter(|c| ids.contains(c) && !is_yielding);
        let (mut options, mut costs) = match running {
            Some(c) => {
                let mut options = vec![c];
                if spent < self.bound {
                    options.extend(ids.into_iter().filter(|&t| t != c));
                }
                let costs = (0..options.len()).map(|i| usize::from(i > 0)).collect();
                (options, costs)
            }
            None => {
                let costs = vec![0; ids.len()];
                (ids, costs)
            }
        };
        if spent < self.bound {
            costs.extend(spurious.iter().map(|_| 1));
            options.extend(spurious);
        }
        let first = *options.first()?;
        self.levels.push(Level {
            options,
            chosen: 0,
            costs,
            spent,
        });
        self.pos += 1;
        Some(first)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}
