//! Fenced code blocks of a markdown page, found line by line the way CommonMark opens and closes
//! them (three or more backticks or tildes, indented at most three spaces). Shared by `build.rs`,
//! which adjusts them for rustdoc, and the tests that check what rustdoc cannot.

/// One fenced block.
pub struct Fence {
    /// `` ` `` or `~`, and how many opened the block.
    pub marker: char,
    pub len: usize,
    /// Index of the opening line in the page (0-based).
    pub line: usize,
    /// The info string: `rust,compile_fail,E0499`, `text`, or empty.
    pub info: String,
    pub body: Vec<String>,
}

impl Fence {
    /// The comma- or space-separated words of the info string.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.info.split([',', ' ', '\t']).filter(|w| !w.is_empty())
    }

    /// The opening line with a different info string.
    pub fn opening_with(&self, info: &str) -> String {
        let opening: String = std::iter::repeat_n(self.marker, self.len).collect();
        format!("{opening}{info}")
    }
}

/// Every closed fenced block of `text`, in order.
pub fn fences(text: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut open: Option<Fence> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match &mut open {
            None if indent <= 3 && run >= 3 => {
                open = Some(Fence {
                    marker: marker.unwrap_or('`'),
                    len: run,
                    line: index,
                    info: trimmed[run..].trim().to_string(),
                    body: Vec::new(),
                });
            }
            Some(fence)
                if indent <= 3
                    && marker == Some(fence.marker)
                    && run >= fence.len
                    && trimmed[run..].trim().is_empty() =>
            {
                out.extend(open.take());
            }
            Some(fence) => fence.body.push(line.to_string()),
            None => {}
        }
    }
    out
}

/// Whether rustdoc treats a block with these words as Rust (and so compiles it).
pub fn is_rust(fence: &Fence) -> bool {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
    ];
    let first = fence.words().next().unwrap_or("");
    RUSTDOC.contains(&first) || first.starts_with("edition") || first.starts_with("ignore-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_and_their_info() {
        let page = "text\n```rust,compile_fail,E0499\nlet a = 1;\n```\n\n~~~~\n```\ninner\n~~~~\n";
        let found = fences(page);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].info, "rust,compile_fail,E0499");
        assert_eq!(found[0].line, 1);
        assert_eq!(found[0].body, ["let a = 1;"]);
        assert!(is_rust(&found[0]));
        assert_eq!(found[1].info, "");
        assert_eq!(found[1].body, ["```", "inner"]);
        assert_eq!(found[1].opening_with("text"), "~~~~text");
    }
}
