//! Checks of understanding. `{{#question EXERCISE ID}}` in a chapter becomes question ID of
//! `src/questions/EXERCISE.toml`, with its answer computed from the exercise's export (the
//! visualizer's data: traces and schedule trees), so the answer cannot drift from the code. The
//! preprocessor also holds the book to its rules: each exercise chapter asks 3 to 6 questions,
//! each question is asked once, and any problem is an error naming the file and line.

pub mod facts;
pub mod render;
pub mod spec;

use anyhow::{Context, Result, bail};
use facts::Facts;
use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use regex::Regex;
use spec::{Answer, Question};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

pub const STYLE: &str = "web/quiz/quiz.css";
pub const SCRIPT: &str = "web/quiz/quiz.js";
/// Where the question files are, relative to the book root.
pub const DIR: &str = "src/questions";
/// How many questions an exercise chapter asks.
pub const PER_CHAPTER: std::ops::RangeInclusive<usize> = 3..=6;

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\\)?\{\{#question(?:[ \t]+([^}\s]*))?(?:[ \t]+([^}\s]*))?[ \t]*\}\}")
        .expect("valid regex")
});

pub struct Quiz {
    root: PathBuf,
    /// Where each exercise's export is (the first folder that has it).
    exports: Vec<PathBuf>,
}

/// One exercise's questions and facts.
struct Loaded {
    questions: Vec<Question>,
    facts: Facts,
}

impl Quiz {
    pub fn new(root: &Path, exports: Vec<PathBuf>) -> Quiz {
        Quiz {
            root: root.to_path_buf(),
            exports,
        }
    }

    /// Add the preprocessor, its style and its script to `book`.
    pub fn register(self, book: &mut MDBook) -> Result<()> {
        for (key, ours) in [
            ("output.html.additional-css", STYLE),
            ("output.html.additional-js", SCRIPT),
        ] {
            let mut files: Vec<PathBuf> = book
                .config
                .get(key)
                .with_context(|| format!("book.toml: {key} is not a list of files"))?
                .unwrap_or_default();
            if !files.iter().any(|f| f == Path::new(ours)) {
                files.push(ours.into());
            }
            book.config
                .set(key, &files)
                .with_context(|| format!("cannot set {key}"))?;
        }
        book.with_preprocessor(self);
        Ok(())
    }

    fn load(&self, exercise: &str) -> Result<Loaded, String> {
        let rel = format!("{DIR}/{exercise}.toml");
        let text = std::fs::read_to_string(self.root.join(&rel))
            .map_err(|e| format!("there is no question file {rel} ({e})"))?;
        let dir = self
            .exports
            .iter()
            .map(|d| d.join(exercise))
            .find(|d| d.join("index.json").is_file())
            .ok_or_else(|| format!("{rel}: no export of {exercise} to compute the answers from"))?;
        let facts = Facts::load(&dir)?;
        let questions = spec::parse(&rel, &text, &facts)?;
        Ok(Loaded { questions, facts })
    }

    /// `content` (the page `page`, whose source is `source`) with its directives expanded;
    /// records which questions it asked in `asked`.
    fn expand(
        &self,
        page: &str,
        source: &str,
        content: &str,
        cache: &mut BTreeMap<String, Result<Loaded, String>>,
        asked: &mut BTreeMap<String, String>,
    ) -> Result<(String, usize), String> {
        let mut out = String::with_capacity(content.len());
        let (mut last, mut n) = (0, 0);
        for caps in DIRECTIVE.captures_iter(content) {
            let whole = caps.get(0).expect("a match has group 0");
            out.push_str(&content[last..whole.start()]);
            last = whole.end();
            if caps.get(1).is_some() {
                out.push_str(&whole.as_str()[1..]);
                continue;
            }
            // Lines count in the file as written (includes may shift the content's).
            let line = source
                .find(whole.as_str())
                .map_or(0, |at| source[..at].matches('\n').count() + 1);
            let at = |e: String| format!("{page}:{line}: `{}`: {e}", whole.as_str());
            let line_start = content[..whole.start()].rfind('\n').map_or(0, |i| i + 1);
            let line_end = content[whole.end()..]
                .find('\n')
                .map_or(content.len(), |i| whole.end() + i);
            if content[line_start..line_end].trim() != whole.as_str() {
                return Err(at("must stand alone on its line".into()));
            }
            let (Some(exercise), Some(id)) = (caps.get(2), caps.get(3)) else {
                return Err(at("write {{#question EXERCISE ID}}".into()));
            };
            let (exercise, id) = (exercise.as_str(), id.as_str());
            if !exercise
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return Err(at(format!("{exercise:?} is not an exercise name")));
            }
            let loaded = cache
                .entry(exercise.to_string())
                .or_insert_with(|| self.load(exercise))
                .as_ref()
                .map_err(|e| at(e.clone()))?;
            let q = loaded
                .questions
                .iter()
                .find(|q| q.id == id)
                .ok_or_else(|| at(format!("{DIR}/{exercise}.toml has no question {id}")))?;
            let full = format!("{exercise}/{id}");
            if let Some(before) = asked.insert(full.clone(), format!("{page}:{line}")) {
                return Err(at(format!("{full} is already asked at {before}")));
            }
            let trace = match &q.answer {
                Answer::Steps(variant, _) => Some(
                    loaded
                        .facts
                        .traces
                        .get(variant)
                        .ok_or_else(|| at(format!("no trace of {variant}")))?,
                ),
                _ => None,
            };
            n += 1;
            out.push_str(&render::question(exercise, q, n, trace));
        }
        out.push_str(&content[last..]);
        Ok((out, n))
    }

    fn run_book(&self, book: &mut Book) -> Result<()> {
        let mut problems = Vec::new();
        let mut cache = BTreeMap::new();
        let mut asked = BTreeMap::new();
        let exercises: BTreeSet<String> = racebook_booktest::numbers::exercises(&self.root)
            .into_iter()
            .collect();
        book.for_each_mut(|item| {
            let BookItem::Chapter(chapter) = item else {
                return;
            };
            let Some(path) = chapter.source_path.clone() else {
                return;
            };
            let page = format!("src/{}", path.display());
            let source = std::fs::read_to_string(self.root.join(&page)).unwrap_or_default();
            match self.expand(&page, &source, &chapter.content, &mut cache, &mut asked) {
                Ok((content, n)) => {
                    chapter.content = content;
                    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                    let exercise_chapter = path.starts_with("chapters") && exercises.contains(stem);
                    if exercise_chapter && !PER_CHAPTER.contains(&n) {
                        problems.push(format!(
                            "{page}: an exercise chapter asks 3 to 6 questions ({{{{#question {stem} ID}}}}); this one asks {n}"
                        ));
                    }
                }
                Err(e) => problems.push(e),
            }
        });
        for (exercise, loaded) in &cache {
            for q in loaded.iter().flat_map(|l| &l.questions) {
                if !asked.contains_key(&format!("{exercise}/{}", q.id)) {
                    problems.push(format!(
                        "{DIR}/{exercise}.toml:{}: question {} is asked on no page",
                        q.line, q.id
                    ));
                }
            }
        }
        if !problems.is_empty() {
            bail!("the questions are wrong:\n  {}", problems.join("\n  "));
        }
        Ok(())
    }
}

impl Preprocessor for Quiz {
    fn name(&self) -> &str {
        "racebook-questions"
    }

    fn run(
        &self,
        _ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        self.run_book(&mut book)?;
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        Ok(renderer == "html")
    }
}

#[cfg(test)]
mod tests;
