//! The book overrides mdBook's page template (`theme/index.hbs`) in one line. This keeps the
//! copy honest: apart from its leading comment and that line, it must equal the template of the
//! mdBook version the workspace builds with, so an mdBook upgrade cannot silently go stale.

#[cfg(test)]
mod tests {
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

    #[test]
    fn the_page_template_is_mdbooks_own_but_for_the_deferred_toc_script() {
        let ours = std::fs::read_to_string(crate::paths::root().join("theme/index.hbs")).unwrap();
        let upstream =
            std::fs::read_to_string(mdbook_html_dir().join("front-end/templates/index.hbs"))
                .unwrap();
        let body = ours.split_once("--}}\n").expect("the leading comment").1;
        let restored = body.replace(
            r#"<script src="{{ resource "toc.js" }}" defer></script>"#,
            r#"<script src="{{ resource "toc.js" }}"></script>"#,
        );
        assert_ne!(body, restored, "the one change (toc.js deferred) is gone");
        assert_eq!(
            restored, upstream,
            "theme/index.hbs drifted from mdBook's template: copy it again and re-apply the change"
        );
    }
}
