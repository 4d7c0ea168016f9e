//! Compare: the broken run and a fixed run of the same schedule, side by side, with the first
//! step where they differ marked. Steps are compared by thread and by what they did in words
//! (values included), not by source location, which always differs between two files.

use racebook_trace::{Trace, describe};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Comparison {
    pub left: Side,
    pub right: Side,
    /// 0-based index of the first row that differs, if any.
    pub first_difference: Option<usize>,
    pub sentence: String,
}

#[derive(Debug, Serialize)]
pub struct Side {
    pub variant: String,
    pub failed: bool,
    pub rows: Vec<CompareRow>,
}

#[derive(Debug, Serialize)]
pub struct CompareRow {
    pub number: u32,
    pub thread: String,
    pub text: String,
    pub at: String,
}

fn side(trace: &Trace) -> Side {
    Side {
        variant: trace.variant.clone(),
        failed: trace.failure.is_some(),
        rows: trace
            .steps
            .iter()
            .map(|s| CompareRow {
                number: s.index + 1,
                thread: trace.thread_name(s.thread).to_string(),
                text: describe(trace, s),
                at: s.at.short(),
            })
            .collect(),
    }
}

pub fn compare(left: &Trace, right: &Trace) -> Comparison {
    let (l, r) = (side(left), side(right));
    let same = |a: &CompareRow, b: &CompareRow| a.thread == b.thread && a.text == b.text;
    let common = l.rows.iter().zip(&r.rows).take_while(|(a, b)| same(a, b));
    let agree = common.count();
    let first_difference = (agree < l.rows.len().max(r.rows.len())).then_some(agree);
    let sentence = match first_difference {
        None => format!(
            "The two runs do the same {} steps; the difference is elsewhere.",
            l.rows.len()
        ),
        Some(i) => {
            let what = |s: &Side| match s.rows.get(i) {
                Some(row) => format!("in {}, {} does “{}”", s.variant, row.thread, row.text),
                None => format!("{} has already ended", s.variant),
            };
            format!(
                "The runs agree for {agree} step{}; at step {} they part: {}, while {}.",
                if agree == 1 { "" } else { "s" },
                i + 1,
                what(&l),
                what(&r),
            )
        }
    };
    Comparison {
        left: l,
        right: r,
        first_difference,
        sentence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::demo_trace;

    #[test]
    fn the_fix_parts_from_the_broken_run_where_it_keeps_the_lock() {
        let c = compare(&demo_trace("broken"), &demo_trace("fixed_lock"));
        assert_eq!(c.first_difference, Some(4));
        assert_eq!(c.left.rows[4].text, "unlock counts");
        assert_eq!(c.right.rows[4].text, r#"unlock counts, wrote {"a": 1}"#);
        assert!(c.left.failed && !c.right.failed);
        assert!(
            c.sentence
                .starts_with("The runs agree for 4 steps; at step 5"),
            "{}",
            c.sentence
        );
    }

    #[test]
    fn identical_runs_have_no_difference() {
        let t = demo_trace("broken");
        let c = compare(&t, &t);
        assert_eq!(c.first_difference, None);
    }
}
