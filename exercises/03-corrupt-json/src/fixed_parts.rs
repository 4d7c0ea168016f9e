//! Fix 1: each task renders its part into its own buffer, and the handler joins the parts in a
//! fixed order. Nothing is shared while the tasks run, so there is nothing to lock, and the
//! fields always come out in the same order.

use crate::{fetch_orders, fetch_user};
use racebook_check::task;
use serde::Serialize;

// ANCHOR: handle
pub async fn handle(customer: u32) -> String {
    let user = task::spawn_named("user-task", async move {
        render_field("user", &fetch_user(customer).await)
    });
    let orders = task::spawn_named("orders-task", async move {
        render_field("orders", &fetch_orders(customer).await)
    });
    let user = user.await.expect("the user task panicked");
    let orders = orders.await.expect("the orders task panicked");
    format!("{{{user},{orders}}}")
}

/// `"name":value`, rendered into a buffer of this task's own.
fn render_field(name: &str, value: &impl Serialize) -> String {
    let value = serde_json::to_string(value).expect("plain data serializes");
    format!("\"{name}\":{value}")
}
// ANCHOR_END: handle
