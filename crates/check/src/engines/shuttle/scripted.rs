//! A scheduler that follows a recorded list of decisions exactly, once. If a decision names a
//! task that cannot run, the schedule was recorded against other code: it says so instead of
//! guessing. Past the end of the list it keeps the current task running (no preemption).

use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use std::cell::Cell;
use std::rc::Rc;

/// The panic payload that stops a replay whose schedule does not fit the code.
#[derive(Debug)]
pub struct StaleSchedule;

pub struct Scripted {
    /// Follow the script where it fits and keep going where it does not (to run a broken
    /// version's schedule on a fix, for comparison), instead of stopping as stale.
    lenient: bool,
    script: Vec<u32>,
    pos: usize,
    started: bool,
    stale: Rc<Cell<bool>>,
    overran: Rc<Cell<bool>>,
}

impl Scripted {
    pub fn new(script: Vec<u32>) -> Scripted {
        Scripted {
            lenient: false,
            script,
            pos: 0,
            started: false,
            stale: Rc::default(),
            overran: Rc::default(),
        }
    }

    pub fn lenient(script: Vec<u32>) -> Scripted {
        Scripted {
            lenient: true,
            ..Scripted::new(script)
        }
    }

    pub fn stale_flag(&self) -> Rc<Cell<bool>> {
        self.stale.clone()
    }

    pub fn overrun_flag(&self) -> Rc<Cell<bool>> {
        self.overran.clone()
    }
}

impl Scheduler for Scripted {
    fn new_execution(&mut self) -> Option<Schedule> {
        crate::blocking::clear_stop();
        if self.started {
            return None;
        }
        self.started = true;
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        _is_yielding: bool,
    ) -> Option<TaskId> {
        // The facade found the run stuck and reported it: the execution ends here.
        if crate::blocking::stop_requested() {
            return None;
        }
        let fallback = || {
            current
                .filter(|c| runnable.iter().any(|t| t.id() == *c))
                .or_else(|| runnable.first().map(|t| t.id()))
        };
        if self.stale.get() {
            return fallback();
        }
        match self.script.get(self.pos) {
            Some(&want) => {
                self.pos += 1;
                let want = TaskId::from(want as usize);
                if runnable.iter().any(|t| t.id() == want) {
                    Some(want)
                } else if self.lenient {
                    fallback()
                } else {
                    self.stale.set(true);
                    std::panic::panic_any(StaleSchedule)
                }
            }
            None => {
                self.overran.set(true);
                fallback()
            }
        }
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}
