//! Recording facade operations into a trace. Recording is switched on only while a found
//! schedule is replayed, so exploration pays one thread-local check per operation and nothing
//! more. Recording is passive: it never adds a scheduling point, so a recorded replay takes
//! exactly the decisions the exploration took.

mod event;
mod holding;
mod source;

pub use event::Event;
pub use holding::{acquired, done_waiting, hand_to, released, waiting_for, waiting_now};
use source::SourceCache;
pub use source::raw_lines;
pub use source::{relative, workspace_root};

use racebook_trace::{
    EngineKind, ObjectId, ObjectInfo, ObjectKind, Op, SourceLoc, Step, StepId, ThreadId,
    ThreadInfo, UnitKind, tell_apart,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::Location;

/// How the engine running the code names a model thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ThreadKey {
    Shuttle(usize),
    Loom(loom::thread::ThreadId),
}

fn current_key() -> Option<ThreadKey> {
    match crate::engine::current() {
        EngineKind::Shuttle => {
            shuttle::current::try_get_current_task().map(|t| ThreadKey::Shuttle(usize::from(t)))
        }
        EngineKind::Loom => Some(ThreadKey::Loom(loom::thread::current().id())),
        EngineKind::Real => None,
    }
}

/// What a recorded run produced.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    pub threads: Vec<ThreadInfo>,
    pub objects: Vec<ObjectInfo>,
    pub steps: Vec<Step>,
    /// Threads waiting for a lock when the run stopped: (thread, object, where).
    pub waiting: Vec<(ThreadId, ObjectId, SourceLoc)>,
    /// Which thread holds each lock when the run stopped.
    pub owners: HashMap<ObjectId, ThreadId>,
    /// Which recorded thread each shuttle task was.
    pub shuttle_tasks: HashMap<usize, ThreadId>,
    /// The blocked threads the facade listed when it found the run stuck (see
    /// `crate::blocking`); `waiting` is the fallback.
    pub blocked: Option<Vec<racebook_trace::Blocked>>,
}

/// A blocked thread, as the facade lists it when the run is stuck.
#[derive(Debug, Clone)]
pub struct BlockedAt {
    pub thread: ThreadId,
    pub object: Option<ObjectId>,
    pub held_by: Option<ThreadId>,
    pub for_thread: Option<ThreadId>,
    pub since: Option<StepId>,
    pub at: &'static Location<'static>,
}

#[derive(Default)]
struct Recorder {
    rec: Recording,
    keys: HashMap<ThreadKey, ThreadId>,
    held: HashMap<ThreadId, Vec<ObjectId>>,
    waiting: HashMap<ThreadId, (ObjectId, SourceLoc)>,
    /// Writes to each atomic or cell, for finding the write a read saw.
    writes: HashMap<ObjectId, Vec<(StepId, String)>>,
    sources: SourceCache,
    blocked: Option<Vec<racebook_trace::Blocked>>,
    /// At most this many steps are kept (see `record_capped`).
    cap: Option<usize>,
    /// Set when the facade stopped a thread at a deadlock: the real program would hang there,
    /// so nothing after it (the stopped thread's unwinding, other threads going on) is recorded.
    frozen: bool,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Whether this OS thread is recording.
#[inline]
pub fn on() -> bool {
    RECORDER.with(|r| r.borrow().as_ref().is_some_and(|rec| !rec.frozen))
}

/// Record nothing more in this execution: it deadlocked here (see `Recorder::frozen`).
pub fn freeze() {
    with(|r| r.frozen = true);
}

/// The blocked threads of a stuck run, as the facade found them.
pub fn set_blocked(list: Vec<BlockedAt>) {
    with(|r| {
        let blocked = list
            .into_iter()
            .map(|b| racebook_trace::Blocked {
                thread: b.thread,
                waiting_for: b.object,
                held_by: b.held_by,
                at: Some(r.sources.loc(b.at)),
                since: b.since,
                for_thread: b.for_thread,
            })
            .collect();
        r.blocked = Some(blocked);
    });
}

/// Whether this execution's recording stopped at a deadlock.
pub fn frozen() -> bool {
    RECORDER.with(|r| r.borrow().as_ref().is_some_and(|rec| rec.frozen))
}

fn with<R>(f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    // A loom model being torn down (after a deadlock, say) unwinds every model thread; asking
    // loom which thread is running then would panic inside a destructor and abort the process.
    if std::thread::panicking() && crate::engine::current() == EngineKind::Loom {
        return None;
    }
    RECORDER.with(|r| r.borrow_mut().as_mut().filter(|rec| !rec.frozen).map(f))
}

/// Record everything `f` does on this OS thread, with `main` as the name of the first thread.
pub fn record<R>(f: impl FnOnce() -> R) -> (R, Recording) {
    record_capped(None, f)
}

/// `record`, keeping at most `cap` steps: a run that never ends is shown by its beginning.
pub fn record_capped<R>(cap: Option<usize>, f: impl FnOnce() -> R) -> (R, Recording) {
    struct Stop;
    impl Drop for Stop {
        fn drop(&mut self) {
            RECORDER.with(|r| r.borrow_mut().take());
        }
    }
    RECORDER.with(|r| {
        *r.borrow_mut() = Some(Recorder {
            cap,
            ..Recorder::default()
        })
    });
    let stop = Stop;
    let out = f();
    let recorder = RECORDER
        .with(|r| r.borrow_mut().take())
        .expect("recording was started");
    drop(stop);
    (out, recorder.finish())
}

/// End the current recording and start a new one on this OS thread (between two executions of
/// an exploration); returns what the ended one recorded.
pub fn restart() -> Option<Recording> {
    RECORDER.with(|r| {
        let mut slot = r.borrow_mut();
        let old = slot.take()?;
        *slot = Some(Recorder::default());
        Some(old.finish())
    })
}

/// How many steps the current recording holds.
pub fn len() -> usize {
    RECORDER.with(|r| r.borrow().as_ref().map_or(0, |rec| rec.rec.steps.len()))
}

/// The recorded thread a shuttle task is, once it has run.
pub fn shuttle_task_thread(task: usize) -> Option<ThreadId> {
    RECORDER.with(|r| {
        r.borrow()
            .as_ref()
            .and_then(|rec| rec.keys.get(&ThreadKey::Shuttle(task)).copied())
    })
}

impl Recorder {
    fn finish(mut self) -> Recording {
        // Distinct objects (or threads) that share a name are told apart everywhere the
        // recording is shown: `pod-lock#1`, `pod-lock#2`.
        tell_apart(
            &mut self.rec.objects,
            |o| &mut o.name,
            |o| &mut o.given_name,
        );
        tell_apart(
            &mut self.rec.threads,
            |t| &mut t.name,
            |t| &mut t.given_name,
        );
        let mut waiting: Vec<_> = self
            .waiting
            .into_iter()
            .map(|(t, (o, at))| (t, o, at))
            .collect();
        waiting.sort_by_key(|w| w.0);
        self.rec.waiting = waiting;
        self.rec.blocked = self.blocked;
        for (thread, locks) in self.held {
            for o in locks {
                self.rec.owners.insert(o, thread);
            }
        }
        for (key, thread) in self.keys {
            if let ThreadKey::Shuttle(task) = key {
                self.rec.shuttle_tasks.insert(task, thread);
            }
        }
        self.rec
    }

    fn current(&mut self) -> ThreadId {
        let key = current_key();
        match key.and_then(|k| self.keys.get(&k).copied()) {
            Some(t) => t,
            None => {
                // The first thread seen is the scenario's main thread.
                let id = self.rec.threads.len() as ThreadId;
                self.rec.threads.push(ThreadInfo {
                    id,
                    name: "main".into(),
                    spawned_at: None,
                    parent: None,
                    kind: UnitKind::Thread,
                    given_name: None,
                });
                if let Some(k) = key {
                    self.keys.insert(k, id);
                }
                id
            }
        }
    }
}

/// Register a shared object; returns its id while recording.
pub fn object(
    name: &str,
    kind: ObjectKind,
    initial: impl FnOnce() -> String,
    at: &'static Location<'static>,
) -> Option<ObjectId> {
    if crate::por::active() {
        return crate::por::object();
    }
    with(|r| {
        let id = r.rec.objects.len() as ObjectId;
        let created_at = Some(r.sources.loc(at));
        let created_by = Some(r.current());
        r.rec.objects.push(ObjectInfo {
            id,
            name: name.to_string(),
            kind,
            created_at,
            initial: Some(initial()),
            given_name: None,
            created_by,
        });
        id
    })
}

/// Reserve an id for a thread (or task, by `kind`) about to be spawned by the current thread.
pub fn new_thread(name: &str, kind: UnitKind, at: &'static Location<'static>) -> Option<ThreadId> {
    with(|r| {
        let parent = r.current();
        let id = r.rec.threads.len() as ThreadId;
        let spawned_at = Some(r.sources.loc(at));
        r.rec.threads.push(ThreadInfo {
            id,
            name: name.to_string(),
            spawned_at,
            parent: Some(parent),
            kind,
            given_name: None,
        });
        id
    })
}

/// Tell the recorder that the running model thread is `id`.
pub fn bind_current(id: ThreadId) {
    with(|r| {
        if let Some(k) = current_key() {
            r.keys.insert(k, id);
        }
    });
}

/// Record a step by the current thread. `event` is only built while recording.
pub fn step(at: &'static Location<'static>, event: impl FnOnce() -> Event) -> Option<StepId> {
    if crate::por::active() {
        let e = event();
        crate::por::touch(e.op, e.object);
        return None;
    }
    with(|r| {
        let e = event();
        let thread = r.current();
        let index = r.rec.steps.len() as StepId;
        // Only reads of atomics and cells carry a reads-from: the latest write before them,
        // which is exact under sequential consistency (shuttle, and cells everywhere: a cell
        // read that could see an older write is a data race loom reports). A loom atomic's
        // load may read an older store: `tracebuild` puts in the one loom's execution chose.
        let (mut reads_from, mut reads_initial) = (None, false);
        if let (Some(o), Some(a)) = (e.object, e.access) {
            if a.reads() && matches!(e.op, Op::Load | Op::Rmw | Op::CasFailed | Op::Read) {
                reads_from = r.writes.get(&o).and_then(|ws| ws.last()).map(|w| w.0);
                reads_initial = reads_from.is_none();
            }
            if a.writes() && e.op != Op::Unlock {
                let v = e.value.clone().unwrap_or_default();
                r.writes.entry(o).or_default().push((index, v));
            }
        }
        let at = r.sources.loc(at);
        let locks_held = r.held.get(&thread).cloned().unwrap_or_default();
        r.rec.steps.push(Step {
            index,
            thread,
            op: e.op,
            object: e.object,
            value: e.value,
            previous: e.previous,
            access: e.access,
            ordering: e.ordering,
            at,
            locks_held,
            reads_from,
            reads_initial,
            reads_from_guess: false,
            other_thread: e.other_thread,
            woken_by: e.woken_by,
            branch: e.branch.or_else(crate::task::branch::current).map(|b| {
                racebook_trace::SelectBranch {
                    select: r.sources.loc(b.select_at),
                    index: b.index as u32,
                    future: b.text.to_string(),
                }
            }),
        });
        if r.cap.is_some_and(|cap| r.rec.steps.len() >= cap) {
            r.frozen = true;
        }
        index
    })
}

/// Replace the value of a step recorded before its operation completed.
pub fn set_value(step: Option<StepId>, value: impl FnOnce() -> String) {
    if let Some(s) = step {
        with(|r| {
            let v = value();
            if let Some(st) = r.rec.steps.get_mut(s as usize) {
                st.value = Some(v);
            }
        });
    }
}

/// Set the value a recorded write replaced.
pub fn set_previous(step: Option<StepId>, previous: Option<String>) {
    if let (Some(s), Some(p)) = (step, previous) {
        with(|r| {
            if let Some(st) = r.rec.steps.get_mut(s as usize) {
                st.previous = Some(p);
            }
        });
    }
}
