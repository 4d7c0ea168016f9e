use super::*;
use crate::testing::demo_tree;

/// Every leaf of the tree by depth-first search through the game's own moves.
fn leaves(game: &mut Game, out: &mut Vec<(Vec<ThreadId>, bool)>, path: &mut Vec<ThreadId>) {
    let view = game.view(0);
    if let Some(o) = view.outcome {
        out.push((path.clone(), o.passed));
        return;
    }
    for c in view.choices.iter().filter(|c| c.enabled) {
        game.choose(c.thread).unwrap();
        path.push(c.thread);
        leaves(game, out, path);
        path.pop();
        assert!(game.undo());
    }
}

#[test]
fn the_broken_tree_can_be_won_and_its_counts_match_its_leaves() {
    let mut game = Game::new(demo_tree("broken")).unwrap();
    let mut all = Vec::new();
    leaves(&mut game, &mut all, &mut Vec::new());
    let failing = all.iter().filter(|(_, passed)| !passed).count() as u64;
    assert_eq!(all.len() as u64, game.tree().schedules);
    assert_eq!(failing, game.tree().failing);
    assert!(failing > 0);
    let view = game.view(0);
    assert!(!view.all_pass);
    assert!(view.verdict.contains(&format!("{failing} of")));
}

#[test]
fn the_shortest_failure_wins_and_undo_and_reset_go_back() {
    let mut game = Game::new(demo_tree("broken")).unwrap();
    let choices = game.play_shortest_failure().unwrap();
    assert_eq!(
        choices.len() as u32,
        game.tree().root().shortest_failure.unwrap()
    );
    let view = game.view(0);
    let outcome = view.outcome.unwrap();
    assert!(!outcome.passed);
    assert!(outcome.title.starts_with("You win"));
    // The run so far carries the failure and the stale read the trace model finds in it.
    assert!(view.frame.failure_shown);
    let trace = game.trace_so_far();
    assert_eq!(
        trace.conflict.map(|c| c.kind),
        Some(racebook_trace::ConflictKind::StaleRead)
    );
    assert!(game.undo());
    assert!(game.view(0).outcome.is_none());
    game.reset();
    assert_eq!(game.current(), 0);
    assert!(!game.undo());
}

#[test]
fn a_blocked_thread_is_disabled_with_its_reason() {
    let mut game = Game::new(demo_tree("broken")).unwrap();
    // main spawns both workers, then waits for worker-0.
    game.choose(0).unwrap();
    let view = game.view(0);
    let main = view.choices.iter().find(|c| c.name == "main").unwrap();
    assert!(!main.enabled);
    assert_eq!(main.reason.as_deref(), Some("waits for worker-0 to finish"));
    assert_eq!(main.label, "main is blocked: waits for worker-0 to finish");
    let err = game.choose(0).unwrap_err();
    assert!(err.contains("waits for worker-0 to finish"), "{err}");
}

#[test]
fn the_prelude_runs_before_the_first_choice() {
    let mut tree = demo_tree("broken");
    // Move main's spawns (the root's only edge) into the prelude, as the exporter does.
    let first = tree.nodes[0].edges.remove(0);
    tree.prelude = first.steps;
    tree.nodes[0] = tree.nodes[first.child as usize].clone();
    let game = Game::new(tree).unwrap();
    let view = game.view(0);
    assert_eq!(view.frame.total, 2);
    assert_eq!(view.frame.rows[0].text, "spawn worker-0");
    assert!(
        view.choices
            .iter()
            .any(|c| c.name == "worker-0" && c.enabled)
    );

    // A choice whose thread records nothing before the next choice says so.
    let mut tree = demo_tree("broken");
    tree.nodes[0].edges[0].steps.clear();
    let view = Game::new(tree).unwrap().view(0);
    assert_eq!(view.choices[0].next.as_deref(), Some(QUIET_EDGE));
    assert_eq!(
        view.choices[0].label,
        "Run main next: nothing shared (it runs until it waits)"
    );
}

#[test]
fn on_the_fix_every_path_passes_and_the_page_says_so() {
    let mut game = Game::new(demo_tree("fixed_lock")).unwrap();
    let mut all = Vec::new();
    leaves(&mut game, &mut all, &mut Vec::new());
    assert!(all.len() > 1);
    assert!(all.iter().all(|(_, passed)| *passed));
    assert_eq!(all.len() as u64, game.tree().schedules);
    let view = game.view(0);
    assert!(view.all_pass);
    assert!(view.verdict.starts_with("Every one of the"));
    assert!(game.play_shortest_failure().is_none());
    assert_eq!(game.current(), 0);
}

#[test]
fn inside_the_fixed_critical_section_the_other_worker_waits_for_the_lock() {
    let mut game = Game::new(demo_tree("fixed_lock")).unwrap();
    game.choose(0).unwrap();
    game.choose(1).unwrap();
    let view = game.view(0);
    let w1 = view.choices.iter().find(|c| c.name == "worker-1").unwrap();
    assert!(!w1.enabled);
    assert_eq!(
        w1.reason.as_deref(),
        Some("waits for counts, held by worker-0")
    );
}
