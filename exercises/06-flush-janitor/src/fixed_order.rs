//! Fix 1, the one Sonic shipped: one order everywhere. Every path that holds both locks takes
//! the pool first, then the register, as `flush` already did; the janitor now does too. A
//! thread that holds the register can then never be waiting for the pool, so no two threads
//! can each hold what the other waits for.

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
        // One order everywhere: the pool, then the register, as `flush` takes them.
        let pool = self.pool.read();
        let pending = self.pending.read();
        pending
            .iter()
            .filter_map(|&key| pool.get(key).map(|graph| (key, graph.words)))
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
