//! Wrong fix: a heartbeat every hour, so that the backend surely answers first. A duration
//! orders nothing: a slow backend (or a busy runtime) still lets the timer fire first.

use crate::{Poller, Service};
use racebook_check::select;
use racebook_check::sync::Arc;
use racebook_check::task::{self, mpsc};
use std::pin::pin;
use std::time::Duration;

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
            _ = task::sleep(Duration::from_secs(3600)) => {
                svc.heartbeat_due();
                svc.cache.lock().await.heartbeats += 1;
                refresh.await;
            }
        }
    }
}
// ANCHOR_END: refresh
