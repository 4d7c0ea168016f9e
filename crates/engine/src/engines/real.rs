//! Stress: the scenario on real OS threads (or the real tokio runtime, for async scenarios),
//! over and over within a budget, counting how often the failure shows. This is how bugs are
//! usually hunted, and the numbers show why it so rarely works.

use super::main_body;
use crate::run::{self, CapturedFailure, RunShared};
use crate::scenario::Body;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct StressLimits {
    pub runs: u64,
    pub time: Duration,
}

#[derive(Debug, Clone)]
pub struct StressResult {
    pub runs: u64,
    pub failures: u64,
    pub elapsed: Duration,
    pub first_failure: Option<CapturedFailure>,
    /// A run never finished (a deadlock or an endless loop); the figures cover the runs before.
    pub hung: bool,
}

impl StressResult {
    pub fn rate(&self) -> f64 {
        if self.runs == 0 {
            0.0
        } else {
            self.failures as f64 / self.runs as f64
        }
    }
}

/// Run `body` on real threads until `limits` is reached. A run that hangs is abandoned on its
/// thread after the budget plus a grace period, and reported.
pub fn stress(body: &Body, limits: StressLimits) -> StressResult {
    let (progress_tx, progress_rx) = mpsc::channel::<(bool, Option<CapturedFailure>)>();
    let start = Instant::now();
    let body = body.clone();
    let worker = std::thread::Builder::new()
        .name("racebook-stress".into())
        .spawn(move || {
            let mut runs = 0;
            while runs < limits.runs && start.elapsed() < limits.time {
                let ctx = Arc::new(RunShared::default());
                run::with_context(ctx.clone(), || main_body(&body));
                runs += 1;
                if progress_tx.send((true, ctx.take())).is_err() {
                    return;
                }
            }
        });
    let mut result = StressResult {
        runs: 0,
        failures: 0,
        elapsed: Duration::ZERO,
        first_failure: None,
        hung: false,
    };
    if worker.is_err() {
        result.hung = true;
        return result;
    }
    // A single run may be slow on a loaded machine; one that takes this long is stuck.
    let grace = limits.time.max(Duration::from_secs(1));
    loop {
        let left = (limits.time + grace).saturating_sub(start.elapsed());
        match progress_rx.recv_timeout(left) {
            Ok((_, failure)) => {
                result.runs += 1;
                if let Some(f) = failure {
                    result.failures += 1;
                    result.first_failure.get_or_insert(f);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                result.hung = true;
                break;
            }
        }
    }
    result.elapsed = start.elapsed();
    result
}
