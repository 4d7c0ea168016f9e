//! Wrong fix: give up on the heartbeat's lock after a while, then finish the refresh. Nothing
//! hangs any more, but a heartbeat that gave up is never counted.

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
                if let Ok(mut stats) = task::timeout(HEARTBEAT, svc.cache.lock()).await {
                    stats.heartbeats += 1;
                }
                refresh.await;
            }
        }
    }
}
// ANCHOR_END: refresh
