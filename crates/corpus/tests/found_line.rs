//! The found line names the search that discovered a failure, with that search's schedule
//! number and its count of schedules; the shallower schedule that minimisation shows instead
//! must not change either. Checked on every broken version and wrong fix of every exercise.

use racebook_check::search::search;
use racebook_corpus::exercises;
use racebook_workbook::Role;

#[test]
fn the_found_line_dates_the_failure_by_the_search_it_names() {
    let mut checked = 0;
    for exercise in exercises() {
        let ex = exercise();
        for v in ex.with_role(Role::Broken).chain(ex.with_role(Role::Wrong)) {
            let s = search(ex.shape, &v.scenario(), &ex.budgets, ex.engines());
            let Some(shown) = &s.shown else { continue };
            let e = &s.explorations[shown.discovered_by];
            let discovered = e.found.as_ref().expect("the discovering search found it");
            assert_eq!(
                (
                    shown.found.first_failure_at,
                    shown.found.first_failure_after
                ),
                (discovered.first_failure_at, discovered.first_failure_after),
                "{}/{}: the found line names {} {}, so it must date the failure by that search",
                ex.slug,
                v.name,
                e.engine.label(),
                e.strategy
            );
            assert!(discovered.first_failure_at <= e.schedules.max(1));
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "only {checked} failing variants were checked"
    );
}
