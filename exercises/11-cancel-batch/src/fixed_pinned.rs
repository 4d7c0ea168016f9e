//! Fixed: one `read_batch` future lives across the loop's turns. The `select!` borrows it
//! (`&mut`), so when the timer wins the future is only left unpolled, with its items, and the
//! next turn goes on with the same future. A new one is made only once a batch is written.

use crate::{BATCH, Batcher, FLUSH_EVERY, Sink};
use racebook_check::select;
use racebook_check::task::{self, mpsc};
use std::pin::pin;

pub struct Loop;

// ANCHOR: batcher
/// Receive up to a batch of items; fewer once the channel is closed. It owns the receiver and
/// hands it back, so that a new read can start once this one is done.
async fn read_batch(mut items: mpsc::Receiver<u32>) -> (mpsc::Receiver<u32>, Vec<u32>) {
    let mut batch = Vec::with_capacity(BATCH);
    while batch.len() < BATCH {
        match items.recv().await {
            Some(item) => batch.push(item),
            None => break,
        }
    }
    (items, batch)
}

impl Batcher for Loop {
    async fn run(items: mpsc::Receiver<u32>) -> Sink {
        let mut sink = Sink::default();
        let mut flush = pin!(task::sleep(FLUSH_EVERY));
        let mut flushed = false;
        let mut read = pin!(read_batch(items));
        loop {
            select! {
                (items, batch) = &mut read => {
                    if batch.is_empty() {
                        break; // the channel is closed and empty
                    }
                    sink.write(batch);
                    read.set(read_batch(items));
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
