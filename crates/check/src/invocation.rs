//! Which `cargo test` is running a check, so that a report can print the one command that runs
//! that check again: the package (cargo sets `CARGO_PKG_NAME` and `CARGO_MANIFEST_PATH` for the
//! test binaries it runs), the test target (the binary's own file name, matched against the
//! caller's source file and the manifest's `[[test]]` names) and the test's name (libtest runs
//! each test on a thread named after it, whatever `--test-threads` says).
//!
//! Every part is left out when it cannot be known for sure: a command that runs a few more
//! tests is still true, one that names a target that does not exist is not.

use std::path::{Path, PathBuf};

/// Which kind of target of a package a test binary was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The library's unit tests (`--lib`).
    Lib,
    /// A binary's unit tests (`--bin NAME`).
    Bin(String),
    /// An integration test (`--test NAME`).
    Test(String),
    /// An example's tests (`--example NAME`).
    Example(String),
    /// Not known: the command runs every target with the test's name as filter.
    Unknown,
}

/// Where a check runs: enough to run it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The package's name, from cargo (`None` outside `cargo test`).
    pub package: Option<String>,
    /// The package's `Cargo.toml`.
    pub manifest: Option<PathBuf>,
    pub target: Target,
    /// The test's full name (`tests::transfer_keeps_money`), if a test runs the check.
    pub test: Option<String>,
}

impl Invocation {
    /// The invocation of the running process, for a check called from `caller_file` (the path
    /// rustc gave the caller's source file).
    pub fn current(caller_file: &str) -> Invocation {
        let manifest = std::env::var_os("CARGO_MANIFEST_PATH")
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("CARGO_MANIFEST_DIR").map(|d| PathBuf::from(d).join("Cargo.toml"))
            })
            .filter(|m| m.is_file());
        let package = std::env::var("CARGO_PKG_NAME")
            .ok()
            .filter(|p| !p.is_empty());
        let binary = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .map(|stem| crate_of_binary(&stem).to_string());
        let target = match (&manifest, &package, &binary) {
            (Some(manifest), Some(package), Some(binary)) => {
                let text = std::fs::read_to_string(manifest).unwrap_or_default();
                let dir = manifest.parent().unwrap_or(Path::new("."));
                let file = crate::record::workspace_root().join(caller_file);
                let file = file.strip_prefix(dir).unwrap_or(&file);
                target_of(file, binary, package, &text)
            }
            _ => Target::Unknown,
        };
        Invocation {
            package,
            manifest,
            target,
            test: test_name(),
        }
    }

    /// The arguments after `cargo test` that run this check again, the manifest given as
    /// `manifest` (a path as the reader can type it; `None` to rely on the folder they are in).
    pub fn cargo_test_args(&self, manifest: Option<&str>) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(m) = manifest {
            args.extend(["--manifest-path".to_string(), m.to_string()]);
        }
        if let Some(p) = &self.package {
            args.extend(["-p".to_string(), p.clone()]);
        }
        match &self.target {
            Target::Lib => args.push("--lib".into()),
            Target::Bin(n) => args.extend(["--bin".to_string(), n.clone()]),
            Target::Test(n) => args.extend(["--test".to_string(), n.clone()]),
            Target::Example(n) => args.extend(["--example".to_string(), n.clone()]),
            Target::Unknown => {}
        }
        if let Some(t) = &self.test {
            args.extend(["--".to_string(), t.clone(), "--exact".to_string()]);
        }
        args
    }
}

/// The test libtest is running on this thread: it names each test's thread after the test.
fn test_name() -> Option<String> {
    let current = std::thread::current();
    let name = current.name()?;
    // The main thread runs no test (a check called from `main`, or a harness-less target).
    (name != "main" && !name.is_empty()).then(|| name.to_string())
}

/// `bank_transfer-1a2b3c4d` → `bank_transfer`: cargo names a test binary after its crate and
/// a hash.
fn crate_of_binary(stem: &str) -> &str {
    match stem.rsplit_once('-') {
        Some((name, hash)) if !hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            name
        }
        _ => stem,
    }
}

/// The target a test binary named `binary` (its crate name, `-` written `_`) was built from,
/// for a check called from `file` (relative to the package's folder).
pub fn target_of(file: &Path, binary: &str, package: &str, manifest: &str) -> Target {
    let crate_name = |s: &str| s.replace('-', "_");
    let mut parts = file.components().map(|c| c.as_os_str().to_string_lossy());
    let top = parts.next().unwrap_or_default();
    let second = parts.next();
    let stem = |s: &str| s.strip_suffix(".rs").unwrap_or(s).to_string();
    // Names the target might have: the auto-discovered one for this file, and every name the
    // manifest declares. The one whose crate name is the binary's is the target.
    let mut candidates: Vec<Target> = Vec::new();
    match (top.as_ref(), second.as_deref()) {
        ("tests", Some(f)) => candidates.push(Target::Test(stem(f))),
        ("examples", Some(f)) => candidates.push(Target::Example(stem(f))),
        ("src", Some("main.rs")) => candidates.push(Target::Bin(package.to_string())),
        ("src", Some("bin")) => {
            if let Some(f) = file.components().nth(2) {
                candidates.push(Target::Bin(stem(&f.as_os_str().to_string_lossy())));
            }
        }
        ("src", Some(_)) => candidates.push(Target::Lib),
        _ => {}
    }
    for (table, name) in declared_targets(manifest) {
        candidates.push(match table.as_str() {
            "test" => Target::Test(name),
            "bin" => Target::Bin(name),
            "example" => Target::Example(name),
            _ => continue,
        });
    }
    let lib_name = declared_lib_name(manifest).unwrap_or_else(|| crate_name(package));
    candidates
        .into_iter()
        .find(|t| match t {
            Target::Lib => crate_name(&lib_name) == binary,
            Target::Bin(n) | Target::Test(n) | Target::Example(n) => crate_name(n) == binary,
            Target::Unknown => false,
        })
        .unwrap_or(Target::Unknown)
}

/// `(table, name)` of every `[[test]]`, `[[bin]]` and `[[example]]` the manifest declares.
fn declared_targets(manifest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut table = String::new();
    for line in manifest.lines().map(str::trim) {
        if let Some(t) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
            table = t.trim().to_string();
        } else if line.starts_with('[') {
            table.clear();
        } else if !table.is_empty()
            && let Some(name) = string_value(line, "name")
        {
            out.push((table.clone(), name));
        }
    }
    out
}

/// The `name` in the manifest's `[lib]` table, if it renames the library.
fn declared_lib_name(manifest: &str) -> Option<String> {
    let mut in_lib = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_lib = line == "[lib]";
        } else if in_lib && let Some(name) = string_value(line, "name") {
            return Some(name);
        }
    }
    None
}

/// `key = "value"` → `value`.
fn string_value(line: &str, key: &str) -> Option<String> {
    let (k, v) = line.split_once('=')?;
    if k.trim() != key {
        return None;
    }
    let v = v.trim();
    let v = v.strip_prefix('"')?;
    Some(v[..v.find('"')?].to_string())
}

/// An argument as a POSIX shell reads it back: quoted only when it has to be.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(file: &str, binary: &str, manifest: &str) -> Target {
        target_of(Path::new(file), binary, "bank-ledger", manifest)
    }

    #[test]
    fn integration_tests_are_named_by_their_file_or_their_manifest_entry() {
        assert_eq!(
            target("tests/transfer-race.rs", "transfer_race", ""),
            Target::Test("transfer-race".into())
        );
        assert_eq!(
            target("tests/suite/main.rs", "suite", ""),
            Target::Test("suite".into())
        );
        let manifest = "[package]\nname = \"bank-ledger\"\n\n[[test]]\nname = \"money-kept\"\npath = \"tests/other.rs\"\n";
        assert_eq!(
            target("tests/other.rs", "money_kept", manifest),
            Target::Test("money-kept".into())
        );
    }

    #[test]
    fn unit_tests_are_the_library_or_a_binary() {
        assert_eq!(target("src/ledger.rs", "bank_ledger", ""), Target::Lib);
        assert_eq!(
            target("src/main.rs", "bank_ledger", ""),
            Target::Bin("bank-ledger".into())
        );
        assert_eq!(
            target("src/bin/audit.rs", "audit", ""),
            Target::Bin("audit".into())
        );
        let renamed = "[lib]\nname = \"ledger\"\n";
        assert_eq!(target("src/lib.rs", "ledger", renamed), Target::Lib);
    }

    #[test]
    fn an_unmatched_binary_gives_no_target_rather_than_a_wrong_one() {
        // A helper in `tests/common/` called from the `money` test: the file names no target.
        assert_eq!(target("tests/common/mod.rs", "money", ""), Target::Unknown);
        assert_eq!(target("/elsewhere/x.rs", "money", ""), Target::Unknown);
    }

    #[test]
    fn the_command_runs_one_test_exactly() {
        let inv = Invocation {
            package: Some("bank-ledger".into()),
            manifest: None,
            target: Target::Test("transfer".into()),
            test: Some("debit::is_atomic".into()),
        };
        assert_eq!(
            inv.cargo_test_args(None).join(" "),
            "-p bank-ledger --test transfer -- debit::is_atomic --exact"
        );
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(
            shell_word("target/racebook/a.json"),
            "target/racebook/a.json"
        );
        assert_eq!(shell_word("my dir/a b"), "'my dir/a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }

    #[test]
    fn binaries_lose_their_hash() {
        assert_eq!(crate_of_binary("my_test-5cee2ff925642b67"), "my_test");
        assert_eq!(crate_of_binary("plain"), "plain");
    }
}
