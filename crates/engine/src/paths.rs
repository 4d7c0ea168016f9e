//! Where the harness writes: traces and schedules of learners' runs go under `target/racebook/`,
//! a stable place that survives between runs and that `cargo clean` clears.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// The workspace's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                crate::record::workspace_root().join(dir)
            }
        }
        None => crate::record::workspace_root().join("target"),
    }
}

/// `target/racebook/`.
pub fn racebook_dir() -> PathBuf {
    target_dir().join("racebook")
}

/// A fresh file path for scratch data of this process.
pub fn scratch_file(stem: &str, ext: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = racebook_dir().join("tmp");
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("{stem}-{}-{n}.{ext}", std::process::id()))
}
