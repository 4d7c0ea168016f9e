//! The demo fixtures the page's tests also use, parsed with the real parser.

use racebook_trace::{ScheduleTree, Trace};

pub fn demo_trace(variant: &str) -> Trace {
    let text = match variant {
        "broken" => include_str!("../../../web/fixtures/racebook/demo/broken.trace.json"),
        "fixed_lock" => include_str!("../../../web/fixtures/racebook/demo/fixed_lock.trace.json"),
        other => panic!("no demo trace {other}"),
    };
    Trace::from_json(text).expect("demo trace parses")
}

pub fn demo_tree(variant: &str) -> ScheduleTree {
    let text = match variant {
        "broken" => include_str!("../../../web/fixtures/racebook/demo/broken.tree.json"),
        "fixed_lock" => include_str!("../../../web/fixtures/racebook/demo/fixed_lock.tree.json"),
        other => panic!("no demo tree {other}"),
    };
    ScheduleTree::from_json(text).expect("demo tree parses")
}
