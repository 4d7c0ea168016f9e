//! Fixed: the half-made batch lives in the loop, not in a future. Each `select!` waits for one
//! item with `recv`, which tokio documents as cancel safe: dropped before it finishes, it has
//! taken nothing. An item it returns is pushed at once, with no `.await` in between, so the
//! timer can win only while nothing is in flight.

use crate::{BATCH, Batcher, FLUSH_EVERY, Sink};
use racebook_check::select;
use racebook_check::task::{self, mpsc};
use std::pin::pin;

pub struct Loop;

// ANCHOR: batcher
impl Batcher for Loop {
    async fn run(mut items: mpsc::Receiver<u32>) -> Sink {
        let mut sink = Sink::default();
        let mut flush = pin!(task::sleep(FLUSH_EVERY));
        let mut flushed = false;
        let mut pending = Vec::with_capacity(BATCH);
        loop {
            select! {
                item = items.recv() => match item {
                    Some(item) => {
                        pending.push(item);
                        if pending.len() == BATCH {
                            sink.write(std::mem::take(&mut pending));
                        }
                    }
                    None => break, // the channel is closed and empty
                },
                _ = &mut flush, if !flushed => {
                    flushed = true;
                    sink.flush();
                }
            }
        }
        sink.write(pending);
        sink
    }
}
// ANCHOR_END: batcher
