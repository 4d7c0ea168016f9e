// Wrong fix: the wrong thing is locked. The handler guards its use of the cache with a lock it
// creates on every call, so each request takes a lock of its own that no other request ever
// sees, and the lock excludes nobody.

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
        // ANCHOR: mistake
        let guard = Mutex::named(&format!("draft-lock-{}", req.id), ());
        let _held = guard.lock();
        self.scratch.lock().insert(req.session, draft);
        self.render(req.session)
        // ANCHOR_END: mistake
    }
}

impl PriceHandler {
    /// Build the response from the session's draft.
    fn render(&self, session: &str) -> Response {
        let draft = self.scratch.lock()[session];
        Response::from(draft)
    }
}
