//! Stored schedules a check replays before it explores ([`crate::Check::replaying`]): the
//! failing schedules of bugs already fixed, kept in the repository so that CI notices when one
//! comes back.

use crate::checking::{self, Checked, Subject, Verdict};
use crate::report::Style;
use std::path::{Path, PathBuf};

/// The schedule files under `path`: the file itself, or a folder's `.json` files in name order.
fn files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        format!(
            "no stored schedules at {} ({e}): give `Check::replaying` a schedule file or a folder of them",
            path.display()
        )
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    found.sort();
    Ok(found)
}

/// Replay every schedule of this check under `paths`. `Ok` holds a line saying what was
/// replayed (empty when nothing was); `Err` the check's result when a failure came back or a
/// file could not be used.
pub(crate) fn replay_all(
    s: &Subject,
    paths: &[PathBuf],
    style: Style,
) -> Result<String, Box<Checked>> {
    let mut gone = Vec::new();
    for path in paths {
        let list = files(path).map_err(|e| {
            Box::new(Checked::message(
                Verdict::ReplayError,
                format!("✗ {} · {e}\n", s.suite),
            ))
        })?;
        for file in list {
            let stored = checking::read_schedule(s, &file)?;
            if stored.exercise != s.suite || stored.variant != s.name {
                continue;
            }
            let checked = checking::replay(s, &stored, &file, style);
            if checked.verdict != Verdict::Gone {
                return Err(Box::new(checked));
            }
            gone.push(s.place.show(&file));
        }
    }
    Ok(match gone.len() {
        0 => String::new(),
        n => format!(
            "stored  {n} schedule{} replayed, every failure gone: {}\n",
            if n == 1 { "" } else { "s" },
            gone.join(", ")
        ),
    })
}
