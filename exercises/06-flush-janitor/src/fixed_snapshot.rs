//! Fix 2: never hold both locks on the janitor's path. The janitor copies the register's keys
//! out, lets the register go, and only then reads the pool. With no path but `flush` holding
//! two locks at once, there is no order left to get wrong. A key the flush removes in between
//! is simply no longer in the pool, and the janitor skips it.

use crate::{Pending, Pool, Store, in_collection};
use racebook_check::sync::RwLock;

pub struct FstStore {
    pool: RwLock<Pool>,
    pending: RwLock<Pending>,
}

// ANCHOR: store
impl Store for FstStore {
    fn open(pool: Pool, pending: Pending) -> FstStore {
        FstStore {
            pool: RwLock::new(pool),
            pending: RwLock::new(pending),
        }
    }

    // ANCHOR: due
    fn due(&self) -> Vec<(&'static str, u32)> {
        // Copy the register's keys out: its guard is gone at the end of this statement.
        let keys: Vec<&'static str> = self.pending.read().iter().copied().collect();
        let pool = self.pool.read();
        keys.into_iter()
            .filter_map(|key| pool.get(key).map(|graph| (key, graph.words)))
            .collect()
    }
    // ANCHOR_END: due

    fn flush(&self, collection: &str) -> usize {
        let (mut pool, mut pending) = (self.pool.write(), self.pending.write());
        let keys: Vec<&'static str> = pool
            .keys()
            .copied()
            .filter(|k| in_collection(k, collection))
            .collect();
        for key in &keys {
            pool.remove(key);
            pending.remove(key);
        }
        keys.len()
    }
    // ANCHOR_END: store

    fn consolidated(&self, keys: &[&'static str]) {
        let mut pending = self.pending.write();
        for key in keys {
            pending.remove(key);
        }
    }

    fn left(&self, collection: &str) -> (usize, usize) {
        let pool = self
            .pool
            .read()
            .keys()
            .filter(|k| in_collection(k, collection))
            .count();
        let pending = self
            .pending
            .read()
            .iter()
            .filter(|k| in_collection(k, collection))
            .count();
        (pool, pending)
    }
}
