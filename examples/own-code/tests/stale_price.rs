//! The cache's concurrency check: one reader and one price update at the same time, on each
//! version of the cache. `cargo test` here is red on the broken version and green on the fix.

// ANCHOR: uses
use price_cache::{Catalog, Prices, broken, fixed};
use racebook_check::sync::Arc;
use racebook_check::{Check, Failed, invariant, thread};
// ANCHOR_END: uses

// ANCHOR: scenario
/// A reader asks for the price of tea while the price goes up; afterwards the cache must serve
/// the new price.
fn reader_during_update<C: Prices>(new_cache: fn(Catalog) -> C) {
    let cache = Arc::new(new_cache(Catalog::with("tea", 100)));
    let reader = thread::spawn({
        let cache = Arc::clone(&cache);
        move || {
            cache.price("tea");
        }
    });
    cache.set_price("tea", 120);
    reader.join().unwrap();
    invariant(
        "after an update, the cache serves the new price",
        Some(120),
        cache.price("tea"),
    );
}
// ANCHOR_END: scenario

// ANCHOR: checks
#[test]
fn broken_cache_serves_new_prices() -> Result<(), Failed> {
    Check::new()
        .name("reader during update")
        .run(|| reader_during_update(broken::PriceCache::new))
}

#[test]
fn fixed_cache_serves_new_prices() -> Result<(), Failed> {
    Check::new()
        .name("reader during update")
        .replaying("schedules")
        .run(|| reader_during_update(fixed::PriceCache::new))
}
// ANCHOR_END: checks
