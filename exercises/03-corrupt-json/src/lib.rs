//! Exercise 03: the JSON that broke only under load.
//!
//! An async handler answers a request for a customer's profile page. It fetches the customer
//! and their orders in two concurrent tasks, and each task writes its part of the JSON response
//! into one buffer they share. Every write to the buffer is locked, so there is no data race,
//! and yet some responses are not valid JSON. The scenario below is shared by every variant:
//! one request, and its response must parse and carry exactly the two fields.

use racebook_check::task::{self, Mutex};
use racebook_workbook::{Budgets, Concurrency, EngineKind, Exercise, Shape, Variant};
use serde::Serialize;
use std::fmt;
use std::future::Future;

pub mod broken;
pub mod exercise;
pub mod fixed_parts;
pub mod fixed_whole_part;

/// The customer, as the profile page shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct User {
    pub id: u32,
    pub name: &'static str,
}

/// The customer whose page is requested.
pub const CUSTOMER: u32 = 7;

/// The invariant, in words.
pub const INVARIANT: &str = "every response parses as JSON and carries exactly its fields";

/// A response being built: the JSON text written so far. Its `Debug` shows the text as it is,
/// so the report's table reads like the response.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body(pub Vec<u8>);

impl Body {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// The buffer both tasks write into. Every write takes the lock: no data race is possible.
pub type SharedBody = Mutex<Body>;

// ANCHOR: fetch
/// Fetch the customer: the database call the user task awaits.
pub async fn fetch_user(id: u32) -> User {
    racebook_check::work("fetch");
    task::yield_now().await;
    User { id, name: "ana" }
}

/// Fetch the customer's order numbers: the database call the orders task awaits.
pub async fn fetch_orders(id: u32) -> Vec<u32> {
    racebook_check::work("fetch");
    task::yield_now().await;
    vec![id + 5, id + 6]
}
// ANCHOR_END: fetch

/// The response the page must get.
#[derive(Debug, Serialize)]
pub struct Page {
    pub user: User,
    pub orders: Vec<u32>,
}

pub fn expected() -> Page {
    Page {
        user: User {
            id: CUSTOMER,
            name: "ana",
        },
        orders: vec![CUSTOMER + 5, CUSTOMER + 6],
    }
}

/// The expected response as JSON text.
pub fn expected_json() -> String {
    serde_json::to_string(&expected()).expect("plain data serializes")
}

/// Whether `body` is the expected response: valid JSON with exactly the two fields (in either
/// order: JSON objects are unordered).
pub fn is_valid(body: &str) -> bool {
    let want = serde_json::to_value(expected()).expect("plain data serializes");
    serde_json::from_str::<serde_json::Value>(body).is_ok_and(|got| got == want)
}

// ANCHOR: scenario
/// The scenario: answer one request with a variant's handler; the response must parse and
/// carry exactly its fields.
pub fn scenario<F: Future<Output = String>>(handle: fn(u32) -> F) {
    let body = task::block_on(handle(CUSTOMER));
    racebook_check::invariant_that(INVARIANT, is_valid(&body), expected_json, || body.clone());
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "03-corrupt-json",
        title: "The JSON that broke only under load",
        invariant: INVARIANT,
        shape: Shape::Async,
        // The two fetches are why the handler uses two tasks; a fix must keep them concurrent.
        concurrency: Some(Concurrency {
            marker: "fetch",
            min_threads: 2,
        }),
        variants: vec![
            Variant::broken(
                "broken",
                || scenario(broken::handle),
                &[EngineKind::Shuttle],
            ),
            Variant::fix("fixed_parts", || scenario(fixed_parts::handle)),
            Variant::fix("fixed_whole_part", || scenario(fixed_whole_part::handle)),
            Variant::learner(|| scenario(exercise::handle)),
            Variant::wrong("comma_released_too_early", || {
                scenario(wrong_comma_released_too_early::handle)
            }),
            Variant::wrong("wrong_lock", || scenario(wrong_wrong_lock::handle)),
            Variant::wrong("lock_across_fetch", || {
                scenario(wrong_lock_across_fetch::handle)
            }),
            Variant::wrong("one_task_at_a_time", || {
                scenario(wrong_one_task_at_a_time::handle)
            }),
            Variant::wrong("sleep_before_orders", || {
                scenario(wrong_sleep_before_orders::handle)
            }),
        ],
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/comma_released_too_early.rs"]
pub mod wrong_comma_released_too_early;
#[path = "../wrong/lock_across_fetch.rs"]
pub mod wrong_lock_across_fetch;
#[path = "../wrong/one_task_at_a_time.rs"]
pub mod wrong_one_task_at_a_time;
#[path = "../wrong/sleep_before_orders.rs"]
pub mod wrong_sleep_before_orders;
#[path = "../wrong/wrong_lock.rs"]
pub mod wrong_wrong_lock;
