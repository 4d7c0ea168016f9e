//! Two guests try to book the last seat of a show. The scenario and both versions of `book` are
//! the example the book uses to introduce the harness (src/meet-the-harness.md).

use racebook_check::sync::{Arc, Mutex};
use racebook_check::{invariant, thread, work};

/// How many seats the show has.
pub const SEATS: u32 = 1;

// ANCHOR: scenario
/// Two guests book at the same time; one gets the seat, the other finds the show full.
pub fn two_guests(book: fn(&Mutex<u32>)) {
    let sold = Arc::new(Mutex::named("sold", 0));
    let other = Arc::clone(&sold);
    let guest = thread::spawn_named("guest", move || book(&other));
    book(&sold);
    guest.join().unwrap();
    invariant("the one seat is sold once", SEATS, *sold.lock());
}
// ANCHOR_END: scenario

/// The version with the bug: the check and the sale take the lock separately.
pub mod broken {
    use super::*;

    // ANCHOR: broken
    pub fn book(sold: &Mutex<u32>) {
        work("browse");
        let taken = *sold.lock();
        if taken < SEATS {
            *sold.lock() += 1;
        }
    }
    // ANCHOR_END: broken
}

/// The fix: the check and the sale happen under one acquisition of the lock.
pub mod fixed {
    use super::*;

    // ANCHOR: fixed
    pub fn book(sold: &Mutex<u32>) {
        work("browse");
        let mut taken = sold.lock();
        if *taken < SEATS {
            *taken += 1;
        }
    }
    // ANCHOR_END: fixed
}
