//! The visualizer in the book. An mdBook preprocessor expands `{{#visualizer EXERCISE}}` into
//! the player, the scheduler game and the comparison for that exercise, and `{{#visualizer}}`
//! into the "open your own trace" block (markup from `web/markup/`, filled in by
//! `web/viz/*.js`). Registering it adds the styles to the book (`additional-css`, which mdBook
//! names by content hash). The page scripts are not `additional-js`: mdBook puts those after its
//! own scripts, which highlight every code block first; the block's inline script loads them
//! itself, under names hashed here, so the first render does not wait for the page's other
//! scripts. `install` copies them, the wasm and its glue (hashed names from `wasm`) and the demo
//! traces into the built book.

use crate::wasm::VizBuild;
use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_driver::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The page scripts, in load order (each adds to one namespace; `main.js` starts the blocks),
/// and the styles, relative to the book root (the repository root).
pub const SCRIPTS: [&str; 6] = [
    "web/viz/util.js",
    "web/viz/draw.js",
    "web/viz/player.js",
    "web/viz/game.js",
    "web/viz/compare.js",
    "web/viz/main.js",
];
pub const STYLES: [&str; 1] = ["web/racebook-viz.css"];
/// Where the wasm and its glue go in the built book.
pub const ASSET_DIR: &str = "racebook-viz";
/// Exercises whose traces are fixtures of the visualizer, not exports of the harness.
const FIXTURES: &str = "web/fixtures/racebook";

const FRAME: &str = include_str!("../../web/markup/frame.html");
const PLAYER: &str = include_str!("../../web/markup/player.html");
const GAME: &str = include_str!("../../web/markup/game.html");
const COMPARE: &str = include_str!("../../web/markup/compare.html");
const OPEN: &str = include_str!("../../web/markup/open.html");

/// `{{#visualizer}}` or `{{#visualizer NAME}}`; a leading backslash keeps it as text.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\\)?\{\{#visualizer(?:[ \t]+([^}\s]*))?[ \t]*\}\}").expect("valid regex")
});
static EXERCISE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9_-]*$").expect("valid regex"));

/// The preprocessor, knowing the built assets and which exercises exist.
pub struct Visualizer {
    root: PathBuf,
    glue: String,
    wasm: String,
    /// The page scripts' paths in the built book, in load order.
    scripts: Vec<String>,
    /// Where exercises' exported assets (and the demo fixtures) are, for the first frames.
    assets: Vec<PathBuf>,
}

/// Each page script and the name it gets in the built book: its stem and a hash of its content,
/// so a browser never runs a stale copy.
fn hashed_scripts(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    SCRIPTS
        .iter()
        .map(|rel| {
            let path = root.join(rel);
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let hash = crate::digest::short_hash(&bytes);
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("script");
            let name = format!("{ASSET_DIR}/{stem}-{hash}.js");
            Ok((path, name))
        })
        .collect()
}

impl Visualizer {
    pub fn new(root: &Path, build: &VizBuild) -> Result<Visualizer> {
        Ok(Visualizer {
            root: root.to_path_buf(),
            glue: format!("{ASSET_DIR}/{}", build.glue),
            wasm: format!("{ASSET_DIR}/{}", build.wasm),
            scripts: hashed_scripts(root)?
                .into_iter()
                .map(|(_, name)| name)
                .collect(),
            assets: vec![crate::exercise_assets::cache_dir(root), root.join(FIXTURES)],
        })
    }

    /// Add the preprocessor and the styles to `book`.
    pub fn register(self, book: &mut MDBook) -> Result<()> {
        for (key, ours) in [("output.html.additional-css", &STYLES[..])] {
            let mut files: Vec<PathBuf> = book
                .config
                .get(key)
                .with_context(|| format!("book.toml: {key} is not a list of files"))?
                .unwrap_or_default();
            for file in ours {
                if !files.iter().any(|f| f == Path::new(file)) {
                    files.push(file.into());
                }
            }
            book.config
                .set(key, &files)
                .with_context(|| format!("cannot set {key}"))?;
        }
        book.with_preprocessor(self);
        Ok(())
    }

    fn known_exercise(&self, name: &str) -> bool {
        self.root
            .join("exercises")
            .join(name)
            .join("Cargo.toml")
            .is_file()
            || self
                .root
                .join(FIXTURES)
                .join(name)
                .join("index.json")
                .is_file()
    }

    /// `content` with every directive replaced by its markup.
    pub fn expand(&self, content: &str) -> std::result::Result<String, String> {
        let mut out = String::with_capacity(content.len());
        let mut last = 0;
        for caps in DIRECTIVE.captures_iter(content) {
            let whole = caps.get(0).expect("a match has group 0");
            out.push_str(&content[last..whole.start()]);
            last = whole.end();
            if caps.get(1).is_some() {
                // Escaped: keep the directive as text, without its backslash.
                out.push_str(&whole.as_str()[1..]);
                continue;
            }
            let line_start = content[..whole.start()].rfind('\n').map_or(0, |i| i + 1);
            let line_end = content[whole.end()..]
                .find('\n')
                .map_or(content.len(), |i| whole.end() + i);
            if content[line_start..line_end].trim() != whole.as_str() {
                return Err(format!(
                    "`{}` must stand alone on its line (it becomes a block of the page)",
                    whole.as_str()
                ));
            }
            let markup = match caps.get(2).map(|m| m.as_str()) {
                None | Some("") => self.markup("open", "", &[OPEN, PLAYER]),
                Some(name) if !EXERCISE_NAME.is_match(name) => {
                    return Err(format!(
                        "`{}`: {name:?} is not an exercise name (lowercase letters, digits, - and _)",
                        whole.as_str()
                    ));
                }
                Some(name) if !self.known_exercise(name) => {
                    return Err(format!(
                        "`{}`: there is no exercise {name} (no exercises/{name}/Cargo.toml)",
                        whole.as_str()
                    ));
                }
                Some(name) => self.markup("exercise", name, &[PLAYER, GAME, COMPARE]),
            };
            out.push_str(&markup);
        }
        out.push_str(&content[last..]);
        Ok(out)
    }

    /// The frame around `sections`, with no blank line, so Markdown keeps it one HTML block.
    fn markup(&self, mode: &str, exercise: &str, sections: &[&str]) -> String {
        let html = FRAME
            .replace("{{mode}}", mode)
            .replace("{{exercise}}", &escape_attr(exercise))
            .replace("{{glue}}", &escape_attr(&self.glue))
            .replace("{{wasm}}", &escape_attr(&self.wasm))
            .replace("{{scripts}}", &escape_attr(&self.scripts.join(" ")))
            .replace(
                "{{preview}}",
                &crate::visualizer_preview::preview(&self.assets, exercise),
            )
            .replace("{{sections}}", sections.concat().trim_end());
        html.lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl Preprocessor for Visualizer {
    fn name(&self) -> &str {
        "racebook-visualizer"
    }

    fn run(
        &self,
        _ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let mut problems = Vec::new();
        book.for_each_chapter_mut(|chapter| match self.expand(&chapter.content) {
            Ok(expanded) => chapter.content = expanded,
            Err(e) => {
                let at = chapter
                    .source_path
                    .as_ref()
                    .map_or(chapter.name.clone(), |p| p.display().to_string());
                problems.push(format!("{at}: {e}"));
            }
        });
        if !problems.is_empty() {
            bail!(
                "the visualizer directives are wrong:\n  {}",
                problems.join("\n  ")
            );
        }
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        Ok(renderer == "html")
    }
}

/// Copy the wasm and its glue, and the visualizer's own demo traces, into the built book `out`.
pub fn install(root: &Path, build: &VizBuild, out: &Path) -> Result<()> {
    let assets = out.join(ASSET_DIR);
    std::fs::create_dir_all(&assets)
        .with_context(|| format!("cannot create {}", assets.display()))?;
    for file in build.files() {
        let name = file.file_name().context("an asset has a file name")?;
        std::fs::copy(&file, assets.join(name))
            .with_context(|| format!("cannot copy {} into the book", file.display()))?;
    }
    for (file, name) in hashed_scripts(root)? {
        std::fs::copy(&file, out.join(&name))
            .with_context(|| format!("cannot copy {} into the book", file.display()))?;
    }
    let fixtures = root.join(FIXTURES);
    for exercise in std::fs::read_dir(&fixtures)
        .with_context(|| format!("cannot read {}", fixtures.display()))?
    {
        let exercise = exercise?.path();
        let name = exercise
            .file_name()
            .context("a fixture folder has a name")?;
        let target = out.join("racebook").join(name);
        std::fs::create_dir_all(&target)?;
        for file in std::fs::read_dir(&exercise)? {
            let file = file?.path();
            if file.is_file() {
                let name = file.file_name().context("a fixture has a name")?;
                std::fs::copy(&file, target.join(name))
                    .with_context(|| format!("cannot copy {} into the book", file.display()))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viz() -> Visualizer {
        Visualizer {
            root: crate::paths::root(),
            glue: "racebook-viz/racebook_viz-0.js".into(),
            wasm: "racebook-viz/racebook_viz_bg-0.wasm".into(),
            scripts: vec![
                "racebook-viz/util-0.js".into(),
                "racebook-viz/main-0.js".into(),
            ],
            assets: vec![crate::paths::root().join(FIXTURES)],
        }
    }

    #[test]
    fn an_exercise_directive_becomes_one_html_block() {
        let out = viz()
            .expand("Before.\n\n{{#visualizer demo}}\n\nAfter.\n")
            .unwrap();
        assert!(out.starts_with(
            "Before.\n\n<div class=\"racebook-viz\" data-state=\"loading\" data-mode=\"exercise\" data-exercise=\"demo\""
        ));
        assert!(out.ends_with("</div>\n\nAfter.\n"));
        assert!(out.contains("data-glue=\"racebook-viz/racebook_viz-0.js\""));
        assert!(out.contains("class=\"rbv-game\"") && out.contains("class=\"rbv-compare\""));
        let block = &out["Before.\n\n".len()..out.len() - "\n\nAfter.\n".len()];
        assert!(
            !block.lines().any(|l| l.trim().is_empty()),
            "a blank line ends the HTML block"
        );
    }

    #[test]
    fn the_block_starts_loading_the_wasm_while_the_page_loads() {
        let out = viz().expand("{{#visualizer demo}}").unwrap();
        // An inline script inside the block reads the block's own data attributes.
        let script = out.lines().find(|l| l.starts_with("<script>")).unwrap();
        assert!(script.starts_with("<script>(function (el) {"), "{script}");
        assert!(script.ends_with("})(document.currentScript.parentElement);</script>"));
        assert!(script.contains("early.wasm = fetch(wasm.href)"));
    }

    #[test]
    fn the_bare_directive_opens_a_readers_trace() {
        let out = viz().expand("{{#visualizer}}").unwrap();
        assert!(out.contains("data-mode=\"open\""));
        assert!(out.contains("class=\"rbv-open\"") && !out.contains("class=\"rbv-game\""));
    }

    #[test]
    fn escaped_directives_stay_text_and_bad_ones_are_errors() {
        assert_eq!(
            viz()
                .expand("write \\{{#visualizer demo}} on its own line")
                .unwrap(),
            "write {{#visualizer demo}} on its own line"
        );
        let e = viz()
            .expand("{{#visualizer no-such-exercise}}")
            .unwrap_err();
        assert!(e.contains("there is no exercise no-such-exercise"), "{e}");
        let e = viz().expand("{{#visualizer ../etc}}").unwrap_err();
        assert!(e.contains("not an exercise name"), "{e}");
        let e = viz().expand("see {{#visualizer demo}} here").unwrap_err();
        assert!(e.contains("alone on its line"), "{e}");
    }
}
