//! Building the book with mdBook as a library: load `book.toml`, check the includes, render into
//! a given folder, and fail on anything mdBook only
//! warned about, a broken link, or a URL that would make the page load something from
//! another origin.

use crate::{
    book_code_blocks, book_diagnostics, book_includes, book_output, exercise_assets, quiz,
    visualizer, wasm,
};
use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use std::path::Path;

/// What a successful build produced.
#[derive(Debug)]
pub struct Built {
    pub pages: usize,
    pub files: usize,
}

/// Build the book of the repository at `root` into `out` (created or replaced).
pub fn build(root: &Path, out: &Path) -> Result<Built> {
    book_diagnostics::install();
    book_diagnostics::take();
    let mut book =
        MDBook::load(root).context("cannot load the book (book.toml, src/SUMMARY.md)")?;
    book.config
        .set("build.build-dir", out)
        .context("cannot set the book's output folder")?;
    book_includes::check(&book)?;
    let viz = wasm::build(root)?;
    exercise_assets::prepare(root)?;
    visualizer::Visualizer::new(root, &viz)?.register(&mut book)?;
    quiz::Quiz::new(root, vec![exercise_assets::cache_dir(root)]).register(&mut book)?;
    let result = book.build();
    let reported = book_diagnostics::take();
    result.context("mdBook could not build the book")?;
    if !reported.is_empty() {
        bail!(
            "mdBook reported problems while building the book:\n  {}",
            reported.join("\n  ")
        );
    }
    book_code_blocks::install(out)?;
    visualizer::install(root, &viz, out)?;
    exercise_assets::install(root, out)?;
    book_output::check(out)
}
