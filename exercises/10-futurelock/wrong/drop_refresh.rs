//! Wrong fix: drop the refresh before the heartbeat takes the lock. Dropping the future gives
//! the lock back, but the refresh is gone with it: the backend's version is never stored.

use crate::{HEARTBEAT, Poller, Service};
use racebook_check::select;
use racebook_check::sync::Arc;
use racebook_check::task::{self, mpsc};

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
        let mut refresh = Box::pin(refresh);
        select! {
            _ = &mut refresh => {}
            _ = task::sleep(HEARTBEAT) => {
                drop(refresh);
                svc.heartbeat_due();
                svc.cache.lock().await.heartbeats += 1;
            }
        }
    }
}
// ANCHOR_END: refresh
