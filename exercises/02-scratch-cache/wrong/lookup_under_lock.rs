// Wrong fix: the concurrency is removed. The whole handler, lookup included, runs under the
// cache's lock, so the responses are right only because the requests now take turns.

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
        let mut cache = self.scratch.lock();
        let price = lookup(&req);
        let draft = Draft {
            request: req.id,
            item: req.item,
            price,
        };
        cache.insert(req.session, draft);
        render(&cache, req.session)
    }
    // ANCHOR_END: mistake
}

/// Build the response from the session's draft, in a cache the caller has locked.
fn render(cache: &Scratch, session: &str) -> Response {
    Response::from(cache[session])
}
