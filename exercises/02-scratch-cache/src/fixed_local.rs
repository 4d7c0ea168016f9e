//! Fix 2, the better one: the draft is request-local. The handler keeps nothing that requests
//! share, so there is no lock to forget and no other request that could replace the draft.

use crate::{Draft, Handler, Request, Response, lookup};

pub struct PriceHandler;

// ANCHOR: handle
impl Handler for PriceHandler {
    fn start() -> PriceHandler {
        PriceHandler
    }

    fn handle(&self, req: Request) -> Response {
        let price = lookup(&req);
        let draft = Draft {
            request: req.id,
            item: req.item,
            price,
        };
        render(&draft)
    }
}

/// Build the response from this request's own draft.
fn render(draft: &Draft) -> Response {
    Response::from(*draft)
}
// ANCHOR_END: handle
