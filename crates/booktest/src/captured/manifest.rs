//! `src/captured/captures.toml`: the list of commands whose output the book shows. Each entry
//! names its output file (`src/captured/<name>.txt`), the command (argv, no shell), the folder
//! it runs in (relative to the repository root), whether it must succeed or fail, extra
//! environment variables and an optional time limit.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// Where the manifest and the captured files live, relative to the repository root.
pub const CAPTURED_DIR: &str = "src/captured";
pub const MANIFEST: &str = "src/captured/captures.toml";

/// A command gets this long unless its entry says otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    capture: Vec<Entry>,
}

/// One captured command.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub name: String,
    pub command: Vec<String>,
    #[serde(default = "here")]
    pub cwd: String,
    pub expect: Expect,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    pub timeout_secs: Option<u64>,
}

fn here() -> String {
    ".".into()
}

/// Whether the command must exit successfully (a green report) or fail (a compiler error, a
/// red report). A command that does the other thing is an error, never a capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Success,
    Failure,
}

impl Entry {
    /// The file the normalized output is kept in.
    pub fn output_path(&self, root: &Path) -> PathBuf {
        root.join(CAPTURED_DIR).join(format!("{}.txt", self.name))
    }

    pub fn timeout_secs(&self) -> u64 {
        self.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS)
    }

    /// The command as a person would type it.
    pub fn shown(&self) -> String {
        self.command.join(" ")
    }
}

/// Read and validate the manifest of the repository at `root`.
pub fn load(root: &Path) -> Result<Vec<Entry>> {
    let path = root.join(MANIFEST);
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {MANIFEST}"))?;
    parse(&text, root).with_context(|| format!("{MANIFEST} is not valid"))
}

fn parse(text: &str, root: &Path) -> Result<Vec<Entry>> {
    let manifest: Manifest = toml::from_str(text)?;
    let mut names = BTreeSet::new();
    for entry in &manifest.capture {
        let name = &entry.name;
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            bail!("capture name {name:?} must be lowercase letters, digits and `-`");
        }
        if !names.insert(name.clone()) {
            bail!("capture name {name:?} is used twice");
        }
        if entry.command.is_empty() || entry.command[0].is_empty() {
            bail!("capture {name:?} has an empty command");
        }
        let cwd = Path::new(&entry.cwd);
        let escapes = cwd.is_absolute()
            || cwd
                .components()
                .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)));
        if escapes {
            bail!(
                "capture {name:?}: cwd {:?} must be a folder inside the repository, \
                 written relative to its root",
                entry.cwd
            );
        }
        if !root.join(cwd).is_dir() {
            bail!("capture {name:?}: cwd {:?} is not a folder", entry.cwd);
        }
        if entry.timeout_secs == Some(0) {
            bail!("capture {name:?}: timeout_secs must be at least 1");
        }
    }
    Ok(manifest.capture)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
    }

    #[test]
    fn reads_a_full_entry_and_defaults() {
        let text = r#"
            [[capture]]
            name = "naive-port"
            command = ["cargo", "build"]
            cwd = "src"
            expect = "failure"
            env = { RUST_BACKTRACE = "1" }
            timeout_secs = 30

            [[capture]]
            name = "green"
            command = ["true"]
            expect = "success"
        "#;
        let entries = parse(text, &root()).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].expect, Expect::Failure);
        assert_eq!(entries[0].env["RUST_BACKTRACE"], "1");
        assert_eq!(entries[0].timeout_secs(), 30);
        assert_eq!(entries[1].cwd, ".");
        assert_eq!(entries[1].timeout_secs(), DEFAULT_TIMEOUT_SECS);
        assert_eq!(
            entries[1].output_path(Path::new("/r")),
            Path::new("/r/src/captured/green.txt")
        );
    }

    #[test]
    fn refuses_bad_entries() {
        let cases = [
            (
                "name = \"Bad Name\"\ncommand = [\"x\"]\nexpect = \"success\"",
                "lowercase",
            ),
            (
                "name = \"a\"\ncommand = []\nexpect = \"success\"",
                "empty command",
            ),
            (
                "name = \"a\"\ncommand = [\"x\"]\nexpect = \"maybe\"",
                "unknown variant",
            ),
            (
                "name = \"a\"\ncommand = [\"x\"]\nexpect = \"success\"\ncwd = \"../x\"",
                "inside",
            ),
            (
                "name = \"a\"\ncommand = [\"x\"]\nexpect = \"success\"\ncwd = \"nope\"",
                "not a folder",
            ),
            (
                "name = \"a\"\ncommand = [\"x\"]\nexpect = \"success\"\nshell = true",
                "unknown field",
            ),
        ];
        for (body, needle) in cases {
            let err = format!(
                "{:#}",
                parse(&format!("[[capture]]\n{body}"), &root()).unwrap_err()
            );
            assert!(err.contains(needle), "{body:?}: {err}");
        }
        let twice =
            "[[capture]]\nname = \"a\"\ncommand = [\"x\"]\nexpect = \"success\"\n".repeat(2);
        assert!(format!("{:#}", parse(&twice, &root()).unwrap_err()).contains("used twice"));
    }
}
