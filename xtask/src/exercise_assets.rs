//! The visualizer's data for every exercise in the book: each exercise's `tool export` (the
//! broken version's failing trace, the same schedule on each fix, the schedule trees), computed
//! once and kept under `target/racebook/book-assets/`, and recomputed only when the exercise or
//! the harness changes.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs" || x == "toml") {
            out.push(p);
        }
    }
}

/// What the export of `slug` depends on: the exercise's sources (not the learner's file) and
/// the harness's and the trace model's.
fn fingerprint(root: &Path, slug: &str) -> String {
    let mut files = Vec::new();
    for dir in [
        format!("exercises/{slug}/src"),
        "crates/check/src".into(),
        "crates/engine/src".into(),
        "crates/workbook/src".into(),
        "crates/trace/src".into(),
    ] {
        files_under(&root.join(dir), &mut files);
    }
    files.push(root.join("exercises").join(slug).join("Cargo.toml"));
    files.retain(|p| p.file_name().is_none_or(|n| n != "exercise.rs"));
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(
            f.strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    crate::digest::hex(&h.finalize())
}

/// Where the exported assets are kept between builds.
pub fn cache_dir(root: &Path) -> PathBuf {
    crate::paths::target_dir(root)
        .join("racebook")
        .join("book-assets")
}

/// Export (or reuse) the assets of every exercise, before the book is built: the visualizer's
/// preprocessor renders each chapter's first frame from them.
pub fn prepare(root: &Path) -> Result<()> {
    let cache = cache_dir(root);
    for slug in racebook_booktest::numbers::exercises(root) {
        let stamp = cache.join(format!("{slug}.fingerprint"));
        let want = fingerprint(root, &slug);
        let have = std::fs::read_to_string(&stamp).unwrap_or_default();
        if have.trim() != want || !cache.join(&slug).join("index.json").is_file() {
            eprintln!("visualizer: exporting the traces and schedule trees of {slug}");
            let _ = std::fs::remove_dir_all(cache.join(&slug));
            let status = Command::new(env!("CARGO"))
                .current_dir(root)
                .args([
                    "run",
                    "-q",
                    "-p",
                    &format!("ex{slug}"),
                    "--example",
                    &crate::bench::tool_example(&slug),
                    "--",
                    "export",
                ])
                .arg(&cache)
                .status()
                .with_context(|| format!("running the export of {slug}"))?;
            if !status.success() {
                bail!("the export of {slug}'s traces for the visualizer failed (see above)");
            }
            std::fs::write(&stamp, want).with_context(|| format!("writing {}", stamp.display()))?;
        }
    }
    Ok(())
}

/// Copy every exercise's exported assets into the built book `out`.
pub fn install(root: &Path, out: &Path) -> Result<()> {
    let cache = cache_dir(root);
    for slug in racebook_booktest::numbers::exercises(root) {
        let target = out.join("racebook").join(&slug);
        std::fs::create_dir_all(&target)?;
        for file in std::fs::read_dir(cache.join(&slug))? {
            let file = file?.path();
            let name = file.file_name().context("an exported file has a name")?;
            std::fs::copy(&file, target.join(name))
                .with_context(|| format!("cannot copy {} into the book", file.display()))?;
        }
    }
    Ok(())
}
