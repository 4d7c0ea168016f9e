//! The demo's schedule tree: every schedule of a variant, explored depth-first.

use super::*;

/// Every schedule of the variant, merged by prefix, in depth-first order.
pub fn tree(variant: &'static str) -> ScheduleTree {
    let mut nodes = Vec::new();
    explore(&World::new(variant), &mut nodes);
    let root = &nodes[0];
    ScheduleTree {
        format: TREE_FORMAT.to_string(),
        version: TREE_VERSION,
        exercise: EXERCISE.to_string(),
        variant: variant.to_string(),
        invariant: INVARIANT.to_string(),
        threads: threads(),
        objects: objects(),
        prelude: Vec::new(),
        schedules: root.schedules,
        failing: root.failing,
        nodes,
        complete: true,
        preemption_bound: None,
    }
}

fn explore(world: &World, nodes: &mut Vec<TreeNode>) -> u32 {
    let id = nodes.len() as u32;
    nodes.push(TreeNode {
        edges: Vec::new(),
        blocked: Vec::new(),
        outcome: None,
        schedules: 0,
        failing: 0,
        shortest_failure: None,
    });
    let live: Vec<u32> = (0..3).filter(|&t| world.segments_left(t)).collect();
    if live.is_empty() {
        let failure = world.failure();
        let node = &mut nodes[id as usize];
        node.schedules = 1;
        node.failing = failure.is_some() as u64;
        node.shortest_failure = failure.is_some().then_some(0);
        node.outcome = Some(Outcome {
            passed: failure.is_none(),
            failure,
        });
        return id;
    }
    let (mut edges, mut blocked) = (Vec::new(), Vec::new());
    for t in live {
        let mut next = world.clone();
        let before = next.steps.len();
        match next.run_segment(t) {
            Ok(()) => {
                let steps = next.steps[before..].to_vec();
                let child = explore(&next, nodes);
                edges.push(Edge {
                    thread: t,
                    child,
                    steps,
                });
            }
            Err(reason) => blocked.push(BlockedThread { thread: t, reason }),
        }
    }
    let children: Vec<&TreeNode> = edges.iter().map(|e| &nodes[e.child as usize]).collect();
    let schedules = children.iter().map(|c| c.schedules).sum();
    let failing = children.iter().map(|c| c.failing).sum();
    let shortest_failure = children
        .iter()
        .filter_map(|c| c.shortest_failure)
        .min()
        .map(|s| s + 1);
    let node = &mut nodes[id as usize];
    node.edges = edges;
    node.blocked = blocked;
    node.schedules = schedules;
    node.failing = failing;
    node.shortest_failure = shortest_failure;
    id
}
