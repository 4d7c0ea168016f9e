//! Running the programs a test step needs: shown as typed, with a time limit (a hung test must
//! end the run with a message, never hang CI), either streaming to the terminal or quietly
//! with the output kept for the error message.

use anyhow::{Context, Result, bail};
use racebook_booktest::captured::run::{run_combined, wait_with_limit};
use std::process::Command;
use std::time::Duration;

/// `program args...` as a person would type it.
pub fn shown(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run with the output going straight to the terminal; an error if it fails or times out.
pub fn stream(command: &mut Command, limit: Duration) -> Result<()> {
    let text = shown(command);
    println!("$ {text}");
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start `{text}`"))?;
    match wait_with_limit(&mut child, limit)? {
        Some(status) if status.success() => Ok(()),
        Some(status) => bail!("`{text}` failed ({status})"),
        None => bail!(
            "`{text}` did not finish within {} minutes and was stopped",
            limit.as_secs() / 60
        ),
    }
}

/// Run quietly; on failure the error carries the last lines of its output.
pub fn quiet(command: &mut Command, limit: Duration) -> Result<String> {
    let text = shown(command);
    let finished =
        run_combined(command, limit).with_context(|| format!("cannot start `{text}`"))?;
    let output = String::from_utf8_lossy(&finished.output).into_owned();
    match finished.status {
        Some(status) if status.success() => Ok(output),
        Some(status) => {
            let lines: Vec<&str> = output.lines().collect();
            let tail = lines[lines.len().saturating_sub(20)..].join("\n");
            bail!("`{text}` failed ({status}); its last lines:\n{tail}")
        }
        None => bail!(
            "`{text}` did not finish within {} minutes and was stopped",
            limit.as_secs() / 60
        ),
    }
}

/// Whether `program` can be started at all (found on PATH).
pub fn exists(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}
