//! Fix 2: hold the lock for a whole part. Each task still writes into the shared buffer, but
//! its name, value and comma go in under one acquisition of the lock, so the parts can come in
//! either order and never mix. The fetches stay concurrent; the writes take turns.

use crate::{Body, SharedBody, fetch_orders, fetch_user};
use racebook_check::sync::Arc;
use racebook_check::task::{self, Mutex};
use serde::Serialize;

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

// ANCHOR: write_field
/// Append `"name":value,` to the response, all under one lock.
async fn write_field(body: &SharedBody, name: &str, value: &impl Serialize) {
    let mut out = body.lock().await;
    out.0.extend(format!("\"{name}\":").bytes());
    serde_json::to_writer(&mut out.0, value).expect("plain data serializes");
    out.0.push(b',');
}
// ANCHOR_END: write_field
