//! The registration handler every pod runs, and the store's legacy create operation.
//!
//! One pod serving a customer's first registration alone always signs a good token. Look at
//! what happens when two pods get the same first registration at the same moment, and at what
//! `create` hands back then. Fix it here; `cargo test` runs both pods under every interleaving
//! of their trips to the store.

use crate::{Record, Response, Service, Store, Token, insert_record};

// ANCHOR: create
/// The store's create operation, as the legacy backend has it.
async fn create(store: &Store, customer: &str) -> Option<Record> {
    store.round_trip().await;
    let mut customers = store.customers.lock().await;
    if customers.contains_key(customer) {
        // Someone created it already: the legacy code answers with nothing.
        return None;
    }
    Some(insert_record(&mut customers, customer))
}
// ANCHOR_END: create

pub struct Pod;

impl Service for Pod {
    async fn register(store: &Store, customer: &str) -> Response {
        // ANCHOR: register
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        // A first-time customer: create the record, then sign a token for it.
        let record = create(store, customer).await.unwrap_or_default();
        Ok(Token::sign(&record))
        // ANCHOR_END: register
    }
}
