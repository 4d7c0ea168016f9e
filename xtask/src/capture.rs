//! `cargo xtask capture [NAME...]`: re-run every command of `src/captured/captures.toml` (or
//! only the named ones) and store its normalized output in `src/captured/<name>.txt` (see `racebook_booktest::captured`).

use crate::paths;
use anyhow::Result;
use racebook_booktest::captured;

pub fn run(only: &[String]) -> Result<()> {
    let root = paths::root();
    let written = captured::capture_all(&root, only)?;
    for w in &written {
        let what = if w.changed {
            "updated"
        } else {
            "unchanged (times aside)"
        };
        println!("{:<24} {what}: {}", w.name, w.path);
    }
    println!("{} capture(s) checked", written.len());
    Ok(())
}
