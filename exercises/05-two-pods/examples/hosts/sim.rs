//! One run of the two-pods scenario on a simulated network: a client host sends the same
//! first-time registration to two pod hosts at once, and both pods query a store host. Every
//! message's delay, and the order the hosts run in at each step, come from one seed.

use crate::pod::{self, Handler};
use ex05_two_pods::{CUSTOMER, Refused, Response, holds};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use turmoil::net::TcpStream;

/// The run's trace: one line per event, stamped with the simulated time.
pub type Log = Rc<RefCell<Vec<String>>>;

pub fn note(log: &Log, who: &str, what: String) {
    let ms = turmoil::sim_elapsed().unwrap_or_default().as_millis();
    log.borrow_mut()
        .push(format!("{ms:>5} ms  {who:<6} {what}"));
}

pub const PODS: [&str; 2] = ["pod-a", "pod-b"];

/// What one seed did.
pub struct Run {
    pub trace: Vec<String>,
    /// Each pod's answer to the client, in `PODS` order.
    pub answers: Vec<(&'static str, Response)>,
    /// The simulation itself failed (a host's error), rather than the invariant.
    pub error: Option<String>,
}

impl Run {
    /// The exercise's invariant broke on some pod's answer.
    pub fn failed(&self) -> bool {
        self.answers.iter().any(|(_, r)| !holds(r))
    }
}

/// Ask one pod to register the customer, as the user's browser would.
async fn request(pod: &'static str, log: Log) -> turmoil::Result<Response> {
    let stream = TcpStream::connect((pod, pod::PORT)).await;
    let stream = stream.map_err(|e| format!("connecting to {pod}: {:?} {e}", e.kind()))?;
    let (read, mut write) = stream.into_split();
    write
        .write_all(format!("register {CUSTOMER}\n").as_bytes())
        .await?;
    let line = BufReader::new(read).lines().next_line().await?;
    let line = line.ok_or_else(|| format!("{pod} hung up"))?;
    let response = match line.strip_prefix("token ") {
        Some(token) => Ok(token.parse()?),
        None => Err(Refused::RegisteredConcurrently),
    };
    note(&log, "client", format!("{pod} answered {response:?}"));
    Ok(response)
}

/// Run the scenario once, with every random choice of the network drawn from `seed`.
pub fn run(handler: Handler, seed: u64) -> Run {
    let log: Log = Rc::default();
    let answers: Rc<RefCell<Vec<(&'static str, Response)>>> = Rc::default();
    // ANCHOR: hosts
    let mut sim = turmoil::Builder::new()
        .rng_seed(seed)
        // Hosts also run in a seeded order at each step, not always the order they were added.
        .enable_random_order()
        .simulation_duration(Duration::from_secs(60))
        .build();
    let store_log = log.clone();
    sim.host("store", move || crate::store::serve(store_log.clone()));
    for pod in PODS {
        let pod_log = log.clone();
        sim.host(pod, move || pod::serve(pod, handler, pod_log.clone()));
    }
    let (client_log, client_answers) = (log.clone(), Rc::clone(&answers));
    sim.client("client", async move {
        // Every host binds its port on its first step; a request sent before that would be
        // refused, which is a start-up artefact, not the race.
        tokio::time::sleep(Duration::from_millis(1)).await;
        note(
            &client_log,
            "client",
            format!("sends register {CUSTOMER} to both pods"),
        );
        let (a, b) = tokio::join!(
            request(PODS[0], client_log.clone()),
            request(PODS[1], client_log.clone())
        );
        client_answers
            .borrow_mut()
            .extend([(PODS[0], a?), (PODS[1], b?)]);
        Ok(())
    });
    // ANCHOR_END: hosts
    let error = sim.run().err().map(|e| e.to_string());
    drop(sim);
    let trace = log.borrow().clone();
    let answers = answers.borrow_mut().drain(..).collect();
    Run {
        trace,
        answers,
        error,
    }
}

/// Seeds `1..=seeds` of one handler: which failed, and how long they took.
pub struct Search {
    pub seeds: u64,
    /// Seeds on which the invariant broke.
    pub failed: Vec<u64>,
    /// Seeds on which the simulation itself stopped with an error (none is expected).
    pub errored: Vec<u64>,
    pub elapsed: Duration,
}

pub fn search(handler: Handler, seeds: u64) -> Search {
    let started = std::time::Instant::now();
    let (mut failed, mut errored) = (Vec::new(), Vec::new());
    for seed in 1..=seeds {
        let run = run(handler, seed);
        if run.failed() {
            failed.push(seed);
        }
        if run.error.is_some() {
            errored.push(seed);
        }
    }
    Search {
        seeds,
        failed,
        errored,
        elapsed: started.elapsed(),
    }
}

/// The one command that replays `seed` of `handler`.
pub fn replay_command(handler: Handler, seed: u64) -> String {
    let variant = match handler {
        Handler::Broken => String::new(),
        other => format!("--variant {} ", other.name()),
    };
    format!("cargo run -p ex05-two-pods --example ex05-hosts -- {variant}--seed {seed}")
}
