//! Exercise 02: the scratch cache that answered the wrong request.
//!
//! A service answers each request on its own thread. While a handler builds its response it
//! keeps its work in progress (a draft) in a scratch cache that every request shares, one entry
//! per session. When two requests of the same session are handled at the same time, a handler
//! can read back the other one's draft and answer with it. The scenario below is shared by every
//! variant: two requests of one session arrive together, and each response must be its own.

use racebook_check::sync::Arc;
use racebook_check::thread;
use racebook_workbook::{Budgets, Concurrency, EngineKind, Exercise, Shape, Variant, invariant};
use std::collections::BTreeMap;
use std::fmt;
use std::panic::Location;

pub mod broken;
pub mod exercise;
pub mod fixed_local;
pub mod fixed_lock;
pub mod logging;

/// A request for the price of one item, made in a session (a logged-in client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub id: u32,
    pub session: &'static str,
    pub item: u32,
}

/// A handler's work in progress: what it looked up, and for which request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Draft {
    pub request: u32,
    pub item: u32,
    pub price: u32,
}

/// The answer a client receives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Response {
    pub request: u32,
    pub item: u32,
    pub price: u32,
}

impl From<Draft> for Response {
    fn from(d: Draft) -> Response {
        Response {
            request: d.request,
            item: d.item,
            price: d.price,
        }
    }
}

// Short forms: these values appear in the report's table.
impl fmt::Debug for Draft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} item {} ${}", self.request, self.item, self.price)
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} item {} ${}", self.request, self.item, self.price)
    }
}

/// The scratch cache: each session's draft, shared by every request the service handles.
pub type Scratch = BTreeMap<&'static str, Draft>;

// ANCHOR: requests
/// Two requests of one session, at the same moment (a page that loads two prices at once).
pub const REQUESTS: [Request; 2] = [
    Request {
        id: 1,
        session: "ana",
        item: 7,
    },
    Request {
        id: 2,
        session: "ana",
        item: 13,
    },
];

/// The invariant, in words.
pub const INVARIANT: &str = "every response belongs to its own request";
// ANCHOR_END: requests

/// The price list the service looks items up in.
pub fn price_of(item: u32) -> u32 {
    item * 10
}

/// The lookup every handler does before it builds a response: the work that must stay
/// concurrent. When the service's debug logging is on (only the stress example turns it on),
/// it also logs the request, the way the story's first investigation did.
#[track_caller]
pub fn lookup(req: &Request) -> u32 {
    racebook_check::work("lookup");
    logging::log_request(req, Location::caller());
    price_of(req.item)
}

/// What each request must be answered with.
pub fn expected(requests: &[Request]) -> Vec<Response> {
    requests
        .iter()
        .map(|r| Response {
            request: r.id,
            item: r.item,
            price: price_of(r.item),
        })
        .collect()
}

/// A request handler: what each variant implements. The service builds one when it starts
/// (inside the scenario, so the checkers see any shared state it holds) and every request
/// thread uses that same handler.
pub trait Handler: Send + Sync + 'static {
    fn start() -> Self;
    fn handle(&self, req: Request) -> Response;
}

// ANCHOR: serve
/// The service: one thread per request, all sharing one handler.
pub fn serve<H: Handler>(requests: &[Request]) -> Vec<Response> {
    let handler = Arc::new(H::start());
    let threads: Vec<_> = requests
        .iter()
        .map(|&req| {
            let handler = Arc::clone(&handler);
            thread::spawn_named(&format!("request-{}", req.id), move || handler.handle(req))
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("a request thread panicked"))
        .collect()
}
// ANCHOR_END: serve

// ANCHOR: scenario
/// The scenario: serve the requests with one variant's handler and check every response.
pub fn scenario<H: Handler>() {
    let responses = serve::<H>(&REQUESTS);
    invariant(INVARIANT, expected(&REQUESTS), responses);
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "02-scratch-cache",
        title: "The scratch cache that answered the wrong request",
        invariant: INVARIANT,
        shape: Shape::Threads,
        // Each request is looked up on its own thread; a fix must not serialize the handlers.
        concurrency: Some(Concurrency {
            marker: "lookup",
            min_threads: 2,
        }),
        variants: vec![
            Variant::broken(
                "broken",
                scenario::<broken::PriceHandler>,
                &[EngineKind::Shuttle, EngineKind::Loom],
            ),
            Variant::fix("fixed_lock", scenario::<fixed_lock::PriceHandler>),
            Variant::fix("fixed_local", scenario::<fixed_local::PriceHandler>),
            Variant::learner(scenario::<exercise::PriceHandler>),
            Variant::wrong(
                "released_too_early",
                scenario::<wrong_released_too_early::PriceHandler>,
            ),
            Variant::wrong("wrong_lock", scenario::<wrong_wrong_lock::PriceHandler>),
            Variant::wrong(
                "lookup_under_lock",
                scenario::<wrong_lookup_under_lock::PriceHandler>,
            ),
            Variant::wrong(
                "sleep_staggered",
                scenario::<wrong_sleep_staggered::PriceHandler>,
            ),
            Variant::wrong(
                "retry_if_not_mine",
                scenario::<wrong_retry_if_not_mine::PriceHandler>,
            ),
            Variant::wrong(
                "guard_held_into_render",
                scenario::<wrong_guard_held_into_render::PriceHandler>,
            ),
        ],
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/guard_held_into_render.rs"]
pub mod wrong_guard_held_into_render;
#[path = "../wrong/lookup_under_lock.rs"]
pub mod wrong_lookup_under_lock;
#[path = "../wrong/released_too_early.rs"]
pub mod wrong_released_too_early;
#[path = "../wrong/retry_if_not_mine.rs"]
pub mod wrong_retry_if_not_mine;
#[path = "../wrong/sleep_staggered.rs"]
pub mod wrong_sleep_staggered;
#[path = "../wrong/wrong_lock.rs"]
pub mod wrong_wrong_lock;
