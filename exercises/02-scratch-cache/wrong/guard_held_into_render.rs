// Wrong fix: the lock is taken twice. The handler holds the cache's guard while it calls
// `render`, which locks the same cache again; a Mutex is not reentrant, so the request waits
// for itself forever.

use crate::{Draft, Handler, Request, Response, Scratch, lookup};
use racebook_check::sync::Mutex;

pub struct PriceHandler {
    scratch: Mutex<Scratch>,
}

impl Handler for PriceHandler {
    fn start() -> PriceHandler {
        PriceHandler {
            scratch: Mutex::new(Scratch::new()),
        }
    }

    // ANCHOR: mistake
    fn handle(&self, req: Request) -> Response {
        let price = lookup(&req);
        let draft = Draft {
            request: req.id,
            item: req.item,
            price,
        };
        let mut cache = self.scratch.lock();
        cache.insert(req.session, draft);
        let response = self.render(req.session);
        drop(cache);
        response
    }
}

impl PriceHandler {
    /// Build the response from the session's draft.
    fn render(&self, session: &str) -> Response {
        let draft = self.scratch.lock()[session];
        Response::from(draft)
    }
    // ANCHOR_END: mistake
}
