//! Where a recorded step is in the source, with the text of its line, and the workspace root
//! that rustc's file names are relative to.

use racebook_trace::SourceLoc;
use std::collections::HashMap;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Source locations with the text of their line. Files are read once per process: a recorded
/// replay must not pay for file reads (the benchmark holds it to twice a raw replay).
#[derive(Default)]
pub(super) struct SourceCache {
    files: HashMap<&'static str, Arc<Vec<String>>>,
}

/// Each source file's lines, by the path rustc gave it.
type SourceFiles = HashMap<&'static str, Arc<Vec<String>>>;

/// A source file's lines as written (columns count from them), read once per process; shared
/// with the naming of facade objects (`crate::naming`).
pub(crate) fn raw_lines(file: &'static str) -> Arc<Vec<String>> {
    static FILES: OnceLock<Mutex<SourceFiles>> = OnceLock::new();
    let mut files = FILES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    files
        .entry(file)
        .or_insert_with(|| {
            let text = std::fs::read_to_string(workspace_root().join(file))
                .or_else(|_| std::fs::read_to_string(file))
                .unwrap_or_default();
            Arc::new(text.lines().map(str::to_string).collect())
        })
        .clone()
}

impl SourceCache {
    pub(super) fn loc(&mut self, at: &'static Location<'static>) -> SourceLoc {
        let lines = self
            .files
            .entry(at.file())
            .or_insert_with(|| raw_lines(at.file()));
        let text = lines
            .get(at.line().saturating_sub(1) as usize)
            .map(|l| l.trim().to_string());
        SourceLoc {
            file: at.file().replace('\\', "/"),
            line: at.line(),
            column: at.column(),
            text,
        }
    }
}

/// The workspace root: rustc names source files relative to it.
pub fn workspace_root() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(find_workspace_root).clone()
}

fn find_workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok());
    let start = start.unwrap_or_else(|| PathBuf::from("."));
    let mut dir = start.clone();
    loop {
        let manifest = dir.join("Cargo.toml");
        if std::fs::read_to_string(&manifest).is_ok_and(|s| s.contains("[workspace]")) {
            return dir;
        }
        if !dir.pop() {
            // A package with no workspace above it is its own root.
            return start;
        }
    }
}

/// A path relative to the workspace root when it is inside it.
pub fn relative(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
