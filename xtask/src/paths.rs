//! Where things are: the repository root (found from this crate's own manifest, so `cargo xtask`
//! works from any directory of the checkout) and cargo's target directory.

use std::path::{Path, PathBuf};

/// The repository root: the parent of `xtask/`.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}

/// Cargo's target directory for this checkout: `CARGO_TARGET_DIR` if set, else `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        // Cargo reads a relative CARGO_TARGET_DIR from the current directory.
        Some(dir) if !dir.is_empty() => std::path::absolute(&dir).unwrap_or_else(|_| dir.into()),
        _ => root.join("target"),
    }
}

/// Scratch space of xtask itself inside the target directory.
pub fn xtask_dir(root: &Path) -> PathBuf {
    target_dir(root).join("xtask")
}

/// `path` shown relative to the repository root when it is inside it.
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
