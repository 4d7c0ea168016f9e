//! The cache as it was first written, on the standard library's types: what the chapter starts
//! from. `broken.rs` is this file ported to the racebook facade; nothing else changed.

// ANCHOR: uses
use std::collections::BTreeMap;
use std::sync::Mutex;
// ANCHOR_END: uses

/// A read-through cache: a miss asks the catalog and keeps the answer.
pub struct PriceCache {
    catalog: crate::original::Catalog,
    cached: Mutex<BTreeMap<String, u32>>,
}

/// The catalog on the standard library's mutex.
pub struct Catalog {
    prices: Mutex<BTreeMap<String, u32>>,
}

impl Catalog {
    /// A catalog that sells `item` at `price`.
    pub fn with(item: &str, price: u32) -> Catalog {
        let prices = BTreeMap::from([(item.to_string(), price)]);
        Catalog {
            prices: Mutex::new(prices),
        }
    }
}

impl PriceCache {
    /// A cache in front of `catalog`, empty.
    pub fn new(catalog: Catalog) -> PriceCache {
        PriceCache {
            catalog,
            cached: Mutex::new(BTreeMap::new()),
        }
    }

    // ANCHOR: price
    /// The price of `item`: the cached one, or else the catalog's, which is then cached.
    pub fn price(&self, item: &str) -> Option<u32> {
        if let Some(&price) = self.cached.lock().unwrap().get(item) {
            return Some(price);
        }
        let price = self.catalog.prices.lock().unwrap().get(item).copied()?;
        self.cached.lock().unwrap().insert(item.to_string(), price);
        Some(price)
    }
    // ANCHOR_END: price

    /// Change the price in the catalog, then drop the cached one.
    pub fn set_price(&self, item: &str, price: u32) {
        let mut prices = self.catalog.prices.lock().unwrap();
        prices.insert(item.to_string(), price);
        drop(prices);
        self.cached.lock().unwrap().remove(item);
    }
}
