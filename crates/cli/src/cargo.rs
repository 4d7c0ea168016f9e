//! Running cargo for an exercise: the command (the cargo that runs us, from the checkout's
//! root), and waiting for it within a time limit while telling the person that it is still at
//! work. The child writes straight to the terminal, so cargo's errors and the harness's report
//! appear exactly as they would from `cargo test`.

use anyhow::{Context, Result};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// `cargo`, as the one running us when we run under `cargo run`.
pub fn command(root: &std::path::Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut c = Command::new(cargo);
    c.current_dir(root).stdin(Stdio::null());
    c
}

pub enum Ended {
    Exited(ExitStatus),
    TimedOut,
}

/// Start `cmd` and wait for it, at most `limit`. After 5 s, and then at doubling intervals,
/// print `still` with the elapsed time on its own line, so a long exploration shows it is alive
/// without ever overwriting what the child prints. An empty `still` prints nothing (for a child
/// that draws its own progress bar).
pub fn run(cmd: &mut Command, limit: Duration, still: &str) -> Result<Ended> {
    let child = cmd
        .spawn()
        .with_context(|| format!("cannot run {:?}", cmd.get_program()))?;
    wait(child, limit, still)
}

pub fn wait(mut child: Child, limit: Duration, still: &str) -> Result<Ended> {
    let start = Instant::now();
    let mut next_note = Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ended::Exited(status));
        }
        let elapsed = start.elapsed();
        if elapsed >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Ended::TimedOut);
        }
        if elapsed >= next_note && !still.is_empty() {
            println!("  … {still} ({} s)", elapsed.as_secs());
            next_note *= 2;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Minutes and seconds, for messages.
pub fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}
