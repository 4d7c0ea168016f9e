//! The network simulation of `examples/hosts/` (run by the root test command).

#[path = "../examples/hosts/pod.rs"]
mod pod;
#[path = "../examples/hosts/sim.rs"]
mod sim;
#[path = "../examples/hosts/store.rs"]
mod store;

use pod::Handler;

/// How many seeds the broken service gets to show its failure. Half of all seeds fail (the
/// bench measures the share), so 20 is a wide margin; the test pins it with the first seed.
const CATCH_BUDGET: u64 = 20;

/// How many seeds each fix must pass. Passing them is evidence, not a proof: the seeds sample
/// the network's timings, they do not enumerate them.
const FIX_BUDGET: u64 = 100;

#[test]
fn the_broken_service_is_caught_within_the_seed_budget() {
    let found = sim::search(Handler::Broken, CATCH_BUDGET);
    assert_eq!(found.seeds, CATCH_BUDGET);
    assert!(
        found.errored.is_empty(),
        "seeds stopped with errors: {:?}",
        found.errored
    );
    let first = *found
        .failed
        .first()
        .expect("no seed in the budget broke the invariant");
    // The failure is the chapter's: one pod signed a token from the empty record.
    let run = sim::run(Handler::Broken, first);
    assert!(
        run.answers
            .iter()
            .any(|(_, r)| matches!(r, Ok(token) if token.record == 0 && token.customer.is_empty())),
        "seed {first}: {:?}",
        run.answers
    );
    assert!(
        run.trace
            .iter()
            .any(|l| l.contains("create acme -> nothing"))
    );
}

#[test]
fn each_fix_keeps_the_invariant_on_every_seed_in_the_budget() {
    for handler in [Handler::GetOrCreate, Handler::FailFast] {
        let found = sim::search(handler, FIX_BUDGET);
        assert!(
            found.errored.is_empty(),
            "{handler:?}: errors on {:?}",
            found.errored
        );
        assert!(
            found.failed.is_empty(),
            "{handler:?}: broke on {:?}",
            found.failed
        );
        eprintln!("{handler:?}: {FIX_BUDGET} seeds in {:?}", found.elapsed);
    }
}

/// The fail-fast fix is not vacuous: some seed makes it refuse, so the budget reaches the race.
#[test]
fn the_budget_reaches_the_race_for_the_fail_fast_fix() {
    let refused = (1..=FIX_BUDGET).find(|&seed| {
        let run = sim::run(Handler::FailFast, seed);
        run.answers.iter().any(|(_, r)| r.is_err())
    });
    assert!(
        refused.is_some(),
        "no seed in {FIX_BUDGET} made the pods race"
    );
}

#[test]
fn a_seed_replays_the_same_trace_and_answers_every_time() {
    let failing = *sim::search(Handler::Broken, CATCH_BUDGET)
        .failed
        .first()
        .unwrap();
    for (handler, seed) in [(Handler::Broken, failing), (Handler::FailFast, 3)] {
        let first = sim::run(handler, seed);
        assert!(!first.trace.is_empty());
        for _ in 0..5 {
            let again = sim::run(handler, seed);
            assert_eq!(again.trace, first.trace, "{handler:?} seed {seed}");
            assert_eq!(again.answers, first.answers, "{handler:?} seed {seed}");
        }
    }
}

#[test]
fn the_replay_command_names_the_variant_and_the_seed() {
    for handler in Handler::ALL {
        assert_eq!(Handler::from_name(handler.name()), Some(handler));
    }
    assert_eq!(
        sim::replay_command(Handler::Broken, 2),
        "cargo run -p ex05-two-pods --example ex05-hosts -- --seed 2"
    );
    assert!(
        sim::replay_command(Handler::FailFast, 9).ends_with("--variant fixed_fail_fast --seed 9")
    );
}
