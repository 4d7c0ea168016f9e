// Wrong fix: the check is repeated. The handler looks the customer up a second time right
// before it creates, to shrink the window in which another pod can get in; a window that is
// smaller is still a window, because the last check and the create are two queries.

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
        // ANCHOR: mistake
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        // Make sure, right before creating.
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        let record = create(store, customer).await.unwrap_or_default();
        Ok(Token::sign(&record))
        // ANCHOR_END: mistake
    }
}
