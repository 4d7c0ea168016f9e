//! The story's reproduction, for real: two instances of the registration service, each a real
//! HTTP server (axum on tokio) on its own loopback port and its own runtime thread, in front of
//! one shared store. The same first-time registration is sent to both at the same moment, over
//! and over, and every answer is checked: a valid token, a token signed from nothing, or an
//! explicit refusal. When a pod answers wrongly, the same pod is asked again, as a user would.
//!
//! `cargo run -p ex05-two-pods --example two_pods -- [--variant NAME] [--trials N]
//! [--db-latency-ms MS] [--spread-ms MS]`: the variant defaults to `broken`, the trials to 500,
//! the store's round trip to 1 ms, and the spread to 0: with a spread, the request to pod-b
//! leaves up to that long after the one to pod-a (spaced evenly over the trials), the way two
//! clicks or two retries rarely arrive in the same microsecond. It listens on 127.0.0.1 only,
//! and stops by itself.

use axum::Router;
use axum::extract::{Json, State};
use axum::http::StatusCode;
use axum::routing::post;
use ex05_two_pods::{
    Service, Store, Token, broken, exercise, fixed_fail_fast, fixed_get_or_create,
};
use serde::Deserialize;
use serde_json::{Value, json};
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// The demo gives up after this long, whatever is left to do.
const TIME_LIMIT: Duration = Duration::from_secs(120);

#[derive(Deserialize)]
struct Registration {
    customer: String,
}

/// The HTTP face of one pod: `POST /register {"customer": ...}`.
async fn register<S: Service>(
    State(store): State<Arc<Store>>,
    Json(request): Json<Registration>,
) -> (StatusCode, Json<Value>) {
    match S::register(&store, &request.customer).await {
        Ok(token) => (StatusCode::OK, Json(json!({ "token": token.to_string() }))),
        Err(refused) => (
            StatusCode::CONFLICT,
            Json(json!({ "error": refused.to_string() })),
        ),
    }
}

/// A running pod: its port, and how to stop it.
struct Pod {
    name: &'static str,
    port: u16,
    stop: tokio::sync::oneshot::Sender<()>,
    thread: thread::JoinHandle<Result<(), String>>,
}

/// Start a pod serving `S` on a free loopback port, with its own single-threaded runtime.
fn start_pod<S: Service>(name: &'static str, store: Arc<Store>) -> Result<Pod, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| format!("{name}: cannot listen on 127.0.0.1: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("{name}: {e}"))?
        .port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("{name}: no runtime: {e}"))?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)
                    .map_err(|e| format!("{name}: {e}"))?;
                let app = Router::new()
                    .route("/register", post(register::<S>))
                    .with_state(store);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .map_err(|e| format!("{name}: {e}"))
            })
        })
        .map_err(|e| format!("{name}: cannot start its thread: {e}"))?;
    Ok(Pod {
        name,
        port,
        stop,
        thread,
    })
}

/// What a pod answered.
enum Answer {
    Valid,
    FromNothing(String),
    Refused,
    Failed(String),
}

fn ask(agent: &ureq::Agent, port: u16, customer: &str) -> Answer {
    let body = json!({ "customer": customer }).to_string();
    let sent = agent
        .post(format!("http://127.0.0.1:{port}/register"))
        .header("content-type", "application/json")
        .send(body.as_str());
    let mut response = match sent {
        Ok(r) => r,
        Err(e) => return Answer::Failed(e.to_string()),
    };
    let status = response.status().as_u16();
    let text = match response.body_mut().read_to_string() {
        Ok(t) => t,
        Err(e) => return Answer::Failed(e.to_string()),
    };
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    match (status, json["token"].as_str()) {
        (200, Some(token)) => match token.parse::<Token>() {
            Ok(t) if t.is_valid_for(customer) => Answer::Valid,
            _ => Answer::FromNothing(token.to_string()),
        },
        (409, _) => Answer::Refused,
        _ => Answer::Failed(format!("HTTP {status}: {text}")),
    }
}

#[derive(Default)]
struct Tally {
    trials: u64,
    both_valid: u64,
    from_nothing: u64,
    refused: u64,
    failed: u64,
    retried: u64,
    healed: u64,
    example: Option<String>,
}

/// How long after pod-a's request pod-b's leaves in trial `trial`: spread evenly over
/// `[0, spread)` (a golden-ratio sequence), so that every run of the demo is the same.
fn offset(trial: u64, spread: Duration) -> Duration {
    let fraction = (trial as f64 * 0.618_033_988_75).fract();
    spread.mul_f64(fraction)
}

fn run<S: Service>(
    variant: &str,
    trials: u64,
    latency: Duration,
    spread: Duration,
) -> Result<Tally, String> {
    let store = Arc::new(Store::with_latency(latency));
    let pods = [
        start_pod::<S>("pod-a", Arc::clone(&store))?,
        start_pod::<S>("pod-b", Arc::clone(&store))?,
    ];
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(5)))
            .proxy(None)
            .build(),
    );
    println!(
        "{variant}: {} on 127.0.0.1:{} and {} on 127.0.0.1:{}, one store {} ms away, \
         requests up to {} ms apart",
        pods[0].name,
        pods[0].port,
        pods[1].name,
        pods[1].port,
        latency.as_millis(),
        spread.as_millis()
    );
    let started = Instant::now();
    let mut tally = Tally::default();
    for trial in 0..trials {
        if started.elapsed() > TIME_LIMIT {
            println!("stopped after {} s", TIME_LIMIT.as_secs());
            break;
        }
        // A customer nobody has seen: the registration is a first one, on both pods at once.
        let customer = format!("customer-{trial}");
        let barrier = Barrier::new(pods.len());
        let answers: Vec<Answer> = thread::scope(|s| {
            let asking: Vec<_> = pods
                .iter()
                .enumerate()
                .map(|(i, pod)| {
                    let (agent, barrier, customer) = (&agent, &barrier, &customer);
                    let delay = if i == 0 {
                        Duration::ZERO
                    } else {
                        offset(trial, spread)
                    };
                    s.spawn(move || {
                        barrier.wait();
                        thread::sleep(delay);
                        ask(agent, pod.port, customer)
                    })
                })
                .collect();
            asking
                .into_iter()
                .map(|a| a.join().unwrap_or(Answer::Failed("client panicked".into())))
                .collect()
        });
        tally.trials += 1;
        let mut all_valid = true;
        for (pod, answer) in pods.iter().zip(&answers) {
            match answer {
                Answer::Valid => continue,
                Answer::FromNothing(token) => {
                    tally.from_nothing += 1;
                    tally.example.get_or_insert_with(|| {
                        format!("{} answered {customer} with {token}", pod.name)
                    });
                }
                Answer::Refused => tally.refused += 1,
                Answer::Failed(e) => {
                    tally.failed += 1;
                    eprintln!("{}: request for {customer} failed: {e}", pod.name);
                }
            }
            all_valid = false;
            // The user tries again, on the same pod.
            tally.retried += 1;
            if matches!(ask(&agent, pod.port, &customer), Answer::Valid) {
                tally.healed += 1;
            }
        }
        if all_valid {
            tally.both_valid += 1;
        }
    }
    for pod in pods {
        let _ = pod.stop.send(());
        match pod.thread.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(format!("{} panicked", pod.name)),
        }
    }
    Ok(tally)
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".into();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// `--name value` from the command line.
fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let variant = flag(&args, "--variant").unwrap_or_else(|| "broken".into());
    let trials = match flag(&args, "--trials").map(|t| t.parse::<u64>()) {
        None => 500,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("--trials takes a positive whole number");
            return ExitCode::from(2);
        }
    };
    let latency = match flag(&args, "--db-latency-ms").map(|t| t.parse::<u64>()) {
        None => Duration::from_millis(1),
        Some(Ok(ms)) if ms <= 1_000 => Duration::from_millis(ms),
        Some(_) => {
            eprintln!("--db-latency-ms takes a whole number of milliseconds, at most 1000");
            return ExitCode::from(2);
        }
    };
    let spread = match flag(&args, "--spread-ms").map(|t| t.parse::<u64>()) {
        None => Duration::ZERO,
        Some(Ok(ms)) if ms <= 1_000 => Duration::from_millis(ms),
        Some(_) => {
            eprintln!("--spread-ms takes a whole number of milliseconds, at most 1000");
            return ExitCode::from(2);
        }
    };
    let result = match variant.as_str() {
        "broken" => run::<broken::Pod>(&variant, trials, latency, spread),
        "fixed_get_or_create" => run::<fixed_get_or_create::Pod>(&variant, trials, latency, spread),
        "fixed_fail_fast" => run::<fixed_fail_fast::Pod>(&variant, trials, latency, spread),
        other => {
            let names: Vec<&str> = exercise()
                .variants
                .iter()
                .map(|v| v.name)
                .filter(|n| *n != "exercise")
                .collect();
            eprintln!("no variant `{other}`; the demo runs: {}", names.join(", "));
            return ExitCode::from(2);
        }
    };
    let t = match result {
        Ok(t) => t,
        Err(e) => {
            eprintln!("the demo could not run: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{} first-time registrations, each sent to both pods at the same moment:",
        t.trials
    );
    let row = |what: &str, n: u64| println!("  {what:<44} {n:>6}  {}", percent(n, t.trials));
    row("both pods signed a valid token", t.both_valid);
    row("a pod signed a token from nothing", t.from_nothing);
    row("a pod refused explicitly (HTTP 409)", t.refused);
    row("a request failed", t.failed);
    println!(
        "  {:<44} {:>6}  of {} retried",
        "asked again, the same pod answered correctly", t.healed, t.retried
    );
    if let Some(example) = t.example {
        println!("  e.g. {example}");
    }
    ExitCode::SUCCESS
}
