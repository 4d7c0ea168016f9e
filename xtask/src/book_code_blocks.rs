//! Code blocks and tables a keyboard can reach. A long line makes a code block scroll sideways
//! (mdBook's `.hljs` style scrolls the `<code>` inside the `<pre>`), a wide table scrolls in its
//! `.table-wrapper`, and a reader without a mouse can only scroll what can take focus (WCAG
//! 2.1.1; axe: scrollable-region-focusable). After mdBook has written the pages, every such
//! element it wrote gets `tabindex="0"`, and a role and a name so a screen reader says what the
//! stop is ("Rust code", "Terminal session", "Table"). `theme/a11y.js` lets ←/→ scroll a focused
//! block instead of changing chapter.

use anyhow::{Context, Result};
use regex::{Captures, Regex};
use std::path::Path;
use std::sync::LazyLock;

/// A code block as mdBook writes it, `<pre><code class="language-rust ignore">`, or the wrapper
/// it puts around a table.
static SCROLLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"<pre><code(?: class="(?:language-([A-Za-z0-9_+-]+))?[^"]*")?>|<div class="table-wrapper">"#,
    )
    .expect("valid regex")
});

/// What a screen reader calls a block of `language`.
fn block_name(language: Option<&str>) -> String {
    match language {
        Some("rust") => "Rust code".into(),
        Some("console") | Some("sh") | Some("shell") | Some("bash") => "Terminal session".into(),
        Some("text") | Some("plaintext") | None => "Text".into(),
        Some("json") => "JSON".into(),
        Some("toml") => "TOML".into(),
        Some(other) => format!("{other} code"),
    }
}

/// `html` with every mdBook code block and table focusable and named; how many were changed.
pub fn focusable(html: &str) -> (String, usize) {
    let mut count = 0;
    let out = SCROLLER.replace_all(html, |c: &Captures| {
        count += 1;
        let focus = |name: &str| format!(r#"tabindex="0" role="group" aria-label="{name}""#);
        match c[0].strip_prefix("<pre><code") {
            Some(rest) => {
                let name = block_name(c.get(1).map(|m| m.as_str()));
                format!("<pre><code {}{rest}", focus(&name))
            }
            None => format!(r#"<div class="table-wrapper" {}>"#, focus("Table")),
        }
    });
    (out.into_owned(), count)
}

/// Rewrite every HTML page under `out`; how many blocks and tables were made focusable.
pub fn install(out: &Path) -> Result<usize> {
    let mut total = 0;
    for file in crate::book_output::list_files(out)? {
        if file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let path = out.join(file);
        let html = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let (changed, n) = focusable(&html);
        if n > 0 {
            std::fs::write(&path, changed)
                .with_context(|| format!("cannot write {}", path.display()))?;
            total += n;
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_block_gets_focus_and_a_name() {
        let (html, n) = focusable(
            "<p>x</p><pre><code class=\"language-rust ignore\">fn main() {}</code></pre>\n\
             <pre><code class=\"language-console\">$ cargo test</code></pre>\
             <pre><code>plain</code></pre><pre><code class=\"language-text\">out</code></pre>\
             <div class=\"table-wrapper\"><table></table></div>",
        );
        assert_eq!(n, 5);
        assert!(html.contains(
            "<pre><code tabindex=\"0\" role=\"group\" aria-label=\"Rust code\" class=\"language-rust ignore\">fn main"
        ));
        assert!(html.contains("aria-label=\"Terminal session\" class=\"language-console\">$"));
        assert!(
            html.contains("<pre><code tabindex=\"0\" role=\"group\" aria-label=\"Text\">plain")
        );
        assert!(html.contains("aria-label=\"Text\" class=\"language-text\">out"));
        assert!(html.contains(
            "<div class=\"table-wrapper\" tabindex=\"0\" role=\"group\" aria-label=\"Table\"><table>"
        ));
        assert!(html.starts_with("<p>x</p>"));
    }

    #[test]
    fn a_page_without_code_blocks_is_left_alone() {
        let page = "<p>No <code>pre</code> here; a <pre class=\"x\">raw block</pre> stays too.</p>";
        assert_eq!(focusable(page), (page.to_string(), 0));
    }
}
