//! Fix 1: the create operation is idempotent. When the customer is already there, it returns
//! the existing record, so both pods sign a token for the same, real record.

use crate::{Record, Response, Service, Store, Token, insert_record};

// ANCHOR: create
/// Get the customer's record, creating it if there is none: one query, so nothing can come
/// between the check and the insert.
async fn get_or_create(store: &Store, customer: &str) -> Record {
    store.round_trip().await;
    let mut customers = store.customers.lock().await;
    if let Some(existing) = customers.get(customer) {
        return existing.clone();
    }
    insert_record(&mut customers, customer)
}
// ANCHOR_END: create

pub struct Pod;

impl Service for Pod {
    async fn register(store: &Store, customer: &str) -> Response {
        // ANCHOR: register
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        let record = get_or_create(store, customer).await;
        Ok(Token::sign(&record))
        // ANCHOR_END: register
    }
}
