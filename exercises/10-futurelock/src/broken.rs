//! The poller. It refreshes the cache with the backend's next version, holding the cache's lock
//! while it waits so that nobody reads a half-made refresh, and it must send a heartbeat if the
//! refresh takes too long. It waits on both with `select!`, keeping the refresh alive (polled
//! by reference) so that the refresh can finish after the heartbeat.
//!
//! No other task ever holds the cache's lock for long, and yet the poller can hang forever:
//! look at who holds the lock when the heartbeat wants it. Fix it here; `cargo test` checks
//! every interleaving.

use crate::{HEARTBEAT, Poller, Service};
use racebook_check::select;
use racebook_check::sync::Arc;
use racebook_check::task::{self, mpsc};
use std::pin::pin;

pub struct Refresh;

// ANCHOR: refresh
impl Poller for Refresh {
    async fn refresh(svc: Arc<Service>, mut updates: mpsc::Receiver<u32>) {
        let refresh = async {
            let mut stats = svc.cache.lock().await;
            if let Some(version) = updates.recv().await {
                stats.version = version;
            }
        };
        let mut refresh = pin!(refresh);
        select! {
            _ = &mut refresh => {}
            _ = task::sleep(HEARTBEAT) => {
                svc.heartbeat_due();
                svc.cache.lock().await.heartbeats += 1;
                refresh.await;
            }
        }
    }
}
// ANCHOR_END: refresh
