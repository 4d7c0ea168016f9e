//! Wrong fix: no `select!` at all. Read the batch under a timeout, and flush when the timeout
//! gives up. A timeout that gives up drops the future it ran, exactly as a losing branch is
//! dropped, and the item already in the batch goes with it.

use crate::{BATCH, Batcher, FLUSH_EVERY, Sink};
use racebook_check::task::{self, mpsc};

pub struct Loop;

// ANCHOR: batcher
/// Receive up to a batch of items; fewer once the channel is closed.
async fn read_batch(items: &mut mpsc::Receiver<u32>) -> Vec<u32> {
    let mut batch = Vec::with_capacity(BATCH);
    while batch.len() < BATCH {
        match items.recv().await {
            Some(item) => batch.push(item),
            None => break,
        }
    }
    batch
}

impl Batcher for Loop {
    async fn run(mut items: mpsc::Receiver<u32>) -> Sink {
        let mut sink = Sink::default();
        let mut flushed = false;
        loop {
            if flushed {
                let batch = read_batch(&mut items).await;
                if batch.is_empty() {
                    break; // the channel is closed and empty
                }
                sink.write(batch);
                continue;
            }
            match task::timeout(FLUSH_EVERY, read_batch(&mut items)).await {
                Ok(batch) if batch.is_empty() => break,
                Ok(batch) => sink.write(batch),
                Err(_) => {
                    flushed = true;
                    sink.flush();
                }
            }
        }
        sink
    }
}
// ANCHOR_END: batcher
