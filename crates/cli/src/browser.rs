//! Opening a URL in a browser without ever hanging: `$BROWSER` first (a `:`-separated list of
//! commands, `%s` standing for the URL), else the system's opener when there is a display.
//! A browser that is still running after a moment counts as opened; one that fails says why.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long an opener may take to hand the URL over.
const OPENER_LIMIT: Duration = Duration::from_secs(3);

pub fn open(url: &str) -> Result<(), String> {
    let candidates = commands(url)?;
    let mut problems = Vec::new();
    for argv in candidates {
        match launch(&argv) {
            Ok(()) => return Ok(()),
            Err(e) => problems.push(format!("{}: {e}", argv[0])),
        }
    }
    Err(problems.join("; "))
}

/// The commands to try, each as program and arguments.
fn commands(url: &str) -> Result<Vec<Vec<String>>, String> {
    if let Ok(list) = std::env::var("BROWSER")
        && !list.trim().is_empty()
    {
        return Ok(list
            .split(':')
            .filter(|c| !c.trim().is_empty())
            .map(|c| {
                let mut argv: Vec<String> = c.split_whitespace().map(str::to_string).collect();
                if argv.iter().any(|a| a.contains("%s")) {
                    for a in &mut argv {
                        *a = a.replace("%s", url);
                    }
                } else {
                    argv.push(url.to_string());
                }
                argv
            })
            .collect());
    }
    let argv = |parts: &[&str]| parts.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    if cfg!(target_os = "macos") {
        Ok(vec![argv(&["open", url])])
    } else if cfg!(windows) {
        Ok(vec![argv(&["cmd", "/C", "start", "", url])])
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        Ok(vec![argv(&["xdg-open", url])])
    } else {
        Err("no display to open a browser on, and $BROWSER is not set".into())
    }
}

fn launch(argv: &[String]) -> Result<(), String> {
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    while start.elapsed() < OPENER_LIMIT {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("exited with {status}")),
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(e.to_string()),
        }
    }
    // Still running: it is the browser itself (or a text browser); leave it be.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_browser_command_is_an_error_not_a_hang() {
        assert!(launch(&["false".into()]).is_err());
        assert!(launch(&["true".into()]).is_ok());
        assert!(launch(&["/nonexistent/browser".into()]).is_err());
    }
}
