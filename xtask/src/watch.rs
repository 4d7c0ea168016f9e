//! Watching the book's inputs for `cargo xtask serve`: `src/`, `book.toml`, `exercises/` (the
//! book includes listings from there) and `web/` (the visualizer's assets), with events
//! debounced so that one save triggers one rebuild. Build outputs and tool folders are ignored.

use anyhow::{Context, Result};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// Folders whose changes never affect the book.
const IGNORED: &[&str] = &["target", "node_modules", ".git", "test-results", "book"];

/// A live watcher (keep it alive) and the stream of changed input paths, one batch per save.
pub struct Watch {
    _debouncer: Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
    pub changes: Receiver<Vec<PathBuf>>,
}

pub fn start(root: &Path) -> Result<Watch> {
    let (tx, rx) = channel();
    let root_for_filter = root.to_path_buf();
    let mut debouncer = new_debouncer(
        Duration::from_millis(300),
        move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let paths: Vec<PathBuf> = events
                .into_iter()
                .map(|e| e.path)
                .filter(|p| is_input(&root_for_filter, p))
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        },
    )
    .context("cannot start watching files")?;
    let watcher = debouncer.watcher();
    for dir in ["src", "exercises", "web"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {dir}/"))?;
        }
    }
    // The root itself, not recursively: for book.toml (editors replace files on save, which a
    // watch on the file alone would lose).
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .context("cannot watch book.toml")?;
    Ok(Watch {
        _debouncer: debouncer,
        changes: rx,
    })
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
