//! Checks every `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}` in the book's
//! chapters before mdBook expands them: the file must exist, a named anchor must be opened and
//! closed in it, and a line range must start inside it. mdBook itself only logs a missing file
//! and silently includes nothing for a missing anchor; a listing that vanished from the page is
//! exactly what this catches.

use anyhow::{Result, bail};
use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// The same directive syntax mdBook's `links` preprocessor accepts (escaped ones are skipped).
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\\{\{#.*\}\}|\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").expect("valid regex")
});
static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*([\w_-]+)").expect("valid regex"));
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*([\w_-]+)").expect("valid regex"));

/// Every broken directive of the book, as `chapter: problem` lines; an error if there are any.
pub fn check(book: &MDBook) -> Result<()> {
    let src_dir = book.source_dir();
    let mut problems = Vec::new();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let Some(path) = &chapter.path else { continue };
        let base = src_dir.join(path.parent().unwrap_or(Path::new("")));
        for problem in check_text(&chapter.content, &base) {
            problems.push(format!("src/{}: {problem}", path.display()));
        }
    }
    if !problems.is_empty() {
        bail!("broken includes in the book:\n  {}", problems.join("\n  "));
    }
    Ok(())
}

/// The problems of one chapter's directives, resolved against the chapter's directory.
fn check_text(text: &str, base: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for cap in DIRECTIVE.captures_iter(text) {
        let (Some(kind), Some(args)) = (cap.get(1), cap.get(2)) else {
            continue; // escaped: shown literally
        };
        if !matches!(kind.as_str(), "include" | "rustdoc_include" | "playground") {
            continue;
        }
        let spec = args.as_str().split_whitespace().next().unwrap_or("");
        let (file, selector) = match spec.split_once(':') {
            Some((file, selector)) if kind.as_str() != "playground" => (file, Some(selector)),
            _ => (spec, None),
        };
        let directive = cap.get(0).map_or("", |m| m.as_str());
        if let Err(problem) = check_one(&base.join(file), selector) {
            problems.push(format!("{directive}: {problem}"));
        }
    }
    problems
}

fn check_one(file: &Path, selector: Option<&str>) -> Result<(), String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("the file cannot be read ({e})"))?;
    let Some(selector) = selector else {
        return Ok(());
    };
    let first = selector.split(':').next().unwrap_or("");
    if first.is_empty() {
        return Ok(()); // `file::end`: from the top
    }
    if let Ok(line) = first.parse::<usize>() {
        let lines = text.lines().count();
        return if line >= 1 && line <= lines {
            Ok(())
        } else {
            Err(format!("line {line} is outside the file ({lines} lines)"))
        };
    }
    let names = |re: &Regex| -> Vec<String> {
        text.lines()
            .filter_map(|l| re.captures(l).map(|c| c[1].to_string()))
            .collect()
    };
    let opened = names(&ANCHOR_START).contains(&first.to_string());
    let closed = names(&ANCHOR_END).contains(&first.to_string());
    match (opened, closed) {
        (true, true) => Ok(()),
        (false, _) => Err(format!("the file has no `ANCHOR: {first}`")),
        (true, false) => Err(format!("the file never closes `ANCHOR_END: {first}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("code.rs"),
            "fn a() {}\n// ANCHOR: body\nfn b() {}\n// ANCHOR_END: body\n// ANCHOR: open\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn accepts_existing_files_anchors_and_ranges() {
        let dir = fixture();
        let text = "{{#include code.rs}} {{#include code.rs:body}} {{#rustdoc_include code.rs:2:3}} \
                    {{#include code.rs::2}} \\{{#include missing.rs}}";
        assert_eq!(check_text(text, dir.path()), Vec::<String>::new());
    }

    #[test]
    fn reports_missing_files_anchors_and_ranges() {
        let dir = fixture();
        let text = "{{#include nope.rs}}\n{{#include code.rs:tail}}\n{{#include code.rs:open}}\n\
                    {{#include code.rs:40}}";
        let problems = check_text(text, dir.path());
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems[0].contains("cannot be read"));
        assert!(problems[1].contains("no `ANCHOR: tail`"));
        assert!(problems[2].contains("never closes"));
        assert!(problems[3].contains("line 40 is outside"));
    }
}
