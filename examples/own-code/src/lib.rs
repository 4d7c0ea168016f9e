//! A read-through price cache in front of a slower catalog, in two versions: `broken` (the
//! code as first written, ported to the racebook facade) and `fixed`. The catalog is the source
//! of truth; the cache keeps the prices readers asked for, and an update drops the cached one.

use racebook_check::sync::Mutex;
use std::collections::BTreeMap;

pub mod broken;
pub mod fixed;
pub mod original;

/// The source of truth: every item's current price, in cents.
#[derive(Debug)]
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

    /// The price of `item`, if the catalog sells it.
    pub fn price(&self, item: &str) -> Option<u32> {
        self.prices.lock().get(item).copied()
    }

    /// Change the price of `item`.
    pub fn set_price(&self, item: &str, price: u32) {
        self.prices.lock().insert(item.to_string(), price);
    }
}

/// What both versions of the cache offer.
pub trait Prices: Send + Sync + 'static {
    /// The price of `item`, from the cache when it has it.
    fn price(&self, item: &str) -> Option<u32>;
    /// Change the price of `item` in the catalog; the cache must not serve the old one after.
    fn set_price(&self, item: &str, price: u32);
}
