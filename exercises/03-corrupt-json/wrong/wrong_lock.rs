// Wrong fix: the wrong thing is locked. Each task holds a lock around its two writes, but every
// task makes a lock of its own, so holding it keeps the other task out of nothing.

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

/// Append `"name":value,` to the response, holding the field's lock throughout.
async fn write_field(body: &SharedBody, name: &str, value: &impl Serialize) {
    let field = Mutex::named(&format!("{name}-lock"), ());
    let _held = field.lock().await;
    body.lock().await.0.extend(format!("\"{name}\":").bytes());
    let mut out = body.lock().await;
    serde_json::to_writer(&mut out.0, value).expect("plain data serializes");
    out.0.push(b',');
}
