// Wrong fix: the symptom is patched. When the create answers nothing, the handler asks it once
// more, as if the first attempt had failed by chance; but the customer exists by then, so the
// second answer is nothing as well, and the token is still signed from it.

use crate::{Record, Response, Service, Store, Token, insert_record};

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

pub struct Pod;

impl Service for Pod {
    async fn register(store: &Store, customer: &str) -> Response {
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        // A first-time customer: create the record, then sign a token for it.
        let record = match create(store, customer).await {
            Some(record) => record,
            None => create(store, customer).await.unwrap_or_default(),
        };
        Ok(Token::sign(&record))
    }
}
