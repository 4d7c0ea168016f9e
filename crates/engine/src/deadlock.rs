//! Deadlocks between facade locks (mutexes and reader-writer locks), found by the facade under
//! shuttle and loom before the engine finds them. The engines report a deadlock too, in their
//! own words; this finds the deadlock at the request that closes it and names every thread and
//! lock in it. That includes a thread asking again for a lock it holds, even to read it twice.
//! Deadlocks through condvars, channels and joins are `crate::blocking`'s, which asks this graph
//! whether a lock a thread waits for is free.
//!
//! The graph is kept on the OS thread that runs the execution (every model thread runs there)
//! and cleared at the start of each execution; threads are `crate::blocking`'s ids. It only ever
//! reports a request that cannot be granted: a shared request waits for writers, an exclusive
//! one for every holder.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// How a lock is held or asked for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Mode {
    /// A mutex, or a reader-writer lock's write side.
    Exclusive,
    /// A reader-writer lock's read side.
    Shared,
}

#[derive(Default)]
struct Graph {
    /// Who holds each lock (by the facade lock's address), and how.
    holders: HashMap<usize, Vec<(usize, Mode)>>,
    /// Which lock each task is about to wait for, and how it asked.
    waits: HashMap<usize, (usize, Mode)>,
    names: HashMap<usize, String>,
}

impl Graph {
    /// The tasks that must release `lock` before `requester`'s request for it in `mode` can be
    /// granted. A requester that holds the lock already waits for itself, even to read twice:
    /// std allows that read to deadlock, and shuttle refuses it.
    fn blockers(&self, lock: usize, mode: Mode, requester: usize) -> Vec<usize> {
        let holders = self.holders.get(&lock).map(Vec::as_slice).unwrap_or(&[]);
        holders
            .iter()
            .filter(|(task, held)| {
                *task == requester || mode == Mode::Exclusive || *held == Mode::Exclusive
            })
            .map(|(task, _)| *task)
            .collect()
    }

    /// A chain of (lock, holder) links from `me`'s request back to `me`, if there is one: each
    /// holder waits for the next lock, and the last holder is `me`.
    fn cycle(&self, me: usize, lock: usize, mode: Mode) -> Option<Vec<(usize, usize)>> {
        let mut seen = HashSet::new();
        let mut chain = Vec::new();
        self.search(me, me, lock, mode, &mut seen, &mut chain)
            .then_some(chain)
    }

    fn search(
        &self,
        me: usize,
        requester: usize,
        lock: usize,
        mode: Mode,
        seen: &mut HashSet<usize>,
        chain: &mut Vec<(usize, usize)>,
    ) -> bool {
        for holder in self.blockers(lock, mode, requester) {
            chain.push((lock, holder));
            if holder == me {
                return true;
            }
            if seen.insert(holder)
                && let Some(&(next, next_mode)) = self.waits.get(&holder)
                && self.search(me, holder, next, next_mode, seen, chain)
            {
                return true;
            }
            chain.pop();
        }
        false
    }

    fn lock_name(&self, lock: usize) -> String {
        self.names
            .get(&lock)
            .cloned()
            .unwrap_or_else(|| "a lock".into())
    }

    /// The deadlock in words: "a waits for x, held by b, which waits for y, held by a".
    fn words(&self, me: usize, chain: &[(usize, usize)]) -> String {
        let mut text = format!("{} waits for {}", task_name(me), self.lock_name(chain[0].0));
        for (i, (_, holder)) in chain.iter().enumerate() {
            text.push_str(&format!(", held by {}", task_name(*holder)));
            if let Some((next, _)) = chain.get(i + 1) {
                text.push_str(&format!(", which waits for {}", self.lock_name(*next)));
            }
        }
        if chain.len() == 1 {
            text.push_str(" itself");
        }
        text
    }
}

thread_local! {
    static GRAPH: RefCell<Graph> = RefCell::new(Graph::default());
}

fn task_name(task: usize) -> String {
    crate::blocking::thread_name(task)
}

/// A new execution begins: nothing is held.
pub fn reset() {
    GRAPH.with(|g| *g.borrow_mut() = Graph::default());
}

/// The threads that must release `lock` before thread `requester` can have it in `mode`.
pub fn blockers(lock: usize, mode: Mode, requester: usize) -> Vec<usize> {
    GRAPH.with(|g| g.borrow().blockers(lock, mode, requester))
}

/// The current thread is about to ask for `lock` (named `name`) in `mode`, with a blocking
/// call (std's `Mutex::lock`, `RwLock::read`): nothing can take the request back. Reports a
/// deadlock if it can never be granted: it waits, through a chain of holders each waiting for
/// the next lock, on the current thread itself — a task too, whose whole poll then blocks.
/// Otherwise it waits (if it must) like any other blocked thread, and the run is reported stuck
/// if nothing else could run.
pub fn before_lock(
    lock: usize,
    mode: Mode,
    name: &str,
    obj: Option<racebook_trace::ObjectId>,
    at: &'static std::panic::Location<'static>,
) {
    before(lock, mode, (name, obj, at), false);
}

/// `before_lock` for an async lock's request, which a task may drop (a `select!` branch that
/// loses, a timeout): a task's request is reported only when its whole poll is pending and
/// nothing can run (`crate::blocking`).
pub fn before_async_lock(
    lock: usize,
    mode: Mode,
    name: &str,
    obj: Option<racebook_trace::ObjectId>,
    at: &'static std::panic::Location<'static>,
) {
    before(lock, mode, (name, obj, at), true);
}

type Site<'a> = (
    &'a str,
    Option<racebook_trace::ObjectId>,
    &'static std::panic::Location<'static>,
);

fn before(lock: usize, mode: Mode, (name, obj, at): Site<'_>, may_be_dropped: bool) {
    let Some(me) = crate::blocking::me() else {
        return;
    };
    crate::blocking::object(lock, name, obj);
    crate::blocking::begin_lock_wait(me, lock, mode, at);
    let found = GRAPH.with(|g| {
        let mut g = g.borrow_mut();
        // A lock built where a dropped one lived takes its address: keep the newest name.
        if g.names.get(&lock).map(String::as_str) != Some(name) {
            g.names.insert(lock, name.to_string());
        }
        match g.cycle(me, lock, mode) {
            Some(chain) => Some(chain),
            None => {
                g.waits.insert(me, (lock, mode));
                None
            }
        }
    });
    let found = found.filter(|_| !(may_be_dropped && crate::blocking::is_task(me)));
    if let Some(chain) = found {
        let mut words = GRAPH.with(|g| g.borrow().words(me, &chain));
        if chain.len() == 1
            && let Some(own) = crate::task::own_future_words(lock, me, &task_name(me))
        {
            words = format!(
                "{} waits for {}{own}",
                task_name(me),
                GRAPH.with(|g| g.borrow().lock_name(lock))
            );
        }
        crate::record::step(at, || {
            crate::record::Event::new(racebook_trace::Op::Panic).value(format!("deadlock: {words}"))
        });
        crate::blocking::report_cycle(words);
    }
    crate::blocking::check();
}

/// The current thread now holds `lock` (named `name`) in `mode`, taken at `at` (by a
/// `try_lock` when `tried`).
pub fn acquired(
    lock: usize,
    mode: Mode,
    name: &str,
    at: &'static std::panic::Location<'static>,
    tried: bool,
) {
    let Some(me) = crate::blocking::me() else {
        return;
    };
    crate::blocking::running(crate::blocking::On::Lock(lock, mode));
    crate::lockorder::acquired(me, lock, name, mode == Mode::Exclusive, at, tried);
    GRAPH.with(|g| {
        let mut g = g.borrow_mut();
        g.waits.remove(&me);
        g.holders.entry(lock).or_default().push((me, mode));
    });
}

/// A release handed `lock` to a waiting future of task `to`: `to` holds it from now on, whether
/// or not it polls that future again.
pub fn handed(lock: usize, mode: Mode, to: usize) {
    GRAPH.with(|g| {
        g.borrow_mut()
            .holders
            .entry(lock)
            .or_default()
            .push((to, mode))
    });
}

/// The current task's future took `lock`, which a release had handed to it (see `handed`).
pub fn taken_handed(
    lock: usize,
    mode: Mode,
    name: &str,
    at: &'static std::panic::Location<'static>,
) {
    let Some(me) = crate::blocking::me() else {
        return;
    };
    crate::lockorder::acquired(me, lock, name, mode == Mode::Exclusive, at, false);
    GRAPH.with(|g| {
        let mut g = g.borrow_mut();
        if g.waits.get(&me) == Some(&(lock, mode)) {
            g.waits.remove(&me);
        }
    });
}

/// The current thread releases its hold on `lock`.
pub fn released(lock: usize) {
    let Some(me) = crate::blocking::me() else {
        return;
    };
    crate::lockorder::released(me, lock);
    GRAPH.with(|g| {
        let mut g = g.borrow_mut();
        if let Some(holders) = g.holders.get_mut(&lock)
            && let Some(i) = holders.iter().position(|(task, _)| *task == me)
        {
            holders.swap_remove(i);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(holders: &[(usize, usize, Mode)], waits: &[(usize, usize, Mode)]) -> Graph {
        let mut g = Graph::default();
        for &(lock, task, mode) in holders {
            g.holders.entry(lock).or_default().push((task, mode));
        }
        for &(task, lock, mode) in waits {
            g.waits.insert(task, (lock, mode));
        }
        g
    }

    #[test]
    fn readers_share_but_a_writer_waits_for_every_reader() {
        let g = graph(&[(10, 1, Mode::Shared), (10, 2, Mode::Shared)], &[]);
        assert!(g.blockers(10, Mode::Shared, 3).is_empty());
        let mut writers_wait_for = g.blockers(10, Mode::Exclusive, 3);
        writers_wait_for.sort();
        assert_eq!(writers_wait_for, [1, 2]);
    }

    #[test]
    fn asking_again_for_a_held_lock_is_a_cycle_of_one_in_any_mode() {
        let g = graph(&[(10, 1, Mode::Exclusive), (20, 1, Mode::Shared)], &[]);
        assert_eq!(g.cycle(1, 10, Mode::Exclusive), Some(vec![(10, 1)]));
        assert_eq!(g.cycle(1, 20, Mode::Exclusive), Some(vec![(20, 1)]));
        assert_eq!(g.cycle(1, 20, Mode::Shared), Some(vec![(20, 1)]));
        assert_eq!(g.cycle(2, 20, Mode::Shared), None);
    }

    #[test]
    fn a_cycle_through_a_reader_is_found_and_one_without_is_not() {
        // Task 1 holds lock 10 and asks to write 20, read by tasks 2 and 3; task 3 waits for 10.
        let holders = [
            (10, 1, Mode::Exclusive),
            (20, 2, Mode::Shared),
            (20, 3, Mode::Shared),
        ];
        let closing = graph(&holders, &[(3, 10, Mode::Exclusive)]);
        assert_eq!(
            closing.cycle(1, 20, Mode::Exclusive),
            Some(vec![(20, 3), (10, 1)])
        );
        // Task 3 waits for a lock nobody holds: it can go on, so nothing is stuck yet.
        let open = graph(&holders, &[(3, 30, Mode::Exclusive)]);
        assert_eq!(open.cycle(1, 20, Mode::Exclusive), None);
        // A read of 20 waits for no other reader.
        assert_eq!(closing.cycle(1, 20, Mode::Shared), None);
    }
}
