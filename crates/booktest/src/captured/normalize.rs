//! Turning a command's raw output into the text the book shows: no colour codes, no absolute
//! paths of this machine, no cargo progress lines that depend on what was already built. Times
//! stay in the text (they are what a reader would see) but are masked when comparing.

use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// Cargo's status lines: they depend on the build cache, not on the program.
static CARGO_STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s+(Compiling|Checking|Finished|Running|Locking|Updating|Downloading|Downloaded|Blocking|Fresh|Adding|Unpacking)\s",
    )
    .expect("valid regex")
});
/// `1.23 ms`, `4 s`, `12µs`, `0.00s`, `3min`.
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|μs|us|ms|s|min)\b").expect("valid regex")
});
/// CSI sequences (colours, cursor moves) and two-byte escapes.
static ANSI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]").expect("valid regex"));

/// Machine-specific folders replaced in the output, longest first.
pub struct Places {
    replacements: Vec<(String, String)>,
}

impl Places {
    /// The repository root becomes relative; cargo's and rustup's homes become `$CARGO_HOME` and
    /// `$RUSTUP_HOME`.
    pub fn new(root: &Path) -> Places {
        let mut replacements = vec![
            (format!("{}/", root.display()), String::new()),
            (root.display().to_string(), ".".into()),
        ];
        let home = std::env::var("HOME").unwrap_or_default();
        for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
            let dir = std::env::var(var)
                .ok()
                .filter(|d| !d.is_empty())
                .or_else(|| (!home.is_empty()).then(|| format!("{home}/{default}")));
            if let Some(dir) = dir {
                replacements.push((dir, format!("${var}")));
            }
        }
        replacements.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        Places { replacements }
    }
}

/// The text kept in `src/captured/<name>.txt`.
pub fn normalize(raw: &str, places: &Places) -> String {
    let text = ANSI.replace_all(raw, "");
    let mut text = text.replace("\r\n", "\n");
    for (from, to) in &places.replacements {
        text = text.replace(from.as_str(), to);
    }
    let lines: Vec<&str> = text
        .split('\n')
        // A carriage return redraws the line: keep what was drawn last.
        .map(|line| line.rsplit('\r').next().unwrap_or(line).trim_end())
        .filter(|line| !CARGO_STATUS.is_match(line))
        .collect();
    let body = lines.join("\n");
    let body = body.trim_matches('\n');
    if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    }
}

/// The text with every duration replaced by `<time>`, for comparing two runs.
pub fn mask_durations(text: &str) -> String {
    DURATION.replace_all(text, "<time>").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_cargo_status_and_local_paths() {
        let places = Places::new(Path::new("/home/me/racebook"));
        let raw = "   Compiling naive v0.1.0 (/home/me/racebook/exercises/x)\r\n\
                   \x1b[1m\x1b[31merror[E0499]\x1b[0m: cannot borrow\n\
                   \x20 --> /home/me/racebook/exercises/x/src/main.rs:9:5   \n\
                   \x20   Finished `dev` profile in 0.31s\n\
                   \x20    Running `target/debug/x`\n\
                   trace   /home/me/racebook/target/racebook/x/exercise.trace.json\n\
                   progress 10%\rprogress 100%\n\n";
        assert_eq!(
            normalize(raw, &places),
            "error[E0499]: cannot borrow\n  --> exercises/x/src/main.rs:9:5\n\
             trace   target/racebook/x/exercise.trace.json\nprogress 100%\n"
        );
    }

    #[test]
    fn masks_durations_but_not_counts() {
        let text = "explored 12 schedules in 1.23 ms; 4 s total, 12µs per step, 0.00s, 3 threads";
        assert_eq!(
            mask_durations(text),
            "explored 12 schedules in <time>; <time> total, <time> per step, <time>, 3 threads"
        );
    }

    #[test]
    fn empty_output_stays_empty() {
        assert_eq!(normalize("\n\n", &Places::new(Path::new("/r"))), "");
    }
}
