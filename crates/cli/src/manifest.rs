//! An exercise's `racebook.toml`: what the command shows and runs for it, so that adding an
//! exercise needs no change to the command. Paths are relative to the exercise's folder, except
//! `chapter`, which is relative to the book's `src/`.

use anyhow::{Context, Result, bail};
use racebook_engine::EngineKind;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "racebook.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The folder's name, e.g. `01-counter-map`.
    pub slug: String,
    pub title: String,
    /// The chapter that tells the story, relative to the book's `src/`.
    pub chapter: String,
    /// The engines the learner's check runs.
    pub engines: Vec<EngineKind>,
    /// Progressive hints: a markdown file with one `## ` heading per level.
    pub hints: String,
    /// The file the learner edits.
    pub learner: String,
    /// The broken starting point that `reset` restores.
    pub start: String,
    /// The reference fixes `solution` shows.
    pub solutions: Vec<String>,
}

/// An exercise as the command knows it: its manifest, folder and cargo package.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub manifest: Manifest,
    pub dir: PathBuf,
    pub package: String,
}

impl Exercise {
    /// The example target of this exercise's tool (`ex01-tool` for `ex01-counter-map`): each
    /// exercise names its own, as all workspace members' examples share one output folder.
    pub fn tool_example(&self) -> String {
        let prefix = self.package.split('-').next().unwrap_or(&self.package);
        format!("{prefix}-tool")
    }

    /// Read `dir/racebook.toml` and the package name from `dir/Cargo.toml`.
    pub fn load(dir: &Path) -> Result<Exercise> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let manifest: Manifest =
            toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
        let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if manifest.slug != folder {
            bail!(
                "{}: slug is `{}` but the folder is `{folder}`; they must be equal",
                path.display(),
                manifest.slug
            );
        }
        let package = package_name(dir)?;
        Ok(Exercise {
            manifest,
            dir: dir.to_path_buf(),
            package,
        })
    }

    pub fn slug(&self) -> &str {
        &self.manifest.slug
    }

    pub fn title(&self) -> &str {
        &self.manifest.title
    }

    pub fn learner_file(&self) -> PathBuf {
        self.dir.join(&self.manifest.learner)
    }

    pub fn start_file(&self) -> PathBuf {
        self.dir.join(&self.manifest.start)
    }

    pub fn hints_file(&self) -> PathBuf {
        self.dir.join(&self.manifest.hints)
    }

    pub fn solution_files(&self) -> Vec<PathBuf> {
        self.manifest
            .solutions
            .iter()
            .map(|s| self.dir.join(s))
            .collect()
    }

    /// The chapter's page in the built book, e.g. `chapters/01-counter-map.html`.
    pub fn chapter_page(&self) -> String {
        match self.manifest.chapter.strip_suffix(".md") {
            Some(stem) => format!("{stem}.html"),
            None => self.manifest.chapter.clone(),
        }
    }

    /// Everything that is wrong with this exercise's manifest and files, for the validating
    /// test and `racebook verify`. `book_src` is the book's `src/` folder.
    pub fn problems(&self, book_src: &Path) -> Vec<String> {
        let m = &self.manifest;
        let mut out = Vec::new();
        if m.title.trim().is_empty() {
            out.push("title is empty".to_string());
        }
        if m.engines.is_empty() {
            out.push("engines is empty".to_string());
        }
        if m.engines.contains(&EngineKind::Real) {
            out.push("engines lists `real`: real threads measure, they do not check".to_string());
        }
        if m.solutions.is_empty() {
            out.push("solutions is empty".to_string());
        }
        let mut files: Vec<(&str, PathBuf)> = vec![
            ("learner", self.learner_file()),
            ("start", self.start_file()),
            ("hints", self.hints_file()),
            ("chapter", book_src.join(&m.chapter)),
            ("the learner's test", self.dir.join("tests/exercise.rs")),
            ("the maintainers' test", self.dir.join("tests/verify.rs")),
            ("the tool", self.dir.join("examples/tool.rs")),
        ];
        files.extend(self.solution_files().into_iter().map(|p| ("solution", p)));
        for (what, path) in files {
            if !path.is_file() {
                out.push(format!("{what} file {} does not exist", path.display()));
            }
        }
        if m.solutions.contains(&m.learner) || m.solutions.contains(&m.start) {
            out.push("a solution file is the learner's file or the start file".to_string());
        }
        if m.learner == m.start {
            out.push("learner and start are the same file".to_string());
        }
        if let Ok(levels) = crate::hints::read(&self.hints_file())
            && levels.len() < 3
        {
            out.push(format!(
                "hints has {} levels; at least 3 are needed",
                levels.len()
            ));
        }
        out
    }
}

fn package_name(dir: &Path) -> Result<String> {
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
    table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .with_context(|| format!("{} has no [package] name", path.display()))
}
