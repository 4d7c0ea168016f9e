//! Running one captured command: no shell, stdout and stderr through one pipe (so they stay in
//! the order the program wrote them), a fixed environment (no colour, no backtraces, the
//! repository's default target folder), and a time limit after which it is killed.

use super::manifest::{Entry, Expect};
use super::normalize::{Places, normalize};
use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What a captured command printed, normalized, and how it ended.
pub struct Captured {
    pub text: String,
    pub succeeded: bool,
}

/// The target folder capture commands build in: the repository's default `target/`, whatever
/// the caller's `CARGO_TARGET_DIR` is, so that the paths a command prints relative to it (a
/// report's replay command, say) read the same on every machine, as a learner would see them.
/// Cargo releases its build lock while tests run, so a capture started from a test does not
/// wait for the build that runs it.
pub fn capture_target_dir(root: &Path) -> PathBuf {
    root.join("target")
}

/// Run `entry` in the repository at `root`.
pub fn run(root: &Path, entry: &Entry) -> Result<Captured> {
    let mut command = Command::new(program(&entry.command[0]));
    let cwd = root.join(&entry.cwd);
    command
        .args(&entry.command[1..])
        .current_dir(&cwd)
        // As a shell in that folder would set it: reports show paths from the learner's `PWD`.
        .env("PWD", &cwd)
        .stdin(Stdio::null());
    // Variables cargo sets for the test or build script that may be running us: they describe
    // that package, not the one the captured command builds.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let describes_caller = [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
        ]
        .iter()
        .any(|p| key.starts_with(p))
            || ["CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_TMPDIR", "OUT_DIR"].contains(&&*key);
        if describes_caller {
            command.env_remove(&*key);
        }
    }
    command
        .env("CARGO_TERM_COLOR", "never")
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_TARGET_DIR", capture_target_dir(root))
        .envs(&entry.env);
    // An empty value in the entry removes the variable (e.g. to let a crate outside the
    // workspace use its own build folder, as its reader would).
    for (key, value) in &entry.env {
        if value.is_empty() {
            command.env_remove(key);
        }
    }

    let finished = run_combined(&mut command, Duration::from_secs(entry.timeout_secs()))
        .with_context(|| format!("cannot run `{}` in {}", entry.shown(), entry.cwd))?;
    let Some(status) = finished.status else {
        bail!(
            "`{}` (capture {:?}) did not finish within {} s; it was stopped. Raise \
             timeout_secs in its entry if it is just slow",
            entry.shown(),
            entry.name,
            entry.timeout_secs()
        );
    };
    let bytes = finished.output;
    let raw = String::from_utf8_lossy(&bytes);
    Ok(Captured {
        text: normalize(&raw, &Places::new(root)),
        succeeded: status.success(),
    })
}

/// How a command run by [`run_combined`] ended.
pub struct Finished {
    /// `None` when it ran out of time and was killed.
    pub status: Option<ExitStatus>,
    /// Its stdout and stderr, interleaved as written.
    pub output: Vec<u8>,
}

/// Run `command` with stdout and stderr through one pipe, killing it after `limit`.
pub fn run_combined(command: &mut Command, limit: Duration) -> Result<Finished> {
    let (mut reader, writer) = std::io::pipe().context("cannot create a pipe")?;
    command.stdout(writer.try_clone()?).stderr(writer);
    let spawned = command.spawn();
    // `command` holds the pipe's write ends: replace them so that reading ends with the child.
    command.stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = spawned?;
    let collector = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = reader.read_to_end(&mut bytes);
        bytes
    });
    let status = wait_with_limit(&mut child, limit)?;
    // After a kill, a grandchild may still hold the pipe: do not wait for the reader then.
    let output = match status {
        Some(_) => collector
            .join()
            .map_err(|_| anyhow::anyhow!("the output reader panicked"))?,
        None => Vec::new(),
    };
    Ok(Finished { status, output })
}

/// Wait for `child`; kill it and return `None` if it runs longer than `limit`.
pub fn wait_with_limit(child: &mut Child, limit: Duration) -> Result<Option<ExitStatus>> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `cargo` is the cargo that runs us, when there is one, so captures use the same toolchain.
fn program(name: &str) -> std::ffi::OsString {
    match (name, std::env::var_os("CARGO")) {
        ("cargo", Some(cargo)) => cargo,
        _ => name.into(),
    }
}

/// An error unless the command ended the way its entry expects.
pub fn check_expectation(entry: &Entry, captured: &Captured) -> Result<()> {
    let wanted = entry.expect == Expect::Success;
    if captured.succeeded == wanted {
        return Ok(());
    }
    let tail: Vec<&str> = captured.text.lines().rev().take(15).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    bail!(
        "`{}` (capture {:?}) was expected to {} but it {}. Its last lines:\n{}",
        entry.shown(),
        entry.name,
        if wanted { "succeed" } else { "fail" },
        if captured.succeeded {
            "succeeded"
        } else {
            "failed"
        },
        tail.join("\n")
    )
}
