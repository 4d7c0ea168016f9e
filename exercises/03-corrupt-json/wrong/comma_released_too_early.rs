// Wrong fix: the lock is released too early. The name and the value now go in under one lock,
// but the comma after them is written under a second acquisition, so the other task's part can
// land between a value and its comma.

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

/// Append `"name":value,` to the response.
async fn write_field(body: &SharedBody, name: &str, value: &impl Serialize) {
    {
        let mut out = body.lock().await;
        out.0.extend(format!("\"{name}\":").bytes());
        serde_json::to_writer(&mut out.0, value).expect("plain data serializes");
    }
    body.lock().await.0.push(b',');
}
