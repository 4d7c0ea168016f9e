//! Saves of the learner's file, seen through the notify crate and debounced: an editor's save
//! (often a write plus a rename) becomes one event. The folder is watched rather than the file,
//! because editors that save by renaming replace the file the watch was on.

use super::Event;
use anyhow::{Context, Result};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};
use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

const DEBOUNCE: Duration = Duration::from_millis(250);

/// Send `Event::Saved` whenever `file` changes; stops when the returned value is dropped.
pub fn watch(file: &Path, tx: Sender<Event>) -> Result<Debouncer<RecommendedWatcher>> {
    let dir = file.parent().context("the learner's file has no folder")?;
    let name = file
        .file_name()
        .context("the learner's file has no name")?
        .to_owned();
    let mut debouncer = new_debouncer(DEBOUNCE, move |res: DebounceEventResult| {
        let event = match res {
            Ok(events) if events.iter().any(|e| e.path.file_name() == Some(&name)) => Event::Saved,
            Ok(_) => return,
            Err(e) => Event::WatchFailed(e.to_string()),
        };
        let _ = tx.send(event);
    })
    .context("cannot start watching files")?;
    debouncer
        .watcher()
        .watch(dir, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", dir.display()))?;
    Ok(debouncer)
}
