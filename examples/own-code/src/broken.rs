//! The cache as first written, ported to the racebook facade: the `use` line changed, and
//! `lock()` returns the guard itself (the facade's locks are never poisoned).
//!
//! The bug: a reader that missed the cache reads the old price from the catalog; an update then
//! changes the catalog and drops the cached price, which is not there yet; and the reader puts
//! the old price in the cache, where it stays until the next update.

// ANCHOR: uses
use racebook_check::sync::Mutex;
use std::collections::BTreeMap;
// ANCHOR_END: uses

use crate::{Catalog, Prices};

/// A read-through cache: a miss asks the catalog and keeps the answer.
pub struct PriceCache {
    catalog: Catalog,
    cached: Mutex<BTreeMap<String, u32>>,
}

impl PriceCache {
    /// A cache in front of `catalog`, empty.
    pub fn new(catalog: Catalog) -> PriceCache {
        PriceCache {
            catalog,
            cached: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Prices for PriceCache {
    // ANCHOR: price
    fn price(&self, item: &str) -> Option<u32> {
        if let Some(&price) = self.cached.lock().get(item) {
            return Some(price);
        }
        let price = self.catalog.price(item)?;
        self.cached.lock().insert(item.to_string(), price);
        Some(price)
    }

    fn set_price(&self, item: &str, price: u32) {
        self.catalog.set_price(item, price);
        self.cached.lock().remove(item);
    }
    // ANCHOR_END: price
}
