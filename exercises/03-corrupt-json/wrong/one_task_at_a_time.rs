// Wrong fix: the concurrency is removed. The handler waits for the user task to finish before it
// starts the orders task, so the two parts can no longer mix, and the two fetches no longer
// overlap either.

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
    user.await.expect("the user task panicked");
    let orders = task::spawn_named("orders-task", {
        let body = Arc::clone(&body);
        async move { write_field(&body, "orders", &fetch_orders(customer).await).await }
    });
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
