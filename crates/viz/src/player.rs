//! The trace player: what the page shows at each position of a trace. A position is how many
//! steps have run (0 = none, `steps.len()` = all); the "current" step is the last one that ran.
//! `frame` returns everything one update of the page needs: a window of lane rows, the conflict
//! bracket, the arrows, the shared-state panel and the failure once it has happened.

use crate::edges::{Arrow, arrows};
use crate::state::{SharedState, ThreadStatus};
use crate::window::{self, Follow};
use crate::words::{
    Names, SELF_DEADLOCK_LABEL, conflict_kind_name, conflict_label, discovery_sentence,
    failure_details, failure_title,
};
use racebook_trace::text::shorten;
use racebook_trace::{Op, StepId, Trace, describe};

mod views;
pub use views::*;

/// Longest value the state panel shows before cutting it.
const PANEL_VALUE_WIDTH: usize = 300;

pub struct Player {
    trace: Trace,
    arrows: Vec<Arrow>,
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
mod tests;
