//! Fixed: the refresh holds no lock while it waits. It takes the cache's lock only once the
//! backend's version is there, and lets it go before its next await, so a refresh left
//! unpolled by the `select!` holds nothing the heartbeat needs.

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
            if let Some(version) = updates.recv().await {
                svc.cache.lock().await.version = version;
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
