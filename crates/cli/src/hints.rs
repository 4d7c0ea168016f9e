//! Progressive hints: an exercise's hints file is markdown with one `## ` heading per level
//! (`## Hint 1`, `## Hint 2`, ...); whatever comes before the first such heading is an
//! introduction and is not a level.

use anyhow::{Context, Result};
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    pub heading: String,
    pub body: String,
}

pub fn read(path: &Path) -> Result<Vec<Hint>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(parse(&text))
}

pub fn parse(text: &str) -> Vec<Hint> {
    let mut hints: Vec<Hint> = Vec::new();
    for line in text.lines() {
        // The book includes hints by anchor; the markers are not for the learner.
        let marker = line.trim_start().starts_with("<!-- ANCHOR");
        if marker {
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            hints.push(Hint {
                heading: heading.trim().to_string(),
                body: String::new(),
            });
        } else if let Some(hint) = hints.last_mut() {
            hint.body.push_str(line);
            hint.body.push('\n');
        }
    }
    for hint in &mut hints {
        hint.body = hint.body.trim().to_string();
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_the_level_two_headings_in_order() {
        let text = "# Hints\nintro\n\n## Hint 1\n<!-- ANCHOR: hint1 -->\nLook at the lock.\n<!-- ANCHOR_END: hint1 -->\n\n## Hint 2\nHow often?\n### detail\nmore\n";
        let hints = parse(text);
        assert_eq!(hints.len(), 2);
        assert_eq!(hints[0].heading, "Hint 1");
        assert_eq!(hints[0].body, "Look at the lock.");
        assert_eq!(hints[1].body, "How often?\n### detail\nmore");
    }

    #[test]
    fn no_headings_means_no_levels() {
        assert!(parse("just text\n").is_empty());
    }
}
