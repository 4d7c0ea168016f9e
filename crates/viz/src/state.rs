//! The shared state after the first `n` steps of a trace: every named object's value and who
//! holds it, each thread's temporaries (a value it read and has not written back yet), and which
//! threads have started or finished. Values are kept as the step that set them, so replaying a
//! long trace copies no strings.

use racebook_trace::{Access, ObjectId, Op, Step, StepId, ThreadId, Trace};

/// Where an object's current value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFrom {
    /// The value the object was created with (`ObjectInfo::initial`), if any.
    Initial,
    /// The `value` of this step.
    Step(StepId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectState {
    pub value: ValueFrom,
    /// Threads that hold this lock now (more than one only for read locks).
    pub holders: Vec<ThreadId>,
    /// Messages sent and not yet received, oldest first (channels).
    pub queue: Vec<StepId>,
}

/// A value a thread read from a shared object and has not written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Temporary {
    pub thread: ThreadId,
    pub object: ObjectId,
    /// The step that read it; its `value` is what the thread holds.
    pub read_at: StepId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadStatus {
    NotStarted,
    Running,
    Finished,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedState {
    pub objects: Vec<ObjectState>,
    pub temporaries: Vec<Temporary>,
    pub threads: Vec<ThreadStatus>,
}

impl SharedState {
    /// The state before any step ran.
    pub fn initial(trace: &Trace) -> SharedState {
        SharedState {
            objects: trace
                .objects
                .iter()
                .map(|_| ObjectState {
                    value: ValueFrom::Initial,
                    holders: Vec::new(),
                    queue: Vec::new(),
                })
                .collect(),
            temporaries: Vec::new(),
            threads: vec![ThreadStatus::NotStarted; trace.threads.len()],
        }
    }

    /// The state after the first `count` steps.
    pub fn after(trace: &Trace, count: usize) -> SharedState {
        let mut state = SharedState::initial(trace);
        for step in trace.steps.iter().take(count) {
            state.apply(step);
        }
        state
    }

    /// Apply one step. Indices were checked by the parser; a stray one is ignored, not trusted.
    pub fn apply(&mut self, step: &Step) {
        let t = step.thread;
        if let Some(status) = self.threads.get_mut(t as usize) {
            *status = if step.op == Op::Finish {
                ThreadStatus::Finished
            } else {
                ThreadStatus::Running
            };
        }
        if step.op == Op::Finish {
            self.temporaries.retain(|tmp| tmp.thread != t);
        }
        let Some(o) = step.object else { return };
        let Some(obj) = self.objects.get_mut(o as usize) else {
            return;
        };
        let has_value = step.value.is_some();
        match step.op {
            Op::Lock | Op::ReadLock => {
                if !obj.holders.contains(&t) {
                    obj.holders.push(t);
                }
                if has_value {
                    obj.value = ValueFrom::Step(step.index);
                }
            }
            Op::Unlock | Op::ReadUnlock => {
                obj.holders.retain(|&h| h != t);
                if has_value {
                    obj.value = ValueFrom::Step(step.index);
                }
            }
            Op::Store | Op::Write | Op::Rmw if has_value => {
                obj.value = ValueFrom::Step(step.index);
            }
            Op::Send => obj.queue.push(step.index),
            Op::Recv if !obj.queue.is_empty() => {
                obj.queue.remove(0);
            }
            _ => {}
        }
        match step.access {
            // A plain read: the thread now holds a copy that can go stale.
            Some(Access::Read) if has_value => {
                self.temporaries
                    .retain(|tmp| !(tmp.thread == t && tmp.object == o));
                self.temporaries.push(Temporary {
                    thread: t,
                    object: o,
                    read_at: step.index,
                });
            }
            Some(Access::Write | Access::ReadWrite) => {
                self.temporaries
                    .retain(|tmp| !(tmp.thread == t && tmp.object == o));
            }
            _ => {}
        }
    }

    /// The text of an object's current value, if it has one.
    pub fn value_text<'t>(&self, trace: &'t Trace, object: ObjectId) -> Option<&'t str> {
        match self.objects.get(object as usize)?.value {
            ValueFrom::Initial => trace.object(object)?.initial.as_deref(),
            ValueFrom::Step(s) => trace.steps.get(s as usize)?.value.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_trace;

    #[test]
    fn a_lost_update_leaves_a_stale_temporary_then_overwrites() {
        let trace = demo_trace("broken");
        // After worker-0's read (its lock, index 3) and unlock (index 4): it holds `{}` and
        // nobody holds the lock.
        let s = SharedState::after(&trace, 5);
        assert_eq!(s.value_text(&trace, 0), Some("{}"));
        assert!(s.objects[0].holders.is_empty());
        assert_eq!(
            s.temporaries,
            vec![Temporary {
                thread: 1,
                object: 0,
                read_at: 3
            }]
        );
        // worker-1 takes the lock for its write-back (step 9, index 8).
        let s = SharedState::after(&trace, 9);
        assert_eq!(s.objects[0].holders, vec![2]);
        // worker-1 wrote {"a": 1}; worker-0 still holds its stale `{}`.
        let s = SharedState::after(&trace, 10);
        assert_eq!(s.value_text(&trace, 0), Some(r#"{"a": 1}"#));
        assert_eq!(s.temporaries.len(), 1);
        assert_eq!(s.temporaries[0].thread, 1);
        // worker-0 writes back from its stale copy: the temporary is gone, the value unchanged.
        let s = SharedState::after(&trace, 13);
        assert!(s.temporaries.is_empty());
        assert_eq!(s.value_text(&trace, 0), Some(r#"{"a": 1}"#));
        assert_eq!(s.threads[1], ThreadStatus::Running);
        let s = SharedState::after(&trace, trace.steps.len());
        assert_eq!(
            s.threads,
            vec![
                ThreadStatus::Running,
                ThreadStatus::Finished,
                ThreadStatus::Finished
            ]
        );
    }

    #[test]
    fn before_any_step_objects_show_their_initial_value() {
        let trace = demo_trace("broken");
        let s = SharedState::after(&trace, 0);
        assert_eq!(s.value_text(&trace, 0), Some("{}"));
        assert!(s.threads.iter().all(|&t| t == ThreadStatus::NotStarted));
    }
}
