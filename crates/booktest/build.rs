//! Prepares the book's pages for rustdoc (see the crate's documentation for the rules): writes
//! each `src/**/*.md` page, with its fences adjusted, to `OUT_DIR/pages/`, and
//! `OUT_DIR/book_pages.rs` with one module per page whose doc comment is that page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.join("../..").canonicalize().unwrap();
    let src = root.join("src");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let pages_dir = out.join("pages");
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
        let file = pages_dir.join(format!("{module}.md"));
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

/// An opened fence: its marker character, length and the index of its line in the output.
struct Fence {
    marker: char,
    len: usize,
    line: usize,
    info: String,
    body: Vec<String>,
}

/// The page with its fences adjusted, or the reasons it cannot be.
fn prepare(text: &str, page_dir: &Path, root: &Path) -> Result<String, Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<Fence> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match &mut open {
            None if indent <= 3 && run >= 3 => {
                let marker = marker.unwrap();
                open = Some(Fence {
                    marker,
                    len: run,
                    line: out.len(),
                    info: trimmed[run..].trim().to_string(),
                    body: Vec::new(),
                });
                out.push(line.to_string());
            }
            Some(fence)
                if indent <= 3
                    && marker == Some(fence.marker)
                    && run >= fence.len
                    && trimmed[run..].trim().is_empty() =>
            {
                let fence = open.take().unwrap();
                match new_info(&fence, page_dir, root) {
                    Ok(Some(info)) => {
                        let opening: String =
                            std::iter::repeat_n(fence.marker, fence.len).collect();
                        out[fence.line] = format!("{opening}{info}");
                    }
                    Ok(None) => {}
                    Err(problem) => problems.push(format!("line {}: {problem}", fence.line + 1)),
                }
                out.push(line.to_string());
            }
            Some(fence) => {
                fence.body.push(line.to_string());
                out.push(line.to_string());
            }
            None => out.push(line.to_string()),
        }
    }
    if problems.is_empty() {
        Ok(out.join("\n") + "\n")
    } else {
        Err(problems)
    }
}

/// The info string a fence gets for rustdoc, if it changes.
fn new_info(fence: &Fence, page_dir: &Path, root: &Path) -> Result<Option<String>, String> {
    if fence.info.is_empty() {
        return Ok(Some("text".into()));
    }
    if !is_rust(&fence.info) {
        return Ok(None);
    }
    let included = included_paths(&fence.body);
    if included.is_empty() {
        return Ok(None);
    }
    let compiled_elsewhere = [root.join("exercises"), root.join("crates")];
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

/// Whether rustdoc would treat a fence with this info string as Rust.
fn is_rust(info: &str) -> bool {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
    ];
    let first = info
        .split([',', ' ', '\t'])
        .find(|t| !t.is_empty())
        .unwrap_or("");
    RUSTDOC.contains(&first) || first.starts_with("edition") || first.starts_with("ignore-")
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
