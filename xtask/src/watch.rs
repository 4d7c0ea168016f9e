//! Watching the book's inputs for `cargo xtask serve`: `src/`, `book.toml`, `theme/` (templates
//! and the book-wide CSS and JS), `exercises/` (the book includes listings from there) and `web/`
//! (the visualizer's assets). Only changes count
//! (the build itself opens every file, and reads must not trigger the next build), and events
//! are debounced so that one save, or one `git checkout`, triggers one rebuild. Build outputs
//! and tool folders are ignored.

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// Folders whose changes never affect the book.
const IGNORED: &[&str] = &["target", "node_modules", ".git", "test-results", "book"];

/// How long the inputs must stay quiet before a batch of changes is handed over.
const QUIET: Duration = Duration::from_millis(300);

/// A live watcher; `next_batch` blocks until the inputs changed and then settled.
pub struct Watch {
    _watcher: RecommendedWatcher,
    root: PathBuf,
    events: Receiver<notify::Result<Event>>,
}

pub fn start(root: &Path) -> Result<Watch> {
    let (tx, events) = channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .context("cannot start watching files")?;
    for dir in ["src", "exercises", "web", "theme"] {
        watch_inputs(&mut watcher, &root.join(dir))?;
    }
    // The root itself, not recursively: for book.toml (editors replace files on save, which a
    // watch on the file alone would lose).
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .context("cannot watch book.toml")?;
    Ok(Watch {
        _watcher: watcher,
        root: root.to_path_buf(),
        events,
    })
}

/// Watch `dir` and, recursively, each of its subfolders except ignored ones (a `node_modules`
/// or `target` folder can hold thousands of folders, each of which would cost a watch).
fn watch_inputs(watcher: &mut RecommendedWatcher, dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    watcher
        .watch(dir, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", dir.display()))?;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let ignored = path
            .file_name()
            .is_some_and(|n| IGNORED.iter().any(|i| n == *i));
        if path.is_dir() && !ignored {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    Ok(())
}

impl Watch {
    /// The input paths that changed, once they have been quiet for a moment; `None` when the
    /// watcher stopped.
    pub fn next_batch(&self) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        loop {
            let event = if changed.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(QUIET) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Some(changed),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            let Ok(event) = event else { continue };
            if !is_change(&event.kind) {
                continue;
            }
            for path in event.paths {
                if is_input(&self.root, &path) && !changed.contains(&path) {
                    changed.push(path);
                }
            }
        }
    }
}

/// Creations, writes, renames and removals; not the opens and reads of a build.
fn is_change(kind: &EventKind) -> bool {
    kind.is_create()
        || kind.is_modify()
        || kind.is_remove()
        || matches!(
            kind,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
        )
}

/// Whether a changed path can change the book.
fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative.components().filter_map(|c| match c {
        Component::Normal(p) => p.to_str(),
        _ => None,
    });
    let Some(first) = parts.next() else {
        return false;
    };
    let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let scratch = name.ends_with('~') || name.ends_with(".swp") || name.starts_with(".#");
    match first {
        "book.toml" => true,
        "src" | "exercises" | "web" => {
            !scratch
                && !relative
                    .components()
                    .any(|c| IGNORED.iter().any(|i| c.as_os_str() == *i))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn only_book_inputs_trigger_a_rebuild() {
        let root = Path::new("/r");
        for yes in [
            "/r/book.toml",
            "/r/src/intro.md",
            "/r/exercises/01-x/src/broken.rs",
            "/r/web/viz.js",
        ] {
            assert!(is_input(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/r/Cargo.toml",
            "/r/target/debug/x",
            "/r/web/node_modules/a/b.js",
            "/r/exercises/01-x/naive/target/debug/y",
            "/r/src/.intro.md.swp",
            "/r/src/intro.md~",
            "/elsewhere/src/a.md",
        ] {
            assert!(!is_input(root, Path::new(no)), "{no}");
        }
    }
}
