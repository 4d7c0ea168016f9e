// Wrong fix: the symptom is patched. When the draft read back belongs to another request, the
// handler writes its own again and reads once more; the second read can be overtaken just like
// the first.

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
        self.scratch.lock().insert(req.session, draft);
        let response = self.render(req.session);
        if response.request == req.id {
            return response;
        }
        // Another request got in between: put our draft back and read it again.
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
