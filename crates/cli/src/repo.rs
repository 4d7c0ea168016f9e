//! Where things are: the checkout's root (found by walking up from the current directory to the
//! `Cargo.toml` with a `[workspace]` table and an `exercises/` folder), cargo's target
//! directory, where the harness leaves its results, and racebook's own `.racebook/` folder.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// One racebook checkout.
#[derive(Debug, Clone)]
pub struct Repo {
    pub root: PathBuf,
}

impl Repo {
    /// The checkout that contains the current directory.
    pub fn find() -> Result<Repo> {
        let cwd = std::env::current_dir()?;
        Repo::find_from(&cwd)
    }

    pub fn find_from(start: &Path) -> Result<Repo> {
        let mut dir = start.to_path_buf();
        loop {
            if is_racebook_root(&dir) {
                return Ok(Repo { root: dir });
            }
            if !dir.pop() {
                bail!(
                    "not inside a racebook checkout: no folder from {} upwards has a Cargo.toml \
                     with [workspace] and an exercises/ folder; cd into your racebook clone and \
                     run the command again",
                    start.display()
                );
            }
        }
    }

    pub fn exercises_dir(&self) -> PathBuf {
        self.root.join("exercises")
    }

    /// Cargo's target directory, by the harness's rule (`racebook_engine::paths::target_dir`):
    /// `CARGO_TARGET_DIR` (relative to the root when relative), else `target/`.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => self.root.join(dir),
            _ => self.root.join("target"),
        }
    }

    /// Where the harness writes an exercise's result, trace and schedule.
    pub fn results_dir(&self, slug: &str) -> PathBuf {
        self.target_dir().join("racebook").join(slug)
    }

    /// racebook's own folder: progress and backups (git-ignored).
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(".racebook")
    }

    /// A path as the person can type it from where they are.
    pub fn shown(&self, path: &Path) -> String {
        racebook_engine::terminal::display_path(path)
    }
}

fn is_racebook_root(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
        return false;
    };
    let has_workspace = text
        .parse::<toml::Table>()
        .is_ok_and(|t| t.contains_key("workspace"));
    has_workspace && dir.join("exercises").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_checkout_is_one_clear_error() {
        let err = Repo::find_from(Path::new("/")).unwrap_err().to_string();
        assert!(err.starts_with("not inside a racebook checkout"), "{err}");
    }

    #[test]
    fn the_root_is_found_from_a_subfolder() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let repo = Repo::find_from(&here).unwrap();
        assert!(repo.root.join("exercises").is_dir());
        assert!(here.starts_with(&repo.root));
    }
}
