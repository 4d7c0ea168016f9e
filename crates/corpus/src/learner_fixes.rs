//! Correct fixes a new user wrote, unlike any reference fix, whose proofs took plain DFS many
//! schedules (issue 15): the reduced search and the verdict rule are measured on them
//! (`cargo xtask bench`) and tested (`tests/learner_fixes.rs`).

use ex01_counter_map::Counts;
use ex05_two_pods::{Record, Refused, Response, Service, Store, Token, insert_record};
use racebook_check::sync::{Arc, Condvar, Mutex};
use racebook_check::{thread, work};
use racebook_workbook::{Exercise, Variant};

/// The store's create as exercise 05 has it: nothing when the customer is already there.
async fn create(store: &Store, customer: &str) -> Option<Record> {
    store.round_trip().await;
    let mut customers = store.customers.lock().await;
    if customers.contains_key(customer) {
        return None;
    }
    Some(insert_record(&mut customers, customer))
}

/// Exercise 05 fixed by fetching the record again when create returns nothing.
pub struct Refetch;

impl Service for Refetch {
    async fn register(store: &Store, customer: &str) -> Response {
        if let Some(record) = store.find(customer).await {
            return Ok(Token::sign(&record));
        }
        let record = match create(store, customer).await {
            Some(record) => record,
            None => match store.find(customer).await {
                Some(record) => record,
                None => return Err(Refused::RegisteredConcurrently),
            },
        };
        Ok(Token::sign(&record))
    }
}

/// Exercise 01 fixed with a condvar: main waits until a count of finished workers, kept under
/// the same lock as the counts, reaches the number of workers; nobody joins them.
pub fn count_with_condvar(items: &[&'static str]) -> Counts {
    let state = Arc::new((Mutex::new((Counts::new(), 0usize)), Condvar::new()));
    for &item in items {
        let state = Arc::clone(&state);
        thread::spawn(move || {
            work("tally");
            let (lock, done) = &*state;
            let mut s = lock.lock();
            *s.0.entry(item.to_string()).or_insert(0) += 1;
            s.1 += 1;
            done.notify_all();
        });
    }
    let (lock, done) = &*state;
    let mut s = lock.lock();
    while s.1 < items.len() {
        s = done.wait(s);
    }
    s.0.clone()
}

/// Each learner fix with its exercise, as a fix variant of it.
pub fn all() -> Vec<(fn() -> Exercise, Variant)> {
    vec![
        (
            ex05_two_pods::exercise,
            Variant::fix("learner_refetch", ex05_two_pods::scenario::<Refetch>),
        ),
        (
            ex01_counter_map::exercise,
            Variant::fix("learner_condvar_wait_loop", || {
                ex01_counter_map::scenario(count_with_condvar)
            }),
        ),
    ]
}
