//! Exporting the schedule tree of a variant for the visualizer's "play the scheduler" mode:
//! every schedule from a depth-first search, recorded, merged by common prefix. Only real
//! choices (two or more runnable threads) become nodes; forced moves stay on the edge before.

use crate::exercise::{Exercise, Variant};
use racebook_check::engines::shuttle::BoundedDfs;
use racebook_check::record::{self, Recording};
use racebook_check::run::{self, CapturedFailure, RunShared};
use racebook_trace::{
    Blocked, BlockedThread, Edge, EngineKind, Failure, ObjectInfo, Outcome, ScheduleTree, Step,
    TREE_FORMAT, TREE_VERSION, ThreadId, ThreadInfo, TreeNode,
};
use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Arc;

struct Decision {
    runnable: Vec<usize>,
    chosen: usize,
    steps_before: usize,
    waiting: Vec<(ThreadId, String)>,
}

struct Execution {
    decisions: Vec<Decision>,
    recording: Recording,
    failure: Option<CapturedFailure>,
}

struct State {
    ctx: Arc<RunShared>,
    current: Vec<Decision>,
    done: Vec<Execution>,
    limit: usize,
    started: bool,
    cut: bool,
}

impl State {
    fn close(&mut self, recording: Option<Recording>, failure: Option<CapturedFailure>) {
        let decisions = std::mem::take(&mut self.current);
        self.done.push(Execution {
            decisions,
            recording: recording.unwrap_or_default(),
            failure,
        });
    }
}

struct TreeScheduler {
    dfs: BoundedDfs,
    state: Rc<RefCell<State>>,
}

impl Scheduler for TreeScheduler {
    fn new_execution(&mut self) -> Option<Schedule> {
        racebook_check::blocking::clear_stop();
        let mut st = self.state.borrow_mut();
        if st.started {
            let failure = st.ctx.take();
            st.close(record::restart(), failure);
        }
        st.started = true;
        if st.done.len() >= st.limit {
            st.cut = true;
            return None;
        }
        self.dfs.new_execution()
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        // The facade found the run stuck: that execution is a leaf, stopped where it hung.
        if racebook_check::blocking::stop_requested() {
            return None;
        }
        let chosen = self.dfs.next_task(runnable, current, is_yielding)?;
        if record::frozen() {
            // Past a deadlock the facade stopped: the game ends at it (see `record::freeze`).
            return Some(chosen);
        }
        let decision = Decision {
            runnable: runnable.iter().map(|t| usize::from(t.id())).collect(),
            chosen: usize::from(chosen),
            steps_before: record::len(),
            waiting: racebook_check::blocking::waiting_words(),
        };
        self.state.borrow_mut().current.push(decision);
        Some(chosen)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}

/// Run every schedule of `body` (up to `limit`), recording each.
fn explore(
    body: racebook_check::scenario::Body,
    limit: usize,
    bound: usize,
    max_steps: usize,
) -> (Vec<Execution>, bool) {
    let ctx = Arc::new(RunShared::default());
    let state = Rc::new(RefCell::new(State {
        ctx: ctx.clone(),
        current: Vec::new(),
        done: Vec::new(),
        limit,
        started: false,
        cut: false,
    }));
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::None;
    config.max_steps = MaxSteps::FailAfter(max_steps);
    let scheduler = TreeScheduler {
        dfs: BoundedDfs::new(bound),
        state: state.clone(),
    };
    let runner = Runner::new(scheduler, config);
    let (result, last) = record::record(|| {
        run::with_context(ctx.clone(), || {
            racebook_check::engine::with_engine(EngineKind::Shuttle, || {
                panic::catch_unwind(AssertUnwindSafe(|| {
                    runner.run(move || racebook_check::engines::main_body(&body))
                }))
            })
        })
    });
    let mut st = state.borrow_mut();
    match result {
        Ok(_) if !st.cut => {}
        Ok(_) => return (std::mem::take(&mut st.done), false),
        Err(payload) => {
            // The engine stopped an execution itself (a deadlock): that execution is a leaf,
            // and the search cannot go on past it.
            let failure = ctx
                .take()
                .unwrap_or_else(|| run::failure_from_panic(payload.as_ref()));
            st.close(Some(last), Some(failure));
            return (std::mem::take(&mut st.done), false);
        }
    }
    (std::mem::take(&mut st.done), true)
}

/// Threads and objects by name, the same across executions.
#[derive(Default)]
struct Names {
    threads: Vec<ThreadInfo>,
    objects: Vec<ObjectInfo>,
}

impl Names {
    fn thread(&mut self, t: &ThreadInfo, parent: Option<ThreadId>) -> ThreadId {
        if let Some(i) = self.threads.iter().position(|x| x.name == t.name) {
            return i as ThreadId;
        }
        let id = self.threads.len() as ThreadId;
        self.threads.push(ThreadInfo {
            id,
            parent,
            ..t.clone()
        });
        id
    }

    fn object(&mut self, o: &ObjectInfo) -> u32 {
        if let Some(i) = self.objects.iter().position(|x| x.name == o.name) {
            return i as u32;
        }
        let id = self.objects.len() as u32;
        // Which thread made it is a fact of one execution; the tree merges many.
        self.objects.push(ObjectInfo {
            id,
            created_by: None,
            ..o.clone()
        });
        id
    }

    /// The blocked threads the facade listed when the execution was stuck, with global ids.
    fn blocked(&mut self, rec: &Recording, threads: &[ThreadId]) -> Vec<Blocked> {
        let objects: Vec<u32> = rec.objects.iter().map(|o| self.object(o)).collect();
        let thread = |t: ThreadId| threads.get(t as usize).copied();
        rec.blocked
            .iter()
            .flatten()
            .filter_map(|b| {
                Some(Blocked {
                    thread: thread(b.thread)?,
                    waiting_for: b.waiting_for.and_then(|o| objects.get(o as usize).copied()),
                    held_by: b.held_by.and_then(thread),
                    for_thread: b.for_thread.and_then(thread),
                    ..b.clone()
                })
            })
            .collect()
    }

    /// The execution's steps with thread and object ids made global.
    fn remap(&mut self, rec: &Recording) -> (Vec<Step>, Vec<ThreadId>) {
        let mut threads = Vec::new();
        for t in &rec.threads {
            let parent = t.parent.and_then(|p| threads.get(p as usize).copied());
            threads.push(self.thread(t, parent));
        }
        let objects: Vec<u32> = rec.objects.iter().map(|o| self.object(o)).collect();
        let steps = rec
            .steps
            .iter()
            .map(|s| Step {
                thread: threads[s.thread as usize],
                object: s.object.map(|o| objects[o as usize]),
                other_thread: s.other_thread.map(|t| threads[t as usize]),
                locks_held: s.locks_held.iter().map(|&o| objects[o as usize]).collect(),
                ..s.clone()
            })
            .collect();
        (steps, threads)
    }
}

/// The leaf's failure. A stuck run keeps the facade's list of blocked threads (ids made global;
/// its steps are numbered as the game numbers the path), so the game can say what each waits on
/// and bracket the wake it missed.
fn failure_of(f: &CapturedFailure, step: Option<u32>, blocked: Vec<Blocked>) -> Failure {
    Failure {
        kind: f.kind,
        invariant: f.invariant.clone(),
        expected: f.expected.clone(),
        observed: f.observed.clone(),
        step,
        message: f.message.clone(),
        blocked,
    }
}

/// The schedule tree of `variant`: every schedule with at most `bound` preemptions, up to
/// `limit` schedules.
pub fn tree(ex: &Exercise, variant: &Variant, limit: usize, bound: usize) -> ScheduleTree {
    let (executions, complete) = explore(variant.scenario(), limit, bound, ex.budgets.max_steps);
    let mut names = Names::default();
    let mut nodes = vec![TreeNode {
        edges: Vec::new(),
        blocked: Vec::new(),
        outcome: None,
        schedules: 0,
        failing: 0,
        shortest_failure: None,
    }];
    let mut prelude: Option<Vec<Step>> = None;
    for exec in &executions {
        let (steps, local) = names.remap(&exec.recording);
        let thread_of = |task: usize| {
            exec.recording
                .shuttle_tasks
                .get(&task)
                .map(|&t| local[t as usize])
        };
        // Real choices: where two or more threads could run.
        let choices: Vec<&Decision> = exec
            .decisions
            .iter()
            .filter(|d| d.runnable.len() >= 2)
            .collect();
        let cut = |i: usize| {
            choices
                .get(i)
                .map_or(steps.len(), |d| d.steps_before.min(steps.len()))
        };
        if prelude.is_none() {
            prelude = Some(steps[..cut(0)].to_vec());
        }
        let mut at = 0usize;
        for (i, d) in choices.iter().enumerate() {
            let Some(thread) = thread_of(d.chosen) else {
                break;
            };
            let runnable: Vec<ThreadId> = d.runnable.iter().filter_map(|&t| thread_of(t)).collect();
            if nodes[at].edges.is_empty() && nodes[at].blocked.is_empty() {
                nodes[at].blocked = d
                    .waiting
                    .iter()
                    .filter_map(|(t, reason)| {
                        let global = local.get(*t as usize).copied()?;
                        (!runnable.contains(&global)).then(|| BlockedThread {
                            thread: global,
                            reason: reason.clone(),
                        })
                    })
                    .collect();
            }
            at = match nodes[at].edges.iter().find(|e| e.thread == thread) {
                Some(e) => e.child as usize,
                None => {
                    let child = nodes.len() as u32;
                    let seg = steps[cut(i)..cut(i + 1)].to_vec();
                    nodes[at].edges.push(Edge {
                        thread,
                        child,
                        steps: seg,
                    });
                    nodes.push(TreeNode {
                        edges: Vec::new(),
                        blocked: Vec::new(),
                        outcome: None,
                        schedules: 0,
                        failing: 0,
                        shortest_failure: None,
                    });
                    child as usize
                }
            };
        }
        let last = steps.len().checked_sub(1).map(|s| s as u32);
        let blocked = names.blocked(&exec.recording, &local);
        nodes[at].outcome = Some(Outcome {
            passed: exec.failure.is_none(),
            failure: exec.failure.as_ref().map(|f| failure_of(f, last, blocked)),
        });
    }
    // Counts and shortest distances, children before parents (children have larger ids).
    for i in (0..nodes.len()).rev() {
        let (mut schedules, mut failing, mut shortest) = (0, 0, None::<u32>);
        if let Some(o) = &nodes[i].outcome {
            schedules = 1;
            failing = u64::from(!o.passed);
            if !o.passed {
                shortest = Some(0);
            }
        }
        for e in &nodes[i].edges {
            let c = &nodes[e.child as usize];
            schedules += c.schedules;
            failing += c.failing;
            if let Some(d) = c.shortest_failure {
                shortest = Some(shortest.map_or(d + 1, |s: u32| s.min(d + 1)));
            }
        }
        nodes[i].schedules = schedules;
        nodes[i].failing = failing;
        nodes[i].shortest_failure = shortest;
    }
    ScheduleTree {
        format: TREE_FORMAT.into(),
        version: TREE_VERSION,
        exercise: ex.slug.into(),
        variant: variant.name.into(),
        invariant: ex.invariant.into(),
        threads: names.threads,
        objects: names.objects,
        prelude: prelude.unwrap_or_default(),
        schedules: nodes[0].schedules,
        failing: nodes[0].failing,
        nodes,
        complete,
        preemption_bound: u32::try_from(bound).ok(),
    }
}
