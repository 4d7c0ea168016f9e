//! The readers' answers to the book's questions (each reader's "Export my answers" file, format
//! `racebook-answers`), merged into what the room missed: per chapter, the questions most missed
//! on the first try, with the wrong answer given most often.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const ANSWERS_FORMAT: &str = "racebook-answers";
pub const ANSWERS_VERSION: u32 = 1;

/// One reader's export, as the book's page script writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub exported_at: Option<String>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// `EXERCISE/QUESTION`, e.g. `01-counter-map/preemptions`.
    pub id: String,
    #[serde(default)]
    pub chapter: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    /// The latest answer: an option's number from 0, a number, or step numbers joined by commas.
    pub answer: String,
    pub correct: bool,
    /// Whether the first answer was right (older exports: assume the latest is the first).
    #[serde(default)]
    pub first_correct: Option<bool>,
    #[serde(default)]
    pub tries: Option<u32>,
    #[serde(default)]
    pub at: Option<String>,
}

impl AnswersFile {
    /// Parse one export; the error says what is wrong and where.
    pub fn parse(text: &str) -> Result<AnswersFile, String> {
        let head: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let format = head.get("format").and_then(|f| f.as_str()).unwrap_or("");
        if format != ANSWERS_FORMAT {
            return Err(format!(
                "its \"format\" is {format:?}, not \"{ANSWERS_FORMAT}\" (the book's \"Export my answers\" file)"
            ));
        }
        let file: AnswersFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != ANSWERS_VERSION {
            return Err(format!(
                "it is version {}; this racebook reads version {ANSWERS_VERSION}",
                file.version
            ));
        }
        for (i, a) in file.answers.iter().enumerate() {
            let well_formed =
                a.id.split_once('/')
                    .is_some_and(|(c, q)| !c.is_empty() && !q.is_empty() && !q.contains('/'));
            if !well_formed {
                return Err(format!(
                    "answers[{i}]: id {:?} is not CHAPTER/QUESTION",
                    a.id
                ));
            }
        }
        Ok(file)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionsSummary {
    pub readers: usize,
    /// Chapters in order, each with its questions most missed first.
    pub chapters: Vec<ChapterMisses>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterMisses {
    pub chapter: String,
    pub questions: Vec<QuestionMisses>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionMisses {
    pub id: String,
    pub answered: usize,
    /// Readers whose first answer was wrong.
    pub missed_first_try: usize,
    /// Readers whose latest answer is still wrong.
    pub still_wrong: usize,
    /// The wrong answer given most often (as the reader saw it) and by how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_wrong_answer: Option<(String, usize)>,
}

/// How an answer reads to the instructor.
fn shown(a: &Answer) -> String {
    match a.kind.as_deref() {
        Some("choice") => match a.answer.parse::<usize>() {
            Ok(i) => format!("option {}", i + 1),
            Err(_) => a.answer.clone(),
        },
        Some("step") if a.answer.contains(',') => format!("steps {}", a.answer),
        Some("step") => format!("step {}", a.answer),
        _ => a.answer.clone(),
    }
}

pub fn summarize(files: &[AnswersFile]) -> QuestionsSummary {
    let mut by_question: BTreeMap<&str, Vec<&Answer>> = BTreeMap::new();
    for file in files {
        for a in &file.answers {
            by_question.entry(&a.id).or_default().push(a);
        }
    }
    let mut chapters: BTreeMap<String, Vec<QuestionMisses>> = BTreeMap::new();
    for (id, answers) in by_question {
        let mut wrong: BTreeMap<String, usize> = BTreeMap::new();
        for a in answers.iter().filter(|a| !a.correct) {
            *wrong.entry(shown(a)).or_default() += 1;
        }
        let common_wrong_answer = wrong
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        let chapter = id.split('/').next().unwrap_or(id).to_string();
        chapters.entry(chapter).or_default().push(QuestionMisses {
            id: id.to_string(),
            answered: answers.len(),
            missed_first_try: answers
                .iter()
                .filter(|a| !a.first_correct.unwrap_or(a.correct))
                .count(),
            still_wrong: answers.iter().filter(|a| !a.correct).count(),
            common_wrong_answer,
        });
    }
    let chapters = chapters
        .into_iter()
        .map(|(chapter, mut questions)| {
            questions.sort_by(|a, b| {
                (b.missed_first_try, b.still_wrong)
                    .cmp(&(a.missed_first_try, a.still_wrong))
                    .then(a.id.cmp(&b.id))
            });
            ChapterMisses { chapter, questions }
        })
        .collect();
    QuestionsSummary {
        readers: files.len(),
        chapters,
    }
}

/// How many questions per chapter the text lists (the most missed).
const SHOWN_PER_CHAPTER: usize = 3;

pub fn text(s: &QuestionsSummary) -> String {
    let mut out = format!(
        "questions: answers of {} reader(s); most missed first, per chapter\n",
        s.readers
    );
    for c in &s.chapters {
        out.push_str(&format!("\n{}\n", c.chapter));
        for q in c.questions.iter().take(SHOWN_PER_CHAPTER) {
            let name = q.id.split_once('/').map_or(q.id.as_str(), |(_, q)| q);
            let wrong = q
                .common_wrong_answer
                .as_ref()
                .map(|(a, n)| format!("; most common wrong answer: {a} ({n})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {name:<24} missed first by {} of {}, still wrong for {}{wrong}\n",
                q.missed_first_try, q.answered, q.still_wrong
            ));
        }
        let more = c.questions.len().saturating_sub(SHOWN_PER_CHAPTER);
        if more > 0 {
            out.push_str(&format!(
                "  ({more} more, missed less; --format json lists all)\n"
            ));
        }
    }
    out
}
