// Wrong fix: never wait for the pool while holding the register: try it, and if it is taken,
// let the register go and start again. Nothing deadlocks any more, but nothing says the retry
// ever succeeds: while the flush holds the pool and waits, the janitor can take the register
// back before the flush gets it, again and again (starvation, or a livelock when both back off).

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
        loop {
            let pending = self.pending.read();
            if let Some(pool) = self.pool.try_read() {
                return pending
                    .iter()
                    .filter_map(|&key| pool.get(key).map(|graph| (key, graph.words)))
                    .collect();
            }
            // Taken: give the register back and try again.
            drop(pending);
        }
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
