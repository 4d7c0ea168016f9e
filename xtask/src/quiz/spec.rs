//! A question file (`src/questions/EXERCISE.toml`) read into questions whose answers are
//! resolved against the exercise's facts. Every problem is an error that names the file and
//! line, so a malformed question stops the build where it is written.

use super::facts::{Fact, Facts};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: String,
    prompt: String,
    explanation: String,
    #[serde(default)]
    options: Vec<RawOption>,
    /// A literal answer: the 1-based number of the right option.
    correct: Option<usize>,
    /// A computed answer: a fact of the exercise (see `facts::NAMES`).
    fact: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, untagged)]
enum RawOption {
    Text(String),
    Valued { text: String, value: String },
}

/// What the reader answers with, and the right answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Options, and the index of the right one.
    Choice(Vec<String>, usize),
    Number(u64),
    /// The variant whose trace is shown, and the step numbers to select.
    Steps(String, Vec<u64>),
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub explanation: String,
    pub answer: Answer,
    /// The line of the question in its file.
    pub line: usize,
}

static ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9-]*$").expect("valid regex"));
/// `{variant.name}` in a prompt or an explanation: the fact's value goes there.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{([a-z0-9_]+\.[a-z_]+)\}").expect("valid regex"));

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parse `text` (the file `name`) against `facts`.
pub fn parse(name: &str, text: &str, facts: &Facts) -> Result<Vec<Question>, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        format!("{name}:{line}: {}", e.message())
    })?;
    let mut out: Vec<Question> = Vec::new();
    for q in raw.question {
        let line = line_of(text, q.span().start);
        let q = q.into_inner();
        let at = |what: String| format!("{name}:{line}: question `{}`: {what}", q.id);
        if !ID.is_match(&q.id) {
            return Err(at("an id is lowercase letters, digits and -".into()));
        }
        if out.iter().any(|o| o.id == q.id) {
            return Err(at("a second question with this id".into()));
        }
        let answer = resolve(&q, facts).map_err(at)?;
        let prompt = fill(&q.prompt, facts).map_err(at)?;
        let explanation = fill(&q.explanation, facts).map_err(at)?;
        if prompt.trim().is_empty() || explanation.trim().is_empty() {
            return Err(at(
                "the prompt and the explanation must say something".into()
            ));
        }
        out.push(Question {
            id: q.id,
            prompt,
            explanation,
            answer,
            line,
        });
    }
    Ok(out)
}

/// `text` with every `{variant.name}` replaced by that fact.
fn fill(text: &str, facts: &Facts) -> Result<String, String> {
    let mut problem = None;
    let out = PLACEHOLDER.replace_all(text, |c: &regex::Captures| match facts.get(&c[1]) {
        Ok(f) => f.shown(),
        Err(e) => {
            problem.get_or_insert(e);
            String::new()
        }
    });
    problem.map_or(Ok(out.into_owned()), Err)
}

fn resolve(q: &RawQuestion, facts: &Facts) -> Result<Answer, String> {
    let fact = q.fact.as_deref().map(|f| facts.get(f)).transpose()?;
    match (q.kind.as_str(), fact) {
        ("choice", _) => choice(q, fact),
        ("number", Some(Fact::Number(n))) if q.correct.is_none() && q.options.is_empty() => {
            Ok(Answer::Number(*n))
        }
        ("step", Some(Fact::Steps(s))) if q.correct.is_none() && q.options.is_empty() => {
            let fact = q.fact.as_deref().unwrap_or_default();
            let variant = fact.split('.').next().unwrap_or_default().to_string();
            Ok(Answer::Steps(variant, s.clone()))
        }
        ("number", _) => Err(
            "a number question has `fact = \"VARIANT.NAME\"` naming a number \
             (schedules, failing, bound, preemptions, steps), and no options"
                .into(),
        ),
        ("step", _) => Err(
            "a step question has `fact = \"VARIANT.conflict_steps\"` or \
             `\"VARIANT.failure_step\"`, and no options"
                .into(),
        ),
        (kind, _) => Err(format!(
            "kind {kind:?} is not one of \"choice\", \"number\", \"step\""
        )),
    }
}

fn choice(q: &RawQuestion, fact: Option<&Fact>) -> Result<Answer, String> {
    if q.options.len() < 2 {
        return Err("a choice question has at least two options".into());
    }
    let texts: Vec<String> = q
        .options
        .iter()
        .map(|o| match o {
            RawOption::Text(t) | RawOption::Valued { text: t, .. } => t.clone(),
        })
        .collect();
    let right = match (q.correct, fact) {
        (Some(n), None) if (1..=texts.len()).contains(&n) => n - 1,
        (Some(_), None) => {
            return Err(format!(
                "`correct` is an option's number, 1 to {}",
                texts.len()
            ));
        }
        (None, Some(fact)) => {
            let value = fact.shown();
            let matching: Vec<usize> = q
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| matches!(o, RawOption::Valued { value: v, .. } if *v == value))
                .map(|(i, _)| i)
                .collect();
            match matching[..] {
                [one] => one,
                _ => {
                    return Err(format!(
                        "the fact `{}` is {value:?}, and {} option(s) have that `value` \
                         (exactly one must: give options as {{ text = ..., value = ... }})",
                        q.fact.as_deref().unwrap_or_default(),
                        matching.len()
                    ));
                }
            }
        }
        _ => {
            return Err(
                "a choice question has either `correct = N` or `fact = \"VARIANT.NAME\"`".into(),
            );
        }
    };
    Ok(Answer::Choice(texts, right))
}
