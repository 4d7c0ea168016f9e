//! `cargo xtask build`: the book as a self-contained static folder (default `book/`), checked
//! like every build (includes, links, no loads from other origins). Refuses to write into a
//! folder that holds anything but an earlier build, so nothing is lost.

use crate::{book, paths};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// Written into every output folder, so a later build knows it may replace the folder.
const MARKER: &str = ".racebook-book";

pub fn run(out: Option<PathBuf>) -> Result<()> {
    let root = paths::root();
    let out = match out {
        Some(dir) => std::path::absolute(dir)?,
        None => root.join("book"),
    };
    refuse_unsafe_output(&root, &out)?;
    let built = book::build(&root, &out)?;
    std::fs::write(out.join(MARKER), "built by `cargo xtask build`\n")?;
    println!(
        "built the book into {} ({} pages, {} files); any static file server can serve it",
        out.display(),
        built.pages,
        built.files
    );
    Ok(())
}

/// mdBook empties its output folder first: never let that be the checkout or someone's files.
fn refuse_unsafe_output(root: &Path, out: &Path) -> Result<()> {
    if root.starts_with(out) || out.starts_with(root.join("src")) {
        bail!(
            "refusing to build into {}: it holds the book's sources; choose another --out",
            out.display()
        );
    }
    let holds_files = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if holds_files && !out.join(MARKER).exists() {
        bail!(
            "refusing to build into {}: it is not empty and is not an earlier book build; \
             remove it or choose another --out",
            out.display()
        );
    }
    Ok(())
}
