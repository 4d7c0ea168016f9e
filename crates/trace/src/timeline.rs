//! The interleaving as a text table: one column per thread, one row per step, a switch row
//! wherever another thread takes over, the conflicting pair marked, each step with its source.

use crate::describe::describe;
use crate::model::{Op, Step, Trace};
use crate::text::{pad, shorten, width};

#[derive(Debug, Clone, Copy, Default)]
pub struct TimelineOptions {
    /// Show every step, including thread start and finish, with no window.
    pub verbose: bool,
    /// ANSI colour for a terminal.
    pub color: bool,
}

/// Rows shown at most in the default view before it narrows to a window around the failure.
const COMPACT_ROWS: usize = 22;
/// The widest a thread's column gets; longer cells are cut with an ellipsis.
const COLUMN: usize = 40;

/// Markers in the step column.
pub const MARK_CONFLICT: &str = "◆";
pub const MARK_FAILURE: &str = "✗";

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Which steps the compact view keeps: everything that touches shared state or other threads.
fn shown_in_compact(s: &Step) -> bool {
    !matches!(s.op, Op::Start | Op::Finish | Op::Yield)
}

/// Render the table. Lines end with `\n`.
pub fn render_timeline(trace: &Trace, opts: TimelineOptions) -> String {
    let style = Style { on: opts.color };
    let conflict = trace.conflict.as_ref();
    let marked =
        |i: u32| conflict.is_some_and(|c| c.first == i || c.second == i || c.completes == Some(i));
    let failure_step = trace.failure.as_ref().and_then(|f| f.step);

    let mut rows: Vec<&Step> = trace
        .steps
        .iter()
        .filter(|s| {
            opts.verbose || shown_in_compact(s) || marked(s.index) || Some(s.index) == failure_step
        })
        .collect();
    // A run caught in a loop: two turns of it, then the last one.
    let mut looped: Option<(u32, usize, usize)> = None;
    if !opts.verbose
        && let Some((period, reps)) = crate::spin::tail_loop(&rows)
    {
        let n = rows.len();
        let start = n - period * reps;
        let first_hidden = rows[start + 2 * period].index;
        rows.drain(start + 2 * period..n - period);
        looped = Some((first_hidden, reps - 3, period));
    }
    let mut hidden_before = 0;
    if !opts.verbose && rows.len() > COMPACT_ROWS {
        // Keep a window that ends at the failure and starts a little before the conflict.
        let end = failure_step.map_or(rows.len(), |f| {
            rows.iter().position(|s| s.index > f).unwrap_or(rows.len())
        });
        let anchor = conflict.map_or(0, |c| c.first);
        let first = rows
            .iter()
            .position(|s| s.index >= anchor)
            .unwrap_or(0)
            .saturating_sub(2);
        let start = first
            .min(end.saturating_sub(COMPACT_ROWS))
            .max(end.saturating_sub(COMPACT_ROWS * 2));
        hidden_before = start;
        rows = rows[start..end].to_vec();
    }

    let threads: Vec<u32> = {
        let mut t: Vec<u32> = rows.iter().map(|s| s.thread).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    let col_of = |t: u32| threads.iter().position(|&x| x == t).unwrap_or(0);
    let texts: Vec<String> = rows
        .iter()
        .map(|s| shorten(&describe(trace, s), COLUMN - 2))
        .collect();
    // Each column as wide as its widest cell or its thread's name, plus a gap.
    let widths: Vec<usize> = threads
        .iter()
        .map(|&t| {
            let name = width(&shorten(trace.thread_name(t), COLUMN - 2));
            let cells = rows
                .iter()
                .zip(&texts)
                .filter(|(s, _)| s.thread == t)
                .map(|(_, x)| width(x));
            cells.max().unwrap_or(0).max(name) + 2
        })
        .collect();
    let mut out = String::new();

    let mut header = format!("{}  ", pad("step", 6));
    for (c, &t) in threads.iter().enumerate() {
        header.push_str(&pad(&shorten(trace.thread_name(t), COLUMN - 2), widths[c]));
    }
    header.push_str("source");
    out.push_str(&style.paint("1", header.trim_end()));
    out.push('\n');
    if hidden_before > 0 {
        out.push_str(&format!(
            "{}  ⋮ {hidden_before} earlier steps (RACEBOOK_VERBOSE=1 shows them)\n",
            pad("", 6)
        ));
    }

    let mut previous: Option<u32> = None;
    for (s, text) in rows.iter().zip(&texts) {
        if let Some((first_hidden, turns, period)) = looped
            && s.index > first_hidden
            && previous.is_some()
            && rows
                .iter()
                .position(|r| r.index == s.index)
                .is_some_and(|i| i > 0 && rows[i - 1].index < first_hidden)
        {
            let steps = if period == 1 { "step" } else { "steps" };
            out.push_str(&format!(
                "{}  ⋮ the same {period} {steps} {turns} more times\n",
                pad("", 6)
            ));
        }
        if let Some(p) = previous.filter(|&p| p != s.thread) {
            let line = format!(
                "{}  ── switch: {} → {} ──",
                pad("", 6),
                trace.thread_name(p),
                trace.thread_name(s.thread)
            );
            out.push_str(&style.paint("2", &line));
            out.push('\n');
        }
        previous = Some(s.thread);
        let mark = if Some(s.index) == failure_step {
            MARK_FAILURE
        } else if marked(s.index) {
            MARK_CONFLICT
        } else {
            " "
        };
        let mut line = format!("{} {mark}  ", pad(&format!("{:>4}", s.index + 1), 4));
        line = pad(&line, 8);
        for (c, &w) in widths.iter().enumerate() {
            line.push_str(&pad(if c == col_of(s.thread) { text } else { "" }, w));
        }
        line.push_str(&s.at.short());
        let line = line.trim_end().to_string();
        let painted = if mark == MARK_FAILURE {
            style.paint("1;31", &line)
        } else if mark == MARK_CONFLICT {
            style.paint("1;33", &line)
        } else {
            line
        };
        out.push_str(&painted);
        out.push('\n');
    }
    out
}
