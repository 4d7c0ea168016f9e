//! `racebook report`: one learner's results as JSON or JUnit (`--format`), or the class summary
//! of learners' JSON reports and readers' exported answers (`--merge PATH...`, as text or JSON).

use crate::clock;
use crate::context::Ctx;
use crate::report::answers::{self, AnswersFile};
use crate::report::{Format, LearnerReport, REPORT_FORMAT, class, junit};
use crate::state::State;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

pub fn run(
    ctx: &Ctx,
    format: Option<Format>,
    out: Option<&Path>,
    learner: Option<String>,
) -> Result<()> {
    let learner = learner
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "learner".into());
    let report = LearnerReport::build(
        &ctx.catalog,
        &State::load(&ctx.repo),
        &learner,
        clock::now(),
    );
    let text = match format.unwrap_or(Format::Json) {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Junit => junit::render(&report),
        Format::Text => bail!("one learner's report is json or junit; text is for --merge"),
    };
    emit(&text, out)
}

/// Merge `paths` (files, or folders of `*.json`): learners' reports into the class summary,
/// readers' exported answers into the most-missed questions. A file named on the command line
/// that is neither is an error; in a folder it is listed as skipped.
pub fn merge(paths: &[PathBuf], format: Option<Format>, out: Option<&Path>) -> Result<()> {
    let mut reports = Vec::new();
    let mut answers = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        if path.is_dir() {
            let (mut r, s) = class::read_dir(path)
                .with_context(|| format!("cannot read the reports in {}", path.display()))?;
            reports.append(&mut r);
            for (name, why) in s {
                match std::fs::read_to_string(path.join(&name))
                    .map_err(|e| e.to_string())
                    .and_then(|t| AnswersFile::parse(&t))
                {
                    Ok(a) => answers.push(a),
                    // Say why it is not what it claims to be.
                    Err(e) if !e.starts_with("its \"format\"") => skipped.push((name, e)),
                    Err(_) => skipped.push((name, why)),
                }
            }
            continue;
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let is_answers = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(String::from))
            .is_none_or(|f| f != REPORT_FORMAT);
        if is_answers {
            let file = AnswersFile::parse(&text).map_err(|why| {
                anyhow::anyhow!(
                    "{} is not a reader's exported answers: {why}",
                    path.display()
                )
            })?;
            answers.push(file);
        } else {
            reports.push(LearnerReport::parse(&text).map_err(|why| {
                anyhow::anyhow!("{} is not a learner's report: {why}", path.display())
            })?);
        }
    }
    if reports.is_empty() && answers.is_empty() {
        bail!(
            "no learner's report and no exported answers in {} ({} other .json files); collect the \
             files of `racebook report --format json` or of the book's \"Export my answers\" there",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            skipped.len()
        );
    }
    let class = (!reports.is_empty()).then(|| class::summarize(&reports, skipped.clone()));
    let questions = (!answers.is_empty()).then(|| answers::summarize(&answers));
    let text = match format.unwrap_or(Format::Text) {
        Format::Text => {
            let mut text = class.as_ref().map(class::text).unwrap_or_default();
            if let Some(q) = &questions {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&answers::text(q));
            }
            if class.is_none() {
                for (file, why) in &skipped {
                    text.push_str(&format!("skipped {file}: {why}\n"));
                }
            }
            text
        }
        Format::Json => {
            let mut json = match &class {
                Some(c) => serde_json::to_value(c)?,
                None => serde_json::json!({}),
            };
            if let Some(q) = &questions {
                json["questions"] = serde_json::to_value(q)?;
            }
            serde_json::to_string_pretty(&json)? + "\n"
        }
        Format::Junit => bail!("a class summary is text or json"),
    };
    emit(&text, out)
}

fn emit(text: &str, out: Option<&Path>) -> Result<()> {
    match out {
        Some(path) => {
            racebook_engine::write_atomic(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
