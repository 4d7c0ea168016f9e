//! `cargo xtask capture`: re-run every command of `src/captured/captures.toml` and store its
//! normalized output in `src/captured/<name>.txt` (see `racebook_booktest::captured`).

use crate::paths;
use anyhow::Result;
use racebook_booktest::captured;

pub fn run() -> Result<()> {
    let root = paths::root();
    let written = captured::capture_all(&root)?;
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
