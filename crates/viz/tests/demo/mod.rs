//! The generator of the demo fixtures in `web/fixtures/racebook/demo/`: a tiny model of the
//! counter-map scenario (main spawns two workers that each count item "a" once in a
//! Mutex-protected map, joins them, and checks the count). The broken worker reads under one
//! lock acquisition and writes under another; the fixed one does both under one. Its traces and
//! schedule trees are what the harness exports for such a scenario, with the conflict found by
//! the trace model itself, so the fixtures stay realistic and cannot drift from the model.

use racebook_trace::schedule::encode;
use racebook_trace::{
    Access, BlockedThread, Discovery, Edge, EngineKind, Failure, FailureKind, ObjectInfo,
    ObjectKind, Op, Outcome, ScheduleRef, ScheduleTree, SourceLoc, Step, TRACE_FORMAT,
    TRACE_VERSION, TREE_FORMAT, TREE_VERSION, ThreadInfo, Trace, TreeNode, find_conflict,
};

mod schedule_tree;
pub use schedule_tree::tree;

pub const EXERCISE: &str = "demo";
const INVARIANT: &str = "every item is counted once";
const MAIN: u32 = 0;
const COUNTS: u32 = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Spawn(u32),
    Start,
    Lock,
    /// Release after reading the count into the thread's local copy.
    UnlockRead,
    /// Release after writing local copy + 1 (the broken write-back).
    UnlockWriteStale,
    /// Release after writing the map's current count + 1 (the fix).
    UnlockWriteFresh,
    Finish,
    Join(u32),
}

/// Where each action of each variant is in the (imagined) exercise source.
fn loc(variant: &str, thread: u32, action: Action, index_in_thread: usize) -> SourceLoc {
    let (file, line, column, text) = match (thread, action) {
        (MAIN, Action::Spawn(_)) => (
            "lib.rs",
            22,
            13,
            "thread::spawn(move || count(&counts, \"a\"))",
        ),
        (MAIN, Action::Join(_)) => ("lib.rs", 24, 32, "for w in workers { w.join().unwrap(); }"),
        (MAIN, _) => ("lib.rs", 25, 27, "let counts = counts.lock().unwrap();"),
        (_, Action::Start | Action::Finish) => (
            "lib.rs",
            22,
            35,
            "thread::spawn(move || count(&counts, \"a\"))",
        ),
        _ if variant == "broken" && index_in_thread <= 2 => (
            "broken.rs",
            9,
            23,
            "let seen = *counts.lock().unwrap().get(item).unwrap_or(&0);",
        ),
        _ if variant == "broken" => (
            "broken.rs",
            10,
            12,
            "counts.lock().unwrap().insert(item.to_string(), seen + 1);",
        ),
        (_, Action::Lock) => (
            "fixed_lock.rs",
            9,
            26,
            "let mut map = counts.lock().unwrap();",
        ),
        _ => (
            "fixed_lock.rs",
            10,
            5,
            "*map.entry(item.to_string()).or_insert(0) += 1;",
        ),
    };
    SourceLoc {
        file: format!("exercises/01-counter-map/src/{file}"),
        line,
        column,
        text: Some(text.to_string()),
    }
}

/// Each thread's code, cut where the scheduler may switch threads.
fn program(variant: &str, thread: u32) -> Vec<Vec<Action>> {
    use Action::*;
    match (variant, thread) {
        (_, MAIN) => vec![
            vec![Spawn(1), Spawn(2)],
            vec![Join(1)],
            vec![Join(2), Lock, UnlockRead],
        ],
        ("broken", _) => vec![
            vec![Start, Lock, UnlockRead],
            vec![Lock, UnlockWriteStale, Finish],
        ],
        // The fix can be preempted inside its critical section; the other worker then waits.
        _ => vec![vec![Start, Lock], vec![UnlockWriteFresh, Finish]],
    }
}

fn render(count: Option<u32>) -> String {
    match count {
        None => "{}".to_string(),
        Some(n) => format!("{{\"a\": {n}}}"),
    }
}

#[derive(Debug, Clone)]
struct World {
    variant: &'static str,
    count: Option<u32>,
    /// Each thread's local copy of the count it read.
    local: [Option<u32>; 3],
    holder: Option<u32>,
    finished: [bool; 3],
    spawned: [bool; 3],
    /// Next segment, and actions run so far, of each thread.
    segment: [usize; 3],
    done_actions: [usize; 3],
    steps: Vec<Step>,
}

const NAMES: [&str; 3] = ["main", "worker-0", "worker-1"];

impl World {
    fn new(variant: &'static str) -> World {
        World {
            variant,
            count: None,
            local: [None; 3],
            holder: None,
            finished: [false; 3],
            spawned: [true, false, false],
            segment: [0; 3],
            done_actions: [0; 3],
            steps: Vec::new(),
        }
    }

    /// Why `thread` cannot do `action` now, if it cannot.
    fn blocked(&self, thread: u32, action: Action) -> Option<String> {
        match action {
            Action::Lock => self
                .holder
                .filter(|&h| h != thread)
                .map(|h| format!("waits for counts, held by {}", NAMES[h as usize])),
            Action::Join(t) if !self.finished[t as usize] => {
                Some(format!("waits for {} to finish", NAMES[t as usize]))
            }
            _ => None,
        }
    }

    fn apply(&mut self, thread: u32, action: Action) {
        let at = loc(
            self.variant,
            thread,
            action,
            self.done_actions[thread as usize],
        );
        self.done_actions[thread as usize] += 1;
        let mut step = Step {
            index: self.steps.len() as u32,
            thread,
            op: Op::Yield,
            object: None,
            value: None,
            previous: None,
            access: None,
            ordering: None,
            at,
            locks_held: Vec::new(),
            reads_from: None,
            reads_initial: false,
            reads_from_guess: false,
            other_thread: None,
            woken_by: None,
            branch: None,
        };
        match action {
            Action::Spawn(t) => {
                step.op = Op::Spawn;
                step.other_thread = Some(t);
                self.spawned[t as usize] = true;
            }
            Action::Start => step.op = Op::Start,
            Action::Finish => {
                step.op = Op::Finish;
                self.finished[thread as usize] = true;
            }
            Action::Join(t) => {
                step.op = Op::Join;
                step.other_thread = Some(t);
            }
            Action::Lock => {
                self.holder = Some(thread);
                step.op = Op::Lock;
                step.object = Some(COUNTS);
                step.value = Some(render(self.count));
                // As the harness records it: taking the lock reads the value it guards.
                step.access = Some(Access::Read);
                step.locks_held = vec![COUNTS];
            }
            Action::UnlockRead | Action::UnlockWriteStale | Action::UnlockWriteFresh => {
                step.op = Op::Unlock;
                step.object = Some(COUNTS);
                step.locks_held = vec![COUNTS];
                self.holder = None;
                if action == Action::UnlockRead {
                    self.local[thread as usize] = self.count;
                } else {
                    let base = if action == Action::UnlockWriteStale {
                        self.local[thread as usize]
                    } else {
                        self.count
                    };
                    step.previous = Some(render(self.count));
                    self.count = Some(base.unwrap_or(0) + 1);
                    step.access = Some(Access::Write);
                }
                step.value = Some(render(self.count));
            }
        }
        self.steps.push(step);
    }

    fn segments_left(&self, thread: u32) -> bool {
        self.spawned[thread as usize]
            && self.segment[thread as usize] < program(self.variant, thread).len()
    }

    /// Run `thread`'s next segment, or say why it cannot start it.
    fn run_segment(&mut self, thread: u32) -> Result<(), String> {
        let seg = program(self.variant, thread)[self.segment[thread as usize]].clone();
        let mut trial = self.clone();
        for &a in &seg {
            if let Some(reason) = trial.blocked(thread, a) {
                return Err(reason);
            }
            trial.apply(thread, a);
        }
        trial.segment[thread as usize] += 1;
        *self = trial;
        Ok(())
    }

    fn failure(&self) -> Option<Failure> {
        (self.count != Some(2)).then(|| Failure {
            kind: FailureKind::Invariant,
            invariant: INVARIANT.to_string(),
            expected: Some(render(Some(2))),
            observed: Some(render(self.count)),
            step: Some(self.steps.len() as u32 - 1),
            message: format!(
                "After both workers finished, main found counts = {}.",
                render(self.count)
            ),
            blocked: Vec::new(),
        })
    }
}

fn threads() -> Vec<ThreadInfo> {
    NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| ThreadInfo {
            id: i as u32,
            name: name.to_string(),
            spawned_at: (i > 0).then(|| loc("broken", MAIN, Action::Spawn(i as u32), 0)),
            parent: (i > 0).then_some(MAIN),
            kind: Default::default(),
            given_name: None,
        })
        .collect()
}

fn objects() -> Vec<ObjectInfo> {
    vec![ObjectInfo {
        id: COUNTS,
        name: "counts".to_string(),
        kind: ObjectKind::Mutex,
        created_at: Some(SourceLoc {
            file: "exercises/01-counter-map/src/lib.rs".to_string(),
            line: 18,
            column: 18,
            text: Some("let counts = Arc::new(Mutex::new(HashMap::new()));".to_string()),
        }),
        initial: Some("{}".to_string()),
        given_name: None,
        created_by: None,
    }]
}

/// The segment choices of the broken run the demo trace shows: worker-0 reads, worker-1 reads
/// and writes, worker-0 writes back its stale copy.
const LOST_UPDATE: [u32; 7] = [0, 1, 2, 2, 1, 0, 0];

/// Per-step choices of the broken run, replayed step by step on `variant`: a thread that cannot
/// go on is replaced by the first one that can, as the harness's replay does.
pub fn trace(variant: &'static str) -> Trace {
    let mut broken = World::new("broken");
    for t in LOST_UPDATE {
        broken
            .run_segment(t)
            .expect("the lost-update schedule runs");
    }
    let wanted: Vec<u32> = broken.steps.iter().map(|s| s.thread).collect();

    let mut world = World::new(variant);
    let mut taken = Vec::new();
    let flat: Vec<Vec<Action>> = (0..3).map(|t| program(variant, t).concat()).collect();
    let mut pc = [0usize; 3];
    let mut want = wanted.into_iter();
    let mut preemptions = 0;
    let can_run = |w: &World, pc: &[usize; 3], t: u32| {
        w.spawned[t as usize]
            && flat[t as usize]
                .get(pc[t as usize])
                .is_some_and(|&a| w.blocked(t, a).is_none())
    };
    loop {
        let preferred = want.next();
        let Some(t) = preferred
            .filter(|&t| can_run(&world, &pc, t))
            .or_else(|| (0..3).find(|&t| can_run(&world, &pc, t)))
        else {
            break;
        };
        // Switching away from a thread that could have gone on is a preemption.
        if taken
            .last()
            .is_some_and(|&p| p != t && can_run(&world, &pc, p))
        {
            preemptions += 1;
        }
        world.apply(t, flat[t as usize][pc[t as usize]]);
        pc[t as usize] += 1;
        taken.push(t);
    }
    let failure = world.failure();
    let tree_counts = tree(variant);
    let mut trace = Trace {
        format: TRACE_FORMAT.to_string(),
        version: TRACE_VERSION,
        exercise: EXERCISE.to_string(),
        variant: variant.to_string(),
        found: failure.as_ref().map(|_| Discovery {
            engine: EngineKind::Shuttle,
            strategy: "dfs".to_string(),
            seed: None,
            first_failure_at: 2,
            schedules: tree_counts.schedules,
            failing: tree_counts.failing,
            elapsed_micros: 840,
        }),
        schedule: ScheduleRef {
            engine: EngineKind::Shuttle,
            encoded: encode(&taken).expect("three threads fit the schedule string"),
            preemptions,
            spurious_failure: None,
        },
        threads: threads(),
        objects: objects(),
        steps: world.steps,
        failure,
        conflict: None,
    };
    if trace.failure.is_some() {
        trace.conflict = find_conflict(&trace);
    }
    trace
}
