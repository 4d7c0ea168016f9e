//! Wrong fix: yield before taking the lock, to give the refresh a chance to finish. A yield
//! lets other tasks run, but the refresh is not a task: it is a future of this one, and only
//! this task's own `.await` on it polls it.

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
                task::yield_now().await;
                svc.cache.lock().await.heartbeats += 1;
                refresh.await;
            }
        }
    }
}
// ANCHOR_END: refresh
