//! Wrong fix: `biased;`, so that the batch's branch is always polled first. It is, but while it
//! waits for the second item it is pending, the timer's branch is polled next, and the timer
//! wins with the first item inside the batch's future.

use crate::{BATCH, Batcher, FLUSH_EVERY, Sink};
use racebook_check::select;
use racebook_check::task::{self, mpsc};
use std::pin::pin;

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
        let mut flush = pin!(task::sleep(FLUSH_EVERY));
        let mut flushed = false;
        loop {
            select! {
                biased;
                batch = read_batch(&mut items) => {
                    if batch.is_empty() {
                        break; // the channel is closed and empty
                    }
                    sink.write(batch);
                }
                _ = &mut flush, if !flushed => {
                    flushed = true;
                    sink.flush();
                }
            }
        }
        sink
    }
}
// ANCHOR_END: batcher
