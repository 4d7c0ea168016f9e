//! The trace player: what the page shows at each position of a trace. A position is how many
//! steps have run (0 = none, `steps.len()` = all); the "current" step is the last one that ran.
//! `frame` returns everything one update of the page needs: a window of lane rows, the conflict
//! bracket, the arrows, the shared-state panel and the failure once it has happened.

use crate::edges::{Arrow, EdgeKind, arrows};
use crate::state::{SharedState, ThreadStatus};
use crate::window::{self, Follow};
use crate::words::{
    Names, SELF_DEADLOCK_LABEL, conflict_kind_name, conflict_label, discovery_sentence,
    failure_details, failure_title,
};
use racebook_trace::text::shorten;
use racebook_trace::{Op, StepId, Trace, describe};
use serde::Serialize;

/// Longest value the state panel shows before cutting it.
const PANEL_VALUE_WIDTH: usize = 300;

pub struct Player {
    trace: Trace,
    arrows: Vec<Arrow>,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub exercise: String,
    pub variant: String,
    pub steps: usize,
    pub threads: Vec<String>,
    /// `threads` or `tasks`: what the run's units are called.
    pub units: &'static str,
    pub objects: Vec<ObjectSummary>,
    pub schedule: String,
    pub engine: &'static str,
    pub preemptions: u32,
    pub found: Option<String>,
    pub failure: Option<FailureView>,
    pub conflict: Option<ConflictView>,
}

#[derive(Debug, Serialize)]
pub struct ObjectSummary {
    pub name: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailureView {
    /// The step at which the failure shows (0-based), if the trace says.
    pub step: Option<StepId>,
    pub title: String,
    pub details: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictView {
    pub kind: &'static str,
    pub label: &'static str,
    pub why: String,
    pub first: StepId,
    pub second: StepId,
    pub completes: Option<StepId>,
    pub ordered: bool,
}

#[derive(Debug, Serialize)]
pub struct Frame {
    pub position: usize,
    pub total: usize,
    pub current: Option<CurrentView>,
    /// The window of rows shown: steps `start..end`.
    pub start: usize,
    pub end: usize,
    pub rows: Vec<RowView>,
    pub bracket: Option<BracketView>,
    pub arrows: Vec<ArrowView>,
    pub objects: Vec<ObjectView>,
    pub temporaries: Vec<TemporaryView>,
    pub threads: Vec<ThreadView>,
    /// `threads` or `tasks`, for the panel's headings.
    pub units: &'static str,
    /// The failure has happened at or before this position.
    pub failure_shown: bool,
    /// Both steps of the conflicting pair (and the completing one) have run.
    pub conflict_shown: bool,
}

#[derive(Debug, Serialize)]
pub struct CurrentView {
    pub index: StepId,
    pub lane: u32,
    pub thread: String,
    pub text: String,
    pub at: String,
    /// One sentence for a screen reader's live region.
    pub sentence: String,
}

#[derive(Debug, Serialize)]
pub struct RowView {
    pub index: StepId,
    /// 1-based, as the terminal report numbers steps.
    pub number: u32,
    pub lane: u32,
    pub text: String,
    pub at: String,
    pub line: Option<String>,
    /// `past`, `current` or `future`.
    pub when: &'static str,
    /// `conflict`, `failure`: drawn with a symbol and a pattern, not colour alone.
    pub marks: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct BracketView {
    /// First and last step the bracket spans, clipped to the window.
    pub top: StepId,
    pub bottom: StepId,
    pub cut_top: bool,
    pub cut_bottom: bool,
    /// The steps it points at (first, second, and the completing step if any) in the window.
    pub points: Vec<StepId>,
    pub kind: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ArrowView {
    pub from: StepId,
    pub to: StepId,
    pub from_lane: u32,
    pub to_lane: u32,
    pub kind: EdgeKind,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ObjectView {
    pub name: String,
    pub kind: &'static str,
    pub value: Option<String>,
    /// Who holds it now, for locks; empty when free.
    pub holders: Vec<String>,
    /// Messages in flight, for channels.
    pub queue: Vec<String>,
    pub is_lock: bool,
    /// The current step touched this object.
    pub changed: bool,
}

#[derive(Debug, Serialize)]
pub struct TemporaryView {
    pub thread: String,
    pub object: String,
    pub value: String,
    /// 1-based step number of the read.
    pub read_at: u32,
    pub changed: bool,
}

#[derive(Debug, Serialize)]
pub struct ThreadView {
    pub name: String,
    /// `not started`, `running`, `finished`, or `blocked` once a deadlock is shown.
    pub status: &'static str,
    /// For a blocked thread: what it waits for, e.g. "waits for left, held by worker".
    pub waits: Option<String>,
    pub current: bool,
}

pub fn object_kind_name(kind: racebook_trace::ObjectKind) -> &'static str {
    use racebook_trace::ObjectKind as K;
    match kind {
        K::Mutex => "mutex",
        K::RwLock => "rwlock",
        K::Condvar => "condvar",
        K::Atomic => "atomic",
        K::Cell => "cell",
        K::Channel => "channel",
        K::AsyncMutex => "async mutex",
        K::Barrier => "barrier",
        K::Notify => "notify",
        K::Semaphore => "semaphore",
    }
}

impl Player {
    pub fn new(trace: Trace) -> Player {
        let arrows = arrows(&trace);
        Player { trace, arrows }
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    pub fn summary(&self) -> Summary {
        let t = &self.trace;
        Summary {
            exercise: t.exercise.clone(),
            variant: t.variant.clone(),
            steps: t.steps.len(),
            threads: t.threads.iter().map(|th| th.name.clone()).collect(),
            units: t.units_word(),
            objects: t
                .objects
                .iter()
                .map(|o| ObjectSummary {
                    name: o.name.clone(),
                    kind: object_kind_name(o.kind),
                })
                .collect(),
            schedule: t.schedule.encoded.clone(),
            engine: t.schedule.engine.label(),
            preemptions: t.schedule.preemptions,
            found: t.found.as_ref().map(discovery_sentence),
            failure: self.failure_view(),
            conflict: self.conflict_view(),
        }
    }

    pub fn failure_view(&self) -> Option<FailureView> {
        let f = self.trace.failure.as_ref()?;
        Some(FailureView {
            step: f.step,
            title: failure_title(f, self.trace.units_word()),
            details: failure_details(&Names::of_trace(&self.trace), f, &|b| {
                racebook_trace::wakeup::blocked_words(&self.trace, b)
            }),
        })
    }

    pub fn conflict_view(&self) -> Option<ConflictView> {
        let c = self.trace.conflict.as_ref()?;
        let on_lock = self
            .trace
            .steps
            .get(c.first as usize)
            .and_then(|s| s.object)
            .and_then(|o| self.trace.object(o))
            .is_some_and(|o| o.kind.is_lock());
        Some(ConflictView {
            kind: conflict_kind_name(c.kind),
            // A trace with claims labels its pair by the first claim; an older one by its kind,
            // and one step with itself is a thread asking again for a lock it holds.
            label: match c.claims.first() {
                Some(claim) => racebook_trace::claims::label(claim),
                None if c.first == c.second && on_lock => SELF_DEADLOCK_LABEL,
                None => conflict_label(c.kind, on_lock),
            },
            why: c.why.clone(),
            first: c.first,
            second: c.second,
            completes: c.completes,
            ordered: c.ordered,
        })
    }

    /// Steps `start..end` shown for `position` with at most `rows` rows (0: all of them),
    /// centred on the current step.
    pub fn window(&self, position: usize, rows: usize) -> (usize, usize) {
        window::shown(self.trace.steps.len(), position, rows, Follow::Centre)
    }

    /// Everything the page shows after `position` steps, with a window of `rows` lane rows
    /// centred on the current step.
    pub fn frame(&self, position: usize, rows: usize) -> Frame {
        self.frame_following(position, rows, Follow::Centre)
    }

    /// `frame`, with the window following the current step as `follow` says.
    pub fn frame_following(&self, position: usize, rows: usize, follow: Follow) -> Frame {
        let t = &self.trace;
        let total = t.steps.len();
        let position = position.min(total);
        let state = SharedState::after(t, position);
        let current_step = position.checked_sub(1).and_then(|i| t.steps.get(i));
        let (start, end) = window::shown(total, position, rows, follow);
        let failure_step = t.failure.as_ref().and_then(|f| f.step);
        let conflict = t.conflict.as_ref();
        let in_conflict = |i: StepId| {
            conflict.is_some_and(|c| c.first == i || c.second == i || c.completes == Some(i))
        };

        let rows_view = t.steps[start..end]
            .iter()
            .map(|s| {
                let mut marks = Vec::new();
                if in_conflict(s.index) {
                    marks.push("conflict");
                }
                if failure_step == Some(s.index) {
                    marks.push("failure");
                }
                RowView {
                    index: s.index,
                    number: s.index + 1,
                    lane: s.thread,
                    text: describe(t, s),
                    at: s.at.short(),
                    line: s.at.text.as_ref().map(|l| shorten(l.trim(), 120)),
                    when: match (s.index as usize + 1).cmp(&position) {
                        std::cmp::Ordering::Less => "past",
                        std::cmp::Ordering::Equal => "current",
                        std::cmp::Ordering::Greater => "future",
                    },
                    marks,
                }
            })
            .collect();

        let bracket = conflict.and_then(|c| {
            let points: Vec<StepId> = [Some(c.first), Some(c.second), c.completes]
                .into_iter()
                .flatten()
                .collect();
            let top = *points.iter().min()?;
            let bottom = *points.iter().max()?;
            let (ws, we) = (start as StepId, end as StepId);
            if bottom < ws || top >= we {
                return None;
            }
            Some(BracketView {
                top: top.max(ws),
                bottom: bottom.min(we.saturating_sub(1)),
                cut_top: top < ws,
                cut_bottom: bottom >= we,
                points: points
                    .into_iter()
                    .filter(|p| (ws..we).contains(p))
                    .collect(),
                kind: conflict_kind_name(c.kind),
                label: self.conflict_view().map_or("", |v| v.label),
            })
        });

        let lane_of = |s: StepId| t.steps.get(s as usize).map_or(0, |s| s.thread);
        let arrows = self
            .arrows
            .iter()
            .filter(|a| {
                (a.to as usize) < position
                    && (start..end).contains(&(a.from as usize))
                    && (start..end).contains(&(a.to as usize))
            })
            .map(|a| ArrowView {
                from: a.from,
                to: a.to,
                from_lane: lane_of(a.from),
                to_lane: lane_of(a.to),
                kind: a.kind,
                label: a.label,
            })
            .collect();

        let touched = current_step.and_then(|s| s.object);
        let objects = t
            .objects
            .iter()
            .map(|o| {
                let st = &state.objects[o.id as usize];
                ObjectView {
                    name: o.name.clone(),
                    kind: object_kind_name(o.kind),
                    value: state
                        .value_text(t, o.id)
                        .map(|v| shorten(v, PANEL_VALUE_WIDTH)),
                    holders: st
                        .holders
                        .iter()
                        .map(|&h| t.thread_name(h).to_string())
                        .collect(),
                    queue: st
                        .queue
                        .iter()
                        .filter_map(|&s| t.steps.get(s as usize)?.value.as_deref())
                        .map(|v| shorten(v, PANEL_VALUE_WIDTH))
                        .collect(),
                    is_lock: o.kind.is_lock(),
                    changed: touched == Some(o.id),
                }
            })
            .collect();

        let temporaries = state
            .temporaries
            .iter()
            .map(|tmp| TemporaryView {
                thread: t.thread_name(tmp.thread).to_string(),
                object: t.object_name(tmp.object).to_string(),
                value: t
                    .steps
                    .get(tmp.read_at as usize)
                    .and_then(|s| s.value.as_deref())
                    .map(|v| shorten(v, PANEL_VALUE_WIDTH))
                    .unwrap_or_default(),
                read_at: tmp.read_at + 1,
                changed: current_step.is_some_and(|s| s.index == tmp.read_at),
            })
            .collect();

        let failure_shown =
            t.failure.is_some() && failure_step.is_none_or(|f| (f as usize) < position);
        // Once a deadlock is on screen, its threads wait for ever: say for what.
        let blocked: &[racebook_trace::Blocked] = match &t.failure {
            Some(f) if failure_shown && f.kind.is_stuck() => &f.blocked,
            _ => &[],
        };
        let threads = t
            .threads
            .iter()
            .map(|th| {
                let waits = blocked
                    .iter()
                    .find(|b| b.thread == th.id)
                    .map(|b| racebook_trace::wakeup::blocked_words(t, b));
                ThreadView {
                    name: th.name.clone(),
                    status: match state.threads[th.id as usize] {
                        _ if waits.is_some() => "blocked",
                        ThreadStatus::NotStarted => "not started",
                        ThreadStatus::Running => "running",
                        ThreadStatus::Finished => "finished",
                    },
                    waits,
                    current: current_step.is_some_and(|s| s.thread == th.id),
                }
            })
            .collect();

        let current = current_step.map(|s| {
            let text = describe(t, s);
            let at = s.at.short();
            CurrentView {
                index: s.index,
                lane: s.thread,
                thread: t.thread_name(s.thread).to_string(),
                sentence: format!(
                    "Step {} of {total}: {} {}{} ({at}).",
                    s.index + 1,
                    t.thread_name(s.thread),
                    text,
                    // A deadlock's words end in a name; a bang reads as part of it.
                    if s.op == Op::Panic && !text.starts_with("deadlock: ") {
                        "!"
                    } else {
                        ""
                    },
                ),
                text,
                at,
            }
        });

        Frame {
            position,
            total,
            current,
            start,
            end,
            rows: rows_view,
            bracket,
            arrows,
            objects,
            temporaries,
            threads,
            units: self.trace.units_word(),
            failure_shown,
            conflict_shown: conflict.is_some_and(|c| {
                let last = c.completes.unwrap_or(c.second).max(c.second);
                (last as usize) < position
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_trace;

    #[test]
    fn once_a_deadlock_is_shown_its_threads_are_blocked_and_say_on_what() {
        let mut trace = demo_trace("broken");
        let stop = 4u32;
        trace.steps.truncate(stop as usize + 1);
        let lock = trace.steps[..=stop as usize]
            .iter()
            .find_map(|s| (s.op == Op::Lock).then_some(s.object).flatten())
            .expect("the demo takes a lock");
        let waiter = trace.steps[stop as usize].thread;
        let failure = trace.failure.as_mut().unwrap();
        failure.kind = racebook_trace::FailureKind::Deadlock;
        failure.step = Some(stop);
        failure.blocked = vec![racebook_trace::Blocked {
            thread: waiter,
            waiting_for: Some(lock),
            held_by: Some(waiter),
            at: None,
            since: None,
            for_thread: None,
        }];
        let p = Player::new(trace.clone());
        let name = trace.thread_name(waiter).to_string();
        let status = |position: usize| {
            let frame = p.frame(position, 0);
            let t = frame.threads.into_iter().find(|t| t.name == name).unwrap();
            (t.status, t.waits)
        };
        assert_ne!(
            status(stop as usize).0,
            "blocked",
            "not before the deadlock step"
        );
        let expected = format!("waits for {}, held by {name}", trace.object_name(lock));
        assert_eq!(status(stop as usize + 1), ("blocked", Some(expected)));
    }

    #[test]
    fn a_lock_asked_for_again_by_its_holder_gets_its_own_label() {
        let mut trace = demo_trace("broken");
        let lock_step = trace
            .steps
            .iter()
            .find(|s| s.op == Op::Lock)
            .expect("the demo takes a lock")
            .index;
        let conflict = trace.conflict.as_mut().unwrap();
        // A trace written before claims: the label comes from the pair alone.
        conflict.claims.clear();
        conflict.kind = racebook_trace::ConflictKind::Order;
        conflict.first = lock_step;
        conflict.second = lock_step;
        let label = Player::new(trace).conflict_view().unwrap().label;
        assert_eq!(label, SELF_DEADLOCK_LABEL);
        let other = Player::new(demo_trace("broken"))
            .conflict_view()
            .unwrap()
            .label;
        assert_ne!(other, SELF_DEADLOCK_LABEL);
    }

    #[test]
    fn stepping_through_the_lost_update_shows_values_owners_and_copies() {
        let p = Player::new(demo_trace("broken"));
        let f = p.frame(0, 0);
        assert!(f.current.is_none());
        assert_eq!(f.objects[0].value.as_deref(), Some("{}"));
        assert!(f.rows.iter().all(|r| r.when == "future"));

        // worker-0 locked counts (step 4).
        let f = p.frame(4, 0);
        let cur = f.current.as_ref().unwrap();
        assert_eq!(cur.thread, "worker-0");
        assert_eq!(cur.text, "lock counts = {}");
        assert_eq!(f.objects[0].holders, vec!["worker-0"]);
        assert!(f.objects[0].changed);
        assert_eq!(f.rows[3].when, "current");

        // worker-1 has written {"a": 1} while worker-0 still holds its stale read.
        let f = p.frame(10, 0);
        assert_eq!(f.objects[0].value.as_deref(), Some(r#"{"a": 1}"#));
        assert!(f.objects[0].holders.is_empty());
        assert_eq!(f.temporaries.len(), 1);
        assert_eq!(f.temporaries[0].thread, "worker-0");
        assert_eq!(f.temporaries[0].value, "{}");
        assert_eq!(f.temporaries[0].read_at, 4);
        assert!(!f.failure_shown);
        assert!(!f.conflict_shown);

        // worker-0's write-back completes the conflict.
        let f = p.frame(13, 0);
        assert!(f.conflict_shown);
        assert!(!f.failure_shown);
        let b = f.bracket.as_ref().unwrap();
        assert_eq!((b.top, b.bottom, b.kind), (3, 12, "stale_read"));
        assert_eq!(b.label, "two updates, one change");

        let f = p.frame(p.trace().steps.len(), 0);
        assert!(f.failure_shown);
        let last = f.rows.last().unwrap();
        assert_eq!(last.marks, vec!["failure"]);
        let failure = p.summary().failure.unwrap();
        assert_eq!(
            failure.title,
            "The invariant broke: every item is counted once"
        );
        assert_eq!(
            failure.details[0],
            r#"Expected {"a": 2}, but the run ended with {"a": 1}."#
        );
    }

    #[test]
    fn arrows_appear_once_both_ends_have_run() {
        let p = Player::new(demo_trace("broken"));
        assert!(p.frame(6, 0).arrows.iter().all(|a| (a.to as usize) < 6));
        let f = p.frame(7, 0);
        assert!(f.arrows.iter().any(|a| a.from == 4 && a.to == 6));
        assert_eq!(
            f.arrows
                .iter()
                .find(|a| a.to == 6)
                .map(|a| (a.from_lane, a.to_lane)),
            Some((1, 2))
        );
    }

    #[test]
    fn a_window_follows_the_current_step_and_clips_the_bracket() {
        let p = Player::new(demo_trace("broken"));
        assert_eq!(p.window(0, 6), (0, 6));
        assert_eq!(p.window(10, 6), (6, 12));
        assert_eq!(p.window(18, 6), (12, 18));
        let f = p.frame(10, 6);
        assert_eq!(f.rows.len(), 6);
        assert_eq!(f.rows[0].index, 6);
        let b = f.bracket.unwrap();
        assert!(b.cut_top && b.cut_bottom);
        assert_eq!(b.points, vec![9]);
        // Arrows with an end outside the window are left out.
        assert!(f.arrows.iter().all(|a| a.from >= 6 && a.to < 12));
    }
}
