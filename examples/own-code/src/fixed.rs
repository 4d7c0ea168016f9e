//! The fix: the cache counts its invalidations. A reader notes the count when it misses, and
//! keeps what it read from the catalog only if no update dropped a price since. An update that
//! came in between wins, and the next read asks the catalog again.

use racebook_check::sync::Mutex;
use std::collections::BTreeMap;

use crate::{Catalog, Prices};

/// The cached prices, and how many invalidations there have been.
#[derive(Debug, Default)]
struct Cached {
    prices: BTreeMap<String, u32>,
    invalidations: u64,
}

/// A read-through cache whose fills lose to any update made while they read the catalog.
pub struct PriceCache {
    catalog: Catalog,
    cached: Mutex<Cached>,
}

impl PriceCache {
    /// A cache in front of `catalog`, empty.
    pub fn new(catalog: Catalog) -> PriceCache {
        PriceCache {
            catalog,
            cached: Mutex::new(Cached::default()),
        }
    }
}

impl Prices for PriceCache {
    // ANCHOR: price
    fn price(&self, item: &str) -> Option<u32> {
        let seen = {
            let cached = self.cached.lock();
            if let Some(&price) = cached.prices.get(item) {
                return Some(price);
            }
            cached.invalidations
        };
        let price = self.catalog.price(item)?;
        let mut cached = self.cached.lock();
        // An update since the miss may have changed the catalog after we read it.
        if cached.invalidations == seen {
            cached.prices.insert(item.to_string(), price);
        }
        Some(price)
    }

    fn set_price(&self, item: &str, price: u32) {
        self.catalog.set_price(item, price);
        let mut cached = self.cached.lock();
        cached.prices.remove(item);
        cached.invalidations += 1;
    }
    // ANCHOR_END: price
}
