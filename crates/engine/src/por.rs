//! Footprints for the reduced exhaustive search (`engines::shuttle::reduced`): which facade
//! objects each step of a task touched, and how, so that the search can tell two steps that
//! commute from two that do not. Collected only while a reduced search runs; recording (the
//! trace of a replay) and footprints are never on together.
//!
//! Objects are named by who made them (the shuttle task and its count of objects made so far),
//! not by address or by creation order across tasks: two orders of independent steps must give
//! every object the same name, or a footprint taken in one schedule would not match the next.

use racebook_trace::{ObjectId, Op};
use std::cell::RefCell;
use std::collections::HashMap;

/// What one step of a task did to shared state, as far as the facade saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footprint {
    reads: Vec<ObjectId>,
    writes: Vec<ObjectId>,
    /// Something the footprint cannot describe (a spawn, a join, a look at every thread's
    /// state): dependent with every other step.
    opaque: bool,
}

impl Footprint {
    /// A step the search knows nothing about: dependent with everything.
    pub fn unknown() -> Footprint {
        Footprint {
            opaque: true,
            ..Footprint::default()
        }
    }

    fn read(&mut self, o: ObjectId) {
        if !self.reads.contains(&o) {
            self.reads.push(o);
        }
    }

    fn write(&mut self, o: ObjectId) {
        if !self.writes.contains(&o) {
            self.writes.push(o);
        }
    }

    /// Both footprints together (the step's effects may fall on either side of its
    /// scheduling point; see `reduced`).
    pub fn union(&self, other: &Footprint) -> Footprint {
        let mut u = self.clone();
        u.opaque |= other.opaque;
        for &o in &other.reads {
            u.read(o);
        }
        for &o in &other.writes {
            u.write(o);
        }
        u
    }

    /// Two steps commute and neither can enable or disable the other: they touch different
    /// objects, or only read the ones they share. An opaque footprint is dependent with
    /// everything (the sound fallback); an empty one touched nothing shared (a yield, a
    /// thread's local work) and commutes with everything.
    pub fn independent(&self, other: &Footprint) -> bool {
        if self.opaque || other.opaque {
            return false;
        }
        let clash = |w: &[ObjectId], o: &Footprint| {
            w.iter()
                .any(|x| o.writes.contains(x) || o.reads.contains(x))
        };
        !clash(&self.writes, other) && !clash(&other.writes, self)
    }
}

#[derive(Default)]
struct Tracker {
    /// What the running task touched since the last scheduling point.
    current: Footprint,
    /// The part of `current` whose effect may fall after the next scheduling point: every
    /// operation but those the facade records right after the engine ran them.
    carry: Footprint,
    /// Objects made so far, per task.
    made: HashMap<usize, u32>,
    /// The running step named what its coming join, park, wait or unpark touches, which
    /// it records with no object (see `joined`, `parking`).
    named: bool,
}

thread_local! {
    static TRACKER: RefCell<Option<Tracker>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut Tracker) -> R) -> Option<R> {
    TRACKER.with(|t| t.borrow_mut().as_mut().map(f))
}

/// Collect footprints on this OS thread (where shuttle runs every task) until [`stop`].
pub fn start() {
    TRACKER.with(|t| *t.borrow_mut() = Some(Tracker::default()));
}

pub fn stop() {
    TRACKER.with(|t| *t.borrow_mut() = None);
}

/// A new execution: names start again.
pub fn new_execution() {
    with(|t| *t = Tracker::default());
}

/// Whether footprints are being collected.
#[inline]
pub fn active() -> bool {
    TRACKER.with(|t| t.borrow().is_some())
}

/// The name of an object the running task makes now, while footprints are collected.
pub(crate) fn object() -> Option<ObjectId> {
    let task = shuttle::current::try_get_current_task().map(usize::from)?;
    with(|t| {
        let n = t.made.entry(task).or_default();
        *n += 1;
        match (u32::try_from(task + 1), *n) {
            // 11 bits of task, 20 of count: beyond that every name is the same, which only
            // makes steps look dependent (never independent) when they are not.
            (Ok(task), n) if task < (1 << 11) && n < (1 << 20) => (task << 20) | n,
            _ => ObjectId::MAX,
        }
    })
}

/// The name of facade state kept behind a model lock (a notify's permit, a condvar's or a
/// channel's bookkeeping), made now: `None` unless footprints are collected.
pub fn state_object() -> Option<ObjectId> {
    active().then(|| object().unwrap_or(ObjectId::MAX))
}

/// The running task used the facade state named `name` (see [`state_object`]) just after a
/// scheduling point. Such state is read and written without a recorded step (making a
/// `Notified` reads how many `notify_waiters` came before it), so each use counts as a write:
/// a step that looks at a notify's state does not commute with one that notifies. Unnamed
/// state makes the step opaque.
pub fn state_access(name: Option<ObjectId>) {
    touch(Op::Rmw, Some(name.unwrap_or(ObjectId::MAX)));
}

/// A thread or task as an object, named by its shuttle task (`blocking::task_of` finds it for
/// a facade thread): its last step writes it (`finished`), a join reads it (`joined`).
/// Shuttle numbers tasks in spawn order, and spawns keep their order among themselves (each
/// writes [`SPAWNS`]), so two orders of independent steps give every unit the same name.
/// Above every maker's name (those stay below 2^31).
fn unit(task: usize) -> ObjectId {
    0x8000_0000 | index(task)
}

/// The park token of shuttle task `task`, with whether it is parked: a park and an unpark of
/// it write it.
fn token(task: usize) -> ObjectId {
    0xc000_0000 | index(task)
}

fn index(task: usize) -> u32 {
    u32::try_from(task).map_or(0x3fff_0000, |t| t.min(0x3fff_0000))
}

/// Written by every spawn: shuttle's task ids and the facade's are counts of spawns so far.
const SPAWNS: ObjectId = ObjectId::MAX - 1;

/// The running step spawns a task the facade records no `Spawn` for (a timer's clock): it
/// moves the count of spawns all the same.
pub fn spawning() {
    with(|k| {
        k.current.write(SPAWNS);
        k.carry.write(SPAWNS);
    });
}

/// Add `object` to the running step (both sides of its scheduling point); with `named`, the
/// object-less join, park, wait or unpark recorded next is described by it and not opaque. An
/// unknown task (`None`) makes the step opaque.
fn unit_access(object: Option<ObjectId>, write: bool, named: bool) {
    let Some(o) = object else {
        opaque();
        return;
    };
    with(|k| {
        for f in [&mut k.current, &mut k.carry] {
            if write { f.write(o) } else { f.read(o) }
        }
        k.named |= named;
    });
}

/// The running step is the last of its task: whoever joins it depends on it.
pub(crate) fn finished() {
    let me = shuttle::current::try_get_current_task().map(usize::from);
    unit_access(me.map(unit), true, false);
}

/// The running step joins shuttle task `task`; the `Join` recorded after it is then
/// described, and not opaque.
pub(crate) fn joined(task: Option<usize>) {
    unit_access(task.map(unit), false, true);
}

/// The running step parks shuttle task `task` or unparks it: the park, wait or unpark recorded
/// after it (with no object) touches the task's token, and is not opaque.
pub(crate) fn parking(task: Option<usize>) {
    unit_access(task.map(token), true, true);
}

/// The running step asked whether shuttle task `task` has finished.
pub fn looked_at(task: Option<usize>) {
    unit_access(task.map(unit), false, false);
}

/// The running task did `op` on `object`.
pub(crate) fn touch(op: Op, object: Option<ObjectId>) {
    with(|t| {
        // An atomic access, a lock taken, a cell access: recorded just after the engine ran
        // it, so within the step that ran it. Anything else (an unlock is recorded before the
        // release's own scheduling point) is carried into the task's next step as well.
        let exact = matches!(
            op,
            Op::Load
                | Op::Store
                | Op::Rmw
                | Op::CasFailed
                | Op::Lock
                | Op::ReadLock
                | Op::TryLockFailed
                | Op::Read
                | Op::Write
        );
        // A join names the unit it waited for (`joined`), a park the token (`parking`), just
        // before they are recorded; those that did not are opaque.
        let named = matches!(op, Op::Join | Op::Wait | Op::Block | Op::Unpark)
            && object.is_none()
            && std::mem::take(&mut t.named);
        let add = |f: &mut Footprint| match (op, object) {
            // Steps that touch nothing shared: a marker, a yield, a sleep (time is nothing
            // here), a fence (shuttle runs every interleaving sequentially consistent: it
            // changes nothing), a thread's first step; its last writes its unit (`finished`),
            // which a join reads. A `select!`'s choice is a marker too: the branch's own
            // operations and the dropping of the others (their waits, queue places and
            // tracked state) are recorded by the operations themselves. So is a timer's fire:
            // the timer's and its clock's state are tracked (`task::time`), and the task it
            // wakes reads that state when it polls the timer.
            (
                Op::Mark
                | Op::Yield
                | Op::Sleep
                | Op::Fence
                | Op::Start
                | Op::Finish
                | Op::Select
                | Op::Fire,
                _,
            ) => {}
            (_, None) if named => {}
            // A spawn only adds a thread, which nothing ran before; what it changes for the
            // others is the count that names the next thread.
            (Op::Spawn, _) => f.write(SPAWNS),
            (_, None) => f.opaque = true,
            (Op::Load | Op::CasFailed | Op::Read, Some(o)) => f.read(o),
            (_, Some(o)) => f.write(o),
        };
        add(&mut t.current);
        if !exact {
            add(&mut t.carry);
        }
    });
}

/// The running step looked at every thread's state (is the run stuck? does time go on?):
/// its outcome depends on every other thread's steps.
pub(crate) fn opaque() {
    with(|t| {
        t.current.opaque = true;
        t.carry.opaque = true;
    });
}

/// What the running task touched since the last call (the step that just ended), and the part
/// of it to carry into the task's next step.
pub fn take() -> (Footprint, Footprint) {
    with(|t| {
        t.named = false;
        (std::mem::take(&mut t.current), std::mem::take(&mut t.carry))
    })
    .unwrap_or_else(|| (Footprint::unknown(), Footprint::unknown()))
}
