//! Names as every reader shows them: a thread's or an object's name, told apart from another
//! with the same name, and whether the run's units are threads or tasks.

use crate::model::{ObjectId, ObjectInfo, ThreadId, Trace};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a unit of concurrency is: the words a report uses for it depend on this.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    #[default]
    Thread,
    Task,
}

impl UnitKind {
    pub fn is_thread(&self) -> bool {
        *self == UnitKind::Thread
    }

    /// `thread` or `task`.
    pub fn word(self) -> &'static str {
        match self {
            UnitKind::Thread => "thread",
            UnitKind::Task => "task",
        }
    }
}

impl Trace {
    pub fn thread_name(&self, id: ThreadId) -> &str {
        self.threads
            .get(id as usize)
            .map(|t| t.name.as_str())
            .unwrap_or("?")
    }

    pub fn object_name(&self, id: ObjectId) -> &str {
        self.objects
            .get(id as usize)
            .map(|o| o.name.as_str())
            .unwrap_or("?")
    }

    pub fn object(&self, id: ObjectId) -> Option<&ObjectInfo> {
        self.objects.get(id as usize)
    }

    /// The steps up to and including the failure's (all of them when there is none).
    pub fn until_failure(&self) -> &[crate::model::Step] {
        let end = self
            .failure
            .as_ref()
            .and_then(|f| f.step)
            .map_or(self.steps.len(), |s| s as usize + 1);
        &self.steps[..end.min(self.steps.len())]
    }

    /// `thread` or `task`: what the unit `id` is.
    pub fn unit_word(&self, id: ThreadId) -> &'static str {
        self.threads
            .get(id as usize)
            .map_or("thread", |t| t.kind.word())
    }

    /// `threads` or `tasks`: what this run's units are, when they are all of one kind besides
    /// the main thread that started them.
    pub fn units_word(&self) -> &'static str {
        let spawned = || self.threads.iter().filter(|t| t.parent.is_some());
        if spawned().next().is_some() && spawned().all(|t| t.kind == UnitKind::Task) {
            "tasks"
        } else {
            "threads"
        }
    }
}

/// Give each of several same-named entries its own name, `name#1`, `name#2`, ... in order,
/// keeping the original in `given`. Names that are unique are left alone.
pub fn tell_apart<T>(
    items: &mut [T],
    name: impl Fn(&mut T) -> &mut String,
    given: impl Fn(&mut T) -> &mut Option<String>,
) {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for item in items.iter_mut() {
        *counts.entry(name(item).clone()).or_default() += 1;
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    for item in items.iter_mut() {
        let n = name(item).clone();
        if counts[&n] < 2 {
            continue;
        }
        let k = seen.entry(n.clone()).or_default();
        *k += 1;
        *name(item) = format!("{n}#{k}");
        *given(item) = Some(n);
    }
}
