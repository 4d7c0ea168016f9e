//! A copy of the repository for driving the built `racebook` binary: the workspace's sources
//! (every member of the root manifest) and every exercise that has a manifest, at a fixed place in the target directory so that
//! cargo's builds of it are reused from run to run. Files are copied only when they differ, to
//! keep cargo's fingerprints. Tests using it take its lock: they share the copy and run one at
//! a time.
//!
//! The copy builds in a target directory of its own. Sharing the checkout's would be faster
//! the first time, but cargo gives a workspace member the same build in every copy of the
//! workspace and decides freshness by modification times, so two checkouts in one target
//! directory can run each other's builds of `src/exercise.rs`: a test could see a learner's
//! fix, or a learner the test's.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

static COPY: Mutex<()> = Mutex::new(());

pub struct Fixture {
    pub root: PathBuf,
    /// The exercises the copy holds, in order; the tests work on the first.
    pub exercises: Vec<String>,
    _lock: MutexGuard<'static, ()>,
}

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The target directory this test was built in (`<target>/debug/racebook` -> `<target>`).
fn target_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_racebook"));
    bin.parent().and_then(Path::parent).unwrap().to_path_buf()
}

fn fixture_dir() -> PathBuf {
    target_dir().join("racebook-cli-tests")
}

/// The copy's own target directory.
pub fn copy_target() -> PathBuf {
    fixture_dir().join("target")
}

impl Fixture {
    /// The synced copy, with every exercise at its starting point and no progress.
    pub fn new() -> Fixture {
        let lock = COPY.lock().unwrap_or_else(|p| p.into_inner());
        let src = source_root();
        let root = fixture_dir().join("repo");
        for file in ["Cargo.toml", "Cargo.lock"] {
            sync_file(&src.join(file), &root.join(file));
        }
        sync_dir(&src.join("crates"), &root.join("crates"));
        sync_dir(&src.join("xtask"), &root.join("xtask"));
        // What the root manifest names outside crates/ (a member, the patched loom): without
        // them cargo cannot load the copy's workspace.
        for dir in ["examples/meet-the-harness", "vendor"] {
            sync_dir(&src.join(dir), &root.join(dir));
        }
        let mut names: Vec<String> = std::fs::read_dir(src.join("exercises"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("racebook.toml").is_file())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names[0], "01-counter-map", "the tests work on exercise 01");
        let exercises = root.join("exercises");
        std::fs::create_dir_all(&exercises).unwrap();
        for entry in std::fs::read_dir(&exercises).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !names.contains(&name) {
                std::fs::remove_dir_all(&path).unwrap();
            }
        }
        for ex in &names {
            sync_dir(&src.join("exercises").join(ex), &exercises.join(ex));
        }
        let _ = std::fs::remove_dir_all(root.join(".racebook"));
        let f = Fixture {
            root,
            exercises: names,
            _lock: lock,
        };
        for ex in &f.exercises {
            let broken = std::fs::read(f.ex_file(ex, "broken.rs")).unwrap();
            sync_bytes(&broken, &f.ex_file(ex, "exercise.rs"));
            let _ = std::fs::remove_dir_all(f.results(ex));
        }
        f
    }

    /// The exercise after 01, if the copy has one.
    pub fn second(&self) -> Option<&str> {
        self.exercises.get(1).map(String::as_str)
    }

    pub fn ex_file(&self, ex: &str, file: &str) -> PathBuf {
        self.root.join("exercises").join(ex).join("src").join(file)
    }

    /// Where the harness leaves its results for the copy's exercise.
    pub fn results(&self, ex: &str) -> PathBuf {
        copy_target().join("racebook").join(ex)
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_racebook"));
        c.args(args)
            .current_dir(&self.root)
            // A learner's shell in the copy's root.
            .env("PWD", &self.root)
            .env("CARGO_TARGET_DIR", copy_target())
            .env("NO_COLOR", "1")
            // As if installed: messages then say `racebook ...`.
            .env_remove("CARGO_PKG_NAME")
            .env_remove("BROWSER")
            .env_remove("RACEBOOK_BOOK_URL");
        c
    }

    /// `line` as a learner's shell in the copy's root would run it.
    pub fn shell(&self, line: &str) -> Run {
        let output = Command::new("sh")
            .args(["-c", line])
            .current_dir(&self.root)
            .env("PWD", &self.root)
            .env("CARGO_TARGET_DIR", copy_target())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Run::of(output)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.cmd(args).output().unwrap())
    }

    pub fn state(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.root.join(".racebook/state.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Put reference fix `fix` in place of the learner's file.
    pub fn apply_fix(&self, ex: &str, fix: &str) {
        let text = std::fs::read(self.ex_file(ex, fix)).unwrap();
        std::fs::write(self.ex_file(ex, "exercise.rs"), text).unwrap();
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn of(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    pub fn both(&self) -> String {
        format!("--- stdout\n{}--- stderr\n{}", self.stdout, self.stderr)
    }
}

const SKIP: [&str; 4] = ["target", "node_modules", ".git", "book"];

fn sync_bytes(bytes: &[u8], dst: &Path) {
    if std::fs::read(dst).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
    std::fs::write(dst, bytes).unwrap();
}

fn sync_file(src: &Path, dst: &Path) {
    sync_bytes(&std::fs::read(src).unwrap(), dst);
}

/// Make `dst` hold exactly the files of `src` (skipping build output).
fn sync_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    let mut wanted = Vec::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        if SKIP.iter().any(|s| name == *s) {
            continue;
        }
        if path.is_dir() {
            sync_dir(&path, &dst.join(&name));
        } else {
            sync_file(&path, &dst.join(&name));
        }
        wanted.push(name);
    }
    for entry in std::fs::read_dir(dst).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        if !wanted.contains(&name) && !SKIP.iter().any(|s| name == *s) {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
}
