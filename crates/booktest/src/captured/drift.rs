//! Regenerating the captured outputs and telling when the stored ones no longer match what the
//! commands print now (times masked).

use super::manifest::{self, CAPTURED_DIR, Entry};
use super::normalize::mask_durations;
use super::run::{check_expectation, run};
use anyhow::{Context, Result, bail};
use std::path::Path;

/// What `capture_all` did with one entry.
pub struct Written {
    pub name: String,
    pub path: String,
    /// False when the stored file already matched (up to times) and was left as it was.
    pub changed: bool,
}

/// Run every entry and write its output; a file that differs only in times is left alone, so
/// re-capturing does not churn the repository. Nothing is written for an entry whose command
/// did not end as expected. With names in `only`, just those entries run.
pub fn capture_all(root: &Path, only: &[String]) -> Result<Vec<Written>> {
    let entries = manifest::load(root)?;
    if let Some(unknown) = only.iter().find(|n| !entries.iter().any(|e| &e.name == *n)) {
        bail!("no capture named {unknown:?} in {CAPTURED_DIR}/captures.toml");
    }
    let mut written = Vec::new();
    for entry in entries
        .iter()
        .filter(|e| only.is_empty() || only.contains(&e.name))
    {
        let captured = run(root, entry)?;
        check_expectation(entry, &captured)?;
        let path = entry.output_path(root);
        let stored = std::fs::read_to_string(&path).ok();
        let changed = stored.as_deref().map(mask_durations) != Some(mask_durations(&captured.text));
        if changed {
            std::fs::write(&path, &captured.text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        written.push(Written {
            name: entry.name.clone(),
            path: format!("{CAPTURED_DIR}/{}.txt", entry.name),
            changed,
        });
    }
    Ok(written)
}

/// An error describing every captured output that drifted, was never captured, or is no
/// longer listed in the manifest.
pub fn check_drift(root: &Path) -> Result<usize> {
    let entries = manifest::load(root)?;
    let mut problems = Vec::new();
    for entry in &entries {
        if let Some(problem) = drift_of(root, entry)? {
            problems.push(problem);
        }
    }
    problems.extend(unlisted_files(root, &entries)?);
    if !problems.is_empty() {
        bail!(
            "{} captured output(s) are out of date; run `cargo xtask capture` and review the \
             change:\n\n{}",
            problems.len(),
            problems.join("\n\n")
        );
    }
    Ok(entries.len())
}

fn drift_of(root: &Path, entry: &Entry) -> Result<Option<String>> {
    let path = entry.output_path(root);
    let Ok(stored) = std::fs::read_to_string(&path) else {
        return Ok(Some(format!(
            "{CAPTURED_DIR}/{}.txt does not exist: `{}` was never captured",
            entry.name,
            entry.shown()
        )));
    };
    let captured = run(root, entry)?;
    check_expectation(entry, &captured)?;
    let (old, new) = (mask_durations(&stored), mask_durations(&captured.text));
    if old == new {
        return Ok(None);
    }
    Ok(Some(format!(
        "{CAPTURED_DIR}/{}.txt differs from what `{}` prints now:\n{}",
        entry.name,
        entry.shown(),
        diff(&old, &new)
    )))
}

/// `.txt` files in the captured folder that no entry produces.
fn unlisted_files(root: &Path, entries: &[Entry]) -> Result<Vec<String>> {
    let dir = root.join(CAPTURED_DIR);
    let mut out = Vec::new();
    for file in std::fs::read_dir(&dir).with_context(|| format!("cannot list {CAPTURED_DIR}"))? {
        let name = file?.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".txt")
            && !entries.iter().any(|e| e.name == stem)
        {
            out.push(format!(
                "{CAPTURED_DIR}/{name} is not produced by any entry of captures.toml; \
                 add an entry or delete the file"
            ));
        }
    }
    Ok(out)
}

/// A unified diff of the stored (`-`) and the new (`+`) text, three lines of context.
fn diff(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header("stored", "now")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let shown = diff(old, new);
        assert!(shown.contains("-e\n+E\n"), "{shown}");
        assert!(!shown.contains(" a\n"), "{shown}");
    }
}
