//! What the blocking tests share: a one-variant exercise around a scenario body, the failure an
//! engine finds in it (recorded as a trace), and the proof that it has none.

#![allow(dead_code)] // each test binary uses its own part

use racebook_check::{Budgets, EngineKind, search, tracebuild};
use racebook_trace::Trace;
use racebook_workbook::{Exercise, Role, Shape, Variant};

pub fn exercise(body: fn()) -> Exercise {
    Exercise {
        slug: "test-blocking",
        title: "blocking",
        invariant: "nothing goes wrong",
        shape: Shape::Threads,
        concurrency: None,
        variants: vec![Variant {
            name: "attempt",
            role: Role::Learner,
            body,
            caught_by: &[],
        }],
        budgets: Budgets {
            pct_schedules: 200,
            ..Budgets::default()
        },
    }
}

pub fn async_exercise(body: fn()) -> Exercise {
    Exercise {
        shape: Shape::Async,
        ..exercise(body)
    }
}

/// The search of every engine `ex`'s shape runs on.
pub fn search_all(ex: &Exercise) -> search::Search {
    search::search(
        ex.shape,
        &ex.variants[0].scenario(),
        &ex.budgets,
        ex.engines(),
    )
}

/// The failure `ex`'s search shows, recorded as a trace.
pub fn shown_trace(ex: &Exercise, s: search::Search) -> Option<Trace> {
    let v = &ex.variants[0];
    let shown = s.shown?;
    let trace = tracebuild::record_trace(
        ex.slug,
        v.name,
        &v.scenario(),
        &shown.found,
        None,
        &ex.budgets,
    )
    .expect("the failure replays");
    Some(trace)
}

/// The failure `engine` finds in `body`, and its recorded trace.
pub fn found(body: fn(), engine: EngineKind) -> Option<Trace> {
    let ex = exercise(body);
    let v = &ex.variants[0];
    let s = search::search(ex.shape, &v.scenario(), &ex.budgets, &[engine]);
    shown_trace(&ex, s)
}

/// The failure each model engine finds in `body`.
pub fn both(body: fn()) -> Vec<(EngineKind, Trace)> {
    [EngineKind::Shuttle, EngineKind::Loom]
        .into_iter()
        .map(|e| {
            (
                e,
                found(body, e).unwrap_or_else(|| panic!("{e:?} found nothing")),
            )
        })
        .collect()
}

/// `body` fails on no schedule of any engine its shape runs on, and the search covered them all.
pub fn proved(ex: &Exercise) {
    let s = search_all(ex);
    assert!(s.shown.is_none(), "{:?}", s.shown.map(|f| f.found.failure));
    assert!(s.exhaustive());
}
