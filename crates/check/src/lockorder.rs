//! Lock-order warnings beyond the explored schedules, as the Linux kernel's lockdep gives them.
//! Every exploration records, across all the schedules it runs, which lock each thread took
//! while holding which other locks (held → acquired, with both places in the source). A cycle
//! in that graph, closed by two or more threads, is a deadlock waiting for the right schedule:
//! it is reported even when no explored schedule deadlocked. A lock taken with `try_lock` adds
//! no edge (it never waits); locks held around both orders of a cycle are named, as they keep
//! the two orders apart for now.
//!
//! Locks are told apart by name; two locks of one name seen in one execution are numbered in
//! the order they were first taken (`node`, `node#2`).

use crate::run::CapturedFailure;
use racebook_trace::FailureKind;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::Location;

/// One lock taken while another was held.
#[derive(Debug, Clone)]
pub struct Edge {
    pub thread: String,
    pub held: String,
    pub held_exclusive: bool,
    pub held_at: &'static Location<'static>,
    pub acquired: String,
    pub exclusive: bool,
    pub at: &'static Location<'static>,
    /// Other locks the thread held at the same time.
    pub gates: BTreeSet<String>,
}

/// Every lock order seen by an exploration.
#[derive(Debug, Clone, Default)]
pub struct LockOrder {
    /// By (held, acquired): the edges seen, one per thread.
    edges: BTreeMap<(String, String), Vec<Edge>>,
    /// Locks some thread took exclusively (a write, or a mutex).
    exclusive: BTreeSet<String>,
}

impl LockOrder {
    /// Everything `other` saw too.
    pub fn merge(&mut self, other: &LockOrder) {
        for (k, es) in &other.edges {
            for e in es {
                add(self.edges.entry(k.clone()).or_default(), e);
            }
        }
        self.exclusive.extend(other.exclusive.iter().cloned());
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

fn add(list: &mut Vec<Edge>, e: &Edge) {
    if !list.iter().any(|x| x.thread == e.thread) && list.len() < 8 {
        list.push(e.clone());
    }
}

#[derive(Default)]
struct Execution {
    /// Each thread's held locks: class, exclusive, where taken.
    held: HashMap<usize, Vec<(usize, String, bool, &'static Location<'static>)>>,
    /// The class of each lock address, and how many locks of each name were seen.
    classes: HashMap<usize, String>,
    per_name: HashMap<String, usize>,
    /// This execution's own lock orders.
    order: LockOrder,
}

thread_local! {
    /// Set while an execution must fail when its own lock orders form a cycle.
    static CHECK_EACH: Cell<bool> = const { Cell::new(false) };
    static COLLECTED: RefCell<Option<LockOrder>> = const { RefCell::new(None) };
    static EXECUTION: RefCell<Execution> = RefCell::new(Execution::default());
}

/// Run `f` (an exploration), collecting the lock orders of every schedule it runs.
pub fn collect<R>(f: impl FnOnce() -> R) -> (R, LockOrder) {
    let previous = COLLECTED.with(|c| c.replace(Some(LockOrder::default())));
    let out = f();
    let order = COLLECTED.with(|c| std::mem::replace(&mut *c.borrow_mut(), previous));
    (out, order.unwrap_or_default())
}

/// A new execution: nothing is held.
pub(crate) fn reset() {
    EXECUTION.with(|e| *e.borrow_mut() = Execution::default());
}

fn collecting() -> bool {
    COLLECTED.with(|c| c.borrow().is_some()) || CHECK_EACH.with(Cell::get)
}

/// Run `f` with every execution failing (`end_of_run`) when its own lock orders form a cycle:
/// to find a schedule that shows an inversion the search saw, and to replay it.
pub fn check_each_run<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            CHECK_EACH.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CHECK_EACH.with(|c| c.replace(true)));
    f()
}

/// The panic payload that stops a loom model at a run with a lock-order cycle.
#[derive(Debug, Clone)]
pub struct InversionFound(pub CapturedFailure);

/// The invariant a lock-order inversion breaks.
pub const INVARIANT: &str = "locks are taken in one order";

/// At the end of an execution: its failure, if it must check its own lock orders and they
/// form a cycle.
pub(crate) fn end_of_run() -> Option<CapturedFailure> {
    if !CHECK_EACH.with(Cell::get) {
        return None;
    }
    let inversion = EXECUTION.with(|e| find(&e.borrow().order))?;
    Some(CapturedFailure {
        kind: FailureKind::LockOrder,
        invariant: INVARIANT.to_string(),
        expected: None,
        observed: None,
        message: inversion.words(),
        location: None,
    })
}

/// Thread `tid` took lock `key` (named `name`) at `at`.
pub(crate) fn acquired(
    tid: usize,
    key: usize,
    name: &str,
    exclusive: bool,
    at: &'static Location<'static>,
    tried: bool,
) {
    if !collecting() {
        return;
    }
    let thread = crate::blocking::thread_name(tid);
    let edges = EXECUTION.with(|e| {
        let mut e = e.borrow_mut();
        let class = match e.classes.get(&key) {
            Some(c) if c == name || c.starts_with(&format!("{name}#")) => c.clone(),
            _ => {
                let n = e.per_name.entry(name.to_string()).or_insert(0);
                *n += 1;
                let class = if *n == 1 {
                    name.to_string()
                } else {
                    format!("{name}#{n}")
                };
                e.classes.insert(key, class.clone());
                class
            }
        };
        let held = e.held.entry(tid).or_default();
        let classes: BTreeSet<String> = held.iter().map(|h| h.1.clone()).collect();
        let edges: Vec<Edge> = if tried {
            Vec::new()
        } else {
            held.iter()
                .filter(|h| h.1 != class)
                .map(|(_, h, h_excl, h_at)| Edge {
                    thread: thread.clone(),
                    held: h.clone(),
                    held_exclusive: *h_excl,
                    held_at: h_at,
                    acquired: class.clone(),
                    exclusive,
                    at,
                    gates: classes
                        .iter()
                        .filter(|c| *c != h && **c != class)
                        .cloned()
                        .collect(),
                })
                .collect()
        };
        held.push((key, class.clone(), exclusive, at));
        (edges, class)
    });
    let (edges, class) = edges;
    let record = |order: &mut LockOrder| {
        if exclusive {
            order.exclusive.insert(class.clone());
        }
        for edge in &edges {
            let k = (edge.held.clone(), edge.acquired.clone());
            add(order.edges.entry(k).or_default(), edge);
        }
    };
    EXECUTION.with(|e| record(&mut e.borrow_mut().order));
    COLLECTED.with(|c| {
        if let Some(order) = c.borrow_mut().as_mut() {
            record(order);
        }
    });
}

/// Thread `tid` released lock `key`.
pub(crate) fn released(tid: usize, key: usize) {
    if !collecting() {
        return;
    }
    EXECUTION.with(|e| {
        if let Some(held) = e.borrow_mut().held.get_mut(&tid)
            && let Some(i) = held.iter().rposition(|h| h.0 == key)
        {
            held.remove(i);
        }
    });
}

/// A cycle in the lock-order graph that two or more threads close.
#[derive(Debug, Clone)]
pub struct Inversion {
    /// Each edge takes the next edge's held lock: the last one takes the first one's.
    pub edges: Vec<Edge>,
    /// Locks every thread of the cycle held around its edge: they keep the orders apart today.
    pub guarded_by: Vec<String>,
    /// Each lock of the cycle is only read around it: only a waiting writer (which std's
    /// `RwLock` may let block new readers) can close it.
    pub needs_writer: bool,
}

/// The first lock-order cycle in `order`, if any.
pub fn find(order: &LockOrder) -> Option<Inversion> {
    let pairs: Vec<&(String, String)> = order.edges.keys().collect();
    // Two locks in opposite orders (the common case), then cycles of three.
    for &(a, b) in &pairs {
        if a >= b {
            continue;
        }
        if let Some(back) = order.edges.get(&(b.clone(), a.clone()))
            && let Some(inv) = choose(order, &[order.edges.get(&(a.clone(), b.clone()))?, back])
        {
            return Some(inv);
        }
    }
    for &(a, b) in &pairs {
        for &(b2, c) in &pairs {
            if b2 != b || c == a || !(a < b && a < c) {
                continue;
            }
            if let Some(back) = order.edges.get(&(c.clone(), a.clone()))
                && let Some(inv) = choose(
                    order,
                    &[
                        order.edges.get(&(a.clone(), b.clone()))?,
                        order.edges.get(&(b.clone(), c.clone()))?,
                        back,
                    ],
                )
            {
                return Some(inv);
            }
        }
    }
    None
}

/// One edge from each list, closed by at least two threads, each lock contended in a way that
/// can wait: the first such choice.
fn choose(order: &LockOrder, lists: &[&Vec<Edge>]) -> Option<Inversion> {
    let mut pick = vec![0usize; lists.len()];
    loop {
        let edges: Vec<&Edge> = lists.iter().zip(&pick).map(|(l, &i)| &l[i]).collect();
        let threads: BTreeSet<&str> = edges.iter().map(|e| e.thread.as_str()).collect();
        if threads.len() >= 2 {
            // At each lock, the edge that holds it and the edge that asks for it.
            let n = edges.len();
            let mut needs_writer = false;
            let mut possible = true;
            for i in 0..n {
                let holds = edges[(i + 1) % n];
                let asks = edges[i];
                if !holds.held_exclusive && !asks.exclusive {
                    if order.exclusive.contains(&asks.acquired) {
                        needs_writer = true;
                    } else {
                        possible = false;
                    }
                }
            }
            if possible {
                let mut gates = edges[0].gates.clone();
                for e in &edges[1..] {
                    gates = gates.intersection(&e.gates).cloned().collect();
                }
                return Some(Inversion {
                    edges: edges.into_iter().cloned().collect(),
                    guarded_by: gates.into_iter().collect(),
                    needs_writer,
                });
            }
        }
        // Next combination.
        let mut i = 0;
        loop {
            if i == pick.len() {
                return None;
            }
            pick[i] += 1;
            if pick[i] < lists[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}

fn short(at: &Location<'_>) -> String {
    let file = at.file().rsplit(['/', '\\']).next().unwrap_or(at.file());
    format!("{file}:{}", at.line())
}

fn take(exclusive: bool, name: &str) -> String {
    if exclusive {
        format!("`{name}`")
    } else {
        format!("`{name}` (to read)")
    }
}

impl Inversion {
    /// Both (or all) orders, with their source lines, and what they can do.
    pub fn words(&self) -> String {
        let orders: Vec<String> = self
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{} takes {} ({}) then {} ({})",
                    e.thread,
                    take(e.held_exclusive, &e.held),
                    short(e.held_at),
                    take(e.exclusive, &e.acquired),
                    short(e.at)
                )
            })
            .collect();
        let mut text = format!(
            "{}. These orders can deadlock: when each thread holds its first lock as the next \
             asks for it, they wait for each other forever",
            orders.join("; ")
        );
        if self.needs_writer {
            text.push_str(
                " (these are reads: they wait only if a writer is queued between them, which \
                 std's RwLock allows)",
            );
        }
        if !self.guarded_by.is_empty() {
            let gates: Vec<String> = self.guarded_by.iter().map(|g| format!("`{g}`")).collect();
            text.push_str(&format!(
                ". For now each of them also holds {}, which keeps the orders from meeting; a \
                 path that takes them without it deadlocks",
                gates.join(" and ")
            ));
        }
        text.push_str(". Take these locks in one order everywhere.");
        text
    }
}
