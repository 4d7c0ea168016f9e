//! The book overrides two of mdBook's templates: the page (`theme/index.hbs`) and the sidebar's
//! frame for readers without JavaScript (`theme/toc.html.hbs`). This keeps the copies honest:
//! apart from their leading comment and the changes named below, each must equal the template of
//! the mdBook version the workspace builds with, so an mdBook upgrade cannot silently go stale,
//! and no change slips in without a reason.

#![cfg(test)]

/// One allowed difference from upstream: why, mdBook's text, and ours.
struct Change {
    why: &'static str,
    upstream: &'static str,
    ours: &'static str,
}

/// The changes to `index.hbs`.
const PAGE_CHANGES: &[Change] = &[
    Change {
        why: "toc.js is deferred: the chapter and the visualizer's first frame paint sooner \
              (about 210 to 175 ms in headless Chromium)",
        upstream: r#"<script src="{{ resource "toc.js" }}"></script>"#,
        ours: r#"<script src="{{ resource "toc.js" }}" defer></script>"#,
    },
    Change {
        why: "the sidebar toggle was a <label> with aria-expanded and aria-label (not allowed on a \
              label, axe: aria-allowed-attr, aria-prohibited-attr) that no key could reach; a real \
              button carries the ARIA now, and the label stays for readers without JavaScript \
              (mdBook's CSS hides the button then, theme/a11y.css hides the label otherwise)",
        upstream: r#"                        <label id="mdbook-sidebar-toggle" class="icon-button" for="mdbook-sidebar-toggle-anchor" title="Toggle Table of Contents" aria-label="Toggle Table of Contents" aria-controls="mdbook-sidebar">
                            {{fa "solid" "bars"}}
                        </label>
"#,
        ours: r#"                        <label id="mdbook-sidebar-toggle-nojs" class="icon-button" for="mdbook-sidebar-toggle-anchor" title="Toggle Table of Contents">
                            {{fa "solid" "bars"}}
                        </label>
                        <button id="mdbook-sidebar-toggle" class="icon-button" type="button" title="Toggle Table of Contents" aria-label="Toggle Table of Contents" aria-controls="mdbook-sidebar">
                            {{fa "solid" "bars"}}
                        </button>
"#,
    },
    Change {
        why: "the button flips the checkbox the label flips, after showing the sidebar as \
              book.js's click handler does for the label; book.js's change handler then sets \
              aria-expanded and remembers the choice",
        upstream: r#"                    document.getElementById('mdbook-sidebar-toggle').setAttribute('aria-expanded', sidebar === 'visible');
"#,
        ours: r#"                    document.getElementById('mdbook-sidebar-toggle').setAttribute('aria-expanded', sidebar === 'visible');
                    document.getElementById('mdbook-sidebar-toggle').addEventListener('click', function() {
                        if (!sidebar_toggle.checked) {
                            document.getElementById('mdbook-sidebar').style.display = '';
                            document.getElementById('mdbook-sidebar').offsetHeight;
                        }
                        sidebar_toggle.checked = !sidebar_toggle.checked;
                        sidebar_toggle.dispatchEvent(new Event('change'));
                    });
"#,
    },
    Change {
        why: "the search box is described by the results' header, whose id mdBook renamed to \
              mdbook-searchresults-header without updating this reference (axe: \
              aria-valid-attr-value)",
        upstream: r#"aria-describedby="searchresults-header""#,
        ours: r#"aria-describedby="mdbook-searchresults-header""#,
    },
    Change {
        why: "the sidebar's frame (readers without JavaScript) has a title (WCAG 4.1.2, axe: \
              frame-title)",
        upstream: r#"<iframe class="sidebar-iframe-outer" src="{{ path_to_root }}toc.html"></iframe>"#,
        ours: r#"<iframe class="sidebar-iframe-outer" src="{{ path_to_root }}toc.html" title="Table of contents"></iframe>"#,
    },
];

/// The changes to `toc.html.hbs`.
const TOC_CHANGES: &[Change] = &[
    Change {
        why: "the page has a title (WCAG 2.4.2, axe: document-title)",
        upstream: "        <meta charset=\"UTF-8\">\n",
        ours: "        <meta charset=\"UTF-8\">\n        <title>{{ book_title }}: table of contents</title>\n",
    },
    Change {
        why: "the list is a navigation landmark, so a screen reader can reach it by landmark \
              (WCAG 2.4.1, axe: bypass)",
        upstream: "        {{#toc}}{{/toc}}\n",
        ours: "        <nav aria-label=\"Table of contents\">\n        {{#toc}}{{/toc}}\n        </nav>\n",
    },
];

mod tests {
    use super::{Change, PAGE_CHANGES, TOC_CHANGES};
    use serde_json::Value;
    use std::process::Command;

    /// The path of the `mdbook-html` package's sources, from `cargo metadata`.
    fn mdbook_html_dir() -> std::path::PathBuf {
        let root = crate::paths::root();
        let out = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1"])
            .current_dir(&root)
            .output()
            .unwrap();
        let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
        let pkg = meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "mdbook-html")
            .expect("mdbook-html is a dependency of xtask");
        std::path::Path::new(pkg["manifest_path"].as_str().unwrap())
            .parent()
            .unwrap()
            .to_path_buf()
    }

    /// Our copy `ours` (under theme/) with each change undone equals upstream's `template`.
    fn assert_upstream_but_for(ours: &str, template: &str, changes: &[Change]) {
        let text = std::fs::read_to_string(crate::paths::root().join("theme").join(ours)).unwrap();
        let upstream =
            std::fs::read_to_string(mdbook_html_dir().join("front-end/templates").join(template))
                .unwrap();
        let mut body = text
            .split_once("--}}\n")
            .expect("the leading comment")
            .1
            .to_string();
        for change in changes {
            assert_eq!(
                body.matches(change.ours).count(),
                1,
                "theme/{ours}: the change is gone or doubled ({})",
                change.why
            );
            body = body.replace(change.ours, change.upstream);
        }
        assert_eq!(
            body, upstream,
            "theme/{ours} drifted from mdBook's {template}: copy it again and re-apply the changes \
             listed in xtask/src/theme_template.rs"
        );
    }

    #[test]
    fn the_page_template_is_mdbooks_own_but_for_the_named_changes() {
        assert_upstream_but_for("index.hbs", "index.hbs", PAGE_CHANGES);
    }

    #[test]
    fn the_toc_frame_template_is_mdbooks_own_but_for_its_title() {
        assert_upstream_but_for("toc.html.hbs", "toc.html.hbs", TOC_CHANGES);
    }
}
