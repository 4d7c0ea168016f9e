//! Correct fixes a new user wrote (issue 15) are green, each through the learner's whole
//! search: the condvar wait loop of exercise 01 (proved by loom; the reduced DFS may stop at a
//! small budget without taking the proof away) and the re-fetch of exercise 05 (proved by the
//! reduced search; plain DFS needed 55,420 schedules).

use racebook_corpus::learner_fixes;
use racebook_engine::search;

#[test]
fn every_learner_fix_is_proved() {
    for (make, v) in learner_fixes::all() {
        let ex = make();
        let s = search::search(ex.shape, &v.scenario(), &ex.budgets, ex.engines());
        assert!(
            !s.failed(),
            "{}/{}: {:?}",
            ex.slug,
            v.name,
            s.shown.map(|f| f.found.failure)
        );
        assert!(
            s.exhaustive(),
            "{}/{}: {:?}",
            ex.slug,
            v.name,
            s.explorations
        );
        let dfs = s.explorations.iter().find(|e| e.strategy == "DFS").unwrap();
        eprintln!(
            "{}/{}: DFS {} schedules, exhaustive {}, {:?}",
            ex.slug, v.name, dfs.schedules, dfs.exhaustive, dfs.elapsed
        );
    }
}
