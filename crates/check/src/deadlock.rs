//! Deadlock cycles between facade mutexes, found by the facade under shuttle before shuttle
//! finds them. Shuttle reports a deadlock too, but prints its own line of engine text about
//! backtraces first; this finds the cycle at the lock that closes it and names every thread and
//! lock in it. A thread relocking a mutex it holds is left to shuttle, and so are deadlocks
//! through condvars, channels and reader-writer locks.
//!
//! The graph is kept on the OS thread that runs the shuttle execution (every model thread runs
//! there) and cleared at the start of each execution.

use racebook_trace::EngineKind;
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Default)]
struct Graph {
    /// Which task holds each mutex (by the facade mutex's address).
    owner: HashMap<usize, usize>,
    /// Which mutex each task is about to wait for.
    waits: HashMap<usize, usize>,
    names: HashMap<usize, String>,
}

thread_local! {
    static GRAPH: RefCell<Graph> = RefCell::new(Graph::default());
}

fn current_task() -> Option<usize> {
    if crate::engine::current() != EngineKind::Shuttle {
        return None;
    }
    shuttle::current::try_get_current_task().map(usize::from)
}

fn task_name(task: usize) -> String {
    match shuttle::current::get_name_for_task(task.into()).map(String::from) {
        // Shuttle's name for the scenario's own thread; the traces call it `main`.
        Some(name) if name == "main-thread" => "main".to_string(),
        Some(name) => name,
        None if task == 0 => "main".to_string(),
        None => format!("thread {task}"),
    }
}

/// The panic payload of a deadlock the facade found: the cycle in words.
#[derive(Debug, Clone)]
pub struct DeadlockCycle(pub String);

/// A new execution begins: nothing is held.
pub(crate) fn reset() {
    GRAPH.with(|g| *g.borrow_mut() = Graph::default());
}

/// The current task is about to lock mutex `lock` (named `name`). Panics with a deadlock if
/// waiting for it would close a cycle of tasks each waiting for a lock the next one holds; the
/// panic is recorded here, before unwinding releases the locks the thread held.
pub(crate) fn before_lock(lock: usize, name: &str, at: &'static std::panic::Location<'static>) {
    let Some(me) = current_task() else { return };
    let cycle = GRAPH.with(|g| {
        let mut g = g.borrow_mut();
        g.names.entry(lock).or_insert_with(|| name.to_string());
        let mut chain = Vec::new();
        let mut at = lock;
        while let Some(&holder) = g.owner.get(&at) {
            if holder == me && chain.is_empty() {
                break; // relocking its own mutex: shuttle reports that one itself
            }
            chain.push((at, holder));
            if holder == me {
                return Some(chain);
            }
            match g.waits.get(&holder) {
                Some(&next) if chain.len() < 64 => at = next,
                _ => break,
            }
        }
        g.waits.insert(me, lock);
        None
    });
    if let Some(chain) = cycle {
        let words = GRAPH.with(|g| {
            let g = g.borrow();
            let lock_name = |l: &usize| g.names.get(l).cloned().unwrap_or_else(|| "a lock".into());
            let mut text = format!("{} waits for {}", task_name(me), lock_name(&chain[0].0));
            for (i, (_, holder)) in chain.iter().enumerate() {
                let held = if *holder == me {
                    task_name(me)
                } else {
                    task_name(*holder)
                };
                text.push_str(&format!(", held by {held}"));
                if let Some((next, _)) = chain.get(i + 1) {
                    text.push_str(&format!(", which waits for {}", lock_name(next)));
                }
            }
            text
        });
        crate::record::step(at, || {
            crate::record::Event::new(racebook_trace::Op::Panic).value(format!("deadlock: {words}"))
        });
        std::panic::panic_any(DeadlockCycle(words));
    }
}

/// The current task now holds mutex `lock`.
pub(crate) fn acquired(lock: usize) {
    let Some(me) = current_task() else { return };
    GRAPH.with(|g| {
        let mut g = g.borrow_mut();
        g.waits.remove(&me);
        g.owner.insert(lock, me);
    });
}

/// Mutex `lock` is being released.
pub(crate) fn released(lock: usize) {
    if current_task().is_none() {
        return;
    }
    GRAPH.with(|g| {
        g.borrow_mut().owner.remove(&lock);
    });
}
