//! Exercise 05: two pods and a token built from nothing.
//!
//! A registration service signs a token for a customer. For a customer it has never seen, it
//! first creates the customer's record in the shared store, then signs a token for that record.
//! The store's create operation is legacy code with a quirk: it checks again whether the
//! customer exists, and if so it returns nothing at all instead of the record. The service runs
//! as several instances (pods) in front of one store. The scenario below is shared by every
//! variant: two pods receive the same first-time registration at the same moment.
//!
//! The same code runs under shuttle (the pods are tasks) and in `examples/two_pods.rs`, where
//! each pod is a real HTTP server on its own loopback port.

use racebook_check::sync::Arc;
use racebook_check::task;
use racebook_workbook::{Budgets, Concurrency, EngineKind, Exercise, Shape, Variant};
use racebook_workbook::{invariant_that, work};
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Duration;

pub mod broken;
pub mod exercise;
pub mod fixed_fail_fast;
pub mod fixed_get_or_create;

/// A customer's record in the store.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub customer: String,
    /// Given by the store; 0 only in the empty record, which no store ever holds.
    pub id: u64,
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.customer.is_empty() {
            write!(f, "(nothing)#{}", self.id)
        } else {
            write!(f, "{}#{}", self.customer, self.id)
        }
    }
}

/// The store's table of customers.
pub type Customers = BTreeMap<String, Record>;

/// The shared store: a database both pods reach over the network.
pub struct Store {
    /// The table. Each query holds its lock for the query's duration, as the database runs
    /// each query atomically; nothing holds it across two queries.
    pub customers: task::Mutex<Customers>,
    /// How long a round trip to the database takes on the real runtime.
    latency: Duration,
}

impl Store {
    /// A store with no network in between (the checkers have no clock anyway).
    pub fn new() -> Store {
        Store::with_latency(Duration::ZERO)
    }

    /// A store `latency` away, for the real servers of the demo.
    pub fn with_latency(latency: Duration) -> Store {
        Store {
            customers: task::Mutex::new(Customers::new()),
            latency,
        }
    }

    /// The network between a pod and the database: the pod's task waits here, and the other
    /// pod's task runs.
    pub async fn round_trip(&self) {
        if self.latency.is_zero() {
            task::yield_now().await;
        } else {
            task::sleep(self.latency).await;
        }
    }

    // ANCHOR: find
    /// Look a customer up: one query.
    pub async fn find(&self, customer: &str) -> Option<Record> {
        self.round_trip().await;
        self.customers.lock().await.get(customer).cloned()
    }
    // ANCHOR_END: find
}

impl Default for Store {
    fn default() -> Store {
        Store::new()
    }
}

/// The secret the service signs tokens with.
const SECRET: &str = "racebook-demo-secret";

fn signature(customer: &str, record: u64) -> u64 {
    // Deterministic within a build, which is all a demo needs; not a real signature scheme.
    let mut h = DefaultHasher::new();
    (SECRET, customer, record).hash(&mut h);
    h.finish()
}

/// A signed token: which customer and which record it was built from.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub customer: String,
    pub record: u64,
    pub signature: u64,
}

impl Token {
    /// Sign a token for `record`, whatever it holds.
    pub fn sign(record: &Record) -> Token {
        Token {
            customer: record.customer.clone(),
            record: record.id,
            signature: signature(&record.customer, record.id),
        }
    }

    /// The token was signed by this service, for `customer`, from a record the store gave.
    pub fn is_valid_for(&self, customer: &str) -> bool {
        self.customer == customer
            && self.record != 0
            && self.signature == signature(&self.customer, self.record)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let customer = if self.customer.is_empty() {
            "(nothing)"
        } else {
            &self.customer
        };
        write!(f, "token({customer}#{})", self.record)
    }
}

/// On the wire: `customer.record.signature`.
impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{:x}", self.customer, self.record, self.signature)
    }
}

impl std::str::FromStr for Token {
    type Err = String;

    fn from_str(s: &str) -> Result<Token, String> {
        let bad = || format!("not a token: {s:?}");
        let mut parts = s.rsplitn(3, '.');
        let signature =
            u64::from_str_radix(parts.next().ok_or_else(bad)?, 16).map_err(|_| bad())?;
        let record = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
        let customer = parts.next().ok_or_else(bad)?.to_string();
        Ok(Token {
            customer,
            record,
            signature,
        })
    }
}

/// An explicit "no" the service gives instead of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Another request registered the same customer at the same moment; asking again works.
    RegisteredConcurrently,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::RegisteredConcurrently => {
                f.write_str("the customer was registered by another request just now; retry")
            }
        }
    }
}

/// What a registration request gets back.
pub type Response = Result<Token, Refused>;

// ANCHOR: service
/// The registration service. Each variant implements it in its own file.
pub trait Service: 'static {
    /// Handle one registration request for `customer`: a token, or an explicit refusal.
    fn register(store: &Store, customer: &str) -> impl Future<Output = Response> + Send;
}
// ANCHOR_END: service

/// Add a record for `customer`, with the next id, to the table; returns it.
pub fn insert_record(customers: &mut Customers, customer: &str) -> Record {
    let record = Record {
        customer: customer.to_string(),
        id: customers.len() as u64 + 1,
    };
    customers.insert(customer.to_string(), record.clone());
    record
}

/// The customer both pods register.
pub const CUSTOMER: &str = "acme";

/// The invariant, in words.
pub const INVARIANT: &str =
    "every token is valid for its customer: a request gets a valid token or an explicit error";

/// Whether one pod's answer keeps the invariant. The network simulation (`examples/hosts/`)
/// judges its pods' answers with this too.
pub fn holds(response: &Response) -> bool {
    match response {
        Ok(token) => token.is_valid_for(CUSTOMER),
        Err(_) => true,
    }
}

/// Check one pod's answer.
pub fn check(pod: &str, response: &Response) {
    invariant_that(
        INVARIANT,
        holds(response),
        || format!("a token for {CUSTOMER} or an explicit error"),
        || format!("{pod} answered {response:?}"),
    );
}

// ANCHOR: scenario
/// The scenario: the same first-time registration reaches two pods at the same moment.
pub fn scenario<S: Service>() {
    task::block_on(async {
        let store = Arc::new(Store::new());
        let pods = ["pod-a", "pod-b"].map(|pod| {
            let store = Arc::clone(&store);
            let answer = task::spawn_named(pod, async move {
                work("request");
                S::register(&store, CUSTOMER).await
            });
            (pod, answer)
        });
        for (pod, answer) in pods {
            let response = answer.join().await.expect("a pod panicked");
            check(pod, &response);
        }
    });
}
// ANCHOR_END: scenario

/// The exercise as the harness sees it.
pub fn exercise() -> Exercise {
    Exercise {
        slug: "05-two-pods",
        title: "Two pods and a token built from nothing",
        invariant: INVARIANT,
        shape: Shape::Async,
        // Both pods handle their request at the same time; a fix must not make one wait for
        // the other's whole request.
        concurrency: Some(Concurrency {
            marker: "request",
            min_threads: 2,
        }),
        variants: vec![
            Variant::broken("broken", scenario::<broken::Pod>, &[EngineKind::Shuttle]),
            Variant::fix("fixed_get_or_create", scenario::<fixed_get_or_create::Pod>),
            Variant::fix("fixed_fail_fast", scenario::<fixed_fail_fast::Pod>),
            Variant::learner(scenario::<exercise::Pod>),
            Variant::wrong("retry_create", scenario::<wrong_retry_create::Pod>),
            Variant::wrong("pod_lock", scenario::<wrong_pod_lock::Pod>),
            Variant::wrong("check_twice", scenario::<wrong_check_twice::Pod>),
            Variant::wrong(
                "sleep_then_recheck",
                scenario::<wrong_sleep_then_recheck::Pod>,
            ),
            Variant::wrong("panic_on_nothing", scenario::<wrong_panic_on_nothing::Pod>),
        ],
        budgets: Budgets::default(),
    }
}

// The catalogue of plausible wrong fixes (`wrong/`), each in the shape of the learner's file.
#[path = "../wrong/check_twice.rs"]
pub mod wrong_check_twice;
#[path = "../wrong/panic_on_nothing.rs"]
pub mod wrong_panic_on_nothing;
#[path = "../wrong/pod_lock.rs"]
pub mod wrong_pod_lock;
#[path = "../wrong/retry_create.rs"]
pub mod wrong_retry_create;
#[path = "../wrong/sleep_then_recheck.rs"]
pub mod wrong_sleep_then_recheck;
