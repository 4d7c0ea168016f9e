//! Recording facade operations into a trace. Recording is switched on only while a found
//! schedule is replayed, so exploration pays one thread-local check per operation and nothing
//! more. Recording is passive: it never adds a scheduling point, so a recorded replay takes
//! exactly the decisions the exploration took.

use racebook_trace::{
    Access, EngineKind, MemOrder, ObjectId, ObjectInfo, ObjectKind, Op, SourceLoc, Step, StepId,
    ThreadId, ThreadInfo,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

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
    struct Stop;
    impl Drop for Stop {
        fn drop(&mut self) {
            RECORDER.with(|r| r.borrow_mut().take());
        }
    }
    RECORDER.with(|r| *r.borrow_mut() = Some(Recorder::default()));
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

/// Threads waiting right now, with what they wait for and who holds it.
pub fn waiting_now() -> Vec<(ThreadId, String)> {
    RECORDER.with(|r| {
        let Some(rec) = r.borrow().as_ref().map(|rec| {
            let owner = |o: ObjectId| {
                rec.held
                    .iter()
                    .find(|(_, locks)| locks.contains(&o))
                    .map(|(t, _)| *t)
            };
            rec.waiting
                .iter()
                .map(|(&t, (o, _))| {
                    let name = rec
                        .rec
                        .objects
                        .get(*o as usize)
                        .map_or("?", |x| x.name.as_str())
                        .to_string();
                    let holder = owner(*o)
                        .and_then(|h| rec.rec.threads.get(h as usize))
                        .map(|h| format!(", held by {}", h.name))
                        .unwrap_or_default();
                    (t, format!("waits for {name}{holder}"))
                })
                .collect::<Vec<_>>()
        }) else {
            return Vec::new();
        };
        rec
    })
}

impl Recorder {
    fn finish(mut self) -> Recording {
        let mut waiting: Vec<_> = self
            .waiting
            .into_iter()
            .map(|(t, (o, at))| (t, o, at))
            .collect();
        waiting.sort_by_key(|w| w.0);
        self.rec.waiting = waiting;
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
    with(|r| {
        let id = r.rec.objects.len() as ObjectId;
        let created_at = Some(r.sources.loc(at));
        r.rec.objects.push(ObjectInfo {
            id,
            name: name.to_string(),
            kind,
            created_at,
            initial: Some(initial()),
        });
        id
    })
}

/// Reserve an id for a thread about to be spawned by the current thread.
pub fn new_thread(name: &str, at: &'static Location<'static>) -> Option<ThreadId> {
    with(|r| {
        let parent = r.current();
        let id = r.rec.threads.len() as ThreadId;
        let spawned_at = Some(r.sources.loc(at));
        r.rec.threads.push(ThreadInfo {
            id,
            name: name.to_string(),
            spawned_at,
            parent: Some(parent),
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
}

/// Record a step by the current thread. `event` is only built while recording.
pub fn step(at: &'static Location<'static>, event: impl FnOnce() -> Event) -> Option<StepId> {
    with(|r| {
        let e = event();
        let thread = r.current();
        let index = r.rec.steps.len() as StepId;
        let mut reads_from = None;
        if let (Some(o), Some(a)) = (e.object, e.access) {
            if a.reads() {
                // The latest write of the value read: exact under sequential consistency, and
                // the best available guess when loom let the read see an older write.
                let seen = if e.op == Op::Rmw {
                    e.previous.as_ref()
                } else {
                    e.value.as_ref()
                };
                reads_from = r
                    .writes
                    .get(&o)
                    .and_then(|ws| ws.iter().rev().find(|(_, v)| Some(v) == seen).map(|w| w.0));
            }
            if a.writes() && e.op != Op::Unlock {
                let v = e.value.clone().unwrap_or_default();
                r.writes.entry(o).or_default().push((index, v));
            }
        }
        // Only reads of atomics and cells carry a reads-from.
        let reads_from =
            reads_from.filter(|_| matches!(e.op, Op::Load | Op::Rmw | Op::CasFailed | Op::Read));
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
            other_thread: e.other_thread,
        });
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

/// The current thread now holds lock `object`.
pub fn acquired(object: Option<ObjectId>) {
    if let Some(o) = object {
        with(|r| {
            let t = r.current();
            r.waiting.remove(&t);
            r.held.entry(t).or_default().push(o);
        });
    }
}

/// Lock `object` was handed to `thread` by the current thread's release: `thread` holds it
/// from now on, whether or not it ever runs again.
pub fn hand_to(object: Option<ObjectId>, thread: Option<ThreadId>) {
    if let (Some(o), Some(t)) = (object, thread) {
        with(|r| {
            r.waiting.remove(&t);
            r.held.entry(t).or_default().push(o);
        });
    }
}

/// The current thread released lock `object`.
pub fn released(object: Option<ObjectId>) {
    if let Some(o) = object {
        with(|r| {
            let t = r.current();
            if let Some(v) = r.held.get_mut(&t) {
                if let Some(pos) = v.iter().rposition(|&x| x == o) {
                    v.remove(pos);
                }
            }
        });
    }
}

/// The current thread is about to block on `object`.
pub fn waiting_for(object: Option<ObjectId>, at: &'static Location<'static>) {
    if let Some(o) = object {
        with(|r| {
            let t = r.current();
            let loc = r.sources.loc(at);
            r.waiting.insert(t, (o, loc));
        });
    }
}

/// The current thread stopped waiting.
pub fn done_waiting() {
    with(|r| {
        let t = r.current();
        r.waiting.remove(&t);
    });
}

/// Source locations with the text of their line. Files are read once per process: a recorded
/// replay must not pay for file reads (the benchmark holds it to twice a raw replay).
#[derive(Default)]
struct SourceCache {
    files: HashMap<&'static str, Arc<Vec<String>>>,
}

/// Each source file's lines, trimmed, by the path rustc gave it.
type SourceFiles = HashMap<&'static str, Arc<Vec<String>>>;

fn source_lines(file: &'static str) -> Arc<Vec<String>> {
    static FILES: OnceLock<Mutex<SourceFiles>> = OnceLock::new();
    let mut files = FILES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    files
        .entry(file)
        .or_insert_with(|| {
            let text = std::fs::read_to_string(workspace_root().join(file))
                .or_else(|_| std::fs::read_to_string(file));
            Arc::new(
                text.map(|s| s.lines().map(|l| l.trim().to_string()).collect())
                    .unwrap_or_default(),
            )
        })
        .clone()
}

impl SourceCache {
    fn loc(&mut self, at: &'static Location<'static>) -> SourceLoc {
        let lines = self
            .files
            .entry(at.file())
            .or_insert_with(|| source_lines(at.file()));
        let text = lines.get(at.line().saturating_sub(1) as usize).cloned();
        SourceLoc {
            file: at.file().replace('\\', "/"),
            line: at.line(),
            column: at.column(),
            text,
        }
    }
}

/// The workspace root: rustc names source files relative to it.
pub fn workspace_root() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(find_workspace_root).clone()
}

fn find_workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok());
    let mut dir = start.unwrap_or_else(|| PathBuf::from("."));
    loop {
        let manifest = dir.join("Cargo.toml");
        if std::fs::read_to_string(&manifest).is_ok_and(|s| s.contains("[workspace]")) {
            return dir;
        }
        if !dir.pop() {
            return PathBuf::from(".");
        }
    }
}

/// A path relative to the workspace root when it is inside it.
pub fn relative(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
