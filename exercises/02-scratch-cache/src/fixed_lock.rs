//! Fix 1: guard the whole compound operation. A request stages its draft and reads it back
//! under one acquisition of the lock, so no other request can replace the draft in between. The
//! lookups still run concurrently; only the use of the shared cache is one critical section.

use crate::{Draft, Handler, Request, Response, Scratch, lookup};
use racebook_check::sync::Mutex;

pub struct PriceHandler {
    scratch: Mutex<Scratch>,
}

// ANCHOR: handle
impl Handler for PriceHandler {
    fn start() -> PriceHandler {
        PriceHandler {
            scratch: Mutex::new(Scratch::new()),
        }
    }

    fn handle(&self, req: Request) -> Response {
        let price = lookup(&req);
        let draft = Draft {
            request: req.id,
            item: req.item,
            price,
        };
        let mut cache = self.scratch.lock();
        cache.insert(req.session, draft);
        render(&cache, req.session)
    }
}

/// Build the response from the session's draft, in a cache the caller has locked.
fn render(cache: &Scratch, session: &str) -> Response {
    Response::from(cache[session])
}
// ANCHOR_END: handle
