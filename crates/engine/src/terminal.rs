//! Talking to the person at the terminal: printing past the test harness's output capture, and
//! writing paths as they can type them from the folder they ran the command in.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Print to the terminal even while the test harness captures output, so a passing check can
/// say what it explored.
pub fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// The folder the learner typed the command in. Cargo runs a test in its package's folder, and
/// `racebook check` runs cargo from the checkout's root, but neither changes the shell's `PWD`:
/// that is the learner's folder when it lies inside the workspace. Otherwise (no shell, or a
/// runner started elsewhere) the process's own folder.
pub fn learner_dir() -> Option<PathBuf> {
    let pwd = std::env::var_os("PWD")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir());
    match pwd {
        Some(p) if p.starts_with(crate::record::workspace_root()) => Some(p),
        _ => std::env::current_dir().ok(),
    }
}

/// A path as the learner can type it from where they ran the check.
pub fn display_path(p: &Path) -> String {
    let Some(here) = learner_dir() else {
        return p.display().to_string();
    };
    let mut up = PathBuf::new();
    let mut base = here.as_path();
    loop {
        if let Ok(rest) = p.strip_prefix(base) {
            return up.join(rest).display().to_string();
        }
        match base.parent() {
            Some(parent) => {
                up.push("..");
                base = parent;
            }
            None => return p.display().to_string(),
        }
    }
}
