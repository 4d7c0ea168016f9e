//! The first frame of an exercise's player, written into the page when the book is built: the
//! broken run's first steps as a plain table, so the reader sees the trace as soon as the page is
//! read, before mdBook's own scripts and the visualizer's wasm have loaded. The player replaces
//! it on its first render. Every string from the trace is escaped.

use racebook_trace::{Trace, describe};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Rows the preview shows: the player's first frame shows as many.
const ROWS: usize = 24;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The broken run of `exercise`, from the first folder of `dirs` that has its index.
fn broken_trace(dirs: &[PathBuf], exercise: &str) -> Option<Trace> {
    let dir = dirs
        .iter()
        .map(|d| d.join(exercise))
        .find(|d| d.join("index.json").is_file())?;
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).ok()?).ok()?;
    let broken = index["broken"].as_str()?;
    let file = index["traces"][broken].as_str()?;
    // Only a plain file name next to the index, never a path out of it.
    if Path::new(file).file_name()?.to_str()? != file {
        return None;
    }
    Trace::from_json(&std::fs::read_to_string(dir.join(file)).ok()?).ok()
}

/// The preview block of `exercise`, or nothing when its traces are not exported.
pub fn preview(dirs: &[PathBuf], exercise: &str) -> String {
    if exercise.is_empty() {
        return String::new();
    }
    let Some(trace) = broken_trace(dirs, exercise) else {
        return String::new();
    };
    let mut html = String::from("<div class=\"rbv-preview\" aria-hidden=\"true\">\n");
    let _ = writeln!(
        html,
        "<p class=\"rbv-preview-note\">The run of <code>{}</code>, {} steps on {} threads; the player starts in a moment.</p>",
        escape(&trace.variant),
        trace.steps.len(),
        trace.threads.len()
    );
    html.push_str("<div class=\"rbv-lanes-wrap\"><table class=\"rbv-table\"><thead><tr><th class=\"rbv-num\">step</th>");
    for t in &trace.threads {
        let _ = write!(html, "<th class=\"rbv-lane-head\">{}</th>", escape(&t.name));
    }
    html.push_str("<th class=\"rbv-src\">source</th></tr></thead><tbody>\n");
    for s in trace.steps.iter().take(ROWS) {
        let _ = write!(
            html,
            "<tr class=\"rbv-row rbv-future\"><td class=\"rbv-num\">{}</td>",
            s.index + 1
        );
        for t in &trace.threads {
            let text = if t.id == s.thread {
                escape(&describe(&trace, s))
            } else {
                String::new()
            };
            let act = if t.id == s.thread { " rbv-act" } else { "" };
            let _ = write!(html, "<td class=\"rbv-lane{act}\">{text}</td>");
        }
        let _ = writeln!(
            html,
            "<td class=\"rbv-src\"><span class=\"rbv-at\">{}</span></td></tr>",
            escape(&s.at.short())
        );
    }
    if trace.steps.len() > ROWS {
        let _ = writeln!(
            html,
            "<tr class=\"rbv-more\"><td colspan=\"{}\">⋮ {} later steps</td></tr>",
            trace.threads.len() + 2,
            trace.steps.len() - ROWS
        );
    }
    html.push_str("</tbody></table></div>\n");
    // When the trace was first on screen: the visualizer's budget measures from here.
    html.push_str("<script>performance.mark(\"racebook-viz-preview\")</script>\n</div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_preview_shows_the_first_steps_and_escapes_everything() {
        let dirs = [crate::paths::root().join("web/fixtures/racebook")];
        let html = preview(&dirs, "demo");
        assert!(html.starts_with("<div class=\"rbv-preview\""), "{html}");
        assert!(
            html.contains("<th class=\"rbv-lane-head\">worker-0</th>"),
            "{html}"
        );
        assert!(html.contains("racebook-viz-preview"));
        assert!(
            !html.lines().any(|l| l.trim().is_empty()),
            "a blank line would end the HTML block"
        );
        assert_eq!(preview(&dirs, "no-such-exercise"), "");
        assert_eq!(escape("<script>&\""), "&lt;script&gt;&amp;&quot;");
    }
}
