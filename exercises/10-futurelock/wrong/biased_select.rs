//! Wrong fix: `biased;`, so that the refresh branch is always polled first. It is, but it
//! is still waiting for the backend when the timer fires, so the heartbeat branch still wins,
//! with the lock still held by the refresh.

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
            biased;
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
