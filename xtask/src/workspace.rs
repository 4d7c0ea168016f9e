//! The workspace as `cargo metadata` describes it: which packages are exercises (their manifest
//! lives under `exercises/`) and which test targets each has, so the test command can run an
//! exercise's own checks but not the learner's red test.

use anyhow::{Context, Result};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The test target every exercise has for the learner: red until `src/exercise.rs` is fixed.
pub const LEARNER_TEST: &str = "exercise";

pub struct Package {
    pub name: String,
    pub exercise: bool,
    pub has_lib: bool,
    /// `(kind, name)` of every target: `lib`, `bin`, `test`, `example`, `bench`, ...
    pub targets: Vec<(String, String)>,
}

pub fn packages(root: &Path) -> Result<Vec<Package>> {
    let output = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()
        .context("cannot run cargo metadata")?;
    if !output.status.success() {
        anyhow::bail!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).context("cargo metadata printed invalid JSON")?;
    parse(&metadata, root)
}

fn parse(metadata: &Value, root: &Path) -> Result<Vec<Package>> {
    let exercises = root.join("exercises");
    let mut out = Vec::new();
    for package in metadata["packages"].as_array().context("no packages")? {
        let name = package["name"].as_str().context("package without name")?;
        let manifest = Path::new(package["manifest_path"].as_str().unwrap_or(""));
        let mut targets = Vec::new();
        for target in package["targets"].as_array().into_iter().flatten() {
            let target_name = target["name"].as_str().unwrap_or("").to_string();
            for kind in target["kind"].as_array().into_iter().flatten() {
                targets.push((kind.as_str().unwrap_or("").to_string(), target_name.clone()));
            }
        }
        out.push(Package {
            name: name.to_string(),
            exercise: manifest.starts_with(&exercises),
            has_lib: targets
                .iter()
                .any(|(kind, _)| matches!(kind.as_str(), "lib" | "rlib" | "cdylib" | "dylib")),
            targets,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

impl Package {
    /// `cargo test` target flags for everything in this exercise except the learner's test.
    pub fn checked_targets(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if self.has_lib {
            flags.push("--lib".to_string());
        }
        for (kind, name) in &self.targets {
            let flag = match kind.as_str() {
                "test" if name == LEARNER_TEST => continue,
                "test" => "--test",
                "bin" => "--bin",
                "example" => "--example",
                _ => continue,
            };
            flags.push(flag.to_string());
            flags.push(name.clone());
        }
        flags
    }
}

/// The cargo running us, so every step uses the same toolchain.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exercises_and_leaves_out_the_learner_test() {
        let metadata = serde_json::json!({ "packages": [
            { "name": "ex01-counter-map", "manifest_path": "/r/exercises/01-counter-map/Cargo.toml",
              "targets": [
                { "name": "ex01_counter_map", "kind": ["lib"] },
                { "name": "exercise", "kind": ["test"] },
                { "name": "verify", "kind": ["test"] },
                { "name": "demo", "kind": ["example"] } ] },
            { "name": "racebook-trace", "manifest_path": "/r/crates/trace/Cargo.toml",
              "targets": [ { "name": "racebook_trace", "kind": ["lib"] } ] }
        ]});
        let packages = parse(&metadata, Path::new("/r")).unwrap();
        let ex = &packages[0];
        assert!(ex.exercise && ex.has_lib);
        assert_eq!(
            ex.checked_targets(),
            ["--lib", "--test", "verify", "--example", "demo"]
        );
        assert!(!packages[1].exercise);
    }
}

#[cfg(test)]
mod workspace_hack {
    use super::*;

    /// Every member but the wasm visualizer depends on `workspace-hack`, so cargo gives shared
    /// dependencies the same features whichever package is built, and a learner's first
    /// `cargo test` in an exercise reuses what the workspace build made. A new exercise needs
    /// the line too (`cargo hakari manage-deps` adds it).
    #[test]
    fn every_native_member_depends_on_the_workspace_hack() {
        let root = crate::paths::root();
        let output = Command::new(cargo())
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(&root)
            .output()
            .unwrap();
        let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut missing = Vec::new();
        for package in metadata["packages"].as_array().unwrap() {
            let name = package["name"].as_str().unwrap();
            if matches!(name, "workspace-hack" | "racebook-viz" | "racebook-trace") {
                continue;
            }
            let deps = package["dependencies"].as_array().unwrap();
            if !deps.iter().any(|d| d["name"] == "workspace-hack") {
                missing.push(name.to_string());
            }
        }
        assert!(
            missing.is_empty(),
            "add `workspace-hack` to: {missing:?} (cargo hakari manage-deps)"
        );
    }
}
