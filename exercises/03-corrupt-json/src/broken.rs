//! The profile handler. It fetches the customer and their orders in two concurrent tasks, and
//! each task writes its part of the JSON response into the buffer they share.
//!
//! Every write takes the buffer's lock, so the bytes are never torn, and yet some responses are
//! not valid JSON: look at what can happen between two writes of one task. Fix it here;
//! `cargo test` checks every interleaving.

use crate::{Body, SharedBody, fetch_orders, fetch_user};
use racebook_check::sync::Arc;
use racebook_check::task::{self, Mutex};
use serde::Serialize;

// ANCHOR: handle
pub async fn handle(customer: u32) -> String {
    let body = Arc::new(Mutex::new(Body(b"{".to_vec())));
    let user = task::spawn_named("user-task", {
        let body = Arc::clone(&body);
        async move { write_field(&body, "user", &fetch_user(customer).await).await }
    });
    let orders = task::spawn_named("orders-task", {
        let body = Arc::clone(&body);
        async move { write_field(&body, "orders", &fetch_orders(customer).await).await }
    });
    user.await.expect("the user task panicked");
    orders.await.expect("the orders task panicked");
    let mut body = body.lock().await;
    body.0.pop(); // the last field's comma
    body.0.push(b'}');
    body.text()
}

/// Append `"name":value,` to the response.
async fn write_field(body: &SharedBody, name: &str, value: &impl Serialize) {
    body.lock().await.0.extend(format!("\"{name}\":").bytes());
    let mut out = body.lock().await;
    serde_json::to_writer(&mut out.0, value).expect("plain data serializes");
    out.0.push(b',');
}
// ANCHOR_END: handle
