// Wrong fix: the wrong thing is locked. The handler holds a lock around its check and its
// create, but the lock lives in the pod: every pod has its own, so it never keeps the other pod
// out, and the two registrations still meet in the store.

use crate::{Record, Response, Service, Store, Token, insert_record};
use racebook_check::task::Mutex;

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
        let registering = Mutex::named("pod-registration-lock", ());
        let _held = registering.lock().await;
        // ANCHOR_END: mistake
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        let record = create(store, customer).await.unwrap_or_default();
        Ok(Token::sign(&record))
    }
}
