//! Wrong fix: keep the half-made batch in the batcher, where a dropped future cannot lose it.
//! But the read takes it out to work on and puts it back only when it is done: while it waits
//! for the second item, the batch is in the future again, and is dropped with it.

use crate::{BATCH, Batcher, FLUSH_EVERY, Sink};
use racebook_check::select;
use racebook_check::task::{self, mpsc};
use std::pin::pin;

pub struct Loop;

// ANCHOR: batcher
/// Fill `pending` up to a batch; fewer once the channel is closed.
async fn read_batch(items: &mut mpsc::Receiver<u32>, pending: &mut Vec<u32>) {
    let mut batch = std::mem::take(pending);
    while batch.len() < BATCH {
        match items.recv().await {
            Some(item) => batch.push(item),
            None => break,
        }
    }
    *pending = batch;
}

impl Batcher for Loop {
    async fn run(mut items: mpsc::Receiver<u32>) -> Sink {
        let mut sink = Sink::default();
        let mut flush = pin!(task::sleep(FLUSH_EVERY));
        let mut flushed = false;
        let mut pending = Vec::with_capacity(BATCH);
        loop {
            select! {
                _ = read_batch(&mut items, &mut pending) => {
                    if pending.is_empty() {
                        break; // the channel is closed and empty
                    }
                    sink.write(std::mem::take(&mut pending));
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
