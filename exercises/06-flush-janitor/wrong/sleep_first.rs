// Wrong fix: let the janitor get its locks first by having the flush wait a little. A sleep
// orders nothing: the two paths still take the locks in opposite orders, and a slow janitor
// meets the flush as before.

use crate::{Pending, Pool, Store, in_collection};
use racebook_check::sync::RwLock;
use racebook_check::thread;
use std::time::Duration;

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
        // Give a running janitor time to finish first.
        thread::sleep(Duration::from_millis(5));
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
