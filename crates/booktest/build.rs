//! Prepares the book's pages for rustdoc (see the crate's documentation for the rules): writes
//! each `src/**/*.md` page, with its fences adjusted, to `OUT_DIR/pages/`, and
//! `OUT_DIR/book_pages.rs` with one module per page whose doc comment is that page.

#[path = "src/fences.rs"]
mod fences;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.join("../..").canonicalize().unwrap();
    let src = root.join("src");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let pages_dir = out.join("pages");
    // Start clean: a page deleted from the book must not linger here.
    let _ = std::fs::remove_dir_all(&pages_dir);
    std::fs::create_dir_all(&pages_dir).unwrap();
    // Cargo scans a folder given here recursively: a new or edited page re-runs this script.
    println!("cargo:rerun-if-changed={}", src.display());

    let mut pages = Vec::new();
    collect_pages(&src, &mut pages);
    pages.sort();
    let mut modules = String::new();
    let mut errors = Vec::new();
    for page in &pages {
        let relative = page.strip_prefix(&src).unwrap();
        let text = std::fs::read_to_string(page).unwrap();
        let prepared = match prepare(&text, page.parent().unwrap(), &root) {
            Ok(prepared) => prepared,
            Err(problems) => {
                errors.extend(
                    problems
                        .into_iter()
                        .map(|p| format!("src/{}: {p}", relative.display())),
                );
                continue;
            }
        };
        let module = module_name(relative);
        // Mirror the page's own path, so a failing doctest names a recognizable file.
        let file = pages_dir.join("src").join(relative);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, prepared).unwrap();
        writeln!(
            modules,
            "#[doc = include_str!({:?})]\npub mod {module} {{}}",
            file.display().to_string()
        )
        .unwrap();
    }
    if !errors.is_empty() {
        for e in &errors {
            println!("cargo:warning={e}");
        }
        panic!(
            "the book's code blocks cannot be tested:\n{}",
            errors.join("\n")
        );
    }
    std::fs::write(out.join("book_pages.rs"), modules).unwrap();
}

fn collect_pages(dir: &Path, pages: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_pages(&path, pages);
        } else if path.extension().is_some_and(|e| e == "md")
            && path.file_name().is_some_and(|n| n != "SUMMARY.md")
        {
            pages.push(path);
        }
    }
}

/// `chapters/01-counter-map.md` -> `chapters_01_counter_map`.
fn module_name(relative: &Path) -> String {
    let stem = relative.with_extension("");
    let name: String = stem
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("page_{name}")
}

/// The page with its fences adjusted, or the reasons it cannot be.
fn prepare(text: &str, page_dir: &Path, root: &Path) -> Result<String, Vec<String>> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut problems = Vec::new();
    for fence in fences::fences(text) {
        match new_info(&fence, page_dir, root) {
            Ok(Some(info)) => lines[fence.line] = fence.opening_with(&info),
            Ok(None) => {}
            Err(problem) => problems.push(format!("line {}: {problem}", fence.line + 1)),
        }
    }
    if problems.is_empty() {
        Ok(lines.join("\n") + "\n")
    } else {
        Err(problems)
    }
}

/// The info string a fence gets for rustdoc, if it changes.
fn new_info(fence: &fences::Fence, page_dir: &Path, root: &Path) -> Result<Option<String>, String> {
    if fence.info.is_empty() {
        return Ok(Some("text".into()));
    }
    if !fences::is_rust(fence) {
        return Ok(None);
    }
    let included = included_paths(&fence.body);
    if included.is_empty() {
        return Ok(None);
    }
    // `examples/own-code` is compiled and tested by `cargo xtask test`'s own-code step;
    // `examples/meet-the-harness` by the captured outputs' check, which runs its test.
    let compiled_elsewhere = [
        root.join("exercises"),
        root.join("crates"),
        root.join("examples/own-code"),
        root.join("examples/meet-the-harness"),
    ];
    for file in &included {
        let resolved = normalize(&page_dir.join(file));
        if !compiled_elsewhere
            .iter()
            .any(|dir| resolved.starts_with(dir))
        {
            return Err(format!(
                "a Rust block includes {file}, which no crate compiles; move the file into an \
                 exercise or crate, or write the listing inline"
            ));
        }
    }
    Ok(Some("text".into()))
}

/// The files named by `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}` directives
/// (escaped `\{{#...}}` ones are shown literally by mdBook and skipped).
fn included_paths(body: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in body {
        let mut rest = line.as_str();
        while let Some(at) = rest.find("{{") {
            let escaped = rest[..at].ends_with('\\');
            let after = rest[at + 2..].trim_start();
            rest = &rest[at + 2..];
            if escaped {
                continue;
            }
            for kind in ["#include", "#rustdoc_include", "#playground"] {
                if let Some(args) = after.strip_prefix(kind)
                    && args.starts_with(char::is_whitespace)
                {
                    let spec = args.split_whitespace().next().unwrap_or("");
                    let file = spec.split(':').next().unwrap_or("").trim_end_matches("}}");
                    out.push(file.to_string());
                }
            }
        }
    }
    out
}

/// Resolve `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
