//! A task waiting for a lock that one of its own futures holds, in words: where that future
//! asked for the lock, the `select!` branch it was polled in, and the branch that select chose
//! instead. Every clause is the facade's bookkeeping (`permits`, `branch`).

use super::branch;
use super::permits::{Holder, Permits};
use crate::blocking::Tid;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

/// A lock-kind permits object can be described from now on.
pub(super) fn register(p: &Arc<Permits>) {
    LOCKS.with(|l| l.borrow_mut().insert(p.key(), Arc::downgrade(p)));
}

thread_local! {
    /// This execution's lock-kind permits by key, for the words of a stuck run.
    static LOCKS: RefCell<HashMap<usize, Weak<Permits>>> = RefCell::new(HashMap::new());
}

/// A new execution has no locks yet.
pub(crate) fn reset() {
    LOCKS.with(|l| l.borrow_mut().clear());
}

/// The holders of lock `key` that are futures of task `t` (a task waiting on such a lock waits
/// for itself).
fn own_holders(key: usize, t: Tid) -> Vec<Holder> {
    let Some(p) = LOCKS.with(|l| l.borrow().get(&key).and_then(Weak::upgrade)) else {
        return Vec::new();
    };
    p.holders_of(t)
}

/// When task `t` waits for lock `key` and one of its own futures holds it: who holds it, in
/// words (", held by main's own future: …"). Every clause is the facade's bookkeeping.
pub(crate) fn own_future_words(key: usize, t: Tid, name: &str) -> Option<String> {
    let holders = own_holders(key, t);
    let h = holders.first()?;
    let mut s = format!(
        ", held by a future of {name} itself: the one that asked for it at {}",
        branch::place(h.at)
    );
    let mut left = false;
    if let Some(b) = h.branch {
        let (clause, chose_other) = branch::clause(t, b);
        s.push_str(&format!(", polled as {clause}"));
        left = chose_other;
    }
    if h.unpolled {
        s.push_str("; a release handed the lock to that future, which has not been polled since");
    }
    if left {
        s.push_str(&format!(
            ". Only {name} can poll that future, and {name} is waiting here: a futurelock"
        ));
    }
    Some(s)
}
