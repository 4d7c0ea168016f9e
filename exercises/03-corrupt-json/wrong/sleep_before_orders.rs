// Wrong fix: a sleep "to be safe". The orders task waits a few milliseconds before it writes, so
// that the user task has usually finished its part by then. Usually is not always.

use crate::{Body, SharedBody, fetch_orders, fetch_user};
use racebook_check::sync::Arc;
use racebook_check::task::{self, Mutex};
use serde::Serialize;
use std::time::Duration;

pub async fn handle(customer: u32) -> String {
    let body = Arc::new(Mutex::new(Body(b"{".to_vec())));
    let user = task::spawn_named("user-task", {
        let body = Arc::clone(&body);
        async move { write_field(&body, "user", &fetch_user(customer).await).await }
    });
    // ANCHOR: mistake
    let orders = task::spawn_named("orders-task", {
        let body = Arc::clone(&body);
        async move {
            let orders = fetch_orders(customer).await;
            task::sleep(Duration::from_millis(5)).await;
            write_field(&body, "orders", &orders).await
        }
    });
    // ANCHOR_END: mistake
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
