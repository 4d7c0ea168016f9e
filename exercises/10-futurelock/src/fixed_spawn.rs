//! Fixed: the refresh runs as a task of its own. The runtime polls a task whenever it can go
//! on, whatever its spawner is doing, so the refresh finishes as soon as the backend answers,
//! and its lock comes free for the heartbeat.

use crate::{HEARTBEAT, Poller, Service};
use racebook_check::select;
use racebook_check::sync::Arc;
use racebook_check::task::{self, mpsc};

pub struct Refresh;

// ANCHOR: refresh
impl Poller for Refresh {
    async fn refresh(svc: Arc<Service>, mut updates: mpsc::Receiver<u32>) {
        let mut refresh = task::spawn_named("refresh", {
            let svc = Arc::clone(&svc);
            async move {
                let mut stats = svc.cache.lock().await;
                if let Some(version) = updates.recv().await {
                    stats.version = version;
                }
            }
        });
        select! {
            _ = &mut refresh => {}
            _ = task::sleep(HEARTBEAT) => {
                svc.heartbeat_due();
                svc.cache.lock().await.heartbeats += 1;
                refresh.await.expect("the refresh panicked");
            }
        }
    }
}
// ANCHOR_END: refresh
