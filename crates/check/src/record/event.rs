//! What a facade operation tells the recorder about itself.

use racebook_trace::{Access, MemOrder, ObjectId, Op, StepId, ThreadId};

/// The fields of a step other than its thread and index.
#[derive(Debug, Clone)]
pub struct Event {
    pub op: Op,
    pub object: Option<ObjectId>,
    pub value: Option<String>,
    pub previous: Option<String>,
    pub access: Option<Access>,
    pub ordering: Option<MemOrder>,
    pub other_thread: Option<ThreadId>,
    /// The notify or unpark that ended this wait, when the trace names one.
    pub woken_by: Option<StepId>,
    /// The `select!` branch the step is about (a `Select` step's winner); otherwise the branch
    /// being polled, if any, is recorded.
    pub branch: Option<crate::task::branch::Branch>,
}

impl Event {
    pub fn new(op: Op) -> Event {
        Event {
            op,
            object: None,
            value: None,
            previous: None,
            access: None,
            ordering: None,
            other_thread: None,
            woken_by: None,
            branch: None,
        }
    }
    pub fn on(mut self, object: Option<ObjectId>) -> Event {
        self.object = object;
        self
    }
    pub fn value(mut self, v: String) -> Event {
        self.value = Some(v);
        self
    }
    pub fn previous(mut self, v: String) -> Event {
        self.previous = Some(v);
        self
    }
    pub fn access(mut self, a: Access) -> Event {
        self.access = Some(a);
        self
    }
    pub fn ordering(mut self, o: MemOrder) -> Event {
        self.ordering = Some(o);
        self
    }
    pub fn thread(mut self, t: Option<ThreadId>) -> Event {
        self.other_thread = t;
        self
    }
    pub fn woken_by(mut self, s: Option<StepId>) -> Event {
        self.woken_by = s;
        self
    }
    pub fn branch(mut self, b: crate::task::branch::Branch) -> Event {
        self.branch = Some(b);
        self
    }
}
