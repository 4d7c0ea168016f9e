//! Fix 2: fail fast. The create operation says plainly that the customer already exists, and
//! the handler passes that on as an explicit refusal (HTTP 409 in the demo) instead of signing
//! a token from nothing. The client asks again and gets a good token.

use crate::{Record, Refused, Response, Service, Store, Token, insert_record};

/// The customer was created by someone else between our check and our create.
#[derive(Debug)]
struct AlreadyExists;

// ANCHOR: create
async fn create(store: &Store, customer: &str) -> Result<Record, AlreadyExists> {
    store.round_trip().await;
    let mut customers = store.customers.lock().await;
    if customers.contains_key(customer) {
        return Err(AlreadyExists);
    }
    Ok(insert_record(&mut customers, customer))
}
// ANCHOR_END: create

pub struct Pod;

impl Service for Pod {
    async fn register(store: &Store, customer: &str) -> Response {
        // ANCHOR: register
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        match create(store, customer).await {
            Ok(record) => Ok(Token::sign(&record)),
            Err(AlreadyExists) => Err(Refused::RegisteredConcurrently),
        }
        // ANCHOR_END: register
    }
}
