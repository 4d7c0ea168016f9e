//! Wrong fix: flush once an hour, so that a batch surely fills first. A duration orders
//! nothing: a producer that pauses between two items (or a busy runtime) lets the timer fire
//! in the middle of a batch all the same.

use crate::{BATCH, Batcher, Sink};
use racebook_check::select;
use racebook_check::task::{self, mpsc};
use std::pin::pin;
use std::time::Duration;

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
        let mut flush = pin!(task::sleep(Duration::from_secs(3600)));
        let mut flushed = false;
        loop {
            select! {
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
