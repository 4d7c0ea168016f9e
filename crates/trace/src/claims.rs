//! Typed claims: every sentence of a "why" is one of these, made of step, thread and object
//! references into the trace. The diagnosis (`conflict`, `diagnosis`) finds them; an
//! independent checker (`confirm`) tests each one against the trace from the claim's meaning
//! alone; only then does `words` render it. Each variant's comment is what it asserts.

use crate::model::{ConflictKind, ObjectId, StepId, ThreadId};
use serde::{Deserialize, Serialize};

mod aba;
mod dropped;
mod each_call;
mod handshake;
mod labels;
mod words;
pub use labels::label;
pub use words::sentence;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "claim", rename_all = "snake_case")]
pub enum Claim {
    /// `first` and `second` are accesses of two threads to one checked cell, at least one a
    /// write, and no happens-before edge orders them either way.
    Unordered { first: StepId, second: StepId },
    /// `load` (an atomic load) returned a value older than `store`, the latest store to that
    /// atomic before it in the run, by another thread; `store` does not happen-before `load`.
    StaleLoad { store: StepId, load: StepId },
    /// Thread T read O at `read`; U (not T) wrote O at `foreign_write`, the only write to O
    /// between `read` and `write_back`; T's plain write `write_back` replaced it. T did not
    /// write O after `read`, did not read O after `foreign_write`, and no other thread read
    /// U's value before it was replaced.
    OverwrittenAndLost {
        read: StepId,
        foreign_write: StepId,
        write_back: StepId,
    },
    /// As `OverwrittenAndLost`, except that T read O again after U's write; T's write left
    /// exactly U's value, and U had changed O from what T read at `read`: two updates, one
    /// change.
    TwoUpdatesCountOnce {
        read: StepId,
        foreign_write: StepId,
        write_back: StepId,
    },
    /// T wrote O at `own_write`; `read_back` is T's next access to O, a read, and it did not
    /// return T's value; `foreign_write` is the first write to O after `own_write`, by U.
    SplitByForeignWrite {
        own_write: StepId,
        foreign_write: StepId,
        read_back: StepId,
    },
    /// T read O at `check`; `act` is T's next access to O; U wrote O at `change` in between,
    /// and what O held at `act` differs from what `check` read.
    CheckThenAct {
        check: StepId,
        change: StepId,
        act: StepId,
    },
    /// `write` (a plain write by T) is the first access to O after `replaced` (U's write, U not
    /// T): nothing read U's value before it was gone.
    OverwrittenUnread { replaced: StepId, write: StepId },
    /// W wrote P at `publish`, then B at `write`; R, after reading P's new value (from
    /// `publish`) at `flag_read`, read B at `read`, before `write`.
    PublishedBefore {
        publish: StepId,
        flag_read: StepId,
        read: StepId,
        write: StepId,
    },
    /// R read B at `read`; W then wrote B at `write` and P at `publish` (a new value), and R
    /// read that P at `flag_read`: R saw W's new P with the B from before W's write.
    ReadBeforeFlag {
        read: StepId,
        write: StepId,
        publish: StepId,
        flag_read: StepId,
    },
    /// W stored data D at `data_store`, then flag F at `flag_store`; R loaded F's new value
    /// (from `flag_store`) at `flag_load`, then loaded D at `data_load` and missed
    /// `data_store`; the flag's store is not Release or its load not Acquire.
    UnsyncedFlag {
        data_store: StepId,
        flag_store: StepId,
        flag_load: StepId,
        data_load: StepId,
    },
    /// T1 did `before`, then wrote atomic F at `write`; T2 (not T1) read F at `read`, before
    /// `after`, and got `write`'s value, directly or through read-modify-writes of other threads
    /// that continue it. `release_fence` is T1's release fence between `before` and `write`
    /// and `acquire_fence` T2's acquire fence between `read` and `after`, where there is one
    /// (and there is none where they are `None`); `early_fence` is an acquire fence of T2
    /// before `read`. The handshake lacks its Release half, its Acquire half, or both.
    MissingHalf {
        before: StepId,
        write: StepId,
        read: StepId,
        after: StepId,
        release_fence: Option<StepId>,
        acquire_fence: Option<StepId>,
        early_fence: Option<StepId>,
    },
    /// Only `thread` ever takes `lock` in the run, it holds it at one of the pair's steps, and
    /// `outsider` (another thread) used the same data without holding it.
    OnlyTakenBy {
        lock: ObjectId,
        thread: ThreadId,
        outsider: StepId,
    },
    /// Distinct locks made at one place in the source, each taken by one thread only, a
    /// different one for each; at least one is held at one of the pair's steps.
    EachCallMakesItsOwn { locks: Vec<ObjectId> },
    /// One thread's atomic `load` and later plain `store` of the same atomic, with another
    /// thread's write between them.
    SplitAtomic { load: StepId, store: StepId },
    /// T wrote O at `first_try`, then read O at `found_replaced` and got a value that was not
    /// its own, and wrote the same value as before at `retry`.
    RetriedWrite {
        first_try: StepId,
        found_replaced: StepId,
        retry: StepId,
    },
    /// T read O at `first_check` and again at `check`, the same operation seeing the same
    /// value, with no write of T to O between.
    RepeatedCheck { first_check: StepId, check: StepId },
    /// `thread` took `lock` at `take`, never released it, and is blocked asking for it again.
    SelfDeadlock {
        take: StepId,
        thread: ThreadId,
        lock: ObjectId,
    },
    /// `thread` took `lock` at `take` while polling the future of one branch of a `select!`;
    /// at `choice` that same `select!` chose another branch; no later step of `thread` was made
    /// in the taking branch, `thread` never released `lock`, and at the end `thread` is blocked
    /// asking for `lock`, held by itself: a futurelock.
    Futurelock {
        take: StepId,
        choice: StepId,
        thread: ThreadId,
        lock: ObjectId,
    },
    /// T received a value at `recv` (a receive step made inside branch B of a `select!`, whose
    /// future the `select!` owns: it is not written as a borrow); at `choice`, with no choice of
    /// that `select!` between, the same `select!` chose another branch, so B's future was
    /// dropped unfinished; no later step of T receives that value from the same object again.
    DroppedInSelect { recv: StepId, choice: StepId },
    /// T's access `read` of atomic O saw V; a write of another thread (`away`) changed O to a
    /// value other than V, and the last write to O before `cas` (`back`, not T's) left V again;
    /// `cas` is T's read-modify-write of O that found V, and T's accesses to O between `read`
    /// and `cas` are loads (or failed swaps) that returned V. With `stale`: T loaded
    /// another atomic L at a step between `read` and `cas`, and the last write to L
    /// before `cas` (the second step, by another thread) left a value other than T's.
    Aba {
        read: StepId,
        away: StepId,
        back: StepId,
        cas: StepId,
        stale: Option<(StepId, StepId)>,
    },
    /// The last pair of accesses of two threads to one object, at least one a write, in the
    /// order the run made them: no more than that is claimed.
    General { first: StepId, second: StepId },
}

/// The steps a claim is about, in the order the report lists them.
impl Claim {
    pub fn steps(&self) -> Vec<StepId> {
        use Claim::*;
        match self {
            Unordered { first, second } | General { first, second } => vec![*first, *second],
            StaleLoad { store, load } => vec![*store, *load],
            OverwrittenAndLost {
                read,
                foreign_write,
                write_back,
            }
            | TwoUpdatesCountOnce {
                read,
                foreign_write,
                write_back,
            } => vec![*read, *foreign_write, *write_back],
            SplitByForeignWrite {
                own_write,
                foreign_write,
                read_back,
            } => vec![*own_write, *foreign_write, *read_back],
            CheckThenAct { check, change, act } => vec![*check, *change, *act],
            OverwrittenUnread { replaced, write } => vec![*replaced, *write],
            PublishedBefore {
                publish,
                flag_read,
                read,
                write,
            } => vec![*publish, *flag_read, *read, *write],
            UnsyncedFlag {
                data_store,
                flag_store,
                flag_load,
                data_load,
            } => vec![*data_store, *flag_store, *flag_load, *data_load],
            ReadBeforeFlag {
                read,
                write,
                publish,
                flag_read,
            } => vec![*read, *write, *publish, *flag_read],
            MissingHalf {
                before,
                write,
                read,
                after,
                release_fence,
                acquire_fence,
                early_fence,
            } => {
                let mut v = vec![*before, *write, *read, *after];
                v.extend(
                    [*release_fence, *acquire_fence, *early_fence]
                        .into_iter()
                        .flatten(),
                );
                v
            }
            OnlyTakenBy { outsider, .. } => vec![*outsider],
            EachCallMakesItsOwn { .. } => Vec::new(),
            SplitAtomic { load, store } => vec![*load, *store],
            RetriedWrite {
                first_try,
                found_replaced,
                retry,
            } => vec![*first_try, *found_replaced, *retry],
            RepeatedCheck { first_check, check } => vec![*first_check, *check],
            SelfDeadlock { take, .. } => vec![*take],
            Futurelock { take, choice, .. } => vec![*take, *choice],
            DroppedInSelect { recv, choice } => vec![*recv, *choice],
            Aba {
                read,
                away,
                back,
                cas,
                stale,
            } => {
                let mut v = vec![*read, *away, *back, *cas];
                v.extend(stale.iter().flat_map(|&(l, w)| [l, w]));
                v
            }
        }
    }

    /// The objects a claim names besides those of its steps.
    pub fn objects(&self) -> Vec<ObjectId> {
        match self {
            Claim::OnlyTakenBy { lock, .. }
            | Claim::SelfDeadlock { lock, .. }
            | Claim::Futurelock { lock, .. } => vec![*lock],
            Claim::EachCallMakesItsOwn { locks } => locks.clone(),
            _ => Vec::new(),
        }
    }

    /// The threads a claim names besides those of its steps.
    pub fn threads(&self) -> Vec<ThreadId> {
        match self {
            Claim::OnlyTakenBy { thread, .. }
            | Claim::SelfDeadlock { thread, .. }
            | Claim::Futurelock { thread, .. } => vec![*thread],
            _ => Vec::new(),
        }
    }

    /// For a claim that explains the failure on its own (the first of a conflict's claims):
    /// the conflict's kind, its pair, and the step that completes the damage.
    pub fn pair(&self) -> Option<(ConflictKind, StepId, StepId, Option<StepId>)> {
        use Claim::*;
        Some(match *self {
            Unordered { first, second } => (ConflictKind::DataRace, first, second, None),
            StaleLoad { store, load } => (ConflictKind::Order, store, load, None),
            OverwrittenAndLost {
                read,
                foreign_write,
                write_back,
            }
            | TwoUpdatesCountOnce {
                read,
                foreign_write,
                write_back,
            } => (
                ConflictKind::StaleRead,
                read,
                foreign_write,
                Some(write_back),
            ),
            SplitByForeignWrite {
                own_write,
                foreign_write,
                read_back,
            } => (
                ConflictKind::LostWrite,
                own_write,
                foreign_write,
                Some(read_back),
            ),
            CheckThenAct { check, change, act } => {
                (ConflictKind::CheckThenAct, check, change, Some(act))
            }
            OverwrittenUnread { replaced, write } => {
                (ConflictKind::LostWrite, replaced, write, None)
            }
            SelfDeadlock { take, .. } => (ConflictKind::Order, take, take, None),
            Futurelock { take, choice, .. } => (ConflictKind::Order, take, choice, None),
            DroppedInSelect { recv, choice } => (ConflictKind::Order, recv, choice, None),
            // Checked, changed (and changed back), then acted on.
            Aba {
                read, away, cas, ..
            } => (ConflictKind::CheckThenAct, read, away, Some(cas)),
            General { first, second } => (ConflictKind::Order, first, second, None),
            _ => return None,
        })
    }
}
