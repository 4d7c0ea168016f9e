//! The harness's check of the example: red on the broken version, green on the fix.

use meet_the_harness::{broken, fixed, two_guests};
use racebook_check::{Check, Failed};

// ANCHOR: checks
#[test]
fn broken_sells_one_seat() -> Result<(), Failed> {
    Check::new()
        .keeps_concurrent("browse", 2)
        .run(|| two_guests(broken::book))
}

#[test]
fn fixed_sells_one_seat() -> Result<(), Failed> {
    Check::new()
        .keeps_concurrent("browse", 2)
        .run(|| two_guests(fixed::book))
}
// ANCHOR_END: checks
