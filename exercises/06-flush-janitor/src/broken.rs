//! The index's store: the open graphs (`pool`) and the keys waiting for consolidation
//! (`pending`), each behind its own reader-writer lock. The janitor calls `due` and then
//! `consolidated`; a client's flush calls `flush`; both at the same time.
//!
//! Every access holds a lock, and yet the janitor and a flush can stop for good, each waiting
//! for the other: look at the order in which `due` and `flush` take the two locks. Fix it here;
//! `cargo test` checks every interleaving.

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
        let pending = self.pending.read();
        let mut due = Vec::new();
        for &key in pending.iter() {
            if let Some(graph) = self.pool.read().get(key) {
                due.push((key, graph.words));
            }
        }
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
