//! The price handler. Every request runs on its own thread, and all of them share this one
//! handler. While a request is being answered, its draft waits in a scratch cache that every
//! request shares, one entry per session.
//!
//! Every access to the cache holds its lock, and yet two requests of the same session can be
//! answered with the same draft: look at what `render` reads back. Fix it here; `cargo test`
//! checks every interleaving.

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
        self.scratch.lock().insert(req.session, draft);
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
// ANCHOR_END: handle
