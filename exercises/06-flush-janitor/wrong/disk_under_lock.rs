// Wrong fix: one order (the pool, then the register), and the janitor builds the consolidated
// graphs while it still holds both locks, so that nothing changes under it. No deadlock, but
// the flush's disk work now waits for the janitor's: the two take turns.

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

    fn due(&self) -> Vec<(&'static str, u32)> {
        let pool = self.pool.read();
        let pending = self.pending.read();
        let due: Vec<(&'static str, u32)> = pending
            .iter()
            .filter_map(|&key| pool.get(key).map(|graph| (key, graph.words)))
            .collect();
        // Build the consolidated graphs before anything can change.
        crate::disk_io();
        due
    }

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
