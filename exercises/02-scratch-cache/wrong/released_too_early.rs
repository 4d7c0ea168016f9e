// Wrong fix: the lock is released too early. The handler now takes the cache's lock itself, but
// drops it before `render` (which locks again), so the draft is still read back under a second
// acquisition and another request can replace it in between.

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

    fn handle(&self, req: Request) -> Response {
        let price = lookup(&req);
        let draft = Draft {
            request: req.id,
            item: req.item,
            price,
        };
        let mut cache = self.scratch.lock();
        cache.insert(req.session, draft);
        // `render` takes the lock again, so this guard has to go first.
        drop(cache);
        self.render(req.session)
    }
}

impl PriceHandler {
    /// Build the response from the session's draft.
    fn render(&self, session: &str) -> Response {
        let draft = self.scratch.lock()[session];
        Response::from(draft)
    }
}
