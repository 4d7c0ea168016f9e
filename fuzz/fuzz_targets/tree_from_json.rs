//! Any text given to `ScheduleTree::from_json` is either refused or gives a tree the scheduler
//! game can walk without a panic: every choice, the shortest failure, undo.
#![no_main]

use libfuzzer_sys::fuzz_target;
use racebook_trace::ScheduleTree;
use racebook_viz::game::Game;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tree) = ScheduleTree::from_json(text) else {
        return;
    };
    let Ok(mut game) = Game::new(tree) else {
        return;
    };
    let threads = game.tree().threads.len() as u32;
    // A bounded walk: try each thread at each node, depth first along the first that runs.
    for _ in 0..64 {
        let _ = game.view(24);
        if !(0..threads).any(|t| game.choose(t).is_ok()) {
            break;
        }
    }
    let _ = game.shortest_failure();
    while game.undo() {}
    let _ = game.play_shortest_failure();
    let _ = game.view(24);
});
