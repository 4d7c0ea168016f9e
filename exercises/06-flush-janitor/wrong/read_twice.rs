// Wrong fix: take the pool first, as `flush` does, and check each key is still pending with a
// helper. But the helper reads the register again while `due` already reads it: a thread that
// asks again for a reader-writer lock it holds may wait for itself. std's RwLock says so, and
// a flush waiting to write the register between the two reads makes it happen.

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
        pending
            .iter()
            .filter(|&&key| self.still_pending(key))
            .filter_map(|&key| pool.get(key).map(|graph| (key, graph.words)))
            .collect()
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

impl FstStore {
    /// Whether `key` is still waiting for consolidation.
    fn still_pending(&self, key: &str) -> bool {
        self.pending.read().contains(key)
    }
}
